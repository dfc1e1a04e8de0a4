import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bench/bridge.mjs --smoke: every case runs briefly and its output is verified (the clients count
// what they get and check offsets); the exit code says whether every verification passed. The
// figures of a smoke run mean nothing and are not checked.
describe('bench/bridge.mjs --smoke', () => {
  it('runs B1–B5 and every verification passes', () => {
    const file = fileURLToPath(new URL('../bridge.mjs', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', file, '--smoke'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toContain('VERIFICATION FAILED');
    expect(r.status).toBe(0);
    for (const id of ['B1', 'B2', 'B3', 'B4', 'B5']) expect(r.stdout).toMatch(new RegExp(`^${id} `, 'm'));
  }, 130_000);
});
