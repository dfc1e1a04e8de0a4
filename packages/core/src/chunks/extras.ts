/**
 * The extras chunk: features a plain logger does not touch at startup. Magic configs, config
 * files, crash and signal hooks, error tracking, the audit hash chain, pseudonymization and threat
 * detection. The published bundle loads it on first use
 * (internal/load-extras.ts), and every module in it is reached only through that loader, so its
 * state (the magic registry, the default error tracker, the installed process hooks) exists once.
 */
export { loadConfig } from '../config/load.js';
export {
  hasMagicConfig,
  listMagicConfigs,
  magicConfig,
  registerMagic,
  unregisterMagic,
} from '../config/magic.js';
export { installProcessHooks } from '../logger/process-hooks.js';
export {
  clearErrorStats,
  configureErrorTracking,
  ErrorTracker,
  getDefaultErrorTracker,
  getErrorStats,
  trackDatabaseError,
  trackError,
  trackInternalError,
  trackNetworkError,
  trackPluginError,
  trackRuntimeError,
  trackSecurityError,
  trackValidationError,
} from '../metrics/error-tracker.js';
export {
  createAuditChainProcessor,
  GENESIS_HASH,
  readLastAuditHash,
  verifyAuditChain,
} from '../security/audit-chain.js';
export { createPseudonymizeProcessor, DataHasher } from '../security/data-hasher.js';
export { SecurityValidator } from '../security/security-validator.js';
export { createThreatProcessor } from '../security/threat-processor.js';
