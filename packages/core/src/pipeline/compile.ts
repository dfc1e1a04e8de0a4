import type { LogDestination, LoggingConfig } from '../config/types.js';
import type { Destination } from '../destinations/destination.js';
import { createDestination, type DestinationContext } from '../destinations/index.js';
import type { Formatter } from '../formats/formatter.js';
import { NO_TAPS, type TapList } from '../plugins/taps.js';
import { LEVEL_OFF, LEVELS, parseLevel } from '../record/levels.js';

/** The layer every record without one, or with an undeclared one, is routed to. */
export const DEFAULT_LAYER = 'DEFAULT';

/** One layer's compiled route: its gate and its destinations (grouped by formatter). */
export interface Route {
  readonly layer: string;
  /** Lowest level any of its destinations accepts; below it a call does nothing. */
  readonly minLevel: number;
  readonly destinations: readonly Destination[];
  /** The logger's taps (one object for every route of every pipeline of the logger). */
  readonly taps: TapList;
}

/** The compiled configuration. The hot path reads only this, never the config. */
export interface Pipeline {
  readonly routes: ReadonlyMap<string, Route>;
  readonly defaultRoute: Route;
  /** Lowest level any route accepts: a log method below it is a shared no-op. */
  readonly minLevel: number;
  readonly destinations: readonly Destination[];
}

/** The zero-config destination: stdout, colour auto, in the config's console format. */
const DEFAULT_DESTINATIONS: readonly LogDestination[] = [{ type: 'console' }];

type FormattingDefaults = Pick<
  LogDestination,
  'dateFormat' | 'timeFormat' | 'loggerNameFormat' | 'messageFormat' | 'levelColors'
>;

/** The top-level formatting keys that apply to every destination that does not set its own. */
function destinationDefaults(cfg: LoggingConfig): FormattingDefaults {
  const out: FormattingDefaults = {};
  if (cfg.dateFormat !== undefined) out.dateFormat = cfg.dateFormat;
  if (cfg.timeFormat !== undefined) out.timeFormat = cfg.timeFormat;
  if (cfg.loggerNameFormat !== undefined) out.loggerNameFormat = cfg.loggerNameFormat;
  if (cfg.messageFormat !== undefined) out.messageFormat = cfg.messageFormat;
  if (cfg.levelColors !== undefined) out.levelColors = cfg.levelColors;
  return out;
}

function withDefaults(
  d: LogDestination,
  defaults: FormattingDefaults,
  consoleFormat: string,
): LogDestination {
  const out: LogDestination = { ...defaults, ...d };
  if (defaults.levelColors !== undefined && d.levelColors !== undefined)
    out.levelColors = { ...defaults.levelColors, ...d.levelColors };
  if (out.format === undefined && out.type === 'console')
    out.format = consoleFormat as NonNullable<LogDestination['format']>;
  return out;
}

/**
 * Compiles a validated configuration into a pipeline. Creates destinations (nothing is opened:
 * files open on their first write). `DEFAULT` is added when the config lacks it.
 */
export function compilePipeline(
  cfg: LoggingConfig,
  ctx: Omit<DestinationContext, 'id' | 'layerLevel' | 'formatters'>,
): Pipeline {
  const defaultLevel = parseLevel(cfg.defaultLevel) ?? LEVELS.INFO;
  const consoleFormat = cfg.consoleFormat ?? 'plain-text';
  const layers = { ...cfg.layers };
  if (!Object.hasOwn(layers, DEFAULT_LAYER)) layers[DEFAULT_LAYER] = {};
  const formatters = new Map<string, Formatter>();
  const layerColors: Record<string, string> = {};
  for (const [name, layer] of Object.entries(layers))
    if (layer.color !== undefined) layerColors[name] = layer.color;
  const defaults = destinationDefaults(cfg);
  const routes = new Map<string, Route>();
  const all: Destination[] = [];
  // The plugin host's taps (a logger's `plugins`); a pipeline compiled without one has none.
  const taps = (ctx.plugins as { taps?: TapList } | undefined)?.taps ?? NO_TAPS;
  let minLevel = LEVEL_OFF;
  for (const [name, layer] of Object.entries(layers)) {
    const layerLevel = layer.enabled === false ? LEVEL_OFF : (parseLevel(layer.level) ?? defaultLevel);
    const configs = layer.destinations ?? DEFAULT_DESTINATIONS;
    const dests = configs.map((d, i) =>
      createDestination(withDefaults(d, defaults, consoleFormat), {
        ...ctx,
        id: `${name}[${i}]:${d.type}`,
        layerLevel,
        formatters,
        layerColors,
      }),
    );
    // Destinations sharing a formatter sit next to each other: the record is formatted once for them.
    const order = [...new Set(dests.map((d) => d.formatter))];
    dests.sort((a, b) => order.indexOf(a.formatter) - order.indexOf(b.formatter));
    // Loops, not `Math.min(...list)` / `push(...list)`: a spread passes every item as an argument
    // on the stack, and a large config overflowed it (RangeError).
    let routeLevel = LEVEL_OFF;
    for (const d of dests) {
      all.push(d);
      if (d.minLevel < routeLevel) routeLevel = d.minLevel;
    }
    routes.set(name, { layer: name, minLevel: routeLevel, destinations: dests, taps });
    if (routeLevel < minLevel) minLevel = routeLevel;
  }
  const defaultRoute = routes.get(DEFAULT_LAYER) as Route;
  return { routes, defaultRoute, minLevel, destinations: all };
}
