import path from 'node:path';
import type { LogDestination } from '../config/types.js';
import { HydraLoggerError } from '../errors.js';
import { type ColorTarget, shouldColor } from '../formats/colors.js';
import type { FormatOptions, Formatter } from '../formats/formatter.js';
import { createFormatter, type FormatName } from '../formats/index.js';
import { isTerminal } from '../internal/builtins.js';
import { loadWorkerChunk } from '../internal/load-worker.js';
import { type LevelName, levelName, parseLevel } from '../record/levels.js';
import { FdWriter } from '../writers/fd-writer.js';
import { openLogFile } from '../writers/open-file.js';
import {
  DEFAULT_BACKUP_COUNT,
  parseRotateInterval,
  parseSizeLimit,
  type RotationPolicy,
} from '../writers/rotation.js';
import type { DestinationContext } from './context.js';
import type { Destination } from './destination.js';
import { FdDestination, type FdTargetSpec, type QueueWriterFactory } from './fd-destination.js';
import { FsyncWriter } from './fsync-writer.js';
import { MemoryDestination } from './memory.js';
import { NullDestination } from './null.js';
import { StreamDestination } from './stream.js';

export type { DestinationContext } from './context.js';

/** The rotation policy of a file destination, or `undefined` when it names neither `maxSize` nor `rotateInterval`. */
function rotationPolicy(d: LogDestination, id: string): RotationPolicy | undefined {
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
    backupCount: d.backupCount ?? DEFAULT_BACKUP_COUNT,
    compress: d.compress === true,
  };
}

function formatterFor(
  d: LogDestination,
  format: FormatName,
  target: ColorTarget,
  fallbackMode: 'auto' | 'never',
  ctx: DestinationContext,
): Formatter {
  const levelColors: Partial<Record<LevelName, string>> = {};
  for (const [k, v] of Object.entries(d.levelColors ?? {})) levelColors[levelName(parseLevel(k) ?? 0)] = v;
  // Files get colour only when asked for explicitly (`always`), never from a TTY check or FORCE_COLOR.
  const mode = d.type === 'file' && d.colorMode !== 'always' ? 'never' : (d.colorMode ?? fallbackMode);
  const opts: FormatOptions = {
    color: shouldColor(mode, target, ctx.env),
    levelColors,
    ...(d.template !== undefined && { template: d.template }),
    ...(d.dateFormat !== undefined && { dateFormat: d.dateFormat }),
    ...(d.timeFormat !== undefined && { timeFormat: d.timeFormat }),
    ...(d.loggerNameFormat !== undefined && { loggerNameFormat: d.loggerNameFormat }),
    ...(d.messageFormat !== undefined && { messageFormat: d.messageFormat }),
    ...(d.appName !== undefined && { appName: d.appName }),
    ...(d.hostname !== undefined && { hostname: d.hostname }),
    ...(d.facility !== undefined && { facility: d.facility }),
    ...(d.rfc !== undefined && { rfc: d.rfc }),
    // Error stacks on lines of their own only where a person reads them: a terminal. Files and
    // pipes (what collectors read) keep one record per line.
    ...(d.type !== 'file' && format === 'plain-text' && writesToTerminal(target) && { stackLines: true }),
  };
  // Layer colours are one table per pipeline, read only by coloured plain-text: the key names the
  // table by identity, never by its contents (10,000 layers made each key ~200 KB to build).
  const layerColors = opts.color && format === 'plain-text' ? ctx.layerColors : undefined;
  const key = JSON.stringify([format, opts, layerColors === undefined ? 0 : tableId(layerColors)]);
  let f = ctx.formatters.get(key);
  if (f === undefined) {
    f = createFormatter(
      format,
      ctx.layerColors === undefined ? opts : { ...opts, layerColors: ctx.layerColors },
      ctx.plugins,
    );
    ctx.formatters.set(key, f);
  }
  return f;
}

const tableIds = new WeakMap<object, number>();
let nextTableId = 1;
/** A number naming `table` for as long as it lives (formatter cache keys). */
function tableId(table: object): number {
  let id = tableIds.get(table);
  if (id === undefined) {
    id = nextTableId++;
    tableIds.set(table, id);
  }
  return id;
}

/** A console on a TTY, or a stream that says it is one (`isTTY`, as `process.stdout` does). */
function writesToTerminal(target: ColorTarget): boolean {
  return typeof target === 'number'
    ? isTerminal(target)
    : (target as { isTTY?: boolean } | undefined)?.isTTY === true;
}

