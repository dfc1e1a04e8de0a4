import type { Limits } from '../internal/limits.js';
import { REMEMBERED_KEYS } from '../internal/shared-sizes.js';
import { cutPoint } from '../security/sanitizer-limits.js';
import { type Fields, RESERVED_KEYS, type SerializedError } from './record.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** What the normalizer cut, by kind; read by the metrics. */
export interface TruncationCounts {
  depth: number;
  breadth: number;
  string: number;
  circular: number;
  /** Values that threw when read (revoked Proxy, throwing trap or getter), written as a marker. */
  unreadable: number;
}

/** How the logger treats an object it was handed: see {@link Normalizer.kind}. */
export type ObjectKind = 'error' | 'array' | 'object' | 'hostile';

/** The longest detail an "[Unreadable: …]" marker keeps from the error that a value threw. */
const MARKER_DETAIL = 120;

/**
 * Turns caller data into plain JSON-safe data without touching the caller's objects:
 * Errors (with `cause` chains and AggregateError `errors`), Map, Set, BigInt, Dates, class
 * instances, cycles; and applies the depth, breadth and string-length limits.
 * A flat object of short primitives is returned as is (no copy): the common case costs one key scan.
 */
export class Normalizer {
  readonly truncations: TruncationCounts = { depth: 0, breadth: 0, string: 0, circular: 0, unreadable: 0 };
  /** Objects this normalizer made from Errors: lets the logger find the record's error without guessing keys. */
  readonly #errors = new WeakSet<object>();

  /** Whether `v` is an Error serialized by this normalizer. */
  isSerializedError(v: unknown): v is SerializedError {
    return typeof v === 'object' && v !== null && this.#errors.has(v);
  }
  readonly #limits: Limits;
  /**
   * The keys of the previous plain fields object, by position, known to be neither reserved nor
   * too long: records from one call site repeat them, and an identity test is cheaper than a lookup.
   */
  readonly #plainKeys: string[] = [];

  constructor(limits: Limits) {
    this.#limits = limits;
  }

  /**
   * Whether an object the caller passed is an Error, an array or a plain object; `hostile` when even
   * asking throws (a revoked Proxy, a Proxy whose traps throw): the caller wraps it as a value,
   * which the guarded walk turns into a marker.
   */
  kind(v: object): ObjectKind {
    try {
      return v instanceof Error ? 'error' : Array.isArray(v) ? 'array' : 'object';
    } catch {
      return 'hostile';
    }
  }

