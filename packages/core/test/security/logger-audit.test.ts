/**
 * The audit trail through the public logger API (docs/security.md "Audit chain"):
 * `audit()` records written by a real `file` destination of the AUDIT layer form a hash chain
 * that `verifyAuditChain(path)` accepts; a changed or removed line is reported at its line; a
 * restarted logger continues the chain; with an `auditKey` a forger who recomputes the chain
 * without the key is caught. `security()`, `audit()` and `compliance()` records are on disk when
 * the call returns, even on a buffered destination with a large buffer and a long interval.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HydraLogger,
  type HydraLoggerOptions,
  type LogDestination,
  verifyAuditChain,
} from '../../src/index.js';
import { chainFields, GENESIS_HASH } from '../../src/security/index.js';
import { fileLines, removeDir, tempDir } from './fixtures/sinks.js';

let dir: string;
let serial = 0;
beforeAll(() => {
  dir = tempDir('hydra-audit-');
});
afterAll(() => removeDir(dir));

const newFile = (name = 'audit'): string => path.join(dir, `${name}-${++serial}.log`);

/** A buffered destination that would hold records for a minute: only a synchronous write gets them out. */
const lazy = (file: string): LogDestination => ({
  type: 'file',
  path: file,
  format: 'json',
  mode: 'buffered',
  bufferSize: 1 << 20,
  flushInterval: 60_000,
});

/** A logger whose AUDIT layer writes JSON lines to `file`; other layers go to memory. */
function auditLogger(file: string, options: HydraLoggerOptions = {}): HydraLogger {
  return new HydraLogger({
    ...options,
    config: {
      layers: {
        DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] },
        AUDIT: { destinations: [lazy(file)] },
      },
    },
  });
}

/** Logs `n` audit records with varied, awkward content (every value the JSON format must round-trip). */
function logAudits(logger: HydraLogger, n: number, tag: string): void {
  for (let i = 0; i < n; i++) {
    const fields: Record<string, unknown> = {
      i,
      tag,
      actor: { id: 7, roles: ['admin', 'ops'], email: 'actor@example.com' },
      password: 'hunter2',
      text: 'line\nbreak \u2028 "quoted" \\ back \x1b[31m ansi é 漢字 🙂',
      nums: [0, -0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53],
      big: 12345678901234567890n,
      when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      map: new Map([['k', 'v']]),
      set: new Set([1, 2]),
      undef: undefined,
      level: 'forged-level',
      timestamp: 'forged-time',
      prevHash: 'forged-prev',
      hash: 'forged-hash',
    };
    if (i % 3 === 1) fields.err = new Error(`failed step ${i}`, { cause: new TypeError('inner') });
    if (i % 3 === 2) logger.child({ requestId: `req-${i}` }).audit(`child action ${i}`, fields);
    else logger.audit(`user action ${i} by ${tag}`, fields);
    logger.info('APP', 'an ordinary record between audit records', { i });
  }
}

const rewrite = (file: string, lines: string[]): void => fs.writeFileSync(file, `${lines.join('\n')}\n`);

