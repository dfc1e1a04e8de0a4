import { type ConfigIssue, ConfigValidationError } from '../errors.js';
import { lazyOs } from '../internal/builtins.js';
import { type ErrorTracker, getDefaultErrorTracker } from '../metrics/error-tracker.js';
import { LEVELS } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import { flushAllWritersSync } from '../writers/exit-flush.js';

/** `captureUncaught` as an object. */
export interface CaptureUncaughtOptions {
  /** Layer of the CRITICAL crash record (default `DEFAULT`). */
  layer?: string;
}

/** `handleSignals` as an object. */
export interface HandleSignalsOptions {
  /**
   * What SIGHUP does after the flush: `exit` (default; code 129 unless the application listens
   * for SIGHUP itself) or `reopen`: close and reopen every file of this logger, for logrotate's
   * move-then-signal; the process keeps running.
   */
  sighup?: 'exit' | 'reopen';
}

/** Process-level behaviour a logger can opt into (docs/errors-and-signals.md). Nothing is installed by default. */
export interface ProcessHookOptions {
  /**
   * Log an uncaught exception or an unhandled rejection as CRITICAL (with its stack), track it
   * (`uncaught_exception` / `unhandled_rejection`), flush every destination synchronously, and
   * leave Node's default outcome alone: the error printed on stderr, exit code 1. Uses
   * `process.on('uncaughtExceptionMonitor')`, which does not change what Node does.
   */
  captureUncaught?: boolean | CaptureUncaughtOptions;
  /**
   * On SIGTERM, SIGINT and SIGHUP: flush every destination synchronously, then exit with
   * 128 + the signal number (143, 130, 129) as Node would, unless the application has its own
   * listener for that signal (then only flush). `{ sighup: 'reopen' }` makes SIGHUP reopen files.
   */
  handleSignals?: boolean | HandleSignalsOptions;
}

/** What the hooks need of a logger core (narrow, so this module does not import logger-core). */
export interface HookTarget {
  log(
    level: number,
    layer: string,
    message: unknown,
    fields: unknown,
    bindings: Fields | undefined,
    skip: Function,
  ): void;
  flushSync(): void;
  reopen(): void;
  readonly errorTracker: ErrorTracker | undefined;
}

export const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
export type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/** Loggers with `captureUncaught`, and the layer of their crash record. */
const crashTargets = new Map<HookTarget, string>();
/** Loggers with `handleSignals`, and what SIGHUP does for them. */
const signalTargets = new Map<HookTarget, 'exit' | 'reopen'>();

/**
 * Checks the options and installs what they ask for. Returns the function that removes this
 * logger's hooks (the process listeners go when the last logger using them closes), or
 * `undefined` when nothing was asked for.
 * @throws ConfigValidationError for a malformed `captureUncaught` or `handleSignals`.
 */
export function installProcessHooks(
  target: HookTarget,
  options: ProcessHookOptions,
): (() => void) | undefined {
  const { crash, signals } = checkOptions(options);
  if (crash === undefined && signals === undefined) return undefined;
  if (crash !== undefined) {
    if (crashTargets.size === 0) process.on('uncaughtExceptionMonitor', onCrash);
    crashTargets.set(target, crash);
  }
  if (signals !== undefined) {
    // First in line: at that moment every application listener (even a `once` one) is still
    // registered, so the "does the application handle it?" check below sees it.
    if (signalTargets.size === 0) for (const s of HANDLED_SIGNALS) process.prependListener(s, onSignal);
    signalTargets.set(target, signals);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (crashTargets.delete(target) && crashTargets.size === 0)
      process.removeListener('uncaughtExceptionMonitor', onCrash);
    if (signalTargets.delete(target) && signalTargets.size === 0)
      for (const s of HANDLED_SIGNALS) process.removeListener(s, onSignal);
  };
}

