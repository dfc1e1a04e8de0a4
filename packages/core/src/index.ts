/**
 * hydra-logger: the public API. Everything a user may import is exported here by name;
 * anything not exported is internal (deep imports are blocked by the package's `exports` map).
 */
export { HydraLogger, createLogger } from './logger/hydra-logger.js';
export type { HydraLoggerOptions, HydraLoggerEvents } from './logger/hydra-logger.js';
export { LayerLogger } from './logger/layer-logger.js';
export type { LogMethod, LayerLogMethod } from './logger/log-methods.js';
export { DestinationWriteError } from './logger/logger-core.js';
export type { CoreOptions, PerformanceMetrics } from './logger/logger-core.js';
export { LEVELS, LEVEL_NAMES, parseLevel, levelName } from './record/levels.js';
export type { LevelName, LevelInput } from './record/levels.js';
export type { LogRecord, Fields, SerializedError, CallerInfo } from './record/record.js';
export { RESERVED_KEYS } from './record/record.js';
export { validateConfig } from './config/validate.js';
export type { LoggingConfig, LogLayer, LogDestination } from './config/types.js';
export { FORMAT_NAMES } from './formats/index.js';
export type { FormatName } from './formats/index.js';
export type { Formatter, FormatOptions } from './formats/formatter.js';
export type { ColorMode } from './formats/colors.js';
export type { MemoryView } from './destinations/memory.js';
export type { DestinationStats } from './destinations/destination.js';
export type { FsPort } from './writers/fs-port.js';
export { DEFAULT_LIMITS } from './internal/limits.js';
export type { Limits } from './internal/limits.js';
export {
  ERROR_CODES,
  WARNING_CODES,
  HydraLoggerError,
  ConfigValidationError,
  EnvironmentError,
} from './errors.js';
export type { ErrorCode, WarningCode, ConfigIssue } from './errors.js';
