import type { SubscriptionFilter } from '../../src/protocol/frames.js';

export type FieldValue = string | number | boolean | null;

/** What the filter bar asks for; the same terms go to the bridge as the subscription's filter. */
export interface Filter {
  layers: string[];
  minLevel: number;
  text: string;
  fields: Record<string, FieldValue>;
}

export const EMPTY_FILTER: Filter = { layers: [], minLevel: 0, text: '', fields: {} };

/** `APP, DB` → `['APP', 'DB']` (commas or spaces, duplicates dropped). */
export function parseLayers(input: string): string[] {
  return [...new Set(input.split(/[\s,]+/).filter((s) => s !== ''))];
}

/**
 * `user.id=42 ok=true name="ann smith" tag=x` → path → value. A value is JSON when it is a quoted
 * string, a number, `true`, `false` or `null`; anything else is text.
 */
export function parseFields(input: string): { fields: Record<string, FieldValue> } | { error: string } {
  const fields: Record<string, FieldValue> = {};
  const term = /\s*([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;
  let i = 0;
  const s = input.trim();
  while (i < s.length) {
    term.lastIndex = i;
    const m = term.exec(s);
    if (m === null) return { error: `write path=value (at "${s.slice(i, i + 20)}")` };
    fields[m[1] as string] = fieldValue(m[2] as string);
    i = term.lastIndex;
  }
  return { fields };
}

function fieldValue(raw: string): FieldValue {
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw;
    }
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/** The subscription filter the bridge understands (empty terms left out). */
export function toWire(f: Filter): SubscriptionFilter {
  const out: SubscriptionFilter = {};
  if (f.layers.length > 0) out.layers = f.layers;
  if (f.minLevel > 0) out.minLevel = f.minLevel;
  if (f.text !== '') out.text = f.text;
  if (Object.keys(f.fields).length > 0) out.fields = f.fields;
  return out;
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return JSON.stringify(toWire(a)) === JSON.stringify(toWire(b));
}

/** The value at `a.b.c` in a record (own keys only), or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** A compiled filter for records already in the page (the bridge's rules, applied here too). */
export function compile(
  f: Filter,
): (r: { level: number; layer: string; rec: Record<string, unknown> }) => boolean {
  const layers = f.layers.length > 0 ? new Set(f.layers) : undefined;
  const text = f.text.toLowerCase();
  const fields = Object.entries(f.fields);
  const min = f.minLevel;
  return (r) => {
    if (r.level < min) return false;
    if (layers !== undefined && !layers.has(r.layer)) return false;
    for (const [path, want] of fields) if (valueAt(r.rec, path) !== want) return false;
    if (text !== '' && !JSON.stringify(r.rec).toLowerCase().includes(text)) return false;
    return true;
  };
}
