/** The core's levels, lowest first: name, number, CSS class, chart colour. */
export const LEVELS = [
  { name: 'TRACE', n: 5, cls: 'lv-trace', colour: '#7d8590' },
  { name: 'DEBUG', n: 10, cls: 'lv-debug', colour: '#58a6ff' },
  { name: 'INFO', n: 20, cls: 'lv-info', colour: '#3fb950' },
  { name: 'WARNING', n: 30, cls: 'lv-warning', colour: '#d29922' },
  { name: 'ERROR', n: 40, cls: 'lv-error', colour: '#f85149' },
  { name: 'CRITICAL', n: 50, cls: 'lv-critical', colour: '#db61a2' },
] as const;

const BY_NAME: Record<string, number> = {
  NOTSET: 0,
  TRACE: 5,
  DEBUG: 10,
  INFO: 20,
  WARN: 30,
  WARNING: 30,
  ERROR: 40,
  FATAL: 50,
  CRITICAL: 50,
};

/** A record's `level` (a name as the json format writes it, or a number) as a number; 0 if unknown. */
export function levelNumber(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') return BY_NAME[v.toUpperCase()] ?? 0;
  return 0;
}

/** Index into {@link LEVELS} of the level band a number falls in. */
export function levelIndex(n: number): number {
  if (n < 10) return 0;
  if (n < 20) return 1;
  if (n < 30) return 2;
  if (n < 40) return 3;
  if (n < 50) return 4;
  return 5;
}
