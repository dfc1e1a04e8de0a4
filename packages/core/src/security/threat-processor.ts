import type { Processor } from '../pipeline/processor.js';
import type { Fields, LogRecord } from '../record/record.js';
import type { SecurityValidator, Threat } from './security-validator.js';
import type { ThreatSeverity, ThreatType } from './threat-patterns.js';

/**
 * What to do with a record that carries an attack payload: `tag` adds a `threats` field
 * (`[{ type, severity }]`) and counts it; `block` drops the record (counted by the logger as
 * `dropped["processor:threats"]`) and counts it, except a `security()`/`audit()`/`compliance()`
 * record, which is tagged; `off` does not look.
 */
export type ThreatPolicy = 'tag' | 'block' | 'off';

export interface ThreatStats {
  /** Records examined. */
  scanned: number;
  /** Records with at least one threat (tagged or blocked). */
  flagged: number;
  blocked: number;
  byType: Partial<Record<ThreatType, number>>;
  bySeverity: Partial<Record<ThreatSeverity, number>>;
}

export interface ThreatProcessor extends Processor {
  stats(): ThreatStats;
}

/** How much of a record is examined: string values this deep, this many of them. */
const SCAN_DEPTH = 4;
const SCAN_STRINGS = 100;

/** Collects the string values of a field tree (bounded by SCAN_DEPTH and SCAN_STRINGS). */
function strings(v: unknown, depth: number, out: string[]): void {
  if (out.length >= SCAN_STRINGS) return;
  if (typeof v === 'string') {
    out.push(v);
    return;
  }
  if (v === null || typeof v !== 'object' || depth >= SCAN_DEPTH) return;
  const items = Array.isArray(v) ? v : Object.values(v);
  for (const item of items) {
    if (out.length >= SCAN_STRINGS) return;
    strings(item, depth + 1, out);
  }
}

/** One entry per type, with its worst severity; worst first. */
function summarize(threats: readonly Threat[]): { type: ThreatType; severity: ThreatSeverity }[] {
  const order: Record<ThreatSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  const worst = new Map<ThreatType, ThreatSeverity>();
  for (const t of threats) {
    const seen = worst.get(t.type);
    if (seen === undefined || order[t.severity] < order[seen]) worst.set(t.type, t.severity);
  }
  return [...worst]
    .map(([type, severity]) => ({ type, severity }))
    .sort((a, b) => order[a.severity] - order[b.severity]);
}

/**
 * The `threats` step: the message and the string field values (bounded) checked by `validator`.
 * With `tag`, a flagged record is returned as a new record whose `fields` is a new object with
 * `threats`; a user field already named `threats` is kept as `_threats` so it cannot forge or
 * hide the verdict.
 */
export function createThreatProcessor(
  validator: SecurityValidator,
  policy: ThreatPolicy = 'tag',
): ThreatProcessor {
  const stats: ThreatStats = { scanned: 0, flagged: 0, blocked: 0, byType: {}, bySeverity: {} };
  return {
    name: 'threats',
    process(record: LogRecord): LogRecord | undefined {
      if (policy === 'off') return record;
      stats.scanned++;
      const texts = [record.message];
      strings(record.fields, 0, texts);
      const found: Threat[] = [];
      for (const t of texts) found.push(...validator.validateInput(t).threats);
      if (found.length === 0) return record;
      const summary = summarize(found);
      stats.flagged++;
      // Records per type (a record with two SQL signatures counts once) and per worst severity.
      for (const t of summary) stats.byType[t.type] = (stats.byType[t.type] ?? 0) + 1;
      for (const sev of new Set(summary.map((t) => t.severity)))
        stats.bySeverity[sev] = (stats.bySeverity[sev] ?? 0) + 1;
      // security(), audit() and compliance() records are always written: tagged, never
      // blocked, or an attacker could erase the audit record of their own attempt.
      if (policy === 'block' && record.kind === undefined) {
        stats.blocked++;
        return undefined;
      }
      const fields: Fields = {};
      for (const [k, v] of Object.entries(record.fields ?? {})) {
        Object.defineProperty(fields, k === 'threats' ? uniqueName(record.fields ?? {}) : k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      fields.threats = summary;
      return { ...record, fields };
    },
    stats: () => ({ ...stats, byType: { ...stats.byType }, bySeverity: { ...stats.bySeverity } }),
  };
}

function uniqueName(fields: Fields): string {
  let name = '_threats';
  while (Object.hasOwn(fields, name)) name = `_${name}`;
  return name;
}
