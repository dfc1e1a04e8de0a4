import { fs, path } from '../internal/builtins.js';
import { DEFAULT_LIMITS } from '../internal/limits.js';
import { Normalizer } from '../record/normalize.js';
import type { Fields } from '../record/record.js';
import { DataSanitizer } from '../security/data-sanitizer.js';

import { DEFAULT_SEVERITIES, ERROR_SEVERITIES, type ErrorSeverity } from './error-severities.js';

export { DEFAULT_SEVERITIES, ERROR_SEVERITIES, type ErrorSeverity };

/** One entry of `getErrorStats().recent`: everything in it has been redacted. */
export interface TrackedError {
  type: string;
  /** The error's message (or the string tracked), redacted and cut to 2,000 characters. */
  message: string;
  severity: ErrorSeverity;
  /** When it was tracked, ISO 8601 (UTC). */
  at: string;
  /** The Error's class name (`TypeError` …); absent when a string or other value was tracked. */
  name?: string;
  /** The Error's `code` (`ECONNREFUSED` …), when it has a string or number one. */
  code?: string;
  /** The stack, redacted and cut to 4,000 characters. */
  stack?: string;
  /** The context given, normalized (bounded depth and size) and redacted. */
  context?: Fields;
}

/** What `getErrorStats()` returns: a snapshot, not a live view. */
export interface ErrorStats {
  totalErrors: number;
  /** Count by `type` (at most 1,000 names; the rest are summed under `(other)`). */
  byType: Record<string, number>;
  bySeverity: Record<ErrorSeverity, number>;
  /** ISO time of the last tracked error; `null` when none since creation or `clearErrorStats()`. */
  lastErrorAt: string | null;
  /** The last `maxRecent` errors (default 100), oldest first. */
  recent: TrackedError[];
  /** Lines that could not be appended to `errorLog` (0 when there is none). */
  errorLogFailures: number;
}

export interface ErrorTrackerOptions {
  /** Entries kept in `recent` (a ring: the oldest go first); default 100, 0 keeps none. */
  maxRecent?: number;
  /**
   * Also append each tracked error as one JSON line (the {@link TrackedError}, redacted) to this
   * file, synchronously. Without it no file is ever written. Directories are created as needed.
   */
  errorLog?: string;
  /** The redactor for messages, stacks and context (default: a `new DataSanitizer()` with the default patterns and keys). */
  sanitizer?: DataSanitizer;
}

const MAX_TYPES = 1000;
const MAX_MESSAGE = 2000;
const MAX_STACK = 4000;
/** Context is kept small: every entry of the ring holds one. */
const CONTEXT_LIMITS = { ...DEFAULT_LIMITS, maxDepth: 5, maxBreadth: 50, maxStringLength: 1000 };

/**
 * Counts errors by type and severity and keeps the last few, redacted (docs/errors-and-signals.md). Never throws:
 * it is called from error paths. Writes nothing to disk unless `errorLog` is set.
 *
 * @example
 * const tracker = new ErrorTracker({ maxRecent: 50 });
 * tracker.track('payment', err, { orderId: 17 }, 'high');
 * tracker.stats().byType.payment; // 1
 */
export class ErrorTracker {
  readonly #maxRecent: number;
  readonly #errorLog: string | undefined;
  #sanitizer: DataSanitizer | undefined;
  readonly #normalizer = new Normalizer(CONTEXT_LIMITS);
  #total = 0;
  #byType = new Map<string, number>();
  #bySeverity = emptySeverities();
  #last: string | null = null;
  /** Ring buffer of the recent entries; `#next` is where the next one goes. */
  #ring: TrackedError[] = [];
  #next = 0;
  #logFd = -1;
  #logFailures = 0;
  #warned = false;

  constructor(options: ErrorTrackerOptions = {}) {
    const max = options.maxRecent ?? 100;
    this.#maxRecent = Number.isInteger(max) && max >= 0 ? max : 100;
    this.#errorLog = options.errorLog;
    this.#sanitizer = options.sanitizer;
  }

