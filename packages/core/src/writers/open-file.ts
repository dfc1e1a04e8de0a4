import { path } from '../internal/builtins.js';
import { type FsPort, nodeFs } from './fs-port.js';

/**
 * Opening a log file for appending, creating its missing parent directories: the one open every
 * writer of a file uses (the FdWriter of `sync`/`buffered`, the worker thread and its crash
 * fallback, the AsyncHydraLogger's file lanes).
 *
 * Parents are created one level at a time, each tried at most twice, so the walk ends whatever the
 * file system answers. (`mkdirSync(dir, { recursive: true })` does not: under `/proc`, `mkdir`
 * answers ENOENT for the missing level and EEXIST for its parent, and Node's recursive walk goes
 * back and forth between the two forever, at 100 % CPU.) Failures throw an error that keeps the
 * code of the call that failed and names the path and the reason; writers catch it, report it once
 * and count the records as dropped (`open_error`).
 */

/** An error of `code` with a message naming what failed; `cause` is the file system's own error. */
function openError(code: string | undefined, message: string, cause?: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message, cause === undefined ? undefined : { cause });
  if (code !== undefined) err.code = code;
  return err;
}

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;
const messageOf = (err: unknown): string => String((err as Error | undefined)?.message ?? err);

/**
 * `stat` through the port, or node:fs when the port has none (a port whose open fails with
 * ENOTDIR is one over a real file system).
 */
function statOf(port: FsPort, p: string): { isDirectory(): boolean } {
  return port.statSync === undefined ? nodeFs.statSync(p) : port.statSync(p);
}

/**
 * An open failed with ENOTDIR: some parent of `file` exists and is not a directory. Finds it,
 * nearest the root first, so the message names the one to fix.
 */
function notADirectory(port: FsPort, file: string, cause: unknown): NodeJS.ErrnoException {
  const parents: string[] = [];
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    parents.push(d);
    if (path.dirname(d) === d) break;
  }
  for (let i = parents.length - 1; i >= 0; i--) {
    const d = parents[i] as string;
    try {
      if (!statOf(port, d).isDirectory())
        return openError(
          'ENOTDIR',
          `cannot open log file ${file}: parent ${d} is a file, not a directory`,
          cause,
        );
    } catch {
      break;
    }
  }
  return openError(codeOf(cause), `cannot open log file ${file}: ${messageOf(cause)}`, cause);
}

/**
 * Creates the missing directories above `file`: walks up, one `mkdir` per level, until a level
 * exists or is created, then creates the levels below it in order. Each level is tried at most
 * twice; the first failure throws ("cannot create directory D for log file F: …").
 */
function createParents(port: FsPort, file: string): void {
  const missing: string[] = [];
  let dir = path.dirname(file);
  for (;;) {
    try {
      port.mkdirSync(dir);
      break;
    } catch (err) {
      const code = codeOf(err);
      if (code === 'EEXIST') break;
      const parent = path.dirname(dir);
      if (code !== 'ENOENT' || parent === dir)
        throw openError(code, `cannot create directory ${dir} for log file ${file}: ${messageOf(err)}`, err);
      missing.push(dir);
      dir = parent;
    }
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    const d = missing[i] as string;
    try {
      port.mkdirSync(d);
    } catch (err) {
      if (codeOf(err) === 'EEXIST') continue; // created meanwhile by someone else
      if (codeOf(err) === 'ENOTDIR') throw notADirectory(port, path.join(d, path.basename(file)), err);
      throw openError(
        codeOf(err),
        `cannot create directory ${d} for log file ${file}: ${messageOf(err)}`,
        err,
      );
    }
  }
}

/**
 * Opens `file` for appending (mode 0644), creating missing parent directories. Returns the
 * descriptor; throws an error naming the path and the reason (with the failing call's `code`).
 * Bounded: a handful of system calls per path level, never a loop.
 */
export function openLogFile(port: FsPort, file: string): number {
  try {
    return port.openSync(file, 'a', 0o644);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOTDIR') throw notADirectory(port, file, err);
    if (code !== 'ENOENT') throw openError(code, `cannot open log file ${file}: ${messageOf(err)}`, err);
  }
  createParents(port, file);
  try {
    return port.openSync(file, 'a', 0o644);
  } catch (err) {
    if (codeOf(err) === 'ENOTDIR') throw notADirectory(port, file, err);
    throw openError(codeOf(err), `cannot open log file ${file}: ${messageOf(err)}`, err);
  }
}
