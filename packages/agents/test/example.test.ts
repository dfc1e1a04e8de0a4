import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('examples/agents.ts', () => {
  it('runs against the built packages and checks its own output', async () => {
    const outDir = join(root, 'examples', '.tmp');
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, 'agents.mjs');
    await build({
      entryPoints: [join(root, 'examples', 'agents.ts')],
      outfile: out,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      bundle: true,
      external: ['hydra-logger', '@hydra-logger/agents'],
      logLevel: 'error',
    });
    const r = spawnSync(process.execPath, [out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('example ok: agents');
    expect(r.stdout).toContain('critic → writer: 4 messages');
  });

  it('docs/agents.md shows the example verbatim', () => {
    const doc = readFileSync(join(root, 'docs', 'agents.md'), 'utf8');
    const src = readFileSync(join(root, 'examples', 'agents.ts'), 'utf8');
    expect(doc).toContain(src.trim());
  });
});
