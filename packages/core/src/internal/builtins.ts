import { createRequire } from 'node:module';

/**
 * Node built-ins that only some features need, loaded on first use: every module imported at the
 * top costs every user startup time (benchmark case P7, docs/performance.md), and crypto, readline and stream alone cost
 * several milliseconds. `createRequire` keeps the load synchronous.
 */
const require = createRequire(import.meta.url);

/** One `require` for the whole bundle (each createRequire costs ~0.1 ms at import). */
export const nodeRequire: NodeJS.Require = require;

/**
 * node:fs through `require`, not `import`: Node's ES-module facade of a built-in reads every export,
 * and fs's lazy `ReadStream`/`WriteStream` getters then load the whole streams stack (~2.5 ms).
 */
export const fs = require('node:fs') as typeof import('node:fs');
export const lazyOs = (): typeof import('node:os') => require('node:os') as typeof import('node:os');

export const lazyCrypto = (): typeof import('node:crypto') =>
  require('node:crypto') as typeof import('node:crypto');
export const lazyReadline = (): typeof import('node:readline') =>
  require('node:readline') as typeof import('node:readline');
export const lazyWorkerThreads = (): typeof import('node:worker_threads') =>
  require('node:worker_threads') as typeof import('node:worker_threads');
export const lazyStream = (): typeof import('node:stream') =>
  require('node:stream') as typeof import('node:stream');
export const lazyTty = (): typeof import('node:tty') => require('node:tty') as typeof import('node:tty');

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
