import { EnvironmentError } from '../errors.js';
import { FORMAT_NAMES, type FormatName } from '../formats/index.js';
import { LEVEL_CHOICES, parseLevel } from '../record/levels.js';

/** The environment variables read (once, at construction), validated. */
export interface EnvSettings {
  level?: number;
  format?: FormatName;
}

/** Reads `HYDRA_LOG_LEVEL` and `HYDRA_LOG_FORMAT`; an invalid value throws an {@link EnvironmentError} naming the variable. */
export function readEnv(env: NodeJS.ProcessEnv): EnvSettings {
  const out: EnvSettings = {};
  const level = env.HYDRA_LOG_LEVEL;
  if (level !== undefined && level !== '') {
    const n = parseLevel(level);
    if (n === undefined) throw new EnvironmentError('HYDRA_LOG_LEVEL', level, LEVEL_CHOICES);
    out.level = n;
  }
  const format = env.HYDRA_LOG_FORMAT;
  if (format !== undefined && format !== '') {
    if (!(FORMAT_NAMES as readonly string[]).includes(format))
      throw new EnvironmentError('HYDRA_LOG_FORMAT', format, FORMAT_NAMES.join(', '));
    out.format = format as FormatName;
  }
  return out;
}
