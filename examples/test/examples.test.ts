import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Every example is compiled (types stripped, hydra-logger left as the built package) and run in a
// fresh process; each one checks its own output and prints `example ok: <name>` at the end.
const root = path.resolve(import.meta.dirname, '..');
const examples = fs.readdirSync(root).filter((f) => /^\d\d-.*\.ts$/.test(f));
const outDir = path.join(root, '.tmp');

describe('examples', () => {
  it('there are examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples)('%s runs and checks its own output', async (file) => {
    const out = path.join(outDir, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [path.join(root, file)],
      outfile: out,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      bundle: true,
      external: ['hydra-logger'],
      logLevel: 'error',
    });
    const r = spawnSync(process.execPath, [out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`example ok: ${file.replace(/^\d\d-|\.ts$/g, '')}`);
  });
});
