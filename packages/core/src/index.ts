/**
 * hydra-logger: the public API. Everything a user may import is exported here by name;
 * anything not exported is internal (deep imports are blocked by the package's `exports` map).
 */

export { loadConfigFromEnv } from './config/env.js';
export { loadConfig } from './config/load.js';
export type { MagicConfigFactory, MagicConfigInfo } from './config/magic.js';
export { mergeConfigs } from './config/merge.js';
export type { LogDestination, LoggingConfig, LogLayer, RedactionConfig } from './config/types.js';
export { validateConfig } from './config/validate.js';
export type { DestinationStats } from './destinations/destination.js';
export type { MemoryView } from './destinations/memory.js';
export type { ConfigIssue, ErrorCode, WarningCode } from './errors.js';
export {
  ConfigFileError,
  ConfigValidationError,
  EnvironmentError,
  ERROR_CODES,
  HydraLoggerError,
  WARNING_CODES,
} from './errors.js';
export type { ColorMode } from './formats/colors.js';
export type { FormatOptions, Formatter } from './formats/formatter.js';
export type { FormatName } from './formats/index.js';
export { FORMAT_NAMES } from './formats/index.js';
export type { Limits } from './internal/limits.js';
export { DEFAULT_LIMITS } from './internal/limits.js';
export type { HydraLoggerEvents, HydraLoggerOptions } from './logger/hydra-logger.js';
export { createLogger, HydraLogger } from './logger/hydra-logger.js';
export { LayerLogger } from './logger/layer-logger.js';
export type { LayerLogMethod, LogMethod } from './logger/log-methods.js';
export type { CoreOptions, PerformanceMetrics } from './logger/logger-core.js';
export { DestinationWriteError } from './logger/logger-core.js';
export type { LevelInput, LevelName } from './record/levels.js';
export { LEVEL_NAMES, LEVELS, levelName, parseLevel } from './record/levels.js';
export type { CallerInfo, Fields, LogRecord, RecordKind, SerializedError } from './record/record.js';
export { RESERVED_KEYS } from './record/record.js';
export type {
  AuditChainResult,
  CloudProviderPattern,
  DetectEnvironmentOptions,
  EnvironmentInfo,
  FrameworkPattern,
  KeyMatch,
  RedactionPattern,
  RedactionStats,
  SecurityValidatorOptions,
  SensitiveKey,
  Threat,
  ThreatPattern,
  ThreatPolicy,
  ThreatSeverity,
  ThreatType,
  ValidationResult,
} from './security/index.js';
export {
  CLOUD_PROVIDER_PATTERNS,
  canonicalJson,
  chainFields,
  DataHasher,
  DataSanitizer,
  DEFAULT_SENSITIVE_KEYS,
  detectEnvironment,
  FRAMEWORK_PATTERNS,
  GENESIS_HASH,
  PII_PATTERNS,
  REDACTED,
  SecurityValidator,
  THREAT_PATTERNS,
  verifyAuditChain,
} from './security/index.js';
export type { FsPort } from './writers/fs-port.js';
