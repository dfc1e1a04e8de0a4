import { mayHoldBuiltInMatch, PII_PATTERNS, type RedactionPattern } from './pii-patterns.js';
import { digitRun } from './pii-rules.js';

const BUILT_IN: ReadonlySet<RedactionPattern> = new Set(PII_PATTERNS);

/** Called once per replaced match, with the pattern's name. */
export type RedactionCounter = (kind: string) => void;

/**
 * A pattern as the scanner runs it: every instance has the same shape (the hot loop reads these
 * fields from one hidden class, not from the differently shaped pattern objects).
 */
class CompiledPattern {
  readonly name: string;
  readonly placeholder: string;
  /** A private clone: the caller's regex (or the shared built-in) is never advanced. */
  readonly regex: RegExp;
  readonly hint: ((s: string) => boolean) | null;
  readonly minDigits: number;
  readonly replace: ((m: RegExpExecArray) => string) | null;
  readonly source: RedactionPattern;

  constructor(p: RedactionPattern) {
    const flags = p.regex.flags.replace('y', '');
    this.name = p.name;
    this.placeholder = p.placeholder;
    this.regex = new RegExp(p.regex.source, flags.includes('g') ? flags : `${flags}g`);
    this.hint = p.hint ?? null;
    this.minDigits = p.minDigits ?? 0;
    this.replace = p.replace ?? null;
    this.source = p;
  }
}

/**
 * Runs an ordered list of {@link RedactionPattern}s over a string. Every replacement is built by
 * string concatenation, so `$&`, `$1` or `$<name>` in the data or a placeholder stay literal, and
 * every regex runs global (a non-global custom regex would otherwise redact only its first match).
 */
export class PatternScanner {
  #patterns: CompiledPattern[] = [];
  /** Largest `minDigits` of any pattern: counting digits stops there. */
  #digitCap = 0;
  /** Only built-in patterns: the one-test pre-check answers most strings. */
  #builtInOnly = true;

  constructor(patterns: readonly RedactionPattern[] = PII_PATTERNS) {
    for (const p of patterns) this.add(p);
  }

  /** Adds a pattern, or replaces the one of the same name in place (its position in the order is kept). */
  add(pattern: RedactionPattern): void {
    const compiled = new CompiledPattern(pattern);
    const i = this.#patterns.findIndex((p) => p.name === pattern.name);
    if (i >= 0) this.#patterns[i] = compiled;
    else this.#patterns.push(compiled);
    this.#update();
  }

  remove(name: string): boolean {
    const before = this.#patterns.length;
    this.#patterns = this.#patterns.filter((p) => p.name !== name);
    this.#update();
    return this.#patterns.length !== before;
  }

  /** How many patterns run (0: strings and keys need no scanning at all). */
  get size(): number {
    return this.#patterns.length;
  }

  names(): string[] {
    return this.#patterns.map((p) => p.name);
  }

  /** The string with every match replaced; the same string when nothing matched. */
  scan(s: string, count: RedactionCounter): string {
    if (this.#patterns.length === 0 || (this.#builtInOnly && !mayHoldBuiltInMatch(s))) return s;
    let digits = -1;
    let out = s;
    const patterns = this.#patterns;
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i] as CompiledPattern;
      if (p.minDigits > 0) {
        if (digits < 0) digits = digitRun(out, this.#digitCap);
        if (digits < p.minDigits) continue;
      }
      if (p.hint !== null && !p.hint(out)) continue;
      const next = apply(p, out, count);
      if (next !== out) {
        out = next;
        digits = -1;
      }
    }
    return out;
  }

  #update(): void {
    this.#builtInOnly = this.#patterns.every((p) => BUILT_IN.has(p.source));
    this.#digitCap = 0;
    for (const p of this.#patterns) this.#digitCap = Math.max(this.#digitCap, p.minDigits);
  }
}

function apply(p: CompiledPattern, s: string, count: RedactionCounter): string {
  const regex = p.regex;
  regex.lastIndex = 0;
  let m = regex.exec(s);
  if (m === null) return s;
  let out = '';
  let last = 0;
  let changed = false;
  do {
    const text = m[0];
    const replacement = p.replace === null ? p.placeholder : p.replace(m);
    if (replacement !== text) {
      changed = true;
      count(p.name);
    }
    out += s.slice(last, m.index) + replacement;
    last = m.index + text.length;
    // A custom regex that matches the empty string must still move forward.
    if (text.length === 0) regex.lastIndex++;
    m = regex.exec(s);
  } while (m !== null);
  regex.lastIndex = 0;
  return changed ? out + s.slice(last) : s;
}
