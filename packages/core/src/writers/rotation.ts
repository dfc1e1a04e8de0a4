import { nodeRequire, path } from '../internal/builtins.js';
import { type FsPort, nodeFs } from './fs-port.js';

// node:zlib costs ~2.5 ms to load; only a compressing rotation needs it, so it is loaded then.
let zlib: typeof import('node:zlib') | undefined;

/**
 * File rotation for the file destination (docs/rotation.md): parsing of `maxSize` and
 * `rotateInterval`, the per-file bookkeeping that decides when to rotate, and the rotate step
 * itself (shift `app.log.1 … app.log.N`, move `app.log` to `app.log.1`, gzip it).
 * Everything is synchronous so that rotation stays ordered with the writes around it and works
 * inside the process `exit` flush.
 */

/** A size: bytes, or a string like `"500B"`, `"10KB"`, `"5MB"`, `"1GB"` (×1000), `"1KiB"`, `"5MiB"`, `"1GiB"` (×1024). */
export type SizeLimit = number | string;

/** `hourly`, `daily` (local clock), a duration like `"30s"`, `"15m"`, `"2h"`, `"1d"`, or milliseconds. */
export type RotateInterval = 'hourly' | 'daily' | string | number;

/** A parsed {@link RotateInterval}. */
export type Interval = { kind: 'hourly' } | { kind: 'daily' } | { kind: 'every'; ms: number };

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const NUMBER_AND_UNIT = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** Bytes for a {@link SizeLimit} (case-insensitive, optional space: `"5 mb"`), or `undefined` when it is not one. */
export function parseSizeLimit(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = NUMBER_AND_UNIT.exec(v.trim());
  if (m === null) return undefined;
  const unit = SIZE_UNITS[(m[2] as string).toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** The parsed {@link RotateInterval}, or `undefined` when it is not one. */
export function parseRotateInterval(v: unknown): Interval | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? { kind: 'every', ms: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'hourly') return { kind: 'hourly' };
  if (s === 'daily') return { kind: 'daily' };
  const m = NUMBER_AND_UNIT.exec(s);
  if (m === null) return undefined;
  const unit = DURATION_UNITS[m[2] as string];
  if (unit === undefined) return undefined;
  const ms = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(ms) && ms > 0 ? { kind: 'every', ms } : undefined;
}

/**
 * The first rotation boundary after `from` (ms since the epoch): the next local hour or local
 * midnight for `hourly`/`daily` (DST-aware through the local calendar), `from + ms` for a duration.
 */
export function nextBoundary(interval: Interval, from: number): number {
  if (interval.kind === 'every') return from + interval.ms;
  const d = new Date(from);
  if (interval.kind === 'hourly') {
    d.setMinutes(0, 0, 0);
    return d.getTime() + 3_600_000;
  }
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** Backups kept when rotation is configured and `backupCount` is not. */
export const DEFAULT_BACKUP_COUNT = 5;

/** What rotates a file, resolved from the destination config. */
export interface RotationPolicy {
  /** Rotate before a write that would take the file past this many bytes. */
  maxSize?: number | undefined;
  interval?: Interval | undefined;
  /** `app.log.1` … `app.log.N`; 0: no backups, the file is replaced. */
  backupCount: number;
  /** gzip each rotated file (`app.log.1.gz` …). */
  compress: boolean;
}

/** The outcome of one {@link rotateFiles}: whether the current file was moved away, and every error met. */
export interface RotateResult {
  rotated: boolean;
  errors: NodeJS.ErrnoException[];
}

/** Bytes read and compressed at a time: memory stays bounded whatever `maxSize` is. */
const GZIP_CHUNK = 4 * 1024 * 1024;

/** The port's optional rotation calls, bound to it, or node:fs where it has none. */
function rotationCalls(port: FsPort) {
  return {
    rename: (from: string, to: string): void =>
      port.renameSync === undefined ? nodeFs.renameSync(from, to) : port.renameSync(from, to),
    unlink: (p: string): void => (port.unlinkSync === undefined ? nodeFs.unlinkSync(p) : port.unlinkSync(p)),
    readdir: (p: string): string[] =>
      port.readdirSync === undefined ? nodeFs.readdirSync(p) : port.readdirSync(p),
    read: (fd: number, buf: Uint8Array, off: number, len: number, pos: number | null): number =>
      port.readSync === undefined
        ? nodeFs.readSync(fd, buf, off, len, pos)
        : port.readSync(fd, buf, off, len, pos),
  };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * The rotate step. `closeCurrent` closes the writer's descriptor on the current file; it is called
 * after the file was moved away (or, with `backupCount: 0`, removed), so that a failure before that
 * point leaves the writer appending to the same file. Steps, stopping at the first failed rename:
 * remove backups numbered `backupCount` and above, shift `file.i[.gz]` to `file.i+1[.gz]` from the
 * oldest down, move `file` to `file.1`, close, then gzip `file.1` to `file.1.gz` when asked.
 * Never throws.
 */
export function rotateFiles(
  port: FsPort,
  file: string,
  policy: RotationPolicy,
  closeCurrent: () => void,
): RotateResult {
  const errors: NodeJS.ErrnoException[] = [];
  const { rename, unlink, readdir } = rotationCalls(port);
  const n = policy.backupCount;

  if (n === 0) {
    try {
      unlink(file);
    } catch (err) {
      if (!isMissing(err)) return { rotated: false, errors: [err as NodeJS.ErrnoException] };
    }
    closeCurrent();
    return { rotated: true, errors };
  }

  // Existing backups by number (`file.3` and `file.3.gz` may both exist after `compress` changed).
  const dir = path.dirname(file);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}\\.(\\d+)(\\.gz)?$`);
  const backups = new Map<number, string[]>();
  try {
    for (const name of readdir(dir)) {
      const m = pattern.exec(name);
      if (m === null) continue;
      const i = Number(m[1]);
      if (i < 1) continue;
      const suffix = m[2] ?? '';
      const list = backups.get(i);
      if (list === undefined) backups.set(i, [suffix]);
      else list.push(suffix);
    }
  } catch (err) {
    return { rotated: false, errors: [err as NodeJS.ErrnoException] };
  }

  // The oldest kept backup (N) is about to be replaced; anything numbered above N is left over
  // from a larger backupCount. Both go, so that never more than N backups exist.
  for (const [i, suffixes] of backups) {
    if (i < n) continue;
    for (const suffix of suffixes) {
      try {
        unlink(`${file}.${i}${suffix}`);
      } catch (err) {
        // A same-named rename below replaces it anyway; report and go on.
        if (!isMissing(err)) errors.push(err as NodeJS.ErrnoException);
      }
    }
  }
  for (let i = n - 1; i >= 1; i--) {
    for (const suffix of backups.get(i) ?? []) {
      try {
        rename(`${file}.${i}${suffix}`, `${file}.${i + 1}${suffix}`);
      } catch (err) {
        if (isMissing(err)) continue;
        errors.push(err as NodeJS.ErrnoException);
        return { rotated: false, errors };
      }
    }
  }
  const first = `${file}.1`;
  try {
    rename(file, first);
  } catch (err) {
    errors.push(err as NodeJS.ErrnoException);
    return { rotated: false, errors };
  }
  closeCurrent();
  if (policy.compress) {
    const err = gzipFile(port, first, `${first}.gz`);
    if (err !== undefined) errors.push(err);
  }
  return { rotated: true, errors };
}

/**
 * Compresses `src` into `dst` with synchronous gzip, in chunks of {@link GZIP_CHUNK} bytes (one gzip
 * member each; a multi-member file is valid gzip that `gunzip`, `zcat` and node:zlib read whole).
 * Writes `dst.tmp` then renames it, so `dst` is never half written; removes `src` at the end.
 * On failure `src` stays as it was and the error is returned.
 */
export function gzipFile(port: FsPort, src: string, dst: string): NodeJS.ErrnoException | undefined {
  const { read, rename, unlink } = rotationCalls(port);
  const tmp = `${dst}.tmp`;
  let input = -1;
  let output = -1;
  try {
    input = port.openSync(src, 'r');
    output = port.openSync(tmp, 'w', 0o644);
    const chunk = Buffer.allocUnsafe(GZIP_CHUNK);
    for (;;) {
      let filled = 0;
      while (filled < chunk.length) {
        const got = read(input, chunk, filled, chunk.length - filled, null);
        if (got === 0) break;
        filled += got;
      }
      if (filled === 0) break;
      zlib ??= nodeRequire('node:zlib') as typeof import('node:zlib');
      const gz = zlib.gzipSync(chunk.subarray(0, filled));
      for (let off = 0; off < gz.length; ) {
        const wrote = port.writeSync(output, gz, off, gz.length - off);
        if (wrote <= 0) throw Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EIO' });
        off += wrote;
      }
      if (filled < chunk.length) break;
    }
    port.closeSync(output);
    output = -1;
    port.closeSync(input);
    input = -1;
    rename(tmp, dst);
    unlink(src);
    return undefined;
  } catch (err) {
    for (const fd of [input, output]) {
      if (fd < 0) continue;
      try {
        port.closeSync(fd);
      } catch {
        // Already failing; the first error is the one reported.
      }
    }
    try {
      unlink(tmp);
    } catch {
      // Nothing was created, or it cannot be removed either.
    }
    return err as NodeJS.ErrnoException;
  }
}

/**
 * When one file must rotate: the bytes in it against `maxSize`, the clock against the end of the
 * current period. The writer tells it what it opened, wrote and rotated; it keeps no descriptor.
 *
 * A period starts with the first record the writer accepts after a time rotation (or ever), not
 * when the file is opened: in buffered mode a file opens at the first flush, and records accepted
 * before that belong to the period they were logged in.
 */
export class FileRotation {
  readonly policy: RotationPolicy;
  readonly #now: () => number;
  /** Bytes in the current file (as far as this writer knows: what it found at open plus what it wrote). */
  #size = 0;
  /** Rotate before the file would pass this many bytes (`maxSize`, or further after a failed rotation). */
  #limit: number;
  /** End of the current period; `Infinity` until the first record (or without `rotateInterval`). */
  #next = Number.POSITIVE_INFINITY;
  /** The file holds no record yet (empty at open, or only the CSV header). */
  #fresh = true;

  constructor(policy: RotationPolicy, now: () => number) {
    this.policy = policy;
    this.#now = now;
    this.#limit = policy.maxSize ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Called for every record the writer accepts: true when the current period has ended, so the
   * file must rotate before this record. The first record starts a period.
   */
  due(): boolean {
    const interval = this.policy.interval;
    if (interval === undefined) return false;
    if (this.#next === Number.POSITIVE_INFINITY) {
      this.#next = nextBoundary(interval, this.#now());
      return false;
    }
    return this.#now() >= this.#next;
  }

  /** A time rotation was attempted: a new period starts now (for the new file, or for the old one if it failed). */
  startPeriod(): void {
    const interval = this.policy.interval;
    if (interval !== undefined) this.#next = nextBoundary(interval, this.#now());
  }

  /**
   * The writer opened the file and found `size` bytes in it, last modified at `mtimeMs`. Returns
   * true when the file belongs to an earlier hourly/daily period than now (a previous run left it)
   * and must be rotated before anything is written to it.
   */
  opened(size: number, mtimeMs: number | undefined): boolean {
    const { interval, maxSize } = this.policy;
    this.#size = size;
    this.#fresh = size === 0;
    this.#limit = maxSize ?? Number.POSITIVE_INFINITY;
    if (interval === undefined || interval.kind === 'every' || size === 0 || mtimeMs === undefined)
      return false;
    const now = this.#now();
    return mtimeMs < now && nextBoundary(interval, mtimeMs) <= now;
  }

  /** Bytes that reached the file (header, records, a partial write). */
  wrote(bytes: number): void {
    this.#size += bytes;
  }

  /** Records (not only a header) are now in the file. */
  filled(): void {
    this.#fresh = false;
  }

  /** True while the file holds no record: an oversized line is written here rather than rotating again. */
  get fresh(): boolean {
    return this.#fresh;
  }

  /** Bytes that can still be written before a size rotation (may be ≤ 0; `Infinity` without `maxSize`). */
  room(): number {
    return this.#limit - this.#size;
  }

  /** The descriptor was closed (rotated away, or reopened): the next open starts counting again. */
  closed(): void {
    this.#size = 0;
    this.#fresh = true;
  }

  /**
   * After a failed rotation with the file still open: keep appending to it, with another `maxSize`
   * bytes and a new period before the next attempt (so a persistent fault costs one attempt per
   * allowance, not one per record).
   */
  rearm(): void {
    this.#limit = this.#size + (this.policy.maxSize ?? Number.POSITIVE_INFINITY);
    this.startPeriod();
  }
}
