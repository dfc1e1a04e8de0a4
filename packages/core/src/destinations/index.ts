import type { LogDestination } from '../config/types.js';
import { HydraLoggerError } from '../errors.js';
import { parseLevel } from '../record/levels.js';
import type { DestinationContext } from './context.js';
import type { Destination } from './destination.js';
import { FdDestination, type FdTargetSpec, type QueueWriterFactory } from './fd-destination.js';
import { formatterFor } from './formatter-for.js';
import { destinationType } from './registry.js';
import type { DestinationConfig } from './type.js';

export type { DestinationContext } from './context.js';

/** Builds a destination from validated config. Nothing is opened here: files open on the first write. */
export function createDestination(config: LogDestination, ctx: DestinationContext): Destination {
  const d = config as unknown as DestinationConfig;
  const minLevel = Math.max(ctx.layerLevel, parseLevel(d.level) ?? 0);
  const id = (d.name as string | undefined) ?? ctx.id;
  const type = destinationType(d.type);
  if (type !== undefined) {
    // An AsyncHydraLogger writes every destination that writes a descriptor through a lane of its queue.
    if (ctx.queueWriter !== undefined && type.fdTarget !== undefined) {
      const t = type.fdTarget(d, ctx, id);
      const writer = (ctx.queueWriter as QueueWriterFactory)({
        id,
        type: type.name as FdTargetSpec['type'],
        config,
        target: t.target,
        open: t.open,
        ownsFd: t.ownsFd,
        header: t.formatter.header,
        rotation: t.rotation,
        fs: ctx.fs,
        limits: ctx.limits,
        now: ctx.now,
        report: (err) => ctx.report(id, err),
      });
      return new FdDestination(id, type.name, minLevel, t.formatter, writer);
    }
    return type.create(d, ctx, id, minLevel);
  }
  // A plugin's type (the union has no member for it unless the user's code augments HydraDestinationTypes).
  const colorMode = (d.colorMode as 'never' | undefined) ?? 'never';
  const made = ctx.plugins?.destination(d, id, minLevel, () =>
    formatterFor(d, { format: 'json', colorMode, stackLines: true }, ctx),
  );
  if (made !== undefined) return made;
  throw new HydraLoggerError(
    'HYDRA_E_DESTINATION_UNKNOWN',
    `${id}: unknown destination type ${JSON.stringify(d.type)}`,
  );
}