describe('audit() through a file destination of the AUDIT layer', () => {
  it('writes a hash chain that verifyAuditChain accepts, starting from the genesis hash', async () => {
    const file = newFile();
    const logger = auditLogger(file);
    logAudits(logger, 12, 'first');
    await logger.close();
    const lines = fileLines(file);
    expect(lines).toHaveLength(12);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i++) expect(records[i]?.prevHash).toBe(records[i - 1]?.hash);
    // Redacted before chaining; forged core and chain names kept as ordinary fields.
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines.join('\n')).not.toContain('actor@example.com');
    expect(records[0]).toMatchObject({
      level: 'INFO',
      layer: 'AUDIT',
      _level: 'forged-level',
      _prevHash: 'forged-prev',
    });
    expect(await verifyAuditChain(file)).toEqual({ ok: true, records: 12, lastHash: records[11]?.hash });
  });

  it('includes caller information and context in what the chain covers', async () => {
    const file = newFile();
    const logger = auditLogger(file, { includeCaller: true });
    logger.runWithContext({ tenant: 'acme', session_id: 's3cr3t' }, () => {
      logger.audit('in context', { step: 1 });
      logger.audit('in context', { step: 2 });
    });
    await logger.close();
    const [first] = fileLines(file).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ tenant: 'acme', session_id: '[REDACTED]' });
    expect(first?.caller).toBeDefined();
    expect(await verifyAuditChain(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('a middle line with one byte of its message changed is reported at that line', async () => {
    const file = newFile();
    const logger = auditLogger(file);
    logAudits(logger, 9, 'tamper');
    await logger.close();
    const lines = fileLines(file);
    const target = 4; // 0-based index; line 5
    const line = lines[target] as string;
    const at = line.indexOf('user action') + 'user action'.length + 1;
    lines[target] = `${line.slice(0, at)}${line[at] === '9' ? '8' : '9'}${line.slice(at + 1)}`;
    expect(lines[target]).not.toBe(line);
    rewrite(file, lines);
    expect(await verifyAuditChain(file)).toEqual({
      ok: false,
      line: target + 1,
      reason: expect.stringMatching(/changed/),
    });
  });

  it('a deleted line is reported where the chain breaks', async () => {
    const file = newFile();
    const logger = auditLogger(file);
    logAudits(logger, 9, 'delete');
    await logger.close();
    const lines = fileLines(file);
    lines.splice(3, 1); // remove line 4: line 4 is now the old line 5, whose prevHash links to the removed one
    rewrite(file, lines);
    expect(await verifyAuditChain(file)).toEqual({
      ok: false,
      line: 4,
      reason: expect.stringMatching(/removed/),
    });
    // Removing the first record is caught too (the new first line does not link to genesis).
    const again = fileLines(file).slice(1);
    rewrite(file, again);
    expect(await verifyAuditChain(file)).toMatchObject({ ok: false, line: 1 });
  });

  it('a second logger on the same file continues the chain: the whole file verifies', async () => {
    const file = newFile();
    const first = auditLogger(file);
    logAudits(first, 5, 'run-1');
    await first.close();
    const firstRun = await verifyAuditChain(file);
    expect(firstRun).toMatchObject({ ok: true, records: 5 });
    const second = auditLogger(file);
    logAudits(second, 4, 'run-2');
    await second.close();
    const lines = fileLines(file).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[5]?.prevHash).toBe(firstRun.ok ? firstRun.lastHash : undefined);
    expect(await verifyAuditChain(file)).toMatchObject({ ok: true, records: 9 });
  });

  it('a second logger continues the chain after a record longer than 1 MiB', async () => {
    const file = newFile();
    const first = auditLogger(file);
    const big: Record<string, string> = {};
    for (let i = 0; i < 20; i++) big[`part${i}`] = 'words '.repeat(10_000); // 20 × 60 KB, under every limit
    first.audit('a very large record', big);
    await first.close();
    expect(fs.statSync(file).size).toBeGreaterThan(1024 * 1024);
    const second = auditLogger(file);
    second.audit('after the restart');
    await second.close();
    expect(await verifyAuditChain(file)).toMatchObject({ ok: true, records: 2 });
  });

  it('with auditKey (HMAC), the file verifies only with the key, and a chain recomputed without it fails', async () => {
    const key = 'k-0123456789abcdef';
    const file = newFile();
    const logger = auditLogger(file, { auditKey: key });
    logAudits(logger, 6, 'hmac');
    await logger.close();
    expect(await verifyAuditChain(file, { key })).toMatchObject({ ok: true, records: 6 });
    expect(await verifyAuditChain(file)).toMatchObject({ ok: false, line: 1 });
    expect(await verifyAuditChain(file, { key: `${key}x` })).toMatchObject({ ok: false, line: 1 });

    // A forger edits line 3 and recomputes every hash from there on, as the documented rule says, without the key.
    const lines = fileLines(file);
    let prev = (JSON.parse(lines[1] as string) as { hash: string }).hash;
    for (let i = 2; i < lines.length; i++) {
      const { prevHash: _p, hash: _h, ...rest } = JSON.parse(lines[i] as string) as Record<string, unknown>;
      if (i === 2) rest.message = 'user action 2 by nobody';
      const chained = chainFields(prev, rest);
      lines[i] = JSON.stringify({ ...rest, ...chained });
      prev = chained.hash;
    }
    rewrite(file, lines);
    expect(await verifyAuditChain(file, { key })).toMatchObject({ ok: false, line: 3 });
    // The same forgery of an unkeyed chain would pass: the key is what stops it.
    const plain = newFile();
    const unkeyed = auditLogger(plain);
    logAudits(unkeyed, 6, 'plain');
    await unkeyed.close();
    const forged = fileLines(plain);
    prev = (JSON.parse(forged[1] as string) as { hash: string }).hash;
    for (let i = 2; i < forged.length; i++) {
      const { prevHash: _p, hash: _h, ...rest } = JSON.parse(forged[i] as string) as Record<string, unknown>;
      if (i === 2) rest.message = 'user action 2 by nobody';
      const chained = chainFields(prev, rest);
      forged[i] = JSON.stringify({ ...rest, ...chained });
      prev = chained.hash;
    }
    rewrite(plain, forged);
    expect(await verifyAuditChain(plain)).toMatchObject({ ok: true, records: 6 });
  });

  it('HYDRA_LOG_AUDIT_KEY keys the chain when no auditKey option is given', async () => {
    const file = newFile();
    const logger = auditLogger(file, { env: { HYDRA_LOG_AUDIT_KEY: 'env-key' } });
    logAudits(logger, 3, 'env');
    await logger.close();
    expect(await verifyAuditChain(file, { key: 'env-key' })).toMatchObject({ ok: true, records: 3 });
    expect(await verifyAuditChain(file)).toMatchObject({ ok: false, line: 1 });
  });

  it('a keyed chain continues across a restart with the same key', async () => {
    const file = newFile();
    for (const run of [1, 2]) {
      const logger = auditLogger(file, { auditKey: 'restart-key' });
      logAudits(logger, 3, `run-${run}`);
      await logger.close();
    }
    expect(await verifyAuditChain(file, { key: 'restart-key' })).toMatchObject({ ok: true, records: 6 });
  });
});

