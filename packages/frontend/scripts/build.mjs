// Builds dist/index.js (ESM) and dist/hydra-frontend.iife.js (script tag, globalThis.HydraFrontend),
// both with `hydra-logger/redact` bundled in (zero runtime dependencies), and prints the script-tag
// build's size, minified and gzipped (at most 12 KB; test/size.test.ts checks it too).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIZE_LIMIT = 12 * 1024;

export async function buildFrontend(outdir = path.join(PKG, 'dist')) {
  const common = {
    absWorkingDir: PKG,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    // hydra-logger/redact, from the core's sources: the very module the core's sanitizer is made
    // of (bundled in, so the SDK has no runtime dependency).
    alias: { 'hydra-logger/redact': path.join(PKG, '..', 'core', 'src', 'redact.ts') },
  };
  await build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir, format: 'esm' });
  const iife = await build({
    ...common,
    entryPoints: { 'hydra-frontend.iife': 'src/iife.ts' },
    outdir,
    format: 'iife',
    minify: true,
    write: true,
    metafile: true,
  });
  const out = path.join(outdir, 'hydra-frontend.iife.js');
  const fs = await import('node:fs');
  const bytes = fs.readFileSync(out);
  const gz = gzipSync(bytes, { level: 9 }).length;
  return { file: out, min: bytes.length, gzip: gz, inputs: Object.keys(iife.metafile.inputs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildFrontend();
  console.log(
    `@hydra-logger/frontend: hydra-frontend.iife.js ${(r.min / 1024).toFixed(1)} KB minified, ${(r.gzip / 1024).toFixed(2)} KB min+gzip (limit ${SIZE_LIMIT / 1024} KB)`,
  );
  if (r.gzip > SIZE_LIMIT) {
    console.error('@hydra-logger/frontend: the script-tag build is over its size limit');
    process.exit(1);
  }
}
