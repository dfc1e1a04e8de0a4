// Bundles dist/ (as tsc emitted it) into the published files:
//   dist/index.js        the core: one ES module. Node's ESM loader pays per module file
//                        (resolution, fetch, link) and V8 per byte compiled, so what every program
//                        imports is one file holding only what a plain logger needs (P7).
//   dist/chunk-<name>.cjs a chunk (src/chunks/<name>.ts): code only some programs use, loaded with
//                        require() on first use through src/internal/load-<name>.ts. CommonJS, because
//                        a logger constructor is synchronous and Node.js before 20.19 cannot require()
//                        an ES module. dist/index.js itself is what require('hydra-logger') loads on
//                        20.19+/22.12+ (it has no top-level await), the same instance as import.
//   dist/worker-entry.js the worker thread of `mode: 'worker'`: a worker needs a file of its own,
//                        which the bundle finds beside it as new URL('./worker-entry.js', import.meta.url).
//   dist/http.js         `hydra-logger/http` (src/http/): an entry of its own, so a program that does
//                        not import it pays nothing for it. It imports the core's public API from
//                        ./index.js (the same module instance as `import 'hydra-logger'`).
// tsc's per-file output stays in dist/ for the type declarations and source maps of the sources.
//
// A chunk must not carry its own copies of core modules (two HydraLoggerError classes would break
// `instanceof`, two level tables could drift): every module that the core bundle already holds is
// replaced, in the chunk, by the core's own module object, which the core hands over while it
// requires the chunk (globalThis[CHUNK_MODULES] during the require() call only).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(PKG, 'dist');
/** src/chunks/<name>.ts, each reached only through src/internal/load-<name>.ts. */
const CHUNKS = ['async', 'worker', 'extras', 'plugins', 'network', 'stream', 'config'];
const LOADER = /[\\/]internal[\\/]load-([a-z]+)\.js$/;
const CHUNK_TABLE = 'hydra-logger:chunk-table';
const CHUNK_MODULES = 'hydra-logger/chunk-modules';
const BUNDLED = '// hydra-logger: bundled by scripts/bundle.mjs';

const common = {
  absWorkingDir: PKG,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Optional parsers stay separate packages, loaded only when a YAML/TOML file is read.
  external: ['yaml', 'smol-toml'],
  legalComments: 'none',
  // Not minified: a stack trace or a crash prints the line it stopped on, and that line must be
  // code a person can read (statements on lines of their own, the names of the sources), not a
  // slice of one 30 KB line. Minifying saved about a third of the core's bytes, ~1 ms of compile
  // time at import; test/bundle/readable.test.ts keeps every line under 500 characters. The source
  // maps beside each file lead back to the TypeScript (\`node --enable-source-maps\`).
  minifyWhitespace: false,
  minifySyntax: false,
  logLevel: 'warning',
};

const key = (file) => path.relative(DIST, file).split(path.sep).join('/');
const loaderName = (name) => `load${name[0].toUpperCase()}${name.slice(1)}Chunk`;

/** The core's table of the modules chunks share, and the one function that requires a chunk. */
function chunkTable(shared) {
  return [
    `import { nodeRequire } from ${JSON.stringify(path.join(DIST, 'internal/builtins.js'))};`,
    ...shared.map((file, i) => `import * as m${i} from ${JSON.stringify(file)};`),
    `const modules = {\n${shared.map((file, i) => `  ${JSON.stringify(key(file))}: m${i},`).join('\n')}\n};`,
    `const KEY = Symbol.for(${JSON.stringify(CHUNK_MODULES)});`,
    'export function loadChunk(file) {',
    '  globalThis[KEY] = modules;',
    '  try {',
    '    return nodeRequire(file);',
    '  } finally {',
    '    delete globalThis[KEY];',
    '  }',
    '}',
  ].join('\n');
}

/** The generated replacement of internal/load-<name>.js. */
const loaderModule = (name) =>
  [
    `import { loadChunk } from ${JSON.stringify(CHUNK_TABLE)};`,
    'let chunk;',
    `export const ${loaderName(name)} = () => (chunk ??= loadChunk('./chunk-${name}.cjs'));`,
  ].join('\n');

