/**
 * A static check for catastrophic backtracking, written for the regexes we ship (no npm ReDoS
 * checker is installed; see SECURITY.md). It parses a regex source into a small tree and applies
 * three rules, which together make the number of backtracking paths from any start position a
 * constant (so a global scan is linear in the input length):
 *
 * 1. Bounded: no `*`, `+` or `{n,}` anywhere. Every repetition has a finite maximum.
 * 2. Unambiguous iterations: a repeated group (maximum > 1) whose body has variable-width parts
 *    (a quantifier with min ≠ max inside it) must contain a mandatory single character that none of
 *    those parts can match (a delimiter), so an input splits into iterations one way only.
 *    This rejects `(x+)+`, `(x*)*`, `(a{1,2}){1,30}`, `(\w+\s?)*` and accepts `(?:[ -]?\d){11,17}`.
 * 3. Deterministic alternation: an alternation inside a repeated group must have alternatives
 *    whose first characters are disjoint. This rejects `(x|x)*` and `(a|ab){1,5}`.
 *
 * Character sets are approximated over ASCII plus one "any non-ASCII" bit, which errs on the side
 * of overlap (rejecting), never of disjointness.
 */

type CharSet = boolean[];

const set = (pred: (c: number) => boolean, other: boolean): CharSet => {
  const s: boolean[] = [];
  for (let c = 0; c < 128; c++) s.push(pred(c));
  s.push(other);
  return s;
};
const union = (a: CharSet, b: CharSet): CharSet => a.map((x, i) => x || (b[i] as boolean));
const negate = (a: CharSet): CharSet => a.map((x) => !x);
const overlaps = (a: CharSet, b: CharSet): boolean => a.some((x, i) => x && (b[i] as boolean));
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const ALL = set(() => true, true);
const EMPTY = set(() => false, false);

type Node =
  | { t: 'char'; set: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; body: Node; zeroWidth: boolean }
  | { t: 'quant'; body: Node; min: number; max: number }
  | { t: 'assert' };

