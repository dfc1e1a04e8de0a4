import type { Checker } from '../config/checker.js';
import { show } from '../config/checker.js';
import type { DestinationWriting, FileSettings, LogDestination } from '../config/types.js';
import { HydraLoggerError } from '../errors.js';
import { path } from '../internal/builtins.js';
import { loadWorkerChunk } from '../internal/load-worker.js';
import { FdWriter } from '../writers/fd-writer.js';
import { openLogFile } from '../writers/open-file.js';
import {
  DEFAULT_BACKUP_COUNT,
  parseRotateInterval,
  parseSizeLimit,
  type RotationPolicy,
} from '../writers/rotation.js';
import type { DestinationContext } from './context.js';
import { FdDestination } from './fd-destination.js';
import { fdWriterOptions, WRITING_OPTIONS } from './fd-options.js';
import { formatterFor } from './formatter-for.js';
import { FsyncWriter } from './fsync-writer.js';
import type { DestinationConfig, DestinationType, FdTarget, OptionCheck } from './type.js';

/** The options of `{ type: 'file', path }`: the path, rotation, durability, and how it is written. */
export interface FileOptions extends DestinationWriting, FileSettings {}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    file: FileOptions;
  }
}

const bool: OptionCheck = (v, at, c) => {
  if (v !== undefined && typeof v !== 'boolean') c.fail(at, `expected true or false, got ${show(v)}`);
};
const rotates: OptionCheck = (_v, at, c, d) =>
  c.fail(at, `only "file" destinations rotate, this one is ${show(d.type)}`);

/** `{ type: 'file', path }`: a file, opened on the first write, rotated if asked (docs/rotation.md). */
export const fileType: DestinationType = {
  name: 'file',
  options: {
    path: (v, at, c) => {
      if (typeof v !== 'string' || v === '') c.fail(at, `expected a file path, got ${show(v)}`);
    },
    ...WRITING_OPTIONS,
    maxSize: (v, at, c) => {
      if (v !== undefined && parseSizeLimit(v) === undefined)
        c.fail(at, `expected a size like "5MB", "10KiB" or a number of bytes, got ${show(v)}`);
    },
    rotateInterval: (v, at, c) => {
      if (v !== undefined && parseRotateInterval(v) === undefined)
        c.fail(
          at,
          `expected "hourly", "daily", a duration like "30s", "15m", "2h", "1d" or a number of ms, got ${show(v)}`,
        );
    },
    backupCount: (v, at, c) => {
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0))
        c.fail(at, `expected an integer ≥ 0 (backups kept), got ${show(v)}`);
    },
    compress: bool,
    fsync: bool,
  },
  check(d: Record<string, unknown>, p: string, c: Checker) {
    if (d.maxSize === undefined && d.rotateInterval === undefined)
      for (const k of ['backupCount', 'compress'].filter((k) => d[k] !== undefined))
        c.fail(`${p}.${k}`, 'takes effect only with maxSize or rotateInterval, and neither is set');
    if (d.fsync === true && d.mode === 'worker')
      c.fail(`${p}.fsync`, `not available with mode "worker" (use mode "sync", or an AsyncHydraLogger)`);
  },
  elsewhere: {
    path: (_v, at, c) => c.fail(at, `only "file" destinations take a path`),
    maxSize: rotates,
    backupCount: rotates,
    rotateInterval: rotates,
    compress: rotates,
    fsync: (v, at, c, d) => {
      bool(v, at, c, d);
      if (v === true) c.fail(at, `only "file" destinations can be fsynced, this one is ${show(d.type)}`);
    },
  },
  fdTarget: (d, ctx, id) => fileTarget(d, ctx, id),
  create(d, ctx, id, minLevel) {
    const { target, formatter, rotation, open } = fileTarget(d, ctx, id);
    const file = (target as { file: string }).file;
    if (d.mode === 'worker')
      return loadWorkerChunk().createWorkerDestination({
        id,
        type: 'file',
        minLevel,
        formatter,
        target: { file },
        rotation,
        d: d as LogDestination,
        ctx,
      });
    const writer = new FdWriter({
      ...fdWriterOptions(d, ctx, id),
      mode: (d.mode as 'sync' | 'buffered' | undefined) ?? 'buffered',
      open,
      ownsFd: true,
      file,
      checkInterval: ctx.limits.fileCheckInterval,
      header: formatter.header,
      rotation: rotation === undefined ? undefined : { file, policy: rotation },
      now: ctx.now,
    });
    if (d.fsync !== true) return new FdDestination(id, 'file', minLevel, formatter, writer);
    if (writer.mode !== 'sync')
      throw new HydraLoggerError(
        'HYDRA_E_CONFIG_INVALID',
        `${id}: fsync: true needs mode: 'sync' on HydraLogger (or an AsyncHydraLogger, which fsyncs each batch)`,
      );
    const synced = new FsyncWriter(writer, file, ctx.fs, (err) => ctx.report(id, err));
    return new FdDestination(id, 'file', minLevel, formatter, synced);
  },
};

/** The rotation policy of a file destination, or `undefined` when it names neither `maxSize` nor `rotateInterval`. */
function rotationPolicy(d: DestinationConfig, id: string): RotationPolicy | undefined {
  if (d.maxSize === undefined && d.rotateInterval === undefined) return undefined;
  const maxSize = d.maxSize === undefined ? undefined : parseSizeLimit(d.maxSize);
  const interval = d.rotateInterval === undefined ? undefined : parseRotateInterval(d.rotateInterval);
  // validateConfig has checked these; a destination built without it still fails clearly.
  if (
    (d.maxSize !== undefined && maxSize === undefined) ||
    (d.rotateInterval !== undefined && interval === undefined)
  )
    throw new HydraLoggerError(
      'HYDRA_E_CONFIG_INVALID',
      `${id}: invalid maxSize ${JSON.stringify(d.maxSize)} or rotateInterval ${JSON.stringify(d.rotateInterval)}`,
    );
  return {
    maxSize,
    interval,
    backupCount: (d.backupCount as number | undefined) ?? DEFAULT_BACKUP_COUNT,
    compress: d.compress === true,
  };
}

/** The descriptor it writes and its formatter (also what an AsyncHydraLogger's queue lane writes). */
function fileTarget(d: DestinationConfig, ctx: DestinationContext, id: string): FdTarget {
  const file = path.resolve(d.path as string);
  const colorMode = d.colorMode === 'always' ? 'always' : 'never';
  const formatter = formatterFor(d, { format: 'json', colorMode, stackLines: false }, ctx);
  return {
    target: { file },
    open: () => openLogFile(ctx.fs, file),
    ownsFd: true,
    formatter,
    rotation: rotationPolicy(d, id),
  };
}
