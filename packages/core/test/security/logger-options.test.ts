/**
 * The security options of the logger (docs/security.md): `redaction` from constructor
 * options and from a YAML config file, `logger.sanitizer` changed at runtime, `pseudonymize`,
 * `detectEnvironment`, the redaction counters of `getPerformanceMetrics()`, and `updateConfig`
 * with a different redaction (counters summed, audit chain continued).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataHasher,
  detectEnvironment,
  HydraLogger,
  type HydraLoggerOptions,
  type LoggingConfig,
  verifyAuditChain,
} from '../../src/index.js';
import { fileLines, removeDir, tempDir } from './fixtures/sinks.js';

type Line = Record<string, unknown>;

let dir: string;
beforeAll(() => {
  dir = tempDir('hydra-options-');
});
afterAll(() => removeDir(dir));

const MEMORY: LoggingConfig = {
  layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } },
};

function memoryLogger(options: HydraLoggerOptions = {}) {
  const logger = new HydraLogger({ config: MEMORY, ...options });
  const records = (): Line[] => (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Line);
  return { logger, records };
}

/** What each redaction setting changes, in one record. */
function logSample(logger: HydraLogger): void {
  logger.info('order ORD-123456 for +44 20 7946 0958', {
    tenantRef: 'vault:tenant/7',
    bankIban: 'DE89370400440532013000',
    pin: '4821',
    password: 'hunter2',
    note: 'ref ORD-654321, cost $& and $1',
  });
}

/** The redaction config used by the constructor and YAML tests, and what it must produce. */
const REDACTION = {
  patterns: [{ name: 'order_id', pattern: 'ORD-[0-9]{6}', placeholder: '[ORDER $&]' }],
  removePatterns: ['phone'],
  sensitiveKeys: ['tenantRef', { key: 'iban', match: 'contains' as const }],
  removeSensitiveKeys: ['pin'],
};

function expectSampleRedacted(r: Line | undefined): void {
  expect(r).toMatchObject({
    message: 'order [ORDER $&] for +44 20 7946 0958', // custom pattern with a literal placeholder; phone removed
    tenantRef: '[REDACTED]', // added, exact
    bankIban: '[REDACTED]', // added, contains
    pin: '4821', // removed from the built-in keys
    password: '[REDACTED]', // built-ins still apply
    note: 'ref [ORDER $&], cost $& and $1',
  });
}

