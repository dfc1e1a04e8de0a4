import { Pass, type PassWalker } from './sanitize-pass.js';
import type { WalkerHooks } from './walker-hooks.js';

/** Applies the limits and the hooks to values of any shape; see {@link Pass}. */
export class ValueWalker implements PassWalker {
  readonly hooks: WalkerHooks;
  /** Keys seen that hold no pattern match (bounded: an attacker may send many distinct keys). */
  readonly #cleanKeys = new Set<string>();

  constructor(hooks: WalkerHooks) {
    this.hooks = hooks;
  }

  walk(v: unknown): unknown {
    return this.pass().value(v);
  }

  pass(): Pass {
    return new Pass(this);
  }

  /** Cut to the length limit (marked and counted), then pattern-scanned. */
  string(s: string): string {
    const max = this.hooks.limits.maxStringLength;
    if (s.length <= max) return this.hooks.scan(s);
    this.hooks.truncated('string');
    const end = this.hooks.cutPoint(s, max);
    return `${this.hooks.scan(s.slice(0, end))}…[truncated ${s.length - end} chars]`;
  }

  /** Forgets which keys were clean: a pattern added since may match them. */
  patternsChanged(): void {
    this.#cleanKeys.clear();
  }

  /** Whether `k` is a key already scanned and found clean (no scan, no counting). */
  isKnownCleanKey(k: string): boolean {
    return this.#cleanKeys.has(k);
  }

  /**
   * An object key, pattern-scanned like a value: an email used as a key is personal data too.
   * Not budgeted: {@link Pass.key} charges the record's scan budget first.
   */
  key(k: string): string {
    if (this.#cleanKeys.has(k)) return k;
    const out = this.string(k);
    if (out === k) {
      if (this.#cleanKeys.size >= 4096) this.#cleanKeys.clear();
      this.#cleanKeys.add(k);
    }
    return out;
  }
}