describe('security(), audit() and compliance() are on disk when the call returns', () => {
  it('even on buffered destinations with a 1 MiB buffer and a 60 s flush interval', async () => {
    const files = {
      SECURITY: newFile('security'),
      AUDIT: newFile('audit'),
      COMPLIANCE: newFile('compliance'),
    };
    const app = newFile('app');
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: { destinations: [lazy(app)] },
          SECURITY: { destinations: [lazy(files.SECURITY)] },
          AUDIT: { destinations: [lazy(files.AUDIT)] },
          COMPLIANCE: { destinations: [lazy(files.COMPLIANCE)] },
        },
      },
    });
    // The buffering is real: an ordinary record is not on disk yet.
    logger.info('ordinary record');
    expect(fileLines(app)).toEqual([]);

    logger.security('Suspicious activity detected', { ip: '203.0.113.9' });
    expect(fileLines(files.SECURITY)).toHaveLength(1);
    logger.audit('User action logged', { actor: 'bob' });
    expect(fileLines(files.AUDIT)).toHaveLength(1);
    logger.compliance('GDPR compliance check', { subject: 42 });
    expect(fileLines(files.COMPLIANCE)).toHaveLength(1);
    logger.child({ requestId: 'r-1' }).audit('from a child');
    expect(fileLines(files.AUDIT)).toHaveLength(2);

    const levels = Object.values(files).map(
      (f) => (JSON.parse(fileLines(f)[0] as string) as { level: string }).level,
    );
    expect(levels).toEqual(['WARNING', 'INFO', 'INFO']);
    expect(await verifyAuditChain(files.AUDIT)).toMatchObject({ ok: true, records: 2 });
    await logger.close();
    expect(fileLines(app)).toHaveLength(1);
  });

  it('when the security layers share a buffered file with ordinary records, the records buffered before go first', async () => {
    const file = newFile('shared');
    const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [lazy(file)] } } } });
    logger.info('first, buffered');
    logger.warn('second, buffered');
    expect(fileLines(file)).toEqual([]);
    logger.security('third, written with everything before it');
    expect(fileLines(file).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual([
      'first, buffered',
      'second, buffered',
      'third, written with everything before it',
    ]);
    await logger.close();
  });
});
