import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// examples/bridge.mjs runs against the built packages, as a user would run it, and checks itself.
describe('examples/bridge.mjs', () => {
  it('runs: a client gets the records redacted, resumes with its cursor, and the example says ok', () => {
    const file = fileURLToPath(new URL('../../../examples/bridge.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [file], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^dashboard: http:\/\/localhost:\d+\/hydra\//);
    expect(r.stdout).toContain('0 INFO APP user signed in [REDACTED]');
    expect(r.stdout).toContain('2 ERROR APP payment failed');
    expect(r.stdout).toContain('example ok: bridge');
  });
});
