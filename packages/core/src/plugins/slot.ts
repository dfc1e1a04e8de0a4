import { destinationTypes } from '../destinations/registry.js';
import type { Formatter } from '../formats/formatter.js';
import { FORMAT_NAMES } from '../formats/index.js';
import type { PerformanceMetrics } from '../metrics/performance.js';
import type { LogRecord } from '../record/record.js';
import type { HookRunner } from './plugin-destination.js';
import { PluginError } from './plugin-error.js';
import { checkPluginName } from './registry.js';
import { describeRoles, isPluginType, rolesOf } from './roles.js';
import type {
  AnalyticsHooks,
  FormatterHooks,
  HandlerHooks,
  Plugin,
  PluginHandler,
  PluginType,
  SecurityHooks,
} from './types.js';
import { describe } from './verdicts.js';

/** Defaults of `sampleEvery` and `metricsIntervalMs` for performance hooks that do not say. */
export const DEFAULT_SAMPLE_EVERY = 100;
export const DEFAULT_METRICS_INTERVAL_MS = 10_000;

/** One plugin instance on one logger, with its counters. */
export class Slot {
  events = 0;
  errors = 0;
  dropped = 0;
  redactions = 0;
  timeMs = 0;
  maxMs = 0;
  slowCalls = 0;
  lastError: string | undefined;
  /** A hook of this plugin is running (a record it logs must not come back into it). */
  active = false;
  started = false;
  closed = false;
  timer: NodeJS.Timeout | undefined;
  /** Records since its last `onRecord` sample, and whether the current record is sampled. */
  tick = 0;
  due = false;
  /** The formatter the logger uses for its `formatName` (formatter plugins only). */
  formatter: Formatter | undefined;
  /** The handler of a handler plugin's tap (`tap: true`), made when the plugin starts. */
  tapHandler: PluginHandler | undefined;
  runner!: HookRunner;

  constructor(
    readonly name: string,
    readonly plugin: Plugin,
    readonly type: PluginType,
    readonly roles: readonly PluginType[],
    readonly source: 'config' | 'added',
    /** For config plugins: what they were built from, to keep the instance when updateConfig lists it unchanged. */
    readonly spec: string | undefined,
    readonly sampleEvery: number,
    readonly metricsIntervalMs: number,
  ) {}
}

interface PerformanceHooksAll {
  onRecord?(record: LogRecord, durationNs: number): void;
  onMetrics?(metrics: PerformanceMetrics): void;
}
type AllHooks = AnalyticsHooks & FormatterHooks & HandlerHooks & SecurityHooks & PerformanceHooksAll;

/** The plugin of a slot, with every hook optional (the roles say which it has). */
export const hooks = (s: Slot): Partial<AllHooks> => s.plugin as Partial<AllHooks>;

export interface CheckedPlugin {
  plugin: Plugin;
  type: PluginType;
  roles: PluginType[];
  sampleEvery: number;
  metricsIntervalMs: number;
}

/**
 * Checks that `plugin` can go on a logger under `name` next to `peers`: its roles (the base
 * class's, the registered type, or every role it has hooks for), the hooks and names each role
 * needs, names, formats and destination types not taken, performance settings in range.
 * @throws PluginError (`HYDRA_E_PLUGIN_INVALID`)
 */
export function checkPlugin(
  name: string,
  plugin: unknown,
  registeredType: PluginType | undefined,
  peers: readonly Slot[],
): CheckedPlugin {
  checkPluginName(name);
  const invalid = (why: string) =>
    new PluginError('HYDRA_E_PLUGIN_INVALID', name, `plugin "${name}": ${why}`);
  if (typeof plugin !== 'object' || plugin === null)
    throw invalid(`expected a plugin object, got ${describe(plugin)}`);
  const p = plugin as Record<string, unknown>;
  const ctor = p.constructor as { pluginType?: unknown } | undefined;
  const fixed = (isPluginType(ctor?.pluginType) ? ctor.pluginType : undefined) ?? registeredType;
  // A plugin extending a base class (or registered with a type) plays that role; a plain object every role it has hooks for.
  const roles = fixed !== undefined ? [fixed] : rolesOf(p);
  const type = roles[0];
  if (type === undefined) throw invalid(`has no hook of any plugin role (${describeRoles()})`);
  if (peers.some((s) => s.name === name)) throw invalid('the name is already taken on this logger');
  const same = peers.find((s) => s.plugin === plugin);
  if (same !== undefined) throw invalid(`this instance is already on this logger as "${same.name}"`);
  const need = (hook: string) => {
    if (typeof p[hook] !== 'function') throw invalid(`a ${type} plugin needs a ${hook}() method`);
  };
  const taken = (role: PluginType, key: 'formatName' | 'destinationType', value: string) =>
    peers.find(
      (s) => s.roles.includes(role) && (s.plugin as unknown as Record<string, unknown>)[key] === value,
    );
  let sampleEvery = DEFAULT_SAMPLE_EVERY;
  let metricsIntervalMs = DEFAULT_METRICS_INTERVAL_MS;
  for (const role of roles) {
    if (role === 'analytics') need('processEvent');
    if (role === 'security') need('inspect');
    if (role === 'formatter') {
      need('format');
      const f = p.formatName;
      if (typeof f !== 'string' || f === '')
        throw invalid('a formatter plugin needs a formatName (a non-empty string)');
      if ((FORMAT_NAMES as readonly string[]).includes(f)) throw invalid(`format "${f}" is built in`);
      const other = taken('formatter', 'formatName', f);
      if (other !== undefined) throw invalid(`format "${f}" is already provided by plugin "${other.name}"`);
    }
    if (role === 'handler') {
      need('createHandler');
      const t = p.destinationType;
      if (p.tap !== undefined && typeof p.tap !== 'boolean')
        throw invalid(`tap must be true or false, got ${describe(p.tap)}`);
      if (t === undefined && p.tap === true) continue;
      if (typeof t !== 'string' || t === '')
        throw invalid('a handler plugin needs a destinationType (a non-empty string), or tap: true');
      if (destinationTypes().some((d) => d.name === t)) throw invalid(`destination type "${t}" is built in`);
      const other = taken('handler', 'destinationType', t);
      if (other !== undefined)
        throw invalid(`destination type "${t}" is already provided by plugin "${other.name}"`);
    }
    if (role === 'performance') {
      if (typeof p.onRecord !== 'function' && typeof p.onMetrics !== 'function')
        throw invalid('a performance plugin needs onRecord() or onMetrics()');
      sampleEvery = (p.sampleEvery as number | undefined) ?? DEFAULT_SAMPLE_EVERY;
      metricsIntervalMs = (p.metricsIntervalMs as number | undefined) ?? DEFAULT_METRICS_INTERVAL_MS;
      if (!Number.isInteger(sampleEvery) || sampleEvery < 1)
        throw invalid(`sampleEvery must be a positive integer, got ${describe(sampleEvery)}`);
      if (
        typeof metricsIntervalMs !== 'number' ||
        !(metricsIntervalMs >= 0) ||
        !Number.isFinite(metricsIntervalMs)
      )
        throw invalid(`metricsIntervalMs must be a number of ms ≥ 0, got ${describe(metricsIntervalMs)}`);
    }
  }
  return { plugin: plugin as Plugin, type, roles, sampleEvery, metricsIntervalMs };
}
