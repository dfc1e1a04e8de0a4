import { fs } from '../internal/builtins.js';

/**
 * The file-system calls a writer makes. Tests pass a port whose calls fail with EAGAIN, ENOSPC,
 * EPIPE … to prove the writer's behaviour under faults without needing a full disk.
 *
 * The optional calls are used only by file rotation (`maxSize`, `rotateInterval`); a port
 * without them gets node:fs for those calls.
 */
export interface FsPort {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: string | Uint8Array, offset?: number, length?: number): number;
  closeSync(fd: number): void;
  /**
   * `mtimeMs` (optional) lets daily/hourly rotation see that an existing file belongs to an earlier
   * period; `dev`, `ino` and `nlink` (optional, with {@link statSync}) let a file writer notice that
   * its file was deleted or replaced (docs/rotation.md).
   */
  fstatSync(fd: number): {
    size: number;
    isFile(): boolean;
    mtimeMs?: number;
    ctimeMs?: number;
    dev?: number;
    ino?: number;
    nlink?: number;
  };
  /** Creates one directory (the writers call it without `recursive`, one level at a time). */
  mkdirSync(path: string, options?: { recursive?: boolean }): unknown;
  /**
   * Optional: the file behind a path. File writers compare it with their descriptor's `fstatSync`
   * to notice a deleted or replaced file; a port without it skips that check. Also names the parent
   * that is not a directory when an open fails with ENOTDIR.
   */
  statSync?(path: string): { isDirectory(): boolean; dev?: number; ino?: number };
  fsyncSync(fd: number): void;
  /** Rotation: moves a file (replacing the target). */
  renameSync?(from: string, to: string): void;
  /** Rotation: removes a backup beyond `backupCount`, or the file itself with `backupCount: 0`. */
  unlinkSync?(path: string): void;
  /** Rotation: the names in a directory (to find existing backups). */
  readdirSync?(path: string): string[];
  /** Rotation with `compress`: reads the rotated file in chunks. */
  readSync?(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
}

export const nodeFs: Required<FsPort> = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, data, offset, length) =>
    typeof data === 'string' ? fs.writeSync(fd, data) : fs.writeSync(fd, data, offset, length),
  closeSync: (fd) => fs.closeSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  mkdirSync: (p, o) => fs.mkdirSync(p, o),
  statSync: (p) => fs.statSync(p),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (p) => fs.unlinkSync(p),
  readdirSync: (p) => fs.readdirSync(p),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
};