describe('redaction settings', () => {
  it('by default: the phone and the IBAN are redacted by pattern, the order number and the custom keys are not', () => {
    const { logger, records } = memoryLogger();
    logSample(logger);
    expect(records()[0]).toMatchObject({
      message: 'order ORD-123456 for [REDACTED_PHONE]',
      tenantRef: 'vault:tenant/7',
      bankIban: '[REDACTED_IBAN]',
      pin: '[REDACTED]',
      password: '[REDACTED]',
    });
  });

  it('from constructor options: patterns, removePatterns, sensitiveKeys, removeSensitiveKeys', () => {
    const { logger, records } = memoryLogger({ redaction: REDACTION });
    logSample(logger);
    expectSampleRedacted(records()[0]);
  });

  it('from constructor options with a RegExp pattern (made global: every match is redacted)', () => {
    const { logger, records } = memoryLogger({
      redaction: { patterns: [{ name: 'ticket', pattern: /TCK-\d{4}/, placeholder: '[TICKET]' }] },
    });
    logger.info('TCK-1111 and TCK-2222');
    expect(records()[0]?.message).toBe('[TICKET] and [TICKET]');
  });

  it('from a YAML config file given as `config: path`', () => {
    const file = path.join(dir, 'redaction.yaml');
    fs.writeFileSync(
      file,
      [
        'layers:',
        '  DEFAULT:',
        '    destinations:',
        '      - type: memory',
        '        format: json',
        'redaction:',
        '  patterns:',
        "    - { name: order_id, pattern: 'ORD-[0-9]{6}', placeholder: '[ORDER $&]' }",
        '  removePatterns: [phone]',
        '  sensitiveKeys: [tenantRef, { key: iban, match: contains }]',
        '  removeSensitiveKeys: [pin]',
        '',
      ].join('\n'),
    );
    const logger = new HydraLogger({ config: file });
    logSample(logger);
    expectSampleRedacted(JSON.parse(logger.memory()?.lines()[0] as string) as Line);
  });

  it('a pattern added at runtime also applies to object keys and layer names logged before it', () => {
    const { logger, records } = memoryLogger();
    logger.info('BLD-42', 'as the layer', { 'BLD-42': 'as a key' });
    logger.sanitizer.addPattern('build', /BLD-\d{1,6}/, '[BUILD]');
    logger.info('BLD-42', 'as the layer', { 'BLD-42': 'as a key' });
    expect(records()[1]).toMatchObject({ layer: '[BUILD]', '[BUILD]': 'as a key' });
  });

  it('logger.sanitizer changes apply to the records logged after them', () => {
    const { logger, records } = memoryLogger();
    logger.info('build BLD-42-X', { region: 'emea-7' });
    logger.sanitizer.addPattern('build', /BLD-\d{1,6}-[A-Z]/, '[BUILD]').addSensitiveKey('region');
    logger.info('build BLD-42-X', { region: 'emea-7' });
    logger.sanitizer.removePattern('build');
    logger.sanitizer.removeSensitiveKey('region');
    logger.info('build BLD-42-X', { region: 'emea-7' });
    expect(records().map((r) => [r.message, r.region])).toEqual([
      ['build BLD-42-X', 'emea-7'],
      ['build [BUILD]', '[REDACTED]'],
      ['build BLD-42-X', 'emea-7'],
    ]);
    // The same sanitizer also serves child loggers (one core).
    logger.sanitizer.addSensitiveKey('tenant');
    logger.child({ tenant: 'acme' }).info('child');
    expect(records()[3]?.tenant).toBe('[REDACTED]');
  });
});

describe('pseudonymize', () => {
  it('replaces a field by its hash, the same for the same value in every record, bindings and context', () => {
    const { logger, records } = memoryLogger({ pseudonymize: { fields: ['userId'] } });
    logger.info('login', { userId: 'u-1001' });
    logger.info('logout', { userId: 'u-1001' });
    logger.info('login', { userId: 'u-2002' });
    logger.child({ userId: 'u-1001' }).info('from bindings');
    logger.runWithContext({ userId: 'u-1001' }, () => logger.info('from context'));
    logger.info('numeric', { userId: 1001 });
    const ids = records().map((r) => r.userId as string);
    const hasher = new DataHasher();
    expect(ids[0]).toBe(hasher.hashData('u-1001'));
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(ids.slice(0, 5)).toEqual([ids[0], ids[0], hasher.hashData('u-2002'), ids[0], ids[0]]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[5]).toBe(hasher.hashData(1001));
    expect(JSON.stringify(records())).not.toContain('u-1001');
  });

  it('with an algorithm and a salt: HMAC, nested paths, and before redaction (an email gets its own pseudonym)', () => {
    const salt = 'pepper-42';
    const { logger, records } = memoryLogger({
      pseudonymize: { fields: ['user.email', 'ip'], algorithm: 'sha512', salt },
    });
    logger.info('a', { user: { email: 'alice@example.com', role: 'admin' }, ip: '203.0.113.9' });
    logger.info('b', { user: { email: 'bob@example.com', role: 'ops' }, ip: '203.0.113.9' });
    const [a, b] = records() as [Line, Line];
    const hasher = new DataHasher();
    expect(a.user).toEqual({ email: hasher.hashData('alice@example.com', 'sha512', salt), role: 'admin' });
    expect((a.user as Line).email).toMatch(/^[0-9a-f]{128}$/);
    expect((b.user as Line).email).not.toBe((a.user as Line).email);
    expect(a.ip).toBe(b.ip);
    expect(a.ip).toBe(hasher.hashData('203.0.113.9', 'sha512', salt));
    expect(a.ip).not.toBe(hasher.hashData('203.0.113.9', 'sha512'));
  });
});

