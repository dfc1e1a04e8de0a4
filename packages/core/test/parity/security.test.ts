import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/index.js';
import { fileLines, jsonLines, LOGGERS, makeTempDir, memoryRecords, only, removeDir } from './loggers.js';

// Redaction, threat detection, security()/audit()/compliance() and the audit chain.

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

/** A buffered file that nothing would flush for a minute: only a synchronous write gets a line out. */
const lazyFile = (file: string) =>
  ({ type: 'file', path: file, format: 'json', bufferSize: 1 << 20, flushInterval: 60_000 }) as const;

describe.each(LOGGERS)('$name: redaction', (kind) => {
  it('redacts sensitive keys (any case, nested, arrays) and PII in text, without touching the caller’s object', async () => {
    const file = path.join(dir, 'redact.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    const fields = {
      email: 'user@example.com',
      PassWord: 'secret123',
      nested: { api_key: 'k-1', list: [{ token: 't-1' }] },
      note: 'card 4111 1111 1111 1111, call 555-123-4567',
    };
    const before = structuredClone(fields);
    await logger.info('AUTH', 'Login attempt by user@example.com', fields);
    await logger.flush();
    const text = fs.readFileSync(file, 'utf8');
    for (const secret of ['user@example.com', 'secret123', 'k-1', 't-1', '4111 1111 1111 1111'])
      expect(text).not.toContain(secret);
    const r = jsonLines(file)[0] as Record<string, unknown>;
    expect(r.message).toBe('Login attempt by [REDACTED_EMAIL]');
    expect(r.PassWord).toBe('[REDACTED]');
    expect(r.nested).toEqual({ api_key: '[REDACTED]', list: [{ token: '[REDACTED]' }] });
    expect(fields).toEqual(before);
    expect(logger.getPerformanceMetrics().redactions).toBeGreaterThanOrEqual(5);
    await logger.close();
  });

  it('a custom pattern added to logger.sanitizer applies to the next record', async () => {
    const logger = kind.create({ config: only({ type: 'memory', format: 'json' }) });
    logger.sanitizer.addPattern('order_id', /ORD-\d+/g, '[ORDER]');
    await logger.info('shipped ORD-12345');
    expect(memoryRecords(logger)[0]?.message).toBe('shipped [ORDER]');
    await logger.close();
  });

  it('enableSanitization: false writes fields as given', async () => {
    const logger = kind.create({
      enableSanitization: false,
      config: only({ type: 'memory', format: 'json' }),
    });
    await logger.info('raw', { password: 'p' });
    expect(memoryRecords(logger)[0]?.password).toBe('p');
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: threat detection', (kind) => {
  it('tags an injection payload with its type and severity, and counts it', async () => {
    const logger = kind.create({ enableSecurity: true, config: only({ type: 'memory', format: 'json' }) });
    await logger.info('login', { user: "admin' OR 1=1 --" });
    expect(memoryRecords(logger)[0]?.threats).toEqual([{ type: 'sql_injection', severity: 'critical' }]);
    expect(logger.getPerformanceMetrics().securityEvents).toBe(1);
    await logger.close();
  });

  it('threatPolicy block drops the record, counted', async () => {
    const logger = kind.create({
      enableSecurity: true,
      threatPolicy: 'block',
      config: only({ type: 'memory', format: 'json' }),
    });
    await logger.info('search', { q: '<script>alert(1)</script>' });
    await logger.info('fine');
    expect(memoryRecords(logger).map((r) => r.message)).toEqual(['fine']);
    expect(logger.getPerformanceMetrics().threatsBlocked).toBe(1);
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: security(), audit(), compliance() and ERROR', (kind) => {
  it('go to their layers at their levels, redacted, on disk when the call returns (a buffered file)', () => {
    const files = { DEFAULT: 'default', SECURITY: 'security', AUDIT: 'audit', COMPLIANCE: 'compliance' };
    const layers: Record<string, { destinations: ReturnType<typeof lazyFile>[] }> = {};
    for (const [layer, name] of Object.entries(files))
      layers[layer] = { destinations: [lazyFile(path.join(dir, `${name}.log`))] };
    const logger = kind.create({ config: { layers } });
    // Not awaited: the lines must be there when the call returns.
    void logger.security('Suspicious activity detected', { password: 'x' });
    void logger.audit('User action logged', { actor: 7 });
    void logger.compliance('GDPR compliance check');
    void logger.info('buffered, not yet written');
    void logger.error('DB', 'failed, written with what came before');
    const at = (n: string) => jsonLines(path.join(dir, `${n}.log`));
    expect(at('security')).toEqual([
      expect.objectContaining({ level: 'WARNING', layer: 'SECURITY', password: '[REDACTED]' }),
    ]);
    expect(at('audit')).toEqual([expect.objectContaining({ level: 'INFO', layer: 'AUDIT', actor: 7 })]);
    expect(at('compliance')).toEqual([expect.objectContaining({ level: 'INFO', layer: 'COMPLIANCE' })]);
    expect(at('default').map((r) => r.message)).toEqual([
      'buffered, not yet written',
      'failed, written with what came before',
    ]);
    return logger.close();
  });

  it('audit records form a hash chain that verifyAuditChain accepts, and a changed line breaks it', async () => {
    const file = path.join(dir, 'audit-chain.log');
    const logger = kind.create({
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'memory' }] },
          AUDIT: { destinations: [{ type: 'file', path: file, format: 'json' }] },
        },
      },
    });
    for (let i = 0; i < 5; i++) await logger.audit('action', { i, actor: { email: 'a@example.com' } });
    await logger.close();
    expect(await verifyAuditChain(file)).toMatchObject({ ok: true });
    const lines = fileLines(file);
    lines[2] = (lines[2] as string).replace('"i":2', '"i":9');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await verifyAuditChain(file)).toMatchObject({ ok: false, line: 3 });
  });
});
