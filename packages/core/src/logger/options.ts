import type { LoggingConfig } from '../config/types.js';
import type { Limits } from '../internal/limits.js';
import type { ErrorTrackingOptions } from '../metrics/error-tracker.js';
import type { FsPort } from '../writers/fs-port.js';
import type { ProcessHookOptions } from './process-hooks.js';

/** Options shared by every logger constructor. */
export interface CoreOptions extends ProcessHookOptions, ErrorTrackingOptions {
  /**
   * Layers, levels and destinations, as an object or the path of a `.yaml`/`.yml`/`.toml`/`.json`
   * file. Without it (and without `HYDRA_LOG_CONFIG`): stdout, plain-text, colour auto, level INFO.
   * Precedence: this object > `HYDRA_LOG_*` variables > the config file > defaults.
   */
  config?: LoggingConfig | string;
  /** plain-text date format (strftime style, e.g. `%Y-%m-%d`); also `HYDRA_LOG_DATE_FORMAT`. */
  dateFormat?: string;
  /** plain-text time format (strftime style, e.g. `%H:%M:%S.%L`); also `HYDRA_LOG_TIME_FORMAT`. */
  timeFormat?: string;
  /** plain-text layer display, e.g. `[{name}]`; also `HYDRA_LOG_LOGGER_NAME_FORMAT`. */
  loggerNameFormat?: string;
  /** plain-text message display, e.g. `{level}: {message}`; also `HYDRA_LOG_MESSAGE_FORMAT`. */
  messageFormat?: string;
  /** Redact secrets and personal data (default `true`); see {@link LoggingConfig.enableSanitization}. */
  enableSanitization?: boolean;
  /** Threat detection (default `false`); see {@link LoggingConfig.enableSecurity}. */
  enableSecurity?: boolean;
  threatPolicy?: LoggingConfig['threatPolicy'];
  redaction?: LoggingConfig['redaction'];
  pseudonymize?: LoggingConfig['pseudonymize'];
  detectEnvironment?: boolean;
  /** HMAC key of the audit hash chain (else `HYDRA_LOG_AUDIT_KEY`; without one the chain is a plain SHA-256 chain). */
  auditKey?: string;
  /**
   * Trade safety margins for speed (docs/performance-modes.md): PII pattern scanning and threat
   * detection off (sensitive-key redaction stays), latency monitoring and caller info off. Explicit
   * options still win.
   */
  highPerformanceMode?: boolean;
  /**
   * Everything `highPerformanceMode` turns off, plus all redaction except for the SECURITY, AUDIT
   * and COMPLIANCE layers and `security()`/`audit()`/`compliance()` records.
   * Only for data you know holds no secrets.
   */
  bareMetalMode?: boolean;
  /** Measure the latency of every log call (`getPerformanceMetrics().latency`); costs two clock reads per record. */
  enablePerformanceMonitoring?: boolean;
  /** `false` turns plugins off: config `plugins` ignored, `addPlugin` a no-op that warns (default `true`; docs/plugins.md). */
  enablePlugins?: boolean;
  /** Add `caller` (file, line, column, function) to every record; costs a stack capture per record. */
  includeCaller?: boolean;
  /** Overrides of the bounded-resource defaults (docs/limits.md). */
  limits?: Partial<Limits>;
  /** Environment to read `HYDRA_LOG_*` from (default `process.env`); read once, here. */
  env?: NodeJS.ProcessEnv;
  /** File-system port used by console and file writers; for fault-injection tests. */
  fs?: FsPort;
}
