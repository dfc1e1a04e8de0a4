/**
 * Security: redaction, threat detection, hashing, the audit chain and environment detection
 * (docs/security.md). `src/index.ts` re-exports these names; the regex lists kept for
 * the ReDoS test (`*_REGEXES`) and the internals (walker, scanner) are not part of the API.
 */
export type { AuditChainOptions, AuditChainProcessor, AuditChainResult } from './audit-chain.js';
export {
  chainFields,
  createAuditChainProcessor,
  GENESIS_HASH,
  readLastAuditHash,
  verifyAuditChain,
} from './audit-chain.js';
export { canonicalJson } from './canonical-json.js';
export type { PseudonymizeOptions } from './data-hasher.js';
export { createPseudonymizeProcessor, DataHasher } from './data-hasher.js';
export type { DataSanitizerOptions, RedactionStats } from './data-sanitizer.js';
export { DataSanitizer, REDACTED } from './data-sanitizer.js';
export type {
  CloudProviderPattern,
  DetectEnvironmentOptions,
  EnvironmentInfo,
  FrameworkPattern,
} from './environment.js';
export {
  CLOUD_PROVIDER_PATTERNS,
  createEnvironmentProcessor,
  detectEnvironment,
  FRAMEWORK_PATTERNS,
} from './environment.js';
export type { RedactionPattern } from './pii-patterns.js';
export { PII_PATTERNS } from './pii-patterns.js';
export type { RedactionProcessorOptions } from './redaction-processor.js';
export { createRedactionProcessor } from './redaction-processor.js';
export type { SanitizerLimits } from './sanitizer-limits.js';
export { SANITIZER_LIMITS } from './sanitizer-limits.js';
export type {
  SecurityValidatorOptions,
  Threat,
  ValidationResult,
} from './security-validator.js';
export { SecurityValidator } from './security-validator.js';
export type { KeyMatch, SensitiveKey } from './sensitive-keys.js';
export { DEFAULT_SENSITIVE_KEYS } from './sensitive-keys.js';
export type { ThreatPattern, ThreatSeverity, ThreatType } from './threat-patterns.js';
export { THREAT_PATTERNS } from './threat-patterns.js';
export type { ThreatPolicy, ThreatProcessor, ThreatStats } from './threat-processor.js';
export { createThreatProcessor } from './threat-processor.js';