/** Builds a destination from validated config. Nothing is opened here: files open on the first write. */
export function createDestination(d: LogDestination, ctx: DestinationContext): Destination {
  const minLevel = Math.max(ctx.layerLevel, parseLevel(d.level) ?? 0);
  const id = d.name ?? ctx.id;
  switch (d.type) {
    case 'console': {
      const fd = d.stream === 'stderr' ? 2 : 1;
      const target: ColorTarget = fd;
      const formatter = formatterFor(d, (d.format as FormatName) ?? 'plain-text', target, 'auto', ctx);
      if (ctx.queueWriter !== undefined)
        return queued(ctx, {
          id,
          type: 'console',
          d,
          target: { fd },
          open: () => fd,
          ownsFd: false,
          formatter,
          minLevel,
        });
      const mode = d.mode ?? (isTerminal(fd) ? 'sync' : 'buffered');
      if (mode === 'worker')
        return loadWorkerChunk().createWorkerDestination({
          id,
          type: 'console',
          minLevel,
          formatter,
          target: { fd },
          d,
          ctx,
        });
      const writer = new FdWriter({
        mode,
        bufferSize: d.bufferSize ?? ctx.limits.bufferSize,
        flushInterval: d.flushInterval ?? ctx.limits.flushInterval,
        retries: ctx.limits.writeRetries,
        retryBudgetMs: ctx.limits.writeRetryBudgetMs,
        fs: ctx.fs,
        open: () => fd,
        ownsFd: false,
        header: formatter.header,
        onError: (err) => ctx.report(id, err),
      });
      return new FdDestination(id, 'console', minLevel, formatter, writer);
    }
    case 'file': {
      const file = path.resolve(d.path as string);
      const formatter = formatterFor(d, (d.format as FormatName) ?? 'json', undefined, 'never', ctx);
      const policy = rotationPolicy(d, id);
      if (ctx.queueWriter !== undefined) {
        const open = (): number => openLogFile(ctx.fs, file);
        return queued(ctx, {
          id,
          type: 'file',
          d,
          target: { file },
          open,
          ownsFd: true,
          formatter,
          minLevel,
          policy,
        });
      }
      if (d.mode === 'worker')
        return loadWorkerChunk().createWorkerDestination({
          id,
          type: 'file',
          minLevel,
          formatter,
          target: { file },
          rotation: policy,
          d,
          ctx,
        });
      const writer = new FdWriter({
        mode: d.mode ?? 'buffered',
        bufferSize: d.bufferSize ?? ctx.limits.bufferSize,
        flushInterval: d.flushInterval ?? ctx.limits.flushInterval,
        retries: ctx.limits.writeRetries,
        retryBudgetMs: ctx.limits.writeRetryBudgetMs,
        fs: ctx.fs,
        open: () => openLogFile(ctx.fs, file),
        ownsFd: true,
        file,
        checkInterval: ctx.limits.fileCheckInterval,
        header: formatter.header,
        onError: (err) => ctx.report(id, err),
        rotation: policy === undefined ? undefined : { file, policy },
        now: ctx.now,
      });
      if (d.fsync === true) {
        if (writer.mode !== 'sync')
          throw new HydraLoggerError(
            'HYDRA_E_CONFIG_INVALID',
            `${id}: fsync: true needs mode: 'sync' on HydraLogger (or an AsyncHydraLogger, which fsyncs each batch)`,
          );
        const synced = new FsyncWriter(writer, file, ctx.fs, (err) => ctx.report(id, err));
        return new FdDestination(id, 'file', minLevel, formatter, synced);
      }
      return new FdDestination(id, 'file', minLevel, formatter, writer);
    }
    case 'stream': {
      const target = d.stream as NonNullable<LogDestination['stream']>;
      if (typeof target === 'string')
        throw new HydraLoggerError(
          'HYDRA_E_CONFIG_INVALID',
          `${id}: a stream destination needs a Writable or a function`,
        );
      const formatter = formatterFor(
        d,
        (d.format as FormatName) ?? 'json',
        typeof target === 'function' ? undefined : (target as ColorTarget),
        'auto',
        ctx,
      );
      const bounds = {
        maxBufferedBytes: d.maxBufferedBytes ?? ctx.limits.streamMaxBufferedBytes,
        stallMs: ctx.limits.streamStallMs,
      };
      return new StreamDestination(id, minLevel, formatter, target, ctx.report, bounds, ctx.pendingLine);
    }
    case 'memory': {
      const formatter = formatterFor(d, (d.format as FormatName) ?? 'json', undefined, 'never', ctx);
      return new MemoryDestination(id, minLevel, formatter, d.maxLines ?? ctx.limits.memoryMaxLines);
    }
    case 'null':
      return new NullDestination(id, minLevel);
    default: {
      // A plugin's type (the union has no member for it unless the user's code augments HydraDestinationTypes).
      const other = d as LogDestination;
      const made = ctx.plugins?.destination(other, id, minLevel, () =>
        formatterFor(other, (other.format as FormatName) ?? 'json', undefined, 'never', ctx),
      );
      if (made !== undefined) return made;
      throw new HydraLoggerError(
        'HYDRA_E_DESTINATION_UNKNOWN',
        `${id}: unknown destination type ${JSON.stringify(other.type)}`,
      );
    }
  }
}

/** A console or file destination of an AsyncHydraLogger: its lines go through a lane of the logger's queue. */
function queued(
  ctx: DestinationContext,
  s: Pick<FdTargetSpec, 'id' | 'type' | 'target' | 'open' | 'ownsFd'> & {
    d: LogDestination;
    formatter: Formatter;
    minLevel: number;
    policy?: RotationPolicy | undefined;
  },
): FdDestination {
  const writer = (ctx.queueWriter as QueueWriterFactory)({
    id: s.id,
    type: s.type,
    config: s.d,
    target: s.target,
    open: s.open,
    ownsFd: s.ownsFd,
    header: s.formatter.header,
    rotation: s.policy,
    fs: ctx.fs,
    limits: ctx.limits,
    now: ctx.now,
    report: (err) => ctx.report(s.id, err),
  });
  return new FdDestination(s.id, s.type, s.minLevel, s.formatter, writer);
}
