import { HydraLogger, type HydraLoggerOptions, type MemoryDestination } from '../src/index.js';

/** A logger whose every layer writes JSON lines into a memory destination; returns the parsed lines. */
export function memoryLogger(
  extra: Partial<HydraLoggerOptions> & { level?: string; destination?: Partial<MemoryDestination> } = {},
) {
  const { level, destination, ...options } = extra;
  const logger = new HydraLogger({
    config: {
      ...(level !== undefined && { defaultLevel: level as never }),
      layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json', ...destination }] } },
    },
    ...options,
  });
  const lines = () => logger.memory()?.lines() ?? [];
  const records = () => lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}

/**
 * Runs `fn` and returns its result with the CPU time this process spent on it, in ms. Bounded-time
 * tests use it instead of the wall clock: on a busy machine a linear computation waits for a core,
 * which says nothing about its cost. Test files run in processes of their own (pool: 'forks').
 */
export function cpuTime<T>(fn: () => T): { ms: number; value: T } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, value };
}
