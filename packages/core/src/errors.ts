/**
 * Every error the library throws is a {@link HydraLoggerError} with a stable `code`.
 * The catalogue below is the single list; docs/errors.md documents each code and a test keeps
 * the two in agreement.
 */
export const ERROR_CODES = Object.freeze({
  HYDRA_E_CONFIG_INVALID:
    'The configuration does not match the schema; `issues` lists each path and what was expected.',
  HYDRA_E_CONFIG_FILE:
    'A config file cannot be read or parsed, has an unsupported extension, or its `extends` chain has a cycle.',
  HYDRA_E_MAGIC_CONFIG:
    'A magic config name is unknown (the message lists the available ones), invalid, or a built-in being replaced or removed.',
  HYDRA_E_ENV_INVALID:
    'An environment variable holds a value outside its allowed set; the message names the variable.',
  HYDRA_E_DESTINATION_UNKNOWN: 'A destination `type` is neither built in nor provided by a plugin.',
  HYDRA_E_WRITE_FAILED:
    "Emitted (never thrown) on the logger's `error` event when a destination fails to write; records are dropped and counted.",
  HYDRA_E_NOT_DELIVERED:
    "Emitted (never thrown) on the logger's `error` event when a network destination gives up on records: at `close({ timeoutMs })` or at process exit, or after its retries; they are counted as dropped.",
  HYDRA_E_SPOOLED:
    "Emitted (never thrown) on the logger's `error` event when a network destination with a spool closes or exits with records it could not deliver: they are kept in the spool for the next start (not dropped).",
  HYDRA_E_RECORD_DROPPED:
    "An AsyncHydraLogger log call's promise rejects with this when no strategy could write the record, or the queue's full policy dropped it; never thrown.",
  HYDRA_E_PLUGIN_INVALID:
    'Not a usable plugin (no hook of any role, a taken or built-in name, format or destination type), or a plugin in use being removed.',
  HYDRA_E_PLUGIN_NOT_FOUND:
    'A config `plugins` entry names a plugin that is not registered and gives no `path`.',
  HYDRA_E_PLUGIN_LOAD:
    'A plugin module cannot be found, imported, or exports no plugin class or `{ name, plugin }` descriptor; the message names the path.',
  HYDRA_E_PLUGIN_INIT:
    "A plugin's constructor, `init()` or `createHandler()` threw while a logger was being set up.",
  HYDRA_E_PLUGIN_FAILED:
    "Emitted (never thrown) on the logger's `pluginError` event when a plugin hook throws or returns something unusable; the record went on.",
} as const);

export type ErrorCode = keyof typeof ERROR_CODES;

/** Warning codes passed to `process.emitWarning` (shown once each). */
export const WARNING_CODES = Object.freeze({
  HYDRA_W_LOG_AFTER_CLOSE:
    'A log call reached a closed logger; it was ignored and counted as dropped (`closed`).',
  HYDRA_W_PLUGINS_DISABLED:
    '`addPlugin` was called on a logger created with `enablePlugins: false`; the plugin was not added.',
  HYDRA_W_ERROR_LOG_FAILED:
    'An error tracker could not append to its `errorLog` file; errors are still counted in `getErrorStats()`.',
} as const);

export type WarningCode = keyof typeof WARNING_CODES;

/** Base class of every error thrown by hydra-logger. */
export class HydraLoggerError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in a configuration. */
export interface ConfigIssue {
  /** Dotted path of the offending value, e.g. `layers.APP.destinations[1].format`. */
  path: string;
  /** What was expected, and what was found. */
  message: string;
}

/** The configuration is invalid; `issues` has every problem found (not only the first). */
export class ConfigValidationError extends HydraLoggerError {
  readonly issues: readonly ConfigIssue[];
  /** Where the configuration came from (a file path, `environment`), when known. */
  readonly source: string | undefined;
  constructor(issues: readonly ConfigIssue[], source?: string) {
    super(
      'HYDRA_E_CONFIG_INVALID',
      `Invalid hydra-logger configuration${source === undefined ? '' : ` in ${source}`}:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.issues = issues;
    this.source = source;
  }
}

/** A config file cannot be read or parsed (or its `extends` chain loops). */
export class ConfigFileError extends HydraLoggerError {
  readonly file: string;
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super('HYDRA_E_CONFIG_FILE', `config file ${file}: ${problem}`, options);
    this.file = file;
  }
}

/** An environment variable has a value outside its allowed set. */
export class EnvironmentError extends HydraLoggerError {
  readonly variable: string;
  constructor(variable: string, value: string, allowed: string) {
    super('HYDRA_E_ENV_INVALID', `${variable}=${JSON.stringify(value)} is not valid: expected ${allowed}`);
    this.variable = variable;
  }
}
