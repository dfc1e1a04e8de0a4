#!/usr/bin/env node
// Builds the bridge's dashboard (dashboard/ → dist/dashboard/): one ES module bundled by esbuild,
// one stylesheet, the page and its icon. Static files only: nothing is fetched from a CDN.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(pkg, 'dashboard');

/** Builds the dashboard into `outDir` (default: the package's dist/dashboard). */
export async function buildDashboard(outDir = join(pkg, 'dist', 'dashboard')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  await build({
    entryPoints: [join(src, 'src', 'main.ts')],
    outfile: join(outDir, 'assets', 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(src, 'styles.css')],
    outfile: join(outDir, 'assets', 'app.css'),
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(src, 'icon.svg'), join(outDir, 'assets', 'icon.svg'));
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(src, 'index.html')));
  return outDir;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildDashboard(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  console.log(`dashboard built in ${out}`);
}
