import { type ErrorCode, HydraLoggerError } from '../errors.js';

type PluginErrorCode = Extract<ErrorCode, `HYDRA_E_PLUGIN_${string}`>;

/**
 * A plugin problem. Thrown at setup (`HYDRA_E_PLUGIN_INVALID`, `_NOT_FOUND`, `_LOAD`, `_INIT`);
 * emitted, never thrown, on the logger's `pluginError` event when a hook fails while logging
 * (`HYDRA_E_PLUGIN_FAILED`).
 */
export class PluginError extends HydraLoggerError {
  /** The plugin's name (or, for `HYDRA_E_PLUGIN_LOAD`, the module path). */
  readonly plugin: string;
  /** The hook that failed (`processEvent`, `format`, `emit` …), when one did. */
  readonly hook: string | undefined;
  constructor(
    code: PluginErrorCode,
    plugin: string,
    message: string,
    options?: ErrorOptions & { hook?: string },
  ) {
    super(code, message, options);
    this.plugin = plugin;
    this.hook = options?.hook;
  }
}

/** The message of anything thrown, for error texts. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return typeof err;
  }
}
