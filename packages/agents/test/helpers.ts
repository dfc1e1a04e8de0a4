import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HydraLogger } from 'hydra-logger';
import { afterAll } from 'vitest';

/** Temporary directories made for the test file importing this, removed after its tests. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A logger writing json lines to memory (`lines()`), and to a file when `file` is set (`fileLines()`). */
export function jsonLogger(file = false) {
  let path = '';
  if (file) {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-agents-'));
    made.push(dir);
    path = join(dir, 'agents.log');
  }
  const destinations: Record<string, unknown>[] = [{ type: 'memory', format: 'json', maxLines: 100_000 }];
  if (file) destinations.push({ type: 'file', path, format: 'json' });
  const logger = new HydraLogger({
    config: { defaultLevel: 'DEBUG', layers: { DEFAULT: { level: 'DEBUG', destinations } } } as never,
  });
  const lines = () => (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
  const fileLines = () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, fileLines, path };
}

/** A clock tests move by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
