/**
 * The severity scale of error tracking (`metrics/error-tracker.ts`). Kept apart from the tracker,
 * which is loaded on first use: these constants are public and read at import.
 */

/** How bad a tracked error is; `bySeverity` always has all four keys. */
export type ErrorSeverity = 'low' | 'medium' | 'high' | 'critical';

export const ERROR_SEVERITIES: readonly ErrorSeverity[] = Object.freeze([
  'low',
  'medium',
  'high',
  'critical',
]);

/** Default severities of the typed helpers (`trackValidationError` …) and of the logger's own entries. */
export const DEFAULT_SEVERITIES: Readonly<Record<string, ErrorSeverity>> = Object.freeze({
  validation: 'low',
  network: 'medium',
  database: 'high',
  security: 'critical',
  runtime: 'high',
  logger_internal: 'high',
  plugin: 'medium',
  uncaught_exception: 'critical',
  unhandled_rejection: 'critical',
});
