import { EnvironmentError } from '../errors.js';
import { FORMAT_NAMES } from '../formats/index.js';
import { LEVEL_CHOICES, parseLevel } from '../record/levels.js';
import { loadConfig } from './load.js';
import { mergeConfigs } from './merge.js';
import type { LoggingConfig } from './types.js';

/**
 * The configuration the environment asks for, from the `HYDRA_LOG_*` variables alone (not the
 * file named by `HYDRA_LOG_CONFIG`). An invalid value throws an {@link EnvironmentError} naming
 * the variable and the allowed values; an empty variable counts as unset.
 */
export function configFromEnvVariables(env: NodeJS.ProcessEnv): LoggingConfig {
  const out: LoggingConfig = {};
  const level = env.HYDRA_LOG_LEVEL;
  if (level !== undefined && level !== '') {
    if (parseLevel(level) === undefined) throw new EnvironmentError('HYDRA_LOG_LEVEL', level, LEVEL_CHOICES);
    out.defaultLevel = level as LoggingConfig['defaultLevel'] & string;
  }
  const format = env.HYDRA_LOG_FORMAT;
  if (format !== undefined && format !== '') {
    if (!(FORMAT_NAMES as readonly string[]).includes(format))
      throw new EnvironmentError('HYDRA_LOG_FORMAT', format, FORMAT_NAMES.join(', '));
    out.consoleFormat = format;
  }
  return out;
}

/**
 * The configuration from the environment: the file named by `HYDRA_LOG_CONFIG` (if any), with the
 * `HYDRA_LOG_*` variables over it. Variables are read once, here.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LoggingConfig {
  const file = env.HYDRA_LOG_CONFIG;
  return mergeConfigs<LoggingConfig>(file ? loadConfig(file) : undefined, configFromEnvVariables(env));
}
