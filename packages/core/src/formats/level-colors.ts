import type { LevelName } from '../record/levels.js';
import { ANSI } from './colors.js';

/**
 * Maps colour names (or raw escape sequences starting with ESC) to escape sequences. Only own
 * keys of {@link ANSI} count: `toString` or `constructor` must not put a function's source in a line.
 */
export function resolveLevelColors(colors: Record<LevelName, string>): Record<LevelName, string> {
  const out = {} as Record<LevelName, string>;
  for (const [level, color] of Object.entries(colors) as [LevelName, string][]) {
    out[level] = color.startsWith('\x1b') ? color : Object.hasOwn(ANSI, color) ? (ANSI[color] as string) : '';
  }
  return out;
}
