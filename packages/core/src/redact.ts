/**
 * `hydra-logger/redact`: the core's redaction rules (sensitive keys, PII and secret patterns) as
 * one browser-safe module. It imports no Node.js built-in, directly or through its imports
 * (test/bundle/redact-entry.test.ts checks the bundle), so the browser SDK
 * (`@hydra-logger/frontend`) bundles this very code and redacts in the page with the same rules
 * as a server logger: one set of rules, not a copy.
 */
export type { DataSanitizerOptions, RedactionStats } from './security/data-sanitizer.js';
export { DataSanitizer, REDACTED } from './security/data-sanitizer.js';
export type { RedactionPattern } from './security/pii-patterns.js';
export { PII_PATTERNS } from './security/pii-patterns.js';
export type { SanitizerLimits } from './security/sanitizer-limits.js';
export type { KeyMatch, SensitiveKey } from './security/sensitive-keys.js';
export { DEFAULT_SENSITIVE_KEYS } from './security/sensitive-keys.js';
