import { HydraLoggerError } from '../../errors.js';
import {
  createRequireAt,
  fileURLToPath,
  fs,
  lazyCrypto,
  lazyOs,
  path,
  pathToFileURL,
} from '../../internal/builtins.js';

let cached: URL | undefined;

/**
 * The script of the worker thread. Built (dist/): `worker-entry.js` next to this module, which is
 * `dist/worker-entry.js` for the bundle (a second esbuild entry point) and
 * `dist/writers/worker/worker-entry.js` for tsc's per-file output. From the TypeScript sources
 * (tests under vitest) there is only `worker-entry.ts`, which a worker thread cannot load, so it is
 * bundled once per process with esbuild (a devDependency, present wherever the sources are run)
 * into a cached file under the OS temp directory.
 */
export function workerEntryUrl(): URL {
  if (cached !== undefined) return cached;
  const js = new URL('./worker-entry.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(js))) return (cached = js);
  const ts = new URL('./worker-entry.ts', import.meta.url);
  if (fs.existsSync(fileURLToPath(ts))) return (cached = bundleSource(fileURLToPath(ts)));
  throw new HydraLoggerError(
    'HYDRA_E_CONFIG_INVALID',
    `mode 'worker': the worker script ${fileURLToPath(js)} is missing (is the package built?)`,
  );
}

/** The one esbuild call used here (typed locally: esbuild is not a dependency of the package). */
interface EsbuildLike {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
}

function bundleSource(entry: string): URL {
  let esbuild: EsbuildLike;
  try {
    esbuild = createRequireAt(import.meta.url)('esbuild') as EsbuildLike;
  } catch (err) {
    throw new HydraLoggerError(
      'HYDRA_E_CONFIG_INVALID',
      `mode 'worker' from the TypeScript sources needs esbuild to compile ${entry}: ${(err as Error).message}`,
    );
  }
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const text = (out.outputFiles[0] as { text: string }).text;
  const hash = lazyCrypto().createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = path.join(lazyOs().tmpdir(), `hydra-logger-worker-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    // Written beside, then renamed: concurrent test processes never see half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