  /**
   * Records one error. `error` may be an Error, a string, or any thrown value. Returns the stored
   * (redacted) entry.
   */
  track(type: string, error: unknown, context?: Fields, severity?: ErrorSeverity): TrackedError {
    const t = typeof type === 'string' && type !== '' ? type : String(type || 'unknown');
    const sev: ErrorSeverity =
      severity !== undefined && ERROR_SEVERITIES.includes(severity)
        ? severity
        : (DEFAULT_SEVERITIES[t] ?? 'medium');
    const entry = this.#entry(t, error, context, sev);
    this.#total++;
    const n = this.#byType.get(t);
    if (n !== undefined) this.#byType.set(t, n + 1);
    else if (this.#byType.size < MAX_TYPES) this.#byType.set(t, 1);
    else this.#byType.set('(other)', (this.#byType.get('(other)') ?? 0) + 1);
    this.#bySeverity[sev]++;
    this.#last = entry.at;
    if (this.#maxRecent > 0) {
      if (this.#ring.length < this.#maxRecent) this.#ring.push(entry);
      else this.#ring[this.#next] = entry;
      this.#next = (this.#next + 1) % this.#maxRecent;
    }
    if (this.#errorLog !== undefined) this.#append(entry);
    return entry;
  }

  /** A snapshot of the counters and of the recent entries (oldest first). */
  stats(): ErrorStats {
    const ring = this.#ring;
    const recent =
      ring.length < this.#maxRecent
        ? ring.slice()
        : [...ring.slice(this.#next), ...ring.slice(0, this.#next)];
    return {
      totalErrors: this.#total,
      byType: Object.fromEntries(this.#byType),
      bySeverity: { ...this.#bySeverity },
      lastErrorAt: this.#last,
      recent,
      errorLogFailures: this.#logFailures,
    };
  }

  /** Resets the counters and the recent entries (the error log file is left as it is). */
  clear(): void {
    this.#total = 0;
    this.#byType = new Map();
    this.#bySeverity = emptySeverities();
    this.#last = null;
    this.#ring = [];
    this.#next = 0;
    this.#logFailures = 0;
  }

  /** Closes the error log file, if one is open (it is reopened by the next `track`). */
  close(): void {
    if (this.#logFd < 0) return;
    try {
      fs.closeSync(this.#logFd);
    } catch {
      // Nothing more to do: the descriptor is gone either way.
    }
    this.#logFd = -1;
  }

  #entry(type: string, error: unknown, context: Fields | undefined, severity: ErrorSeverity): TrackedError {
    const entry: TrackedError = { type, message: '', severity, at: new Date().toISOString() };
    try {
      const s = (this.#sanitizer ??= new DataSanitizer());
      if (error instanceof Error) {
        entry.message = cut(s.sanitizeString(String(error.message)), MAX_MESSAGE);
        entry.name = error.name;
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' || typeof code === 'number') entry.code = String(code);
        if (typeof error.stack === 'string') entry.stack = cut(s.sanitizeString(error.stack), MAX_STACK);
      } else {
        entry.message = cut(s.sanitizeString(describe(error)), MAX_MESSAGE);
      }
      if (context !== undefined && context !== null && typeof context === 'object') {
        entry.context = s.sanitize(this.#normalizer.value(context, 1, [])) as Fields;
      }
    } catch {
      // A hostile value (throwing getter, revoked proxy): keep the count, not the details.
      entry.message = '[unreadable error]';
      delete entry.context;
    }
    return entry;
  }

  #append(entry: TrackedError): void {
    const file = this.#errorLog as string;
    try {
      if (this.#logFd < 0) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        this.#logFd = fs.openSync(file, 'a');
      }
      fs.writeSync(this.#logFd, `${JSON.stringify(entry)}\n`);
    } catch (err) {
      this.#logFailures++;
      if (!this.#warned) {
        this.#warned = true;
        process.emitWarning(
          `hydra-logger could not append to the error log ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); errors are still counted in getErrorStats()`,
          { code: 'HYDRA_W_ERROR_LOG_FAILED' },
        );
      }
    }
  }
}

function emptySeverities(): Record<ErrorSeverity, number> {
  return { low: 0, medium: 0, high: 0, critical: 0 };
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…[truncated ${s.length - max} chars]`;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' && v !== null) {
    try {
      const m = (v as { message?: unknown }).message;
      if (typeof m === 'string') return m;
      return JSON.stringify(v) ?? String(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// The default tracker: what `trackError`, `getErrorStats` and `clearErrorStats` use, and where
// loggers report their own failures unless given an `errorTracker`. Created on first use.

let defaultTracker: ErrorTracker | undefined;

/** The module-level tracker (created on first use). */
export function getDefaultErrorTracker(): ErrorTracker {
  defaultTracker ??= new ErrorTracker();
  return defaultTracker;
}

/**
 * Replaces the default tracker by one with these options (e.g. `{ errorLog: 'logs/errors.jsonl' }`);
 * counts start from zero. Loggers without their own `errorTracker` report to the new one.
 */
export function configureErrorTracking(options: ErrorTrackerOptions = {}): ErrorTracker {
  defaultTracker?.close();
  defaultTracker = new ErrorTracker(options);
  return defaultTracker;
}

/** Tracks an error in the default tracker; `severity` defaults by type (see {@link DEFAULT_SEVERITIES}), else `medium`. */
export function trackError(
  type: string,
  error: unknown,
  context?: Fields,
  severity?: ErrorSeverity,
): TrackedError {
  return getDefaultErrorTracker().track(type, error, context, severity);
}

/** Input that failed validation (type `validation`, default severity `low`). */
export function trackValidationError(
  error: unknown,
  context?: Fields,
  severity?: ErrorSeverity,
): TrackedError {
  return trackError('validation', error, context, severity);
}

/** A failed network call (type `network`, default severity `medium`). */
export function trackNetworkError(error: unknown, context?: Fields, severity?: ErrorSeverity): TrackedError {
  return trackError('network', error, context, severity);
}

/** A failed database operation (type `database`, default severity `high`). */
export function trackDatabaseError(error: unknown, context?: Fields, severity?: ErrorSeverity): TrackedError {
  return trackError('database', error, context, severity);
}

/** A security failure: bad signature, forbidden access … (type `security`, default severity `critical`). */
export function trackSecurityError(error: unknown, context?: Fields, severity?: ErrorSeverity): TrackedError {
  return trackError('security', error, context, severity);
}

/** A programming or runtime error (type `runtime`, default severity `high`). */
export function trackRuntimeError(error: unknown, context?: Fields, severity?: ErrorSeverity): TrackedError {
  return trackError('runtime', error, context, severity);
}

/** A snapshot of the default tracker's figures. */
export function getErrorStats(): ErrorStats {
  return getDefaultErrorTracker().stats();
}

/** Resets the default tracker's figures. */
export function clearErrorStats(): void {
  defaultTracker?.clear();
}

/** Options of a logger about error tracking. */
export interface ErrorTrackingOptions {
  /**
   * Where this logger reports its own failures (destination write errors, processor errors, type
   * `logger_internal`) and, with `captureUncaught`, crashes. Default: the module-level tracker
   * that `getErrorStats()` reads.
   */
  errorTracker?: ErrorTracker;
}

/**
 * Tracks a failed plugin hook (type `plugin`; context: the plugin's name and the hook): what it
 * threw, or the problem with what it returned. Never throws.
 */
export function trackPluginError(
  tracker: ErrorTracker | undefined,
  plugin: string,
  hook: string,
  error: unknown,
): void {
  try {
    (tracker ?? getDefaultErrorTracker()).track('plugin', error, { plugin, hook });
  } catch {
    // The tracker never throws; this guard keeps the write path safe even if it did.
  }
}

/** Tracks one of the logger's own failures (a destination, processor or pipeline error). Never throws. */
export function trackInternalError(tracker: ErrorTracker | undefined, source: string, err: unknown): void {
  try {
    (tracker ?? getDefaultErrorTracker()).track('logger_internal', err, { source });
  } catch {
    // The tracker never throws; this guard keeps the write path safe even if it did.
  }
}
