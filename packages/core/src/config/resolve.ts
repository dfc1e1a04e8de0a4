import { CONFIG_LIMITS } from '../internal/limits.js';
import { loadConfigChunk } from '../internal/load-config.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import { PII_PATTERNS } from '../security/pii-patterns.js';
import { ALIASES, FORBIDDEN_KEYS, isObject } from './checker.js';
import { FORMATTING_KEYS, SECURITY_KEYS } from './config-keys.js';
import { configFromEnvVariables } from './env.js';
import { mergeConfigs } from './merge.js';
import type { LoggingConfig } from './types.js';

/** Config file (the `config` path, else `HYDRA_LOG_CONFIG`) < `HYDRA_LOG_*` variables < the `config` object. */
export function resolveConfig(
  config: LoggingConfig | string | undefined,
  env: NodeJS.ProcessEnv,
  formatting: LoggingConfig,
): LoggingConfig {
  const filePath = typeof config === 'string' ? config : env.HYDRA_LOG_CONFIG || undefined;
  const file = filePath === undefined ? undefined : loadExtrasChunk().loadConfig(filePath);
  const object = config === undefined || typeof config === 'string' ? undefined : aliasesResolved(config);
  const merged = mergeConfigs<LoggingConfig>(file, configFromEnvVariables(env), object, formatting);
  // Zero-config: nothing to check (validating `{}` returns `{}`), and startup skips the validator.
  return Object.keys(merged).length === 0 ? merged : loadConfigChunk().validateConfig(merged);
}

/**
 * The config object with snake_case keys renamed to their camelCase names in every nested plain
 * object, so that merging it over the file and the environment compares like keys (`default_level`
 * overrides a file's `defaultLevel`). Arrays (destinations, plugins) are replaced whole by a merge and
 * are left as they are; everything is checked once, after the merge. Not an object: the one check
 * that reports it.
 */
function aliasesResolved(config: unknown): LoggingConfig {
  if (!isObject(config)) return loadConfigChunk().validateConfig(config);
  // `layerNames`: the keys of `layers` are the user's layer names, never renamed.
  const rename = (o: Record<string, unknown>, depth: number, layerNames = false): Record<string, unknown> => {
    if (depth > CONFIG_LIMITS.maxDepth) return o; // mergeConfigs reports it
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(o)) {
      const v = o[key];
      // Forbidden keys are kept as they are: mergeConfigs refuses them with their path.
      const name = layerNames || FORBIDDEN_KEYS.has(key) ? key : (ALIASES[key] ?? key);
      const nested = isObject(v) && !Array.isArray(v) && isPlain(v);
      const value = nested ? rename(v, depth + 1, depth === 0 && name === 'layers') : v;
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return rename(config, 0) as LoggingConfig;
}

const isPlain = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

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
