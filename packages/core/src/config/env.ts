import { EnvironmentError } from '../errors.js';
import { ANSI } from '../formats/colors.js';
import { FORMAT_NAMES } from '../formats/index.js';
import { STRFTIME_DIRECTIVES, strftimeProblems } from '../formats/strftime.js';
import { templateProblems } from '../formats/template.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import { LEVEL_CHOICES, LEVEL_NAMES, parseLevel } from '../record/levels.js';
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
    out.consoleFormat = format as LoggingConfig['consoleFormat'] & string;
  }
  const formatting: [
    string,
    'dateFormat' | 'timeFormat' | 'loggerNameFormat' | 'messageFormat',
    readonly string[] | undefined,
  ][] = [
    ['HYDRA_LOG_DATE_FORMAT', 'dateFormat', undefined],
    ['HYDRA_LOG_TIME_FORMAT', 'timeFormat', undefined],
    ['HYDRA_LOG_LOGGER_NAME_FORMAT', 'loggerNameFormat', ['name', 'layer']],
    ['HYDRA_LOG_MESSAGE_FORMAT', 'messageFormat', ['message', 'level', 'name', 'layer']],
  ];
  for (const [variable, key, placeholders] of formatting) {
    const v = env[variable];
    if (v === undefined || v === '') continue;
    const problems = placeholders === undefined ? strftimeProblems(v) : templateProblems(v, placeholders);
    if (problems.length > 0)
      throw new EnvironmentError(
        variable,
        v,
        placeholders === undefined
          ? `a strftime format using ${[...STRFTIME_DIRECTIVES].map((d) => `%${d}`).join(' ')} (${problems[0]})`
          : `a template using ${placeholders.map((p) => `{${p}}`).join(' ')} (${problems[0]})`,
      );
    out[key] = v;
  }
  const redact = env.HYDRA_LOG_REDACT_SENSITIVE;
  if (redact !== undefined && redact !== '') {
    const v = redact.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) out.enableSanitization = true;
    else if (['false', '0', 'no', 'off'].includes(v)) out.enableSanitization = false;
    else
      throw new EnvironmentError(
        'HYDRA_LOG_REDACT_SENSITIVE',
        redact,
        'true, false, 1, 0, yes, no, on or off',
      );
  }
  for (const name of LEVEL_NAMES) {
    const variable = `HYDRA_LOG_COLOR_${name}`;
    const v = env[variable];
    if (v === undefined || v === '') continue;
    if (!Object.hasOwn(ANSI, v))
      throw new EnvironmentError(variable, v, `a colour: ${Object.keys(ANSI).join(', ')}`);
    out.levelColors = { ...out.levelColors, [name]: v };
  }
  return out;
}

/**
 * The configuration from the environment: the file named by `HYDRA_LOG_CONFIG` (if any), with the
 * `HYDRA_LOG_*` variables over it. Variables are read once, here.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LoggingConfig {
  const file = env.HYDRA_LOG_CONFIG;
  return mergeConfigs<LoggingConfig>(
    file ? loadExtrasChunk().loadConfig(file) : undefined,
    configFromEnvVariables(env),
  );
}
