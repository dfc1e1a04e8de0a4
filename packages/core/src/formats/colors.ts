import { isTerminal, lazyTty } from '../internal/builtins.js';
import type { LevelName } from '../record/levels.js';

/** `auto`: colour only on a TTY (honouring NO_COLOR, FORCE_COLOR, TERM=dumb); `always`; `never`. */
export type ColorMode = 'auto' | 'always' | 'never';

export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

/** Named colours usable in config (`colors: { INFO: 'green' }`, `HYDRA_LOG_COLOR_INFO=green`). */
export const ANSI: Readonly<Record<string, string>> = {
  black: '\x1b[30m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
  white: '\x1b[37m',
  gray: '\x1b[90m',
  grey: '\x1b[90m',
  brightRed: '\x1b[91m',
  brightGreen: '\x1b[92m',
  brightYellow: '\x1b[93m',
  brightBlue: '\x1b[94m',
  brightMagenta: '\x1b[95m',
  brightCyan: '\x1b[96m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  boldRed: '\x1b[1;91m',
};
export const RESET = '\x1b[0m';

export const DEFAULT_LEVEL_COLORS: Readonly<Record<LevelName, string>> = {
  NOTSET: 'gray',
  TRACE: 'gray',
  DEBUG: 'cyan',
  INFO: 'green',
  WARNING: 'yellow',
  ERROR: 'red',
  CRITICAL: 'boldRed',
};

/** Layer names get a stable colour from this palette (same name → same colour in every run). */
const LAYER_PALETTE = [
  'blue',
  'magenta',
  'cyan',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightGreen',
  'yellow',
];

export function layerColor(layer: string): string {
  let h = 0;
  for (let i = 0; i < layer.length; i++) h = (h * 31 + layer.charCodeAt(i)) | 0;
  return ANSI[LAYER_PALETTE[Math.abs(h) % LAYER_PALETTE.length] as string] as string;
}

/** Something that may be a terminal: a tty.WriteStream, or a file descriptor. */
export type ColorTarget = object | number | undefined;

/**
 * Decides whether a destination gets colour. `auto` follows Node's own rules
 * (`tty.WriteStream#getColorDepth`: FORCE_COLOR, NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb) on a
 * TTY; off a TTY only a set FORCE_COLOR (other than 0/false) turns colour on.
 */
export function shouldColor(
  mode: ColorMode,
  target: ColorTarget,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const isTTY =
    typeof target === 'number'
      ? isTerminal(target)
      : (target as { isTTY?: boolean } | undefined)?.isTTY === true;
  const force = env.FORCE_COLOR;
  if (!isTTY && (force === undefined || force === '0' || force === 'false')) return false;
  return lazyTty().WriteStream.prototype.getColorDepth.call(target ?? {}, env) > 2;
}