describe('detectEnvironment', () => {
  const env = { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'fn' };

  it('adds cloud and service fields from the env given to the logger; a caller field wins', () => {
    const { logger, records } = memoryLogger({ detectEnvironment: true, env });
    logger.info('started');
    logger.info('mine', { cloud: 'on-prem', service: 'billing' });
    const expected = detectEnvironment({ env }); // framework depends on the working directory
    expect(expected).toMatchObject({ cloud: 'aws', service: 'fn' });
    const [first, second] = records();
    expect(first).toMatchObject(expected);
    expect(second).toMatchObject({ cloud: 'on-prem', service: 'billing' });
  });

  it('adds nothing unless asked', () => {
    const { logger, records } = memoryLogger({ env });
    logger.info('started');
    expect(records()[0]).not.toHaveProperty('cloud');
    expect(records()[0]).not.toHaveProperty('service');
  });
});

describe('redaction counters in getPerformanceMetrics()', () => {
  it('count each redaction once, by kind, across fields, bindings, context and destinations', () => {
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'memory', format: 'json' },
              { type: 'memory', format: 'logfmt', name: 'second' },
            ],
          },
        },
      },
    });
    const before = logger.getPerformanceMetrics();
    expect(before.redactions).toBe(0);
    expect(before.redactionsByKind).toEqual({});
    logger.info('mail alice@example.com and bob@example.com', {
      password: 'x',
      apiKey: 'y',
      card: '4111 1111 1111 1111',
    });
    logger.child({ token: 't' }).info('no secrets here');
    logger.runWithContext({ jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' }, () =>
      logger.info('ssn 401-52-7718'),
    );
    const shared = { secret: 's' };
    logger.info('shared', { a: shared, b: shared });
    logger.info('clean record', { n: 1, path: '/api/v1/items' });
    const m = logger.getPerformanceMetrics();
    expect(m.redactionsByKind).toEqual({ email: 2, key: 6, credit_card: 1, ssn: 1 });
    expect(m.redactions).toBe(10);
  });

  it('updateConfig with a different redaction keeps the counters (summed) and continues the audit chain', async () => {
    const audit = path.join(dir, 'update-audit.log');
    const config = (redaction: NonNullable<LoggingConfig['redaction']>): LoggingConfig => ({
      redaction,
      layers: {
        DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] },
        AUDIT: { destinations: [{ type: 'file', path: audit, format: 'json', mode: 'sync' }] },
      },
    });
    const logger = new HydraLogger({ config: config({ removePatterns: ['phone'] }) });
    logger.info('call +44 20 7946 0958 or alice@example.com', { password: 'p' });
    logger.audit('before the update', { actor: 'bob', token: 't' });
    expect(logger.getPerformanceMetrics().redactionsByKind).toEqual({ email: 1, key: 2 });

    await logger.updateConfig(
      config({ removePatterns: ['email'], patterns: [{ name: 'order_id', pattern: 'ORD-[0-9]{6}' }] }),
    );
    logger.info('call +44 20 7946 0958 or alice@example.com about ORD-123456', { password: 'p' });
    logger.audit('after the update', { actor: 'bob', secret: 's' });
    const lines = (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.message)).toEqual([
      'call [REDACTED_PHONE] or alice@example.com about [REDACTED]',
    ]);
    const m = logger.getPerformanceMetrics();
    expect(m.redactionsByKind).toEqual({ email: 1, key: 4, phone: 1, order_id: 1 });
    expect(m.redactions).toBe(7);
    await logger.close();
    const chain = fileLines(audit).map((l) => JSON.parse(l) as Line);
    expect(chain.map((r) => r.message)).toEqual(['before the update', 'after the update']);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true, records: 2 });
  });

  it('a pattern added with logger.sanitizer lasts until the next updateConfig, as documented', async () => {
    const { logger, records } = memoryLogger();
    logger.sanitizer.addPattern('build', /BLD-\d{1,6}/, '[BUILD]');
    logger.info('BLD-1');
    await logger.updateConfig(MEMORY);
    logger.info('BLD-2');
    expect(records().map((r) => r.message)).toEqual(['BLD-2']); // the new memory destination holds only the new record
    expect(logger.getPerformanceMetrics().redactionsByKind).toEqual({ build: 1 });
  });
});