function checkOptions(options: ProcessHookOptions): {
  crash: string | undefined;
  signals: 'exit' | 'reopen' | undefined;
} {
  const issues: ConfigIssue[] = [];
  let crash: string | undefined;
  let signals: 'exit' | 'reopen' | undefined;
  const cu: unknown = options.captureUncaught;
  if (cu === true) crash = 'DEFAULT';
  else if (typeof cu === 'object' && cu !== null) {
    const layer = (cu as CaptureUncaughtOptions).layer;
    if (layer === undefined) crash = 'DEFAULT';
    else if (typeof layer === 'string' && layer !== '') crash = layer;
    else issues.push({ path: 'captureUncaught.layer', message: `expected a layer name, got ${show(layer)}` });
  } else if (cu !== undefined && cu !== false)
    issues.push({ path: 'captureUncaught', message: `expected a boolean or { layer }, got ${show(cu)}` });
  const hs: unknown = options.handleSignals;
  if (hs === true) signals = 'exit';
  else if (typeof hs === 'object' && hs !== null) {
    const sighup = (hs as HandleSignalsOptions).sighup;
    if (sighup === undefined || sighup === 'exit' || sighup === 'reopen') signals = sighup ?? 'exit';
    else
      issues.push({
        path: 'handleSignals.sighup',
        message: `expected "exit" or "reopen", got ${show(sighup)}`,
      });
  } else if (hs !== undefined && hs !== false)
    issues.push({ path: 'handleSignals', message: `expected a boolean or { sighup }, got ${show(hs)}` });
  if (issues.length > 0) throw new ConfigValidationError(issues, 'constructor options');
  return { crash, signals };
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? 'an object' : String(v);
}

/** Every destination of every logger with a hook, then every buffered writer of every live logger. Never throws. */
function flushEverything(): void {
  for (const t of new Set([...crashTargets.keys(), ...signalTargets.keys()])) {
    try {
      t.flushSync();
    } catch {
      // flushSync never throws; one broken logger must not stop the others.
    }
  }
  flushAllWritersSync();
}

/**
 * `uncaughtExceptionMonitor`: runs before Node reports the error (for unhandled rejections too,
 * which Node raises as uncaught exceptions under its default `--unhandled-rejections=throw`).
 * It only logs and flushes: what happens next (print, exit code 1, or the application's own
 * `uncaughtException` handler) is Node's business.
 */
function onCrash(err: unknown, origin: string): void {
  const rejection = origin === 'unhandledRejection';
  try {
    const what = rejection ? 'Unhandled promise rejection' : 'Uncaught exception';
    const text = err instanceof Error ? err.message : String(err);
    const trackers = new Set<ErrorTracker>();
    for (const [t, layer] of crashTargets) {
      t.log(LEVELS.CRITICAL, layer, `${what}: ${text}`, { err, origin }, undefined, onCrash);
      trackers.add(t.errorTracker ?? getDefaultErrorTracker());
    }
    for (const tracker of trackers)
      tracker.track(rejection ? 'unhandled_rejection' : 'uncaught_exception', err, { origin }, 'critical');
  } catch {
    // Logging the crash must not turn into a second crash.
  }
  flushEverything();
}

/** SIGTERM/SIGINT/SIGHUP: flush; reopen files (SIGHUP with `reopen`); exit as Node would unless the application listens. */
function onSignal(signal: NodeJS.Signals): void {
  flushEverything();
  if (signal === 'SIGHUP') {
    let reopened = false;
    for (const [t, sighup] of signalTargets) {
      if (sighup !== 'reopen') continue;
      reopened = true;
      try {
        t.reopen();
      } catch {
        // reopen never throws (a failed open is reported on the next write).
      }
    }
    if (reopened) return;
  }
  // Our own listener is one of them: more means the application decides what the signal does.
  if (process.listenerCount(signal) > 1) return;
  process.exit(128 + (lazyOs().constants.signals[signal as HandledSignal] ?? 0));
}
