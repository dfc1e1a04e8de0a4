import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

// The README's examples are code a user copies: every ```ts block runs, the YAML block loads, and
// the environment-variable line works. Each runs in its own directory under examples/.tmp.
const root = path.resolve(import.meta.dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1] as string,
  code: m[2] as string,
}));
const ts = blocks.filter((b) => b.lang === 'ts');
const yaml = blocks.find((b) => b.lang === 'yaml');
const envLine = blocks.find((b) => b.lang === 'sh' && /^HYDRA_/.test(b.code))?.code.trim();
const work = path.join(root, 'examples/.tmp/readme');

async function compile(code: string, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'block.ts'), code);
  const out = path.join(dir, 'block.mjs');
  await build({
    entryPoints: [path.join(dir, 'block.ts')],
    outfile: out,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return out;
}

function run(file: string, cwd: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

beforeAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('README examples', () => {
  it('has the blocks this test expects', () => {
    expect(ts.length).toBeGreaterThanOrEqual(5);
    expect(yaml).toBeDefined();
    expect(envLine).toBeDefined();
  });

  it.each(ts.map((b, i) => [i, b.code] as const))('ts block %i runs without error', async (i, code) => {
    const dir = path.join(work, `block-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    // The config-file example reads logging.yaml (and the base.yaml it extends).
    fs.writeFileSync(path.join(dir, 'logging.yaml'), yaml?.code ?? '');
    fs.writeFileSync(path.join(dir, 'base.yaml'), 'layers:\n  DB:\n    level: warning\n');
    const r = run(await compile(code, dir), dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    if (code.includes("path: 'logs/auth.log'")) {
      expect(fs.readFileSync(path.join(dir, 'logs/auth.log'), 'utf8')).toContain('token refreshed');
      expect(fs.readFileSync(path.join(dir, 'logs/db.csv'), 'utf8').split('\n')[0]).toBe(
        'timestamp,level,layer,message,fields',
      );
    }
    if (code.includes("maxSize: '10KB'")) {
      const files = fs.readdirSync(path.join(dir, 'logs')).sort();
      expect(files).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz', 'app.log.3.gz', 'daily.log']);
    }
    if (code.includes('forProduction')) {
      expect(fs.readFileSync(path.join(dir, 'logs/app.log'), 'utf8')).toContain('"message":"started"');
      expect(r.stdout).toContain('production, development');
      expect(r.stdout).toContain('msg="hello from my_app"');
    }
    if (code.includes("config: 'logging.yaml'")) expect(r.stdout).toContain('2');
  });

  it('the environment-variable line works as written', async () => {
    const dir = path.join(work, 'env');
    const app = await compile(ts[0]?.code ?? '', dir);
    const env = Object.fromEntries(
      [...(envLine ?? '').matchAll(/(HYDRA_\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    expect(Object.keys(env)).toContain('HYDRA_LOG_FORMAT');
    const r = run(app, dir, env);
    expect(r.status).toBe(0);
    const first = JSON.parse(r.stdout.split('\n')[0] ?? '');
    expect(first).toMatchObject({ level: 'INFO', layer: 'APP', message: 'Application started' });
  });
});
