import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

// examples/ship-http.mjs (shown in the README) runs as a user runs it, against the built package.
it('examples/ship-http.mjs ships three records to its local intake and prints them', () => {
  const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '..', 'ship-http.mjs')], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('the intake received 3 records:');
  expect(r.stdout).toMatch(/INFO \[DEFAULT\] service started/);
  expect(r.stdout).toMatch(/WARNING \[DB\] slow query/);
  expect(r.stdout).toMatch(/ERROR \[DEFAULT\] payment failed/);
  expect(r.stdout).toContain('delivered 3 of 3, pending 0, health UP');
});
