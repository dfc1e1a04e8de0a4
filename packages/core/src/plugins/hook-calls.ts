import { fs } from '../internal/builtins.js';
import type { LogRecord } from '../record/record.js';
import { FAILED, type HookRunner } from './plugin-destination.js';
import { describeThrown, PluginError } from './plugin-error.js';
import type { Slot } from './slot.js';
import { type PluginHandler, SLOW_PLUGIN_CALL_MS } from './types.js';

/**
 * How every plugin hook is called: timed, counted, guarded against re-entry, and isolated (a
 * throw is counted and reported once per plugin and hook, and becomes {@link FAILED}).
 */
export class HookCalls {
  /** > 0 while a hook runs: records logged from inside a hook skip the plugin stage. */
  depth = 0;
  readonly #reported = new Set<string>();

  /**
   * `emit` puts an error on the logger's `pluginError` event (`false` when nobody listens);
   * `track` hands every failure to the logger's error tracker.
   */
  constructor(
    readonly emit: (err: PluginError) => boolean,
    readonly track: (plugin: string, hook: string, error: unknown) => void,
  ) {}

  run<T>(slot: Slot, hook: string, fn: () => T): T | typeof FAILED {
    if (slot.active) {
      this.fail(
        slot,
        hook,
        'called again from inside its own hook (a record it logged came back to it); skipped',
      );
      return FAILED;
    }
    slot.active = true;
    this.depth++;
    const t0 = performance.now();
    try {
      return fn();
    } catch (err) {
      this.fail(slot, hook, err);
      return FAILED;
    } finally {
      const ms = performance.now() - t0;
      this.depth--;
      slot.active = false;
      slot.events++;
      slot.timeMs += ms;
      if (ms > slot.maxMs) slot.maxMs = ms;
      if (ms > SLOW_PLUGIN_CALL_MS) slot.slowCalls++;
    }
  }

  /**
   * A tap's `emit` (it runs for every record): guarded and isolated like {@link run}, counted,
   * not timed. A throw loses that line only (counted as an error of the plugin).
   */
  tap(slot: Slot, handler: PluginHandler, line: string, record: LogRecord): void {
    if (slot.active) {
      this.fail(
        slot,
        'emit',
        'called again from inside its own hook (a record it logged came back to it); skipped',
      );
      return;
    }
    slot.active = true;
    this.depth++;
    try {
      handler.emit(line, record);
    } catch (err) {
      this.fail(slot, 'emit', err);
    } finally {
      this.depth--;
      slot.active = false;
      slot.events++;
    }
  }

  /** Runs `fn` as if inside a hook (records it logs skip the plugin stage), untimed. */
  inside<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  /** Counts a hook failure; reports the first one of each plugin and hook (event, else one stderr line). */
  fail(slot: Slot, hook: string, err: unknown): void {
    slot.errors++;
    const message = typeof err === 'string' ? err : `threw: ${describeThrown(err)}`;
    slot.lastError = `${hook}: ${message}`;
    // Every failure is tracked (type `plugin`); the event and stderr line below come once per plugin and hook.
    this.track(slot.name, hook, typeof err === 'string' ? `plugin "${slot.name}" ${hook}() ${err}` : err);
    const key = `${slot.name}\0${hook}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    const e = new PluginError(
      'HYDRA_E_PLUGIN_FAILED',
      slot.name,
      `plugin "${slot.name}" ${hook}() ${message}`,
      {
        hook,
        ...(typeof err !== 'string' && { cause: err }),
      },
    );
    let heard = false;
    try {
      heard = this.emit(e);
    } catch {
      // A throwing listener must not reach the code that logged.
    }
    if (heard) return;
    try {
      fs.writeSync(
        2,
        `hydra-logger: ${e.message}; the record went on; further errors are counted in getPerformanceMetrics().pluginErrors\n`,
      );
    } catch {
      // stderr is gone; the counters still tell.
    }
  }

  /** The calls of one plugin, for the destinations its handlers feed. */
  runner(slot: Slot): HookRunner {
    return {
      call: (hook, fn) => this.run(slot, hook, fn),
      settle: async (hook, result) => {
        if (typeof (result as { then?: unknown })?.then !== 'function') return;
        try {
          await result;
        } catch (err) {
          this.fail(slot, hook, err);
        }
      },
    };
  }
}
