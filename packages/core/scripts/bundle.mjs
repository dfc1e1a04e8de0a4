// Bundles dist/ (as tsc emitted it) into one ES module, dist/index.js. Node's ESM loader pays per
// module file (resolution, fetch, link); one file halves import time (docs/performance.md, P7).
// tsc's per-file output stays in dist/ for the type declarations and source maps of the sources.
import { build } from 'esbuild';

// The worker thread of `mode: 'worker'` (src/writers/worker/) is a second entry point: a worker
// needs a file of its own, which the bundle finds beside it as new URL('./worker-entry.js', import.meta.url).
await build({
  entryPoints: { index: 'dist/index.js', 'worker-entry': 'dist/writers/worker/worker-entry.js' },
  outdir: 'dist',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Optional parsers stay separate packages, loaded only when a YAML/TOML file is read.
  external: ['yaml', 'smol-toml'],
  legalComments: 'none',
  logLevel: 'warning',
});