/** The core build; `shared` undefined = a dry run that only reports which modules the core holds. */
async function buildCore(shared) {
  const result = await build({
    ...common,
    entryPoints: { index: 'dist/index.js' },
    outdir: 'dist',
    allowOverwrite: true,
    format: 'esm',
    banner: { js: BUNDLED },
    write: shared !== undefined,
    metafile: true,
    plugins: [
      {
        name: 'chunk-loaders',
        setup(b) {
          b.onResolve({ filter: new RegExp(`^${CHUNK_TABLE}$`) }, () => ({
            path: CHUNK_TABLE,
            namespace: 'hydra-chunks',
          }));
          b.onLoad({ filter: /.*/, namespace: 'hydra-chunks' }, () => ({
            contents: chunkTable(shared ?? []),
            resolveDir: DIST,
          }));
          b.onLoad({ filter: LOADER }, (args) => {
            const name = LOADER.exec(args.path)?.[1];
            if (!CHUNKS.includes(name))
              throw new Error(`bundle: ${key(args.path)} loads no chunk listed in CHUNKS`);
            return { contents: loaderModule(name), resolveDir: DIST };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(f));
  return new Set(inputs.filter((f) => f.startsWith(DIST + path.sep)));
}

/** Builds one chunk with every core module replaced by the core's; adds the modules it used to `used`. */
async function buildChunk(name, core, used) {
  const result = await build({
    ...common,
    entryPoints: { [`chunk-${name}`]: `dist/chunks/${name}.js` },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // import.meta does not exist in CommonJS; the chunk sits beside index.js, so its own URL resolves alike.
    define: { 'import.meta.url': '__hydraChunkUrl' },
    banner: {
      js: [
        "'use strict';",
        `const __hydraCore = globalThis[Symbol.for(${JSON.stringify(CHUNK_MODULES)})];`,
        `if (__hydraCore === undefined) throw new Error('hydra-logger: ' + __filename + ' is loaded by hydra-logger itself; import "hydra-logger" instead');`,
        `const __hydraChunkUrl = require('node:url').pathToFileURL(__filename).href;`,
      ].join('\n'),
    },
    plugins: [
      {
        name: 'core-modules',
        setup(b) {
          b.onResolve({ filter: /^\./ }, (args) => {
            const file = path.resolve(args.resolveDir, args.path);
            if (!core.has(file)) return undefined;
            used.add(file);
            return { path: file, namespace: 'hydra-core' };
          });
          b.onLoad({ filter: /.*/, namespace: 'hydra-core' }, (args) => ({
            contents: `module.exports = __hydraCore[${JSON.stringify(key(args.path))}];`,
            loader: 'js',
          }));
        },
      },
    ],
    metafile: true,
  });
  // The modules the chunk carries itself (not the core's).
  return Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('hydra-core:'))
    .map((f) => path.resolve(PKG, f))
    .filter((f) => f.startsWith(DIST + path.sep));
}

/**
 * esbuild writes a class that names itself in its own body as `X = class _X {`, so `X.name`
 * would be '_X' (`logger.constructor.name`, stack traces). Its `keepNames` option fixes that by
 * wrapping every named function too, which costs a defineProperty call each time a closure is
 * created (18 % of a record's time when one was created per record). So only classes get their
 * name back, with a static block on the same line (source maps stay aligned).
 */
function restoreClassNames(file) {
  const text = fs.readFileSync(file, 'utf8');
  const fixed = text.replace(
    /\b(\w+)\s*=\s*class _\1\b([^{\n]*)\{/g,
    (_m, name, heritage) =>
      `${name} = class _${name}${heritage}{ static { Object.defineProperty(this, "name", { value: ${JSON.stringify(name)}, configurable: true }); }`,
  );
  if (fixed !== text) fs.writeFileSync(file, fixed);
}

// The inputs are tsc's per-file output: dist/index.js must not be a bundle of an earlier run.
if (fs.readFileSync(path.join(DIST, 'index.js'), 'utf8').startsWith(BUNDLED))
  throw new Error('bundle: dist/index.js is already a bundle; run tsc first (npm run build does both)');

const core = await buildCore(undefined);
const used = new Set();
const carriedBy = new Map();
for (const name of CHUNKS)
  for (const file of await buildChunk(name, core, used))
    carriedBy.set(file, [...(carriedBy.get(file) ?? []), name]);
// A module in two chunks would exist twice at run time: harmless for stateless code, a bug for a
// registry or a cache of record. So none may: a chunk reaches another chunk's modules through that
// chunk's loader (src/internal/load-<name>.ts), as the async chunk does the worker chunk's sink.
for (const [file, names] of carriedBy)
  if (names.length > 1)
    throw new Error(
      `bundle: ${key(file)} is in chunks ${names.join(' and ')}; reach it through one chunk's loader`,
    );
const coreAfter = await buildCore([...used].sort());
for (const file of coreAfter)
  if (!core.has(file)) throw new Error(`bundle: the chunk table pulled ${key(file)} into the core`);

await build({
  ...common,
  entryPoints: { 'worker-entry': 'dist/writers/worker/worker-entry.js' },
  outdir: 'dist',
  allowOverwrite: true,
  format: 'esm',
});

// hydra-logger/http reaches the core only through its public API: src/http/'s imports of
// '../index.js' stay imports of the core bundle, and the entry carries no other core module than
// the limits tables (constants).
const httpBuild = await build({
  ...common,
  entryPoints: { http: 'dist/http/index.js' },
  outdir: 'dist',
  allowOverwrite: true,
  format: 'esm',
  metafile: true,
  plugins: [
    {
      name: 'core-public-api',
      setup(b) {
        b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
          args.resolveDir === path.join(DIST, 'http') ? { path: './index.js', external: true } : undefined,
        );
      },
    },
  ],
});
for (const f of Object.keys(httpBuild.metafile.inputs)) {
  const file = path.resolve(PKG, f);
  const k = key(file);
  if (
    !file.startsWith(path.join(DIST, 'http') + path.sep) &&
    k !== 'internal/limits.js' &&
    k !== 'internal/shared-sizes.js'
  )
    throw new Error(`bundle: hydra-logger/http carries ${k}; import it from '../index.js'`);
}

// hydra-logger/redact: the redaction rules for browsers (the frontend SDK bundles this file). Built
// for the browser platform, so a Node.js built-in anywhere in its imports fails the build.
const redactBuild = await build({
  ...common,
  platform: 'browser',
  target: 'es2022',
  entryPoints: { redact: 'dist/redact.js' },
  outdir: 'dist',
  allowOverwrite: true,
  format: 'esm',
  metafile: true,
});
for (const f of Object.keys(redactBuild.metafile.inputs)) {
  const k = key(path.resolve(PKG, f));
  if (k !== 'redact.js' && k !== 'internal/shared-sizes.js' && !k.startsWith('security/'))
    throw new Error(`bundle: hydra-logger/redact carries ${k}; it must stay browser-safe`);
}

for (const file of ['index.js', 'worker-entry.js', ...CHUNKS.map((name) => `chunk-${name}.cjs`)])
  restoreClassNames(path.join(DIST, file));
