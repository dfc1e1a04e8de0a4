import { lazyCrypto } from '../internal/builtins.js';
import type { Processor } from '../pipeline/processor.js';
import type { Fields, LogRecord } from '../record/record.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Hashing for pseudonymization: the same input always gives the same hex digest, so
 * records about one user can still be correlated, but the value itself is not written.
 *
 * Without a salt the digest is `hash(text)`; with a salt it is `HMAC(salt, text)`, which is what
 * a pseudonym needs: without the salt nobody can test guesses (an email, a phone number) against
 * the digests. `text` is the value itself for a string, its canonical JSON otherwise.
 */
export class DataHasher {
  /** Hex digest of `value` with a node:crypto algorithm (`sha256`, `sha512`, `sha3-256`, …). */
  hashData(value: unknown, algorithm = 'sha256', salt?: string): string {
    checkAlgorithm(algorithm);
    const text = typeof value === 'string' ? value : canonicalJson(value);
    const crypto = lazyCrypto();
    const h = salt === undefined ? crypto.createHash(algorithm) : crypto.createHmac(algorithm, salt);
    return h.update(text, 'utf8').digest('hex');
  }

  /**
   * A copy of `obj` with each named field replaced by its digest; `obj` is not changed. A name
   * with dots (`user.email`) reaches into nested plain objects; absent fields are skipped.
   */
  hashFields<T extends object>(obj: T, fields: readonly string[], algorithm = 'sha256', salt?: string): T {
    let out = obj;
    for (const path of fields)
      out = replaceAt(out, path.split('.'), (v) => this.hashData(v, algorithm, salt));
    return out;
  }

  /** Whether `hash` is the digest of `value`, compared in constant time. */
  verifyHash(value: unknown, hash: string, algorithm = 'sha256', salt?: string): boolean {
    const expected = Buffer.from(this.hashData(value, algorithm, salt), 'hex');
    const given = Buffer.from(HEX.test(hash) && hash.length % 2 === 0 ? hash : '', 'hex');
    // Lengths are public (they follow from the algorithm); only equal-length buffers are compared.
    return given.length === expected.length && lazyCrypto().timingSafeEqual(given, expected);
  }
}

/** A hex digest (sha512 is 128 characters; nothing node:crypto makes is longer than 1024). */
const HEX = /^[0-9a-fA-F]{0,1024}$/;

let known: Set<string> | undefined;

function checkAlgorithm(algorithm: string): void {
  known ??= new Set(
    lazyCrypto()
      .getHashes()
      .map((h) => h.toLowerCase()),
  );
  if (!known.has(algorithm.toLowerCase()))
    throw new RangeError(
      `unknown hash algorithm "${algorithm}"; node:crypto offers: ${[...known].join(', ')}`,
    );
}

/** Copy on write along `path`; the value at its end replaced by `f(value)`. */
function replaceAt<T>(obj: T, path: readonly string[], f: (v: unknown) => string): T {
  const [head, ...rest] = path;
  if (head === undefined || obj === null || typeof obj !== 'object' || !Object.hasOwn(obj, head)) return obj;
  const current = (obj as Record<string, unknown>)[head];
  if (current === undefined) return obj;
  const next = rest.length === 0 ? f(current) : replaceAt(current, rest, f);
  if (next === current) return obj;
  const copy = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string, unknown>;
  Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true, configurable: true });
  return copy as T;
}

export interface PseudonymizeOptions {
  /** Field names (dotted for nested ones) whose values are replaced by their digest. */
  fields: readonly string[];
  /** A node:crypto hash algorithm; default `sha256`. */
  algorithm?: string;
  /** HMAC key; strongly advised, or a known value can be found by hashing guesses. */
  salt?: string;
}

/**
 * The `pseudonymize` step: the named fields of every record (in `fields`, `bindings` and
 * `context`) replaced by their digest. Runs before redaction, or the digest would be that of a
 * placeholder (every user the same pseudonym).
 */
export function createPseudonymizeProcessor(options: PseudonymizeOptions): Processor {
  const hasher = new DataHasher();
  const algorithm = options.algorithm ?? 'sha256';
  checkAlgorithm(algorithm);
  const { fields, salt } = options;
  const hash = (f: Fields | undefined): Fields | undefined =>
    f === undefined ? f : hasher.hashFields(f, fields, algorithm, salt);
  return {
    name: 'pseudonymize',
    process(record: LogRecord): LogRecord {
      const f = hash(record.fields);
      const b = hash(record.bindings);
      const c = hash(record.context);
      if (f === record.fields && b === record.bindings && c === record.context) return record;
      return { ...record, fields: f, bindings: b, context: c };
    },
  };
}

/** Regexes of this module, listed for the ReDoS test. */
export const HASHER_REGEXES: readonly RegExp[] = Object.freeze([HEX]);
