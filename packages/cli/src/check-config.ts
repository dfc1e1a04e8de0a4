import { ConfigFileError, ConfigValidationError, escapeText, loadConfig } from 'hydra-logger';
import type { CommandSpec, ParsedArgs } from './args.js';

export const checkConfigSpec: CommandSpec = {
  name: 'check-config',
  usage: 'hydra check-config <file>',
  short: 'validate a config file like the library does (exit 1 on error)',
  summary:
    'Validates a hydra-logger config file (.yaml/.yml, .toml, .json; `extends` followed) exactly as the\n' +
    'library does when given the file (`loadConfig`), and prints every problem with its path.',
  flags: [],
  positionals: { min: 1, max: 1, name: 'the config file' },
  notes: 'Exit codes: 0 valid ("ok"), 1 invalid or unreadable, 2 bad usage.',
};

export function runCheckConfig(args: ParsedArgs): number {
  const file = args.positionals[0] as string;
  try {
    const cfg = loadConfig(file);
    const layers = Object.keys(cfg.layers ?? {});
    const destinations = layers.reduce((n, l) => n + (cfg.layers?.[l]?.destinations?.length ?? 0), 0);
    process.stdout.write(
      `ok: ${escapeText(file)} (${layers.length} layer${layers.length === 1 ? '' : 's'}, ${destinations} destination${destinations === 1 ? '' : 's'})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      const where = escapeText(err.source ?? file);
      process.stderr.write(
        `${where}: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}\n${err.issues
          .map((i) => `  ${escapeText(i.path || '(root)')}: ${escapeText(i.message)}\n`)
          .join('')}`,
      );
      return 1;
    }
    if (err instanceof ConfigFileError) {
      process.stderr.write(`${escapeText(err.message)}\n`);
      return 1;
    }
    throw err;
  }
}
