import { copyKeys, define, hidden, unique } from './own-properties.js';
import { FREE_KEY_LENGTH } from './sanitizer-limits.js';
import type { WalkerHooks } from './walker-hooks.js';

/** Marks an object whose walk is in progress: meeting it again means a cycle. */
const IN_PROGRESS = Symbol('in progress');

/** What the memo holds for an object not seen yet. */
const UNSEEN = Symbol('unseen');

/** What a pass needs of its walker (value-walker.ts): the hooks and the unbudgeted string and key steps. */
export interface PassWalker {
  readonly hooks: WalkerHooks;
  string(s: string): string;
  key(k: string): string;
  isKnownCleanKey(k: string): boolean;
}

/**
 * One walk: its memo makes shared references come out shared, and cycles visible; its scan
 * budget bounds the pattern-scanning work of one record, however many strings it holds.
 */
export class Pass {
  readonly #w: PassWalker;
  /** Characters this pass may still scan (`limits.maxScanPerRecord` at the start). */
  #budget: number;
  /**
   * The memo: the first object lives in two fields, the Map is made for the second one (a record
   * whose fields hold only primitives allocates no Map).
   */
  #firstKey: object | undefined;
  #firstValue: unknown;
  #memo: Map<object, unknown> | undefined;

  constructor(walker: PassWalker) {
    this.#w = walker;
    this.#budget = walker.hooks.limits.maxScanPerRecord;
  }

  /**
   * A string, cut to the length limit and scanned while the budget lasts. What does not fit is
   * withheld, never written unscanned: the part that fits is scanned (cut at a token boundary) and
   * `…[unscanned N chars]` replaces the rest; once the budget is spent, a string becomes
   * `[unscanned N chars]` whole.
   */
  string(s: string): string {
    const cost = Math.min(s.length, this.#w.hooks.limits.maxStringLength);
    if (cost <= this.#budget) {
      this.#budget -= cost;
      return this.#w.string(s);
    }
    return this.#withhold(s);
  }

  /** An object key (or the layer name), scanned like a string; short keys always are (see FREE_KEY_LENGTH). */
  key(k: string): string {
    const w = this.#w;
    if (w.isKnownCleanKey(k)) return k;
    if (k.length <= FREE_KEY_LENGTH) {
      this.#budget = Math.max(0, this.#budget - k.length);
      return w.key(k);
    }
    const cost = Math.min(k.length, w.hooks.limits.maxStringLength);
    if (cost <= this.#budget) {
      this.#budget -= cost;
      return w.key(k);
    }
    return this.#withhold(k);
  }

  #withhold(s: string): string {
    const hooks = this.#w.hooks;
    const budget = this.#budget;
    this.#budget = 0;
    const end = budget > 0 ? hooks.cutPoint(s, budget) : 0;
    const withheld = s.length - end;
    hooks.truncated('scan', withheld);
    if (end === 0) return `[unscanned ${withheld} chars]`;
    return `${hooks.scan(s.slice(0, end))}…[unscanned ${withheld} chars]`;
  }

