import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hydra, tempDir } from './helpers.js';

const { dir, remove } = tempDir('hydra-audit-');
afterAll(remove);
const KEY = 'test-audit-key-0123456789';

/** Writes an audit log with a real logger's audit() records, chained with `key` (or none). */
function writeAudit(file: string, key?: string): void {
  const program = `
    import { HydraLogger } from 'hydra-logger';
    const logger = new HydraLogger({
      config: { layers: { AUDIT: { destinations: [{ type: 'file', path: ${JSON.stringify(file)}, format: 'json' }] } } },
    });
    for (let i = 0; i < 5; i++) logger.audit('user.login', { userId: i, ip: '10.0.0.' + i });
    await logger.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', program], {
    cwd: import.meta.dirname,
    env: cleanEnv(key === undefined ? {} : { HYDRA_LOG_AUDIT_KEY: key }),
  });
}

const plain = path.join(dir, 'audit.log');
const keyed = path.join(dir, 'audit-keyed.log');
beforeAll(() => {
  writeAudit(plain);
  writeAudit(keyed, KEY);
});

describe('hydra verify-audit', () => {
  it('reports an intact chain with its record count and exits 0', async () => {
    const r = await hydra(['verify-audit', plain]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /audit\.log: ok, 5 records chained from the genesis hash \(SHA-256, no key\); last hash [0-9a-f]{64}\n$/,
    );
  });

  it('names the changed record by line number and why, and exits 1', async () => {
    const lines = fs.readFileSync(plain, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace('"userId":2', '"userId":99');
    const tampered = path.join(dir, 'tampered.log');
    fs.writeFileSync(tampered, lines.join('\n'));
    const r = await hydra(['verify-audit', tampered]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${tampered}: chain broken at line 3: hash does not match the record (it was changed)\n`,
    );
  });

  it('names a removed record (the line after the gap)', async () => {
    const lines = fs.readFileSync(plain, 'utf8').split('\n');
    lines.splice(1, 1);
    const removed = path.join(dir, 'removed.log');
    fs.writeFileSync(removed, lines.join('\n'));
    const r = await hydra(['verify-audit', removed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chain broken at line 2: prevHash is not the hash of the previous record');
  });

  it('checks an HMAC chain with --key or HYDRA_LOG_AUDIT_KEY, and fails it with a wrong key', async () => {
    expect((await hydra(['verify-audit', keyed, '--key', KEY])).code).toBe(0);
    const byEnv = await hydra(['verify-audit', keyed], { env: cleanEnv({ HYDRA_LOG_AUDIT_KEY: KEY }) });
    expect(byEnv.code).toBe(0);
    expect(byEnv.stdout).toContain('(HMAC-SHA-256)');
    const wrong = await hydra(['verify-audit', keyed, '--key', 'not-the-key']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('chain broken at line 1: hash does not match');
  });

  it('refuses a --previous-hash that is not a SHA-256 (exit 2)', async () => {
    const r = await hydra(['verify-audit', plain, '--previous-hash', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--previous-hash expects 64 hex digits');
  });
});
