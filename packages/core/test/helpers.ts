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
