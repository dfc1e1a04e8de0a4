/**
 * Node built-ins, taken with `process.getBuiltinModule` (Node.js ≥ 20.16): an `import` of a
 * built-in makes the ES-module loader build a facade module that reads every export (node:fs's
 * lazy `ReadStream`/`WriteStream` getters then load the whole streams stack, ~2.5 ms), and the
 * facades of node:path, node:url, node:events, node:async_hooks and node:module together cost
 * about 1 ms of every program's startup (benchmark case P7, docs/performance.md). Built-ins that
 * only some features need are taken on first use (crypto, readline and stream alone cost several
 * milliseconds).
 */
const builtin = process.getBuiltinModule;

export const fs = builtin('node:fs');
export const path = builtin('node:path');
export const { fileURLToPath, pathToFileURL } = builtin('node:url');
export const { EventEmitter } = builtin('node:events');
export const { AsyncLocalStorage } = builtin('node:async_hooks');

/** A `require` that resolves from `file` (a path or file URL), as `module.createRequire`. */
export const createRequireAt = (file: string | URL): NodeJS.Require =>
  builtin('node:module').createRequire(file);

let require: NodeJS.Require | undefined;
/** One `require` for the whole bundle, made on first use (createRequire loads node:module). */
const bundleRequire = (): NodeJS.Require => (require ??= createRequireAt(import.meta.url));

/** `require()` beside this bundle: chunks, optional packages (yaml, smol-toml, OpenTelemetry). */
export const nodeRequire = (id: string): unknown => bundleRequire()(id);
/** `require.resolve()` beside this bundle. */
export const nodeResolve = (id: string): string => bundleRequire().resolve(id);

export const lazyOs = (): typeof import('node:os') => builtin('node:os');
export const lazyCrypto = (): typeof import('node:crypto') => builtin('node:crypto');
export const lazyReadline = (): typeof import('node:readline') => builtin('node:readline');
export const lazyWorkerThreads = (): typeof import('node:worker_threads') => builtin('node:worker_threads');
export const lazyStream = (): typeof import('node:stream') => builtin('node:stream');
export const lazyTty = (): typeof import('node:tty') => builtin('node:tty');

/**
 * `tty.isatty(fd)` without loading node:tty (which loads net and stream, ~2.5 ms) for the common
 * case of a descriptor that is a pipe, a regular file or a socket: only a character device can be
 * a terminal, so only then is node:tty asked. A closed or invalid descriptor is not a terminal.
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    // Linux: major 1 is /dev/null, /dev/zero, /dev/full… (memory devices), never a terminal.
    if (process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === 1) return false;
  } catch {
    return false;
  }
  return lazyTty().isatty(fd);
}
