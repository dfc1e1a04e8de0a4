import type { LogDestination } from '../config/types.js';
import type { Formatter } from '../formats/formatter.js';
import { PluginDestination } from './plugin-destination.js';
import { describeThrown, PluginError } from './plugin-error.js';
import type { Slot } from './slot.js';
import type { HandlerHooks, PluginHandler } from './types.js';
import { describe } from './verdicts.js';

/**
 * The destination a handler plugin's `createHandler(config)` makes for one config entry.
 * @throws PluginError (`HYDRA_E_PLUGIN_INIT`) when `createHandler` throws, `_INVALID` when it returns no `emit`.
 */
export function handlerDestination(
  slot: Slot,
  d: LogDestination,
  id: string,
  minLevel: number,
  formatter: () => Formatter,
): PluginDestination {
  let handler: unknown;
  try {
    handler = (slot.plugin as HandlerHooks).createHandler(d);
  } catch (err) {
    throw new PluginError(
      'HYDRA_E_PLUGIN_INIT',
      slot.name,
      `plugin "${slot.name}": createHandler() threw for ${id}: ${describeThrown(err)}`,
      { cause: err, hook: 'createHandler' },
    );
  }
  if (typeof (handler as { emit?: unknown })?.emit !== 'function')
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      slot.name,
      `plugin "${slot.name}": createHandler() for ${id} returned ${describe(handler)} without emit(line, record)`,
    );
  return new PluginDestination(
    id,
    d.type,
    minLevel,
    formatter(),
    handler as PluginHandler,
    slot,
    slot.runner,
  );
}
