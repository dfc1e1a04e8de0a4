import { DEFAULT_LIMITS } from '../../src/internal/limits.js';
import { LEVELS, levelName } from '../../src/record/levels.js';
import { Normalizer } from '../../src/record/normalize.js';
import type { Fields, LogRecord, SerializedError } from '../../src/record/record.js';

/**
 * A record built the way the logger builds one (normalized fields, the first top-level Error as
 * `error`), for processor tests that do not go through a logger.
 */
export function buildRecord(
  message: string,
  raw?: Fields,
  over: Partial<Omit<LogRecord, 'message' | 'fields'>> = {},
): LogRecord {
  const normalizer = new Normalizer({ ...DEFAULT_LIMITS });
  const fields = raw === undefined ? undefined : normalizer.fields(raw);
  let error: SerializedError | undefined;
  if (raw !== undefined && fields !== undefined)
    for (const k of Object.keys(raw))
      if (raw[k] instanceof Error) {
        error = fields[k] as SerializedError;
        break;
      }
  const level = over.level ?? LEVELS.INFO;
  return {
    time: 1_764_193_752_563,
    level,
    levelName: levelName(level),
    layer: 'APP',
    message: normalizer.string(message),
    fields,
    bindings: undefined,
    context: undefined,
    error,
    caller: undefined,
    ...over,
  };
}
