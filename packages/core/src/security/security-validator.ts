import {
  THREAT_PATTERNS,
  type ThreatPattern,
  type ThreatSeverity,
  type ThreatType,
} from './threat-patterns.js';

export interface Threat {
  type: ThreatType;
  severity: ThreatSeverity;
  /** The name of the signature that matched (see `THREAT_PATTERNS`). */
  pattern: string;
}

export interface ValidationResult {
  threats: Threat[];
}

export interface SecurityValidatorOptions {
  /** Signatures checked, in order (default `THREAT_PATTERNS`). */
  patterns?: readonly ThreatPattern[];
  /** Characters of one text examined; the rest is not (default 8 KiB: payloads are short). */
  maxLength?: number;
}

/** Characters of a text examined by default. */
export const DEFAULT_VALIDATION_LENGTH = 8 * 1024;

/**
 * Every signature needs one of these characters or words; a text with none of them (most log
 * messages) is answered without running the signatures.
 */
const TRIGGER =
  /['"`<>;&|$%*()=\\\n\u0000]|\.\.|@@|union|outfile|dumpfile|xp_cmdshell|information_schema|pg_catalog|sysobjects|script|data:text|document\./i;

/**
 * Finds attack payloads (SQL/NoSQL injection, XSS, path traversal, command and LDAP injection)
 * in text that reaches the logs: a request path, a query parameter, a form value. It reports;
 * it does not sanitize (the payload is logged as data, escaped by the formats like any text).
 */
export class SecurityValidator {
  readonly #patterns: readonly ThreatPattern[];
  readonly #maxLength: number;

  constructor(options: SecurityValidatorOptions = {}) {
    this.#patterns = options.patterns ?? THREAT_PATTERNS;
    this.#maxLength = options.maxLength ?? DEFAULT_VALIDATION_LENGTH;
  }

  validateInput(text: string): ValidationResult {
    const threats: Threat[] = [];
    const s = text.length > this.#maxLength ? text.slice(0, this.#maxLength) : text;
    if (!TRIGGER.test(s)) return { threats };
    for (const p of this.#patterns) {
      if (p.regex.test(s)) threats.push({ type: p.type, severity: p.severity, pattern: p.name });
    }
    return { threats };
  }

  /** Whether `text` holds no known attack payload. */
  isSafe(text: string): boolean {
    return this.validateInput(text).threats.length === 0;
  }
}

/** Regexes of this module, listed for the ReDoS test. */
export const VALIDATOR_REGEXES: readonly RegExp[] = Object.freeze([TRIGGER]);
