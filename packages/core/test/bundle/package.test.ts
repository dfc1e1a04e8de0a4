import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as npm publishes it: `npm pack` of packages/core (built), the tarball installed
 * offline into a temporary project, then used from CommonJS (`require`), from an ES module
 * (`import`) and from TypeScript with `module: NodeNext` (a .cts and a .mts file, type-checked with
 * the workspace's tsc, then run). One install for the whole file; the package's own dependencies
 * (yaml, smol-toml) are copied from the workspace, so nothing is fetched.
 */
const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '../..');
const root = path.resolve(pkgDir, '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const node = process.execPath;

let tmp: string;
let files: string[];

/** Writes `files` (path → content) under `dir`. */
function write(dir: string, content: Record<string, string>): void {
  for (const [name, text] of Object.entries(content)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** The JSON lines of a log file, without their timestamps. */
const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { timestamp, ...rest } = JSON.parse(l) as Record<string, unknown>;
      expect(typeof timestamp).toBe('string');
      return rest;
    });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-package-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: pkgDir });
  const info = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0];
  if (info === undefined) throw new Error(`npm pack printed no file list: ${packed.stdout}`);
  files = info.files.map((f) => f.path).sort();
  const project = path.join(tmp, 'project');
  for (const dep of ['yaml', 'smol-toml'])
    fs.cpSync(path.join(root, 'node_modules', dep), path.join(project, 'node_modules', dep), {
      recursive: true,
    });
  write(project, {
    'package.json': JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      dependencies: { yaml: '2.9.1', 'smol-toml': '1.9.1' },
    }),
  });
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, info.filename)], {
    cwd: project,
  });
}, 120_000);

afterAll(() => {
  if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the published package', () => {
  it('holds the bundles, their maps, the type declarations, README and LICENSE, and nothing else', () => {
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/worker-entry.js');
    for (const chunk of ['async', 'worker', 'extras', 'plugins'])
      expect(files).toContain(`dist/chunk-${chunk}.cjs`);
    // Code only as bundles at the top of dist/ (tsc's per-file output in dist/*/ is not shipped).
    const other = files.filter(
      (f) =>
        !['LICENSE', 'README.md', 'package.json'].includes(f) &&
        !f.endsWith('.d.ts') &&
        !/^dist\/[\w-]+\.c?js(\.map)?$/.test(f),
    );
    expect(other).toEqual([]);
  });

  it('its README stands alone: no relative links out of the package', () => {
    const readme = fs.readFileSync(path.join(tmp, 'project/node_modules/hydra-logger/README.md'), 'utf8');
    expect(readme).not.toMatch(/\]\(\.\.?\//);
    expect(readme).toMatch(/npm install hydra-logger/);
  });

  it('the README quick starts run as written (ES module and CommonJS)', async () => {
    const readme = fs.readFileSync(path.join(tmp, 'project/node_modules/hydra-logger/README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBe(2);
    const dir = path.join(tmp, 'project/readme');
    for (const [i, code] of blocks.entries()) {
      const file = `quick-${i}.${code.includes('require(') ? 'cjs' : 'mjs'}`;
      write(dir, { [file]: code });
      const r = await run(node, [file], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/INFO/);
    }
    expect(lines(path.join(dir, 'logs/auth.log'))).toEqual([
      { level: 'INFO', layer: 'AUTH', message: 'login', user: 'ada', password: '[REDACTED]' },
    ]);
  });

  it('works from CommonJS: require("hydra-logger"), one module instance shared with import()', async () => {
    const dir = path.join(tmp, 'project/cjs');
    write(dir, {
      'package.json': JSON.stringify({ type: 'commonjs' }),
      'main.js': `
const hydra = require('hydra-logger');
const file = process.argv[2];
const logger = new hydra.HydraLogger({
  config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json', mode: 'sync' }] } } },
});
logger.info('from commonjs', { n: 1 });
logger.layer('DB').warn('a layer');
(async () => {
  // A chunk (the async logger) loads under require too.
  const a = new hydra.AsyncHydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file }] } } } });
  await a.info('async, from commonjs');
  await a.close();
  await logger.close();
  const esm = await import('hydra-logger');
  let caught;
  try { new hydra.HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'jsonn' }] } } } }); } catch (err) { caught = err; }
  console.log(JSON.stringify({
    sameModule: esm.HydraLogger === hydra.HydraLogger && esm.HydraLoggerError === hydra.HydraLoggerError,
    errorIsShared: caught instanceof esm.HydraLoggerError && caught instanceof hydra.ConfigValidationError,
    resolved: require.resolve('hydra-logger'),
  }));
})();
`,
    });
    const log = path.join(dir, 'app.log');
    const r = await run(node, ['main.js', log], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      sameModule: true,
      errorIsShared: true,
      resolved: path.join(fs.realpathSync(tmp), 'project/node_modules/hydra-logger/dist/index.js'),
    });
    expect(lines(log)).toEqual([
      { level: 'INFO', layer: 'DEFAULT', message: 'from commonjs', n: 1 },
      { level: 'WARNING', layer: 'DB', message: 'a layer' },
      { level: 'INFO', layer: 'DEFAULT', message: 'async, from commonjs' },
    ]);
  });

  it('works from an ES module: import … from "hydra-logger"', async () => {
    const dir = path.join(tmp, 'project/esm');
    write(dir, {
      'package.json': JSON.stringify({ type: 'module' }),
      'main.js': `
import { HydraLogger } from 'hydra-logger';
const logger = new HydraLogger({
  config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: process.argv[2], format: 'json' }] } } },
});
logger.info('from esm', { n: 2 });
await logger.close();
`,
    });
    const log = path.join(dir, 'app.log');
    const r = await run(node, ['main.js', log], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(lines(log)).toEqual([{ level: 'INFO', layer: 'DEFAULT', message: 'from esm', n: 2 }]);
  });

  it('type-checks and runs from TypeScript with module NodeNext, in .cts and .mts files', async () => {
    const dir = path.join(tmp, 'project/ts');
    const source = (kind: string) => `
import { HydraLogger, type LogDestination } from 'hydra-logger';
const file: LogDestination = { type: 'file', path: process.argv[2] ?? 'missing.log', format: 'json', mode: 'sync' };
// @ts-expect-error a console destination takes no path: the package's types are in use
const wrong: LogDestination = { type: 'console', path: 'x.log' };
void wrong;
const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [file] } } } });
logger.info('from ${kind}');
void logger.close();
`;
    write(dir, {
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules/@types')],
        },
        include: ['*.cts', '*.mts'],
      }),
      'main.cts': source('cts'),
      'main.mts': source('mts'),
    });
    const checked = await run(node, [tsc, '-p', '.'], { cwd: dir }).catch((err: { stdout: string }) => err);
    expect(checked.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, 'out/main.cjs'), 'utf8')).toContain('require("hydra-logger")');
    for (const [out, kind] of [
      ['main.cjs', 'cts'],
      ['main.mjs', 'mts'],
    ] as const) {
      const log = path.join(dir, `${kind}.log`);
      const r = await run(node, [path.join('out', out), log], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(lines(log)).toEqual([{ level: 'INFO', layer: 'DEFAULT', message: `from ${kind}` }]);
    }
  });
});