  /**
   * Normalizes the top level of a fields object, renaming keys that collide with core keys.
   * Never throws: a fields object that cannot be read at all becomes `{ value: "[Unreadable: …]" }`.
   */
  fields(input: Fields): Fields {
    try {
      if (this.#plain(input)) return input;
    } catch {
      // A hostile object (a getter or trap threw): the guarded walk below marks what it cannot read.
    }
    // Through value(): a Map gives its entries as fields, a Date or another object with toJSON
    // gives a value, and an object that cannot be read gives a marker; all never throw.
    const v = this.value(input, 1, []);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { value: v };
    const out = v as Fields;
    for (const k of Object.keys(out)) {
      if (!RESERVED_KEYS.has(k) || !ownKey(input, k)) continue;
      let renamed = `_${k}`;
      while (Object.hasOwn(out, renamed)) renamed = `_${renamed}`;
      out[renamed] = out[k];
      delete out[k];
    }
    return out;
  }

  /** Whether `input` can be used as is: no reserved key, nothing to cut, only primitives. */
  #plain(input: Fields): boolean {
    // An object with toJSON (a Date, a Decimal) is written as toJSON says; a Map or Set has no
    // own keys to see here: neither is plain.
    if (typeof input.toJSON === 'function' || input instanceof Map || input instanceof Set) return false;
    const max = this.#limits.maxStringLength;
    let n = 0;
    // for-in with the own-key test: the keys Object.keys gives, read without a generic keyed lookup.
    for (const k in input) {
      if (!hasOwn.call(input, k)) continue;
      if (n >= this.#limits.maxBreadth) return false;
      if (this.#plainKeys[n] !== k) {
        if (RESERVED_KEYS.has(k) || k.length > max) return false;
        if (n < REMEMBERED_KEYS) this.#plainKeys[n] = k;
      }
      n++;
      const v = input[k];
      const t = typeof v;
      if (
        !((t === 'string' && (v as string).length <= max) || t === 'number' || t === 'boolean' || v === null)
      )
        return false;
    }
    return true;
  }

  /**
   * Cuts a string to the configured maximum, marking and counting the cut. The cut falls on a
   * token boundary when there is one nearby, so no secret is left in half for redaction to miss.
   */
  string(s: string): string {
    const max = this.#limits.maxStringLength;
    if (s.length <= max) return s;
    this.truncations.string++;
    const end = cutPoint(s, max);
    return `${s.slice(0, end)}…[truncated ${s.length - end} chars]`;
  }

  /** Serializes an Error to plain data (message, stack, own properties, cause chain, AggregateError). */
  error(err: Error): SerializedError {
    return this.#error(err, 1, []);
  }

  /** The marker written in place of a value that threw `err` when read; counted. */
  unreadable(err: unknown): string {
    this.truncations.unreadable++;
    let detail = safeString(() => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)));
    if (detail.length > MARKER_DETAIL) detail = `${detail.slice(0, MARKER_DETAIL)}…`;
    return `[Unreadable: ${detail || 'unknown error'}]`;
  }

  value(v: unknown, depth: number, ancestors: object[]): unknown {
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'number':
      case 'boolean':
        return v;
      case 'bigint':
        return v.toString();
      case 'symbol':
        return v.toString();
      case 'function':
        return `[Function ${v.name || 'anonymous'}]`;
      case 'undefined':
        return undefined;
    }
    if (v === null) return null;
    const obj = v as object;
    if (ancestors.includes(obj)) {
      this.truncations.circular++;
      return '[Circular]';
    }
    if (depth > this.#limits.maxDepth) {
      this.truncations.depth++;
      return '[Depth limit]';
    }
    // Every look at a caller's object may throw (a revoked Proxy throws on instanceof, on
    // Array.isArray, on listing its keys): the value becomes a marker, its siblings are kept.
    const mark = ancestors.length;
    try {
      return this.#objectValue(obj, depth, ancestors);
    } catch (err) {
      ancestors.length = mark;
      return this.unreadable(err);
    }
  }

  #objectValue(obj: object, depth: number, ancestors: object[]): unknown {
    if (obj instanceof Error) return this.#error(obj, depth, ancestors);
    if (Array.isArray(obj)) return this.#list(obj, obj.length, depth, ancestors);
    if (obj instanceof Map) return this.#map(obj, depth, ancestors);
    if (obj instanceof Set) return this.#list(obj, obj.size, depth, ancestors);
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
      try {
        return this.value((obj as { toJSON(): unknown }).toJSON(), depth + 1, ancestors);
      } catch {
        return '[toJSON threw]';
      }
    }
    return this.#object(obj as Record<string, unknown>, depth, ancestors);
  }

  #object(obj: Record<string, unknown>, depth: number, ancestors: object[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    ancestors.push(obj);
    let n = 0;
    let skipped = 0;
    for (const k of Object.keys(obj)) {
      if (n >= this.#limits.maxBreadth) {
        skipped++;
        continue;
      }
      let v: unknown;
      try {
        v = obj[k];
      } catch {
        v = '[getter threw]';
      }
      const nv = this.value(v, depth + 1, ancestors);
      if (nv === undefined) continue;
      if (k.length > this.#limits.maxStringLength) {
        define(out, this.string(k), nv);
        n++;
        continue;
      }
      // defineProperty, not assignment: a key named "__proto__" stays an ordinary own key.
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: nv, enumerable: true, writable: true, configurable: true });
      else out[k] = nv;
      n++;
    }
    ancestors.pop();
    if (skipped > 0) {
      this.truncations.breadth++;
      out['…'] = `[${skipped} more keys]`;
    }
    return out;
  }

  #list(items: Iterable<unknown>, size: number, depth: number, ancestors: object[]): unknown[] {
    const out: unknown[] = [];
    ancestors.push(items as object);
    for (const item of items) {
      if (out.length >= this.#limits.maxBreadth) break;
      const nv = this.value(item, depth + 1, ancestors);
      out.push(nv === undefined ? null : nv);
    }
    ancestors.pop();
    if (size > out.length) {
      this.truncations.breadth++;
      out.push(`[${size - out.length} more items]`);
    }
    return out;
  }

  #map(map: Map<unknown, unknown>, depth: number, ancestors: object[]): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    let n = 0;
    for (const [k, v] of map) {
      if (n++ >= this.#limits.maxBreadth) break;
      const key = typeof k === 'string' ? k : String(this.value(k, depth + 1, ancestors));
      Object.defineProperty(plain, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    ancestors.push(map);
    const out = this.#object(plain, depth, ancestors);
    ancestors.pop();
    if (map.size > n) {
      this.truncations.breadth++;
      out['…'] = `[${map.size - n} more entries]`;
    }
    return out;
  }

  #error(err: Error, depth: number, ancestors: object[]): SerializedError {
    const out: SerializedError = {
      type: safeString(() => err.name) || safeString(() => err.constructor?.name) || 'Error',
      message: this.string(safeString(() => err.message)),
    };
    const stack = safeString(() => err.stack);
    if (stack) out.stack = this.string(stack);
    // Type, message and stack are kept even when the rest of the Error cannot be read.
    const mark = ancestors.length;
    try {
      this.#errorDetails(err, out, depth, ancestors);
    } catch (e) {
      ancestors.length = mark;
      out.unreadable = this.unreadable(e);
    }
    this.#errors.add(out);
    return out;
  }

  #errorDetails(err: Error, out: SerializedError, depth: number, ancestors: object[]): void {
    ancestors.push(err);
    for (const k of Object.keys(err)) {
      if (k === 'stack' || k === 'message' || k === 'type') continue;
      let v: unknown;
      try {
        v = (err as unknown as Record<string, unknown>)[k];
      } catch {
        v = '[getter threw]';
      }
      const nv = this.value(v, depth + 1, ancestors);
      if (nv !== undefined)
        Object.defineProperty(out, k, { value: nv, enumerable: true, writable: true, configurable: true });
    }
    if ('cause' in err && err.cause !== undefined) {
      // The depth limit also bounds a long cause chain.
      out.cause = this.value(err.cause, depth + 1, ancestors);
    }
    if (err instanceof AggregateError && Array.isArray(err.errors)) {
      out.errors = this.#list(err.errors, err.errors.length, depth, ancestors);
    }
    ancestors.pop();
  }
}

function safeString(get: () => unknown): string {
  try {
    const v = get();
    return typeof v === 'string' ? v : v === undefined ? '' : String(v);
  } catch {
    return '';
  }
}

/** `Object.hasOwn` that answers false for an object whose traps throw. */
function ownKey(o: object, k: string): boolean {
  try {
    return Object.hasOwn(o, k);
  } catch {
    return false;
  }
}

function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
