import type { ResolvedRole } from '../auth/roles.js';
import type { SubscriptionFilter } from '../protocol/frames.js';
import type { RingEntry } from '../ring/store.js';

/** What one (role, filter) pair sees: subscribers with the same view share the same bytes. */
export interface View {
  /** Equal for equal role and filter. */
  readonly key: string;
  readonly role: ResolvedRole;
  matches(entry: RingEntry): boolean;
  /**
   * True when the view takes records as they are held (no text or field filter, nothing to redact
   * for its role): the fan-out then reads them with {@link accept} and copies their bytes.
   */
  readonly plain: boolean;
  /** For a plain view: whether it takes a record of this layer and level. */
  accept(layer: string, level: number): boolean;
  /** The record's JSON for this role; `undefined` when the role's redaction cannot be applied (withheld). */
  render(entry: RingEntry): string | undefined;
}

const REDACTED = '[REDACTED]';

/** Compiles a subscription filter under a role into a {@link View}. */
export function compileView(filter: SubscriptionFilter, role: ResolvedRole): View {
  const layers = filter.layers === undefined ? undefined : new Set(filter.layers);
  const roleLayers = role.layers;
  const minLevel = filter.minLevel ?? 0;
  // The filter text is matched literally: escaped, so it is a linear-time pattern.
  const text =
    filter.text === undefined
      ? undefined
      : new RegExp(filter.text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), 'i');
  const fields =
    filter.fields === undefined
      ? undefined
      : Object.entries(filter.fields).map(([p, v]) => [p.split('.'), v] as const);
  const key = JSON.stringify([
    role.name,
    filter.layers === undefined ? null : [...new Set(filter.layers)].sort(),
    minLevel,
    filter.text?.toLowerCase() ?? null,
    filter.fields === undefined
      ? null
      : Object.entries(filter.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);
  return {
    key,
    role,
    plain: text === undefined && fields === undefined && role.redact.length === 0,
    accept(layer: string, level: number): boolean {
      return (
        level >= minLevel &&
        (roleLayers === undefined || roleLayers.has(layer)) &&
        (layers === undefined || layers.has(layer))
      );
    },
    matches(e: RingEntry): boolean {
      if (e.level < minLevel) return false;
      if (roleLayers !== undefined && !roleLayers.has(e.layer)) return false;
      if (layers !== undefined && !layers.has(e.layer)) return false;
      if (text !== undefined && !text.test(e.json)) return false;
      if (fields !== undefined) {
        e.parsed ??= JSON.parse(e.json) as Record<string, unknown>;
        for (const [path, want] of fields) if (valueAt(e.parsed, path) !== want) return false;
      }
      return true;
    },
    render(e: RingEntry): string | undefined {
      if (role.redact.length === 0) return e.json;
      try {
        const obj = JSON.parse(e.json) as Record<string, unknown>;
        let changed = false;
        for (const path of role.redact) changed = redactAt(obj, path) || changed;
        return changed ? JSON.stringify(obj) : e.json;
      } catch {
        return undefined;
      }
    },
  };
}

function valueAt(obj: unknown, path: readonly string[]): unknown {
  let v = obj;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function redactAt(obj: Record<string, unknown>, path: readonly string[]): boolean {
  let v: unknown = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i] as string;
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return false;
    v = (v as Record<string, unknown>)[k];
  }
  const last = path.at(-1) as string;
  if (typeof v !== 'object' || v === null || !Object.hasOwn(v, last)) return false;
  (v as Record<string, unknown>)[last] = REDACTED;
  return true;
}
