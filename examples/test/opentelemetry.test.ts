import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// examples/opentelemetry.ts (shown in docs/opentelemetry.md) runs as a user runs it: types stripped,
// every import (hydra-logger and the OpenTelemetry packages) resolved from node_modules, not bundled.
const root = path.resolve(import.meta.dirname, '..');

it('examples/opentelemetry.ts runs and checks its own output', async () => {
  const out = path.join(root, '.tmp', 'opentelemetry.mjs');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'opentelemetry.ts')],
    outfile: out,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  const r = spawnSync(process.execPath, [out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('example ok: opentelemetry');
});