class Parser {
  i = 0;
  constructor(
    readonly src: string,
    readonly ignoreCase: boolean,
    readonly dotAll: boolean,
  ) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]} at ${this.i}`);
    return n;
  }

  alt(): Node {
    const alts = [this.seq()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? (alts[0] as Node) : { t: 'alt', alts };
  }

  seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { t: 'seq', items };
  }

  quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return atom;
    if (this.src[this.i] === '?') this.i++; // lazy: same paths, another order
    return this.quantified({ t: 'quant', body: atom, min, max });
  }

  atom(): Node {
    const c = this.src[this.i++] as string;
    if (c === '(') {
      let zeroWidth = false;
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
        zeroWidth = true;
        this.i += this.src[this.i + 1] === '<' ? 3 : 2;
      } else if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
      const body = this.alt();
      if (this.src[this.i++] !== ')') throw new Error('unclosed group');
      return { t: 'group', body, zeroWidth };
    }
    if (c === '^' || c === '$') return { t: 'assert' };
    if (c === '.') return { t: 'char', set: this.dotAll ? ALL : set((x) => x !== 10 && x !== 13, true) };
    if (c === '[') return { t: 'char', set: this.charClass() };
    if (c === '\\') {
      const e = this.src[this.i] as string;
      if (e === 'b' || e === 'B') {
        this.i++;
        return { t: 'assert' };
      }
      if (/[1-9k]/.test(e)) {
        // A back-reference can match anything its group matched.
        this.i += e === 'k' ? this.src.indexOf('>', this.i) - this.i + 1 : 1;
        return { t: 'quant', body: { t: 'char', set: ALL }, min: 0, max: 1024 };
      }
      return { t: 'char', set: this.escape() };
    }
    return { t: 'char', set: this.literal(c.charCodeAt(0)) };
  }

  literal(code: number): CharSet {
    const s = set((x) => x === code, code >= 128);
    if (this.ignoreCase && code < 128) {
      const ch = String.fromCharCode(code);
      for (const v of [ch.toLowerCase(), ch.toUpperCase()]) s[v.charCodeAt(0)] = true;
    }
    return s;
  }

  /** After a backslash: a class escape or one escaped character. */
  escape(): CharSet {
    const e = this.src[this.i++] as string;
    switch (e) {
      case 'd':
        return set(isDigit, false);
      case 'D':
        return set((c) => !isDigit(c), true);
      case 'w':
        return set(isWord, false);
      case 'W':
        return set((c) => !isWord(c), true);
      case 's':
        return set(isSpace, true);
      case 'S':
        return set((c) => !isSpace(c), true);
      case 'n':
        return this.literal(10);
      case 'r':
        return this.literal(13);
      case 't':
        return this.literal(9);
      case 'f':
        return this.literal(12);
      case 'v':
        return this.literal(11);
      case '0':
        return this.literal(0);
      case 'x': {
        const code = Number.parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return this.literal(code);
      }
      case 'u': {
        const code = Number.parseInt(this.src.slice(this.i, this.i + 4), 16);
        this.i += 4;
        return this.literal(code);
      }
      default:
        return this.literal(e.charCodeAt(0));
    }
  }

  charClass(): CharSet {
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let s = EMPTY;
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw new Error('unclosed class');
      const lo = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && lo.code !== undefined) {
        this.i++;
        const a = lo.code;
        const b = this.classAtom().code ?? a;
        s = union(
          s,
          set((c) => c >= a && c <= b, b >= 128),
        );
        if (this.ignoreCase) s = caseFold(s);
      } else s = union(s, lo.set);
    }
    this.i++;
    return negated ? negate(s) : s;
  }

  /** One member of a class: a character (with its code, so it can start a range) or a class escape. */
  classAtom(): { set: CharSet; code?: number } {
    const c = this.src[this.i++] as string;
    if (c !== '\\') return { set: this.literal(c.charCodeAt(0)), code: c.charCodeAt(0) };
    const e = this.src[this.i] as string;
    if (e === 'b') {
      this.i++;
      return { set: this.literal(8), code: 8 };
    }
    const start = this.i;
    const s = this.escape();
    if ('dDwWsS'.includes(e)) return { set: s };
    const named: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    const code =
      e === 'x' || e === 'u'
        ? Number.parseInt(this.src.slice(start + 1, this.i), 16)
        : (named[e] ?? e.charCodeAt(0));
    return { set: s, code };
  }
}

function caseFold(s: CharSet): CharSet {
  const out = [...s];
  for (let c = 65; c <= 90; c++) if (s[c] || s[c + 32]) out[c] = out[c + 32] = true;
  return out;
}

/** Characters a node can start with, and whether it can match the empty string. */
function first(n: Node): { set: CharSet; nullable: boolean } {
  switch (n.t) {
    case 'char':
      return { set: n.set, nullable: false };
    case 'assert':
      return { set: EMPTY, nullable: true };
    case 'group':
      return n.zeroWidth ? { set: EMPTY, nullable: true } : first(n.body);
    case 'quant': {
      const f = first(n.body);
      return { set: f.set, nullable: n.min === 0 || f.nullable };
    }
    case 'alt': {
      let s = EMPTY;
      let nullable = false;
      for (const a of n.alts) {
        const f = first(a);
        s = union(s, f.set);
        nullable ||= f.nullable;
      }
      return { set: s, nullable };
    }
    case 'seq': {
      let s = EMPTY;
      for (const item of n.items) {
        const f = first(item);
        s = union(s, f.set);
        if (!f.nullable) return { set: s, nullable: false };
      }
      return { set: s, nullable: true };
    }
  }
}

/** Union of the characters matched by variable-width quantifiers anywhere inside `n`. */
function variableChars(n: Node, inVariable: boolean): CharSet {
  switch (n.t) {
    case 'char':
      return inVariable ? n.set : EMPTY;
    case 'assert':
      return EMPTY;
    case 'group':
      return n.zeroWidth ? EMPTY : variableChars(n.body, inVariable);
    case 'quant':
      return variableChars(n.body, inVariable || n.min !== n.max);
    case 'alt':
      return n.alts.reduce((s, a) => union(s, variableChars(a, inVariable)), EMPTY);
    case 'seq':
      return n.items.reduce((s, a) => union(s, variableChars(a, inVariable)), EMPTY);
  }
}

/** Single characters every match of `n` must contain, at its top level. */
function mandatoryChars(n: Node): CharSet[] {
  if (n.t === 'char') return [n.set];
  if (n.t === 'group' && !n.zeroWidth) return mandatoryChars(n.body);
  if (n.t === 'quant' && n.min >= 1) return mandatoryChars(n.body);
  if (n.t === 'seq') return n.items.flatMap(mandatoryChars);
  return [];
}

/** Problems found in one regex; empty when it passes the three rules. */
export function backtrackingRisks(re: RegExp): string[] {
  const risks: string[] = [];
  const tree = new Parser(re.source, re.flags.includes('i'), re.flags.includes('s')).parse();
  const visit = (n: Node, repeated: boolean): void => {
    switch (n.t) {
      case 'quant': {
        if (n.max === Infinity) risks.push('unbounded quantifier (*, + or {n,})');
        if (n.max > 1) {
          const variable = variableChars(n.body, false);
          const isVariable = variable.some(Boolean);
          const body = n.body.t === 'group' ? n.body.body : n.body;
          const alts = body.t === 'alt' ? body.alts : [body];
          for (const a of alts) {
            const v = variableChars(a, false);
            if (isVariable && v.some(Boolean) && !mandatoryChars(a).some((m) => !overlaps(m, v)))
              risks.push('repeated group with variable-width parts and no delimiter (nested quantifier)');
          }
        }
        visit(n.body, repeated || n.max > 1);
        return;
      }
      case 'alt': {
        if (repeated) {
          const firsts = n.alts.map((a) => first(a));
          for (let i = 0; i < firsts.length; i++)
            for (let j = i + 1; j < firsts.length; j++)
              if (overlaps((firsts[i] as { set: CharSet }).set, (firsts[j] as { set: CharSet }).set))
                risks.push('alternatives that can start with the same character inside a repetition');
        }
        for (const a of n.alts) visit(a, repeated);
        return;
      }
      case 'group':
        visit(n.body, repeated);
        return;
      case 'seq':
        for (const item of n.items) visit(item, repeated);
        return;
      default:
        return;
    }
  };
  visit(tree, false);
  return [...new Set(risks)];
}
