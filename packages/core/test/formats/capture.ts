import { vi } from 'vitest';
import { HydraLogger, type HydraLoggerOptions, type StreamDestination } from '../../src/index.js';

/** The instant every golden line is written at. */
export const NOW = new Date('2026-11-26T21:49:12.563Z');

/** Freezes `Date` at `at` (timers stay real) and the local time zone at `tz`; undo with {@link restoreClock}. */
export function freezeClock(at: Date = NOW, tz = 'UTC'): void {
  vi.useFakeTimers({ now: at, toFake: ['Date'] });
  // Node re-reads the zone when process.env.TZ is assigned (vi.stubEnv assigns it).
  vi.stubEnv('TZ', tz);
}

export function restoreClock(): void {
  vi.useRealTimers();
  vi.unstubAllEnvs();
}

/**
 * A logger whose every layer (level TRACE) writes to one `stream` destination calling a function:
 * `lines` receives each formatted line exactly as the destination gets it, `\n` included.
 */
export function capture(
  destination: Omit<Partial<StreamDestination>, 'type' | 'stream'> = {},
  options: Omit<HydraLoggerOptions, 'config'> = {},
): { logger: HydraLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = new HydraLogger({
    ...options,
    config: {
      layers: {
        DEFAULT: {
          level: 'trace',
          destinations: [{ type: 'stream', stream: (line: string) => lines.push(line), ...destination }],
        },
      },
    },
  });
  return { logger, lines };
}

/** The only line captured (fails loudly when there is not exactly one). */
export function only(lines: readonly string[]): string {
  if (lines.length !== 1)
    throw new Error(`expected exactly one line, got ${lines.length}: ${JSON.stringify(lines)}`);
  return lines[0] as string;
}

/** A fixed Error (stack included) so that lines holding it are byte-for-byte stable; with a cause. */
export function fixedError(): Error {
  const cause = new Error('connection refused');
  cause.stack = 'Error: connection refused\n    at connect (/srv/db.js:3:7)';
  const err = new Error('query failed', { cause });
  err.stack = 'Error: query failed\n    at handler (/srv/app.js:10:5)';
  return err;
}

/** One field of each kind the formats render differently. */
export function sampleFields(): Record<string, unknown> {
  return {
    name: 'John Smith',
    count: 42,
    ratio: 0.5,
    ok: true,
    gone: null,
    nested: { a: { b: 'x y' } },
    list: [1, 'two', false],
  };
}

/**
 * Control characters a format must never write raw (the final `\n` of a line aside): C0, DEL, C1,
 * U+2028, U+2029.
 */
export const RAW_CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
