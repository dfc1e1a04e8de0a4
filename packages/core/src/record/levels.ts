/**
 * Severity levels. The numbers are those of Python's `logging` module, plus `TRACE`.
 * `WARN` and `FATAL` are accepted as aliases of `WARNING` and `CRITICAL` wherever a level is named.
 */
export const LEVELS = Object.freeze({
  NOTSET: 0,
  TRACE: 5,
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const);

/** A canonical level name. */
export type LevelName = keyof typeof LEVELS;

/** Any spelling of a level accepted by config, environment and API (case-insensitive). */
export type LevelInput =
  | LevelName
  | Lowercase<LevelName>
  | 'WARN'
  | 'warn'
  | 'FATAL'
  | 'fatal'
  | 'OFF'
  | 'off'
  | number;

/** A level name as a key in config objects such as `levelColors` (any case, aliases included). */
export type LevelKey = LevelName | Lowercase<LevelName> | 'WARN' | 'warn' | 'FATAL' | 'fatal';

/** A level above every real level: a layer at `OFF` writes nothing. */
export const LEVEL_OFF = 1000;

const ALIASES: Readonly<Record<string, number>> = {
  ...LEVELS,
  WARN: LEVELS.WARNING,
  FATAL: LEVELS.CRITICAL,
  OFF: LEVEL_OFF,
  SILENT: LEVEL_OFF,
};

/** Names of the levels that a log call can use, in increasing severity. */
export const LEVEL_NAMES: readonly LevelName[] = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** Level number → canonical name, for the numbers in {@link LEVELS}. */
const NAME_OF: ReadonlyMap<number, LevelName> = new Map(
  (Object.keys(LEVELS) as LevelName[]).map((name) => [LEVELS[name], name]),
);

/** The allowed spellings, for error messages. */
export const LEVEL_CHOICES = 'trace, debug, info, warning (warn), error, critical (fatal), notset, off';

/** Parses a level name (any case, aliases included) or number; returns `undefined` when it is not one. */
export function parseLevel(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  return ALIASES[input.trim().toUpperCase()];
}

/** The canonical name of a level number; numbers between levels take the name of the level below. */
export function levelName(level: number): LevelName {
  const exact = NAME_OF.get(level);
  if (exact !== undefined) return exact;
  let best: LevelName = 'NOTSET';
  for (const [n, name] of NAME_OF) if (n <= level && n >= LEVELS[best]) best = name;
  return best;
}
