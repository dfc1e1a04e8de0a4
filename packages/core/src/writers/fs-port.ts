import fs from 'node:fs';

/**
 * The file-system calls a writer makes. Tests pass a port whose calls fail with EAGAIN, ENOSPC,
 * EPIPE … to prove the writer's behaviour under faults without needing a full disk.
 */
export interface FsPort {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: string | Uint8Array, offset?: number, length?: number): number;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number; isFile(): boolean };
  mkdirSync(path: string, options: { recursive: true }): unknown;
  fsyncSync(fd: number): void;
}

export const nodeFs: FsPort = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, data, offset, length) =>
    typeof data === 'string' ? fs.writeSync(fd, data) : fs.writeSync(fd, data, offset, length),
  closeSync: (fd) => fs.closeSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  mkdirSync: (p, o) => fs.mkdirSync(p, o),
  fsyncSync: (fd) => fs.fsyncSync(fd),
};