  value(v: unknown, depth = 0): unknown {
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'number':
        // A card number logged as a number: 4111111111111111 is a safe integer.
        return Number.isSafeInteger(v) && Math.abs(v) >= 1e12 ? this.#numeric(v, String(v)) : v;
      case 'bigint':
        return this.#numeric(v, v.toString());
      case 'object':
        return v === null ? v : this.#object(v, depth);
      default:
        return v;
    }
  }

  #numeric(v: number | bigint, text: string): unknown {
    const out = this.string(text);
    return out === text ? v : out;
  }

  #recall(o: object): unknown {
    if (this.#memo !== undefined) return this.#memo.has(o) ? this.#memo.get(o) : UNSEEN;
    return o === this.#firstKey ? this.#firstValue : UNSEEN;
  }

  #remember(o: object, v: unknown): void {
    if (this.#memo !== undefined) this.#memo.set(o, v);
    else if (this.#firstKey === undefined || this.#firstKey === o) {
      this.#firstKey = o;
      this.#firstValue = v;
    } else
      this.#memo = new Map<object, unknown>([
        [this.#firstKey, this.#firstValue],
        [o, v],
      ]);
  }

  #object(o: object, depth: number): unknown {
    const seen = this.#recall(o);
    if (seen === IN_PROGRESS) {
      this.#w.hooks.truncated('circular');
      return '[Circular]';
    }
    if (seen !== UNSEEN) return seen;
    if (depth >= this.#w.hooks.limits.maxDepth) {
      this.#w.hooks.truncated('depth');
      return '[Depth limit]';
    }
    this.#remember(o, IN_PROGRESS);
    let out: unknown;
    try {
      out = this.#dispatch(o, depth);
    } catch {
      // A throwing getter or iterator (raw values only): nothing of it is passed through.
      out = '[Unreadable]';
    }
    this.#remember(o, out);
    return out;
  }

  #dispatch(o: object, depth: number): unknown {
    if (Array.isArray(o)) return this.#array(o, depth);
    if (o instanceof Map) return this.#map(o, depth);
    if (o instanceof Set) return this.#set(o, depth);
    if (o instanceof Error) return this.#error(o, depth);
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer || o instanceof RegExp || o instanceof Date)
      return o;
    if (o instanceof String) return this.#boxed(o, o.valueOf());
    if (typeof (o as { toJSON?: unknown }).toJSON === 'function') {
      // A URL, or any object that serializes itself: what a serializer would write is what we check.
      const json = (o as { toJSON(): unknown }).toJSON();
      const out = this.value(json, depth + 1);
      return out === json ? o : out;
    }
    return this.#plain(o as Record<string, unknown>, depth);
  }

  #boxed(o: object, s: string): unknown {
    const out = this.string(s);
    return out === s ? o : out;
  }

  /** The value of `key` in a walked container: redacted whole when the key is sensitive. */
  #entry(key: string, v: unknown, depth: number): unknown {
    if (v === undefined) return v;
    if (this.#w.hooks.isSensitiveKey(key)) return v === '[REDACTED]' ? v : this.#w.hooks.redactKey();
    return this.value(v, depth + 1);
  }

  #plain(o: Record<string, unknown>, depth: number): unknown {
    const keys = Object.keys(o);
    const n = Math.min(keys.length, this.#w.hooks.limits.maxBreadth);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < n; i++) {
      const k = keys[i] as string;
      let v: unknown;
      let threw = false;
      try {
        v = o[k];
      } catch {
        // A throwing getter (raw values only): its marker replaces it in the copy.
        v = '[getter threw]';
        threw = true;
      }
      const nv = this.#entry(k, v, depth);
      const nk = this.key(k);
      if (out === undefined && (threw || nv !== v || nk !== k)) out = copyKeys(o, keys, i);
      if (out !== undefined) define(out, unique(out, nk), nv);
    }
    if (keys.length > n) {
      this.#w.hooks.truncated('breadth');
      out ??= copyKeys(o, keys, n);
      define(out, '…', `[${keys.length - n} more keys]`);
    }
    return out ?? o;
  }

  #array(a: readonly unknown[], depth: number): unknown {
    const n = Math.min(a.length, this.#w.hooks.limits.maxBreadth);
    let out: unknown[] | undefined;
    for (let i = 0; i < n; i++) {
      const v = a[i];
      const nv = this.value(v, depth + 1);
      if (out === undefined && nv !== v) out = a.slice(0, i);
      if (out !== undefined) out.push(nv);
    }
    if (a.length > n) {
      this.#w.hooks.truncated('breadth');
      out ??= a.slice(0, n);
      out.push(`[${a.length - n} more items]`);
    }
    return out ?? a;
  }

  #map(m: Map<unknown, unknown>, depth: number): unknown {
    const entries: [unknown, unknown][] = [];
    let changed = false;
    for (const [k, v] of m) {
      if (entries.length >= this.#w.hooks.limits.maxBreadth) break;
      const nk = typeof k === 'string' ? this.key(k) : this.value(k, depth + 1);
      const nv = typeof k === 'string' ? this.#entry(k, v, depth) : this.value(v, depth + 1);
      if (nk !== k || nv !== v) changed = true;
      entries.push([nk, nv]);
    }
    if (m.size > entries.length) {
      this.#w.hooks.truncated('breadth');
      entries.push(['…', `[${m.size - entries.length} more entries]`]);
      changed = true;
    }
    return changed ? new Map(entries) : m;
  }

  #set(s: Set<unknown>, depth: number): unknown {
    const items: unknown[] = [];
    let changed = false;
    for (const v of s) {
      if (items.length >= this.#w.hooks.limits.maxBreadth) break;
      const nv = this.value(v, depth + 1);
      if (nv !== v) changed = true;
      items.push(nv);
    }
    if (s.size > items.length) {
      this.#w.hooks.truncated('breadth');
      items.push(`[${s.size - items.length} more items]`);
      changed = true;
    }
    return changed ? new Set(items) : s;
  }

  /**
   * A live Error: message, stack, own properties, `cause` and AggregateError `errors`. When any
   * of them changes, the copy keeps the prototype (still `instanceof` its class) with the
   * redacted values, and the properties native Errors keep non-enumerable stay non-enumerable.
   */
  #error(e: Error, depth: number): unknown {
    const message = e.message;
    const stack = e.stack;
    const nMessage = typeof message === 'string' ? this.string(message) : message;
    const nStack = typeof stack === 'string' ? this.string(stack) : stack;
    const own = this.#plain(e as unknown as Record<string, unknown>, depth);
    const hasCause = Object.hasOwn(e, 'cause');
    const cause = hasCause ? e.cause : undefined;
    const nCause = hasCause ? this.value(cause, depth + 1) : undefined;
    const errors = e instanceof AggregateError ? (e.errors as unknown) : undefined;
    const nErrors = errors === undefined ? undefined : this.value(errors, depth + 1);
    if (nMessage === message && nStack === stack && nCause === cause && nErrors === errors && own === e)
      return e;
    const copy = Object.create(Object.getPrototypeOf(e)) as Error;
    for (const [k, v] of Object.entries(own as object)) define(copy, k, v);
    hidden(copy, 'message', nMessage);
    if (stack !== undefined) hidden(copy, 'stack', nStack);
    if (hasCause) hidden(copy, 'cause', nCause);
    if (errors !== undefined) hidden(copy, 'errors', nErrors);
    return copy;
  }
}
