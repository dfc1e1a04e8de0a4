import { loadExtrasChunk } from '../internal/load-extras.js';
import { PII_PATTERNS } from '../security/pii-patterns.js';
import { configFromEnvVariables } from './env.js';
import { mergeConfigs } from './merge.js';
import type { LoggingConfig } from './types.js';
import { FORMATTING_KEYS, SECURITY_KEYS, validateConfig } from './validate.js';

/** Config file (the `config` path, else `HYDRA_LOG_CONFIG`) < `HYDRA_LOG_*` variables < the `config` object. */
export function resolveConfig(
  config: LoggingConfig | string | undefined,
  env: NodeJS.ProcessEnv,
  formatting: LoggingConfig,
): LoggingConfig {
  const filePath = typeof config === 'string' ? config : env.HYDRA_LOG_CONFIG || undefined;
  const file = filePath === undefined ? undefined : loadExtrasChunk().loadConfig(filePath);
  const object = config === undefined || typeof config === 'string' ? undefined : validateConfig(config);
  return validateConfig(mergeConfigs(file, configFromEnvVariables(env), object, formatting));
}

/** Constructor options that are also config keys (formatting, security), at constructor precedence. */
const CONFIG_OPTION_KEYS = [...FORMATTING_KEYS, ...SECURITY_KEYS, 'enablePlugins'] as const;

/**
 * The config keys the constructor's options set: the performance modes' defaults (what they turn
 * off), then the options that are also config keys, merged over them.
 */
export function constructorConfig(
  options: { [K in (typeof CONFIG_OPTION_KEYS)[number]]?: LoggingConfig[K] | undefined },
  mode: 'fast' | 'bare' | undefined,
): LoggingConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_OPTION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return mergeConfigs<LoggingConfig>(modeDefaults(mode), out as LoggingConfig);
}

/** What the performance modes turn off, as config (explicit constructor options are merged over it). */
function modeDefaults(mode: 'fast' | 'bare' | undefined): LoggingConfig {
  if (mode === undefined) return {};
  const keysOnly: LoggingConfig = {
    enableSecurity: false,
    redaction: { removePatterns: PII_PATTERNS.map((p) => p.name) },
  };
  return mode === 'bare' ? { ...keysOnly, enableSanitization: false } : keysOnly;
}
