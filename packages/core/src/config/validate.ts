import { type ConfigIssue, ConfigValidationError } from '../errors.js';
import { ANSI, COLOR_MODES } from '../formats/colors.js';
import { FORMAT_NAMES } from '../formats/index.js';
import { strftimeProblems } from '../formats/strftime.js';
import { TEMPLATE_PLACEHOLDERS, templateProblems } from '../formats/template.js';
import { lazyCrypto } from '../internal/builtins.js';
import { didYouMean } from '../internal/did-you-mean.js';
import { CONFIG_LIMITS } from '../internal/limits.js';
import { checkPluginEntries, copyPluginOptions, isOptionsObject } from '../plugins/options.js';
import { LEVEL_CHOICES, parseLevel } from '../record/levels.js';
import { parseRotateInterval, parseSizeLimit } from '../writers/rotation.js';
import type { LoggingConfig } from './types.js';

/** snake_case keys, accepted as aliases of the camelCase ones (config files written for other loggers' conventions). */
const ALIASES: Readonly<Record<string, string>> = {
  default_level: 'defaultLevel',
  console_format: 'consoleFormat',
  color_mode: 'colorMode',
  buffer_size: 'bufferSize',
  flush_interval: 'flushInterval',
  max_lines: 'maxLines',
  level_colors: 'levelColors',
  app_name: 'appName',
  max_size: 'maxSize',
  backup_count: 'backupCount',
  rotate_interval: 'rotateInterval',
  enable_sanitization: 'enableSanitization',
  enable_security: 'enableSecurity',
  threat_policy: 'threatPolicy',
  detect_environment: 'detectEnvironment',
  enable_plugins: 'enablePlugins',
  remove_patterns: 'removePatterns',
  sensitive_keys: 'sensitiveKeys',
  remove_sensitive_keys: 'removeSensitiveKeys',
  date_format: 'dateFormat',
  time_format: 'timeFormat',
  logger_name_format: 'loggerNameFormat',
  message_format: 'messageFormat',
};

const FORMATTING_KEYS = ['dateFormat', 'timeFormat', 'loggerNameFormat', 'messageFormat'];
const SECURITY_KEYS = [
  'enableSanitization',
  'enableSecurity',
  'threatPolicy',
  'redaction',
  'pseudonymize',
  'detectEnvironment',
];
const CONFIG_KEYS = [
  'layers',
  'defaultLevel',
  'consoleFormat',
  'levelColors',
  ...FORMATTING_KEYS,
  ...SECURITY_KEYS,
  'plugins',
  'enablePlugins',
];
const LAYER_KEYS = ['level', 'destinations', 'enabled', 'color'];
const DESTINATION_KEYS = [
  'type',
  'level',
  'format',
  'colorMode',
  'path',
  'stream',
  'mode',
  'bufferSize',
  'flushInterval',
  'maxLines',
  'maxBufferedBytes',
  'name',
  'levelColors',
  'appName',
  'facility',
  'rfc',
  'hostname',
  'maxSize',
  'backupCount',
  'rotateInterval',
  'compress',
  'fsync',
  'template',
  'options',
  ...FORMATTING_KEYS,
];
export const BUILTIN_DESTINATIONS = ['console', 'file', 'stream', 'memory', 'null'];

/** While > 0, destination types and format names are not checked: the logger checks them again once its plugins are loaded. */
let namesDeferred = 0;

/** Runs `fn` (which validates) accepting any destination type and format name. Internal: used by the plugin host. */
export function withPluginNamesDeferred<T>(fn: () => T): T {
  namesDeferred++;
  try {
    return fn();
  } finally {
    namesDeferred--;
  }
}
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A Writable, by shape: `instanceof` would load node:stream at startup, and fails across realms. */
const isWritable = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { write?: unknown }).write === 'function' &&
  typeof (v as { on?: unknown }).on === 'function';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

class Checker {
  readonly issues: ConfigIssue[] = [];
  /** Problems past `CONFIG_LIMITS.maxIssues`: counted, not listed. */
  unlisted = 0;
  fail(path: string, message: string): void {
    if (this.issues.length < CONFIG_LIMITS.maxIssues) this.issues.push({ path, message });
    else this.unlisted++;
  }
  /** The error for what was found, or `undefined` when the config is valid. */
  error(source: string | undefined): ConfigValidationError | undefined {
    if (this.issues.length === 0) return undefined;
    const listed =
      this.unlisted === 0
        ? this.issues
        : [...this.issues, { path: '', message: `and ${this.unlisted} more problems, not listed` }];
    return new ConfigValidationError(listed, source);
  }

  /** Copies `input` to a fresh object with aliases resolved; reports unknown and forbidden keys. */
  keys(input: Record<string, unknown>, allowed: readonly string[], path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const raw of Object.keys(input)) {
      const key = ALIASES[raw] ?? raw;
      const at = path ? `${path}.${raw}` : raw;
      if (FORBIDDEN_KEYS.has(raw)) this.fail(at, 'this key is not allowed (prototype pollution guard)');
      else if (!allowed.includes(key)) this.fail(at, `unknown key${didYouMean(raw, allowed)}`);
      else out[key] = input[raw];
    }
    return out;
  }

  level(v: unknown, path: string): void {
    if (v !== undefined && parseLevel(v) === undefined)
      this.fail(path, `expected a level (${LEVEL_CHOICES}), got ${show(v)}`);
  }

  oneOf(v: unknown, choices: readonly string[], path: string): void {
    if (v !== undefined && !(typeof v === 'string' && choices.includes(v)))
      this.fail(path, `expected one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${show(v)}`);
  }

  positiveInt(v: unknown, path: string): void {
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0))
      this.fail(path, `expected a positive integer, got ${show(v)}`);
  }

  /** strftime formats and templates: each problem (unknown directive or placeholder) named. */
  formatting(d: Record<string, unknown>, path: string): void {
    for (const key of ['dateFormat', 'timeFormat']) {
      const v = d[key];
      if (v === undefined) continue;
      if (typeof v !== 'string')
        this.fail(`${path}${key}`, `expected a strftime format such as "%Y-%m-%d", got ${show(v)}`);
      else for (const p of strftimeProblems(v)) this.fail(`${path}${key}`, p);
    }
    const templates: [string, readonly string[]][] = [
      ['template', TEMPLATE_PLACEHOLDERS],
      ['loggerNameFormat', ['name', 'layer']],
      ['messageFormat', ['message', 'level', 'name', 'layer']],
    ];
    for (const [key, allowed] of templates) {
      const v = d[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') this.fail(`${path}${key}`, `expected a template string, got ${show(v)}`);
      else for (const p of templateProblems(v, allowed)) this.fail(`${path}${key}`, p);
    }
  }

  color(v: unknown, path: string): void {
    if (v === undefined) return;
    if (typeof v !== 'string' || !(Object.hasOwn(ANSI, v) || v.startsWith('\x1b')))
      this.fail(
        path,
        `expected a colour (${Object.keys(ANSI).join(', ')}) or an escape sequence, got ${show(v)}`,
      );
  }

  levelColors(v: unknown, path: string): void {
    if (v === undefined) return;
    if (!isObject(v)) {
      this.fail(path, `expected an object of level → colour, got ${show(v)}`);
      return;
    }
    for (const [lv, color] of Object.entries(v)) {
      this.level(lv, `${path}.${lv}`);
      this.color(color, `${path}.${lv}`);
    }
  }

  string(v: unknown, path: string): void {
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      this.fail(path, `expected a non-empty string, got ${show(v)}`);
  }
}

/**
 * Validates a configuration object and returns a normalized copy (aliases resolved, the caller's
 * object untouched). Throws {@link ConfigValidationError} listing every problem with its path (the
 * first 100). A config larger than `CONFIG_LIMITS` (10,000 layers, 1,000 destinations per layer …;
 * docs/limits.md) is refused first, before the checks whose cost grows with it.
 * `extra.destinations`/`extra.formats` are names provided by plugins; `extra.source` names where the
 * config came from, for the error message.
 */
export function validateConfig(
  input: unknown,
  extra: { destinations?: Iterable<string>; formats?: Iterable<string>; source?: string } = {},
): LoggingConfig {
  const c = new Checker();
  const destinationTypes = [...BUILTIN_DESTINATIONS, ...(extra.destinations ?? [])];
  const formats = [...FORMAT_NAMES, ...(extra.formats ?? [])];
  if (!isObject(input))
    throw new ConfigValidationError(
      [{ path: '', message: `expected an object, got ${show(input)}` }],
      extra.source,
    );
  const cfg = c.keys(input, CONFIG_KEYS, '');
  // Sizes first: a config past a limit is refused before the work that grows with it.
  const sizes = new Checker();
  checkSizes(sizes, cfg);
  const tooBig = sizes.error(extra.source);
  if (tooBig !== undefined) throw tooBig;
  c.level(cfg.defaultLevel, 'defaultLevel');
  if (!(namesDeferred > 0 && typeof cfg.consoleFormat === 'string'))
    c.oneOf(cfg.consoleFormat, formats, 'consoleFormat');
  c.formatting(cfg, '');
  c.levelColors(cfg.levelColors, 'levelColors');
  securityKeys(c, cfg);
  if (cfg.plugins !== undefined) cfg.plugins = checkPluginEntries(cfg.plugins, (p, m) => c.fail(p, m));
  if (cfg.enablePlugins !== undefined && typeof cfg.enablePlugins !== 'boolean')
    c.fail('enablePlugins', `expected true or false, got ${show(cfg.enablePlugins)}`);
  const layersOut: Record<string, unknown> = {};
  const names = new Map<string, string>();
  if (cfg.layers !== undefined) {
    if (!isObject(cfg.layers)) c.fail('layers', `expected an object of layers, got ${show(cfg.layers)}`);
    else {
      for (const name of Object.keys(cfg.layers)) {
        const lp = `layers.${name}`;
        if (FORBIDDEN_KEYS.has(name)) {
          c.fail(lp, 'this layer name is not allowed (prototype pollution guard)');
          continue;
        }
        if (/^__.*__$/.test(name)) {
          c.fail(lp, 'layer names of the form __X__ are reserved');
          continue;
        }
        const rawLayer = cfg.layers[name];
        if (!isObject(rawLayer)) {
          c.fail(lp, `expected a layer object, got ${show(rawLayer)}`);
          continue;
        }
        const layer = c.keys(rawLayer, LAYER_KEYS, lp);
        c.level(layer.level, `${lp}.level`);
        c.color(layer.color, `${lp}.color`);
        if (layer.enabled !== undefined && typeof layer.enabled !== 'boolean')
          c.fail(`${lp}.enabled`, `expected true or false, got ${show(layer.enabled)}`);
        if (layer.destinations !== undefined) {
          if (!Array.isArray(layer.destinations)) {
            c.fail(`${lp}.destinations`, `expected an array, got ${show(layer.destinations)}`);
          } else {
            layer.destinations = layer.destinations.map((d, i) => {
              const at = `${lp}.destinations[${i}]`;
              const out = destination(c, d, at, destinationTypes, formats) as { name?: unknown };
              if (typeof out?.name === 'string') {
                const first = names.get(out.name);
                if (first === undefined) names.set(out.name, at);
                else
                  c.fail(
                    `${at}.name`,
                    `"${out.name}" is already the name of ${first}; destination names must be unique`,
                  );
              }
              return out;
            });
          }
        }
        Object.defineProperty(layersOut, name, {
          value: layer,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    cfg.layers = layersOut;
  }
  const error = c.error(extra.source);
  if (error !== undefined) throw error;
  return cfg as LoggingConfig;
}

/**
 * Reports the collections of `cfg` (top-level keys already resolved) past their `CONFIG_LIMITS`. Only
 * lengths are read: the cost does not depend on what the entries hold.
 */
function checkSizes(c: Checker, cfg: Record<string, unknown>): void {
  const over = (path: string, n: number, what: string, limit: keyof typeof CONFIG_LIMITS): void => {
    const max = CONFIG_LIMITS[limit];
    if (n > max)
      c.fail(path, `${n} ${what}, more than the limit of ${max} (CONFIG_LIMITS.${limit}, docs/limits.md)`);
  };
  const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
  if (isObject(cfg.layers)) {
    const names = Object.keys(cfg.layers);
    over('layers', names.length, 'layers', 'maxLayers');
    if (names.length <= CONFIG_LIMITS.maxLayers) {
      let total = 0;
      for (const name of names) {
        const layer = cfg.layers[name];
        const n = isObject(layer) ? lengthOf(layer.destinations) : 0;
        over(`layers.${name}.destinations`, n, 'destinations', 'maxDestinationsPerLayer');
        total += n;
      }
      over('layers', total, 'destinations in all layers', 'maxDestinations');
    }
  }
  over('plugins', lengthOf(cfg.plugins), 'plugins', 'maxPlugins');
  if (isObject(cfg.redaction))
    for (const raw of Object.keys(cfg.redaction)) {
      const key = ALIASES[raw] ?? raw;
      const n = lengthOf(cfg.redaction[raw]);
      if (key === 'patterns') over(`redaction.${raw}`, n, 'patterns', 'maxRedactionPatterns');
      else over(`redaction.${raw}`, n, 'entries', 'maxListEntries');
    }
  if (isObject(cfg.pseudonymize))
    over('pseudonymize.fields', lengthOf(cfg.pseudonymize.fields), 'fields', 'maxListEntries');
}

function destination(c: Checker, raw: unknown, p: string, types: string[], formats: string[]): unknown {
  if (!isObject(raw)) {
    c.fail(p, `expected a destination object, got ${show(raw)}`);
    return raw;
  }
  const d = c.keys(raw, DESTINATION_KEYS, p);
  if (typeof d.type !== 'string' || !(namesDeferred > 0 || types.includes(d.type))) {
    const hint = typeof d.type === 'string' ? didYouMean(d.type, types) : '';
    c.fail(
      `${p}.type`,
      `expected one of ${types.map((t) => `"${t}"`).join(', ')}, got ${show(d.type)}${hint}`,
    );
  }
  c.level(d.level, `${p}.level`);
  if (
    d.format !== undefined &&
    !(typeof d.format === 'string' && (namesDeferred > 0 || formats.includes(d.format)))
  ) {
    const hint = typeof d.format === 'string' ? didYouMean(d.format, formats) : '';
    c.fail(
      `${p}.format`,
      `expected one of ${formats.map((f) => `"${f}"`).join(', ')}, got ${show(d.format)}${hint}`,
    );
  }
  c.oneOf(d.colorMode, COLOR_MODES, `${p}.colorMode`);
  c.oneOf(d.mode, ['sync', 'buffered', 'worker'], `${p}.mode`);
  c.oneOf(d.rfc, ['5424', '3164'], `${p}.rfc`);
  c.positiveInt(d.bufferSize, `${p}.bufferSize`);
  c.positiveInt(d.flushInterval, `${p}.flushInterval`);
  c.positiveInt(d.maxLines, `${p}.maxLines`);
  c.string(d.name, `${p}.name`);
  c.string(d.appName, `${p}.appName`);
  c.string(d.hostname, `${p}.hostname`);
  if (
    d.facility !== undefined &&
    !(Number.isInteger(d.facility) && (d.facility as number) >= 0 && (d.facility as number) <= 23)
  )
    c.fail(`${p}.facility`, `expected an integer from 0 to 23, got ${show(d.facility)}`);
  if (d.type === 'file') {
    if (typeof d.path !== 'string' || d.path === '')
      c.fail(`${p}.path`, `expected a file path, got ${show(d.path)}`);
  } else if (d.path !== undefined) c.fail(`${p}.path`, `only "file" destinations take a path`);
  rotation(c, d, p);
  if (d.type === 'console') c.oneOf(d.stream, ['stdout', 'stderr'], `${p}.stream`);
  if (d.fsync !== undefined && typeof d.fsync !== 'boolean')
    c.fail(`${p}.fsync`, `expected true or false, got ${show(d.fsync)}`);
  else if (d.fsync === true && d.type !== 'file')
    c.fail(`${p}.fsync`, `only "file" destinations can be fsynced, this one is ${show(d.type)}`);
  else if (d.fsync === true && d.mode === 'worker')
    c.fail(`${p}.fsync`, `not available with mode "worker" (use mode "sync", or an AsyncHydraLogger)`);
  if (d.mode === 'worker' && (d.type === 'stream' || d.type === 'memory' || d.type === 'null'))
    c.fail(`${p}.mode`, `"worker" is for "console" and "file" destinations, this one is ${show(d.type)}`);
  if (d.type === 'stream' && !(isWritable(d.stream) || typeof d.stream === 'function'))
    c.fail(`${p}.stream`, `expected a Writable stream or a function (line) => void, got ${show(d.stream)}`);
  if (d.maxBufferedBytes !== undefined) {
    if (d.type !== 'stream')
      c.fail(`${p}.maxBufferedBytes`, `only "stream" destinations take it, this one is ${show(d.type)}`);
    else if (
      !(
        typeof d.maxBufferedBytes === 'number' &&
        Number.isSafeInteger(d.maxBufferedBytes) &&
        d.maxBufferedBytes > 0
      )
    )
      c.fail(
        `${p}.maxBufferedBytes`,
        `expected a positive integer (bytes held while the stream is above its highWaterMark), got ${show(d.maxBufferedBytes)}`,
      );
  }
  c.levelColors(d.levelColors, `${p}.levelColors`);
  c.formatting(d, `${p}.`);
  if (d.options !== undefined) {
    if (BUILTIN_DESTINATIONS.includes(d.type as string))
      c.fail(
        `${p}.options`,
        `only destinations of a plugin-provided type take options, this one is ${show(d.type)}`,
      );
    else if (!isOptionsObject(d.options))
      c.fail(`${p}.options`, `expected an object, got ${show(d.options)}`);
    else d.options = copyPluginOptions(d.options, `${p}.options`, (at, m) => c.fail(at, m));
  }
  return d;
}

/** `enableSanitization`, `enableSecurity`, `threatPolicy`, `redaction`, `pseudonymize`, `detectEnvironment`. */
function securityKeys(c: Checker, cfg: Record<string, unknown>): void {
  for (const key of ['enableSanitization', 'enableSecurity', 'detectEnvironment'])
    if (cfg[key] !== undefined && typeof cfg[key] !== 'boolean')
      c.fail(key, `expected true or false, got ${show(cfg[key])}`);
  c.oneOf(cfg.threatPolicy, ['tag', 'block', 'off'], 'threatPolicy');
  if (cfg.redaction !== undefined) {
    if (!isObject(cfg.redaction)) c.fail('redaction', `expected an object, got ${show(cfg.redaction)}`);
    else {
      const r = c.keys(
        cfg.redaction,
        ['patterns', 'removePatterns', 'sensitiveKeys', 'removeSensitiveKeys'],
        'redaction',
      );
      cfg.redaction = r;
      list(c, r.patterns, 'redaction.patterns', (p, at) => {
        if (!isObject(p)) return c.fail(at, `expected { name, pattern, placeholder? }, got ${show(p)}`);
        c.keys(p, ['name', 'pattern', 'placeholder'], at);
        c.string(p.name, `${at}.name`);
        if (p.name === undefined) c.fail(`${at}.name`, 'expected a non-empty string, got undefined');
        if (typeof p.pattern === 'string') {
          try {
            new RegExp(p.pattern);
          } catch (err) {
            c.fail(
              `${at}.pattern`,
              `expected a regular expression, got ${show(p.pattern)} (${(err as Error).message})`,
            );
          }
        } else if (!(p.pattern instanceof RegExp))
          c.fail(`${at}.pattern`, `expected a regular expression, got ${show(p.pattern)}`);
        if (p.placeholder !== undefined && typeof p.placeholder !== 'string')
          c.fail(`${at}.placeholder`, `expected a string, got ${show(p.placeholder)}`);
      });
      list(c, r.removePatterns, 'redaction.removePatterns', (v, at) => c.string(v ?? '', at));
      list(c, r.removeSensitiveKeys, 'redaction.removeSensitiveKeys', (v, at) => c.string(v ?? '', at));
      list(c, r.sensitiveKeys, 'redaction.sensitiveKeys', (k, at) => {
        if (typeof k === 'string') return c.string(k, at);
        if (!isObject(k)) return c.fail(at, `expected a key or { key, match }, got ${show(k)}`);
        c.keys(k, ['key', 'match'], at);
        c.string(k.key ?? '', `${at}.key`);
        c.oneOf(k.match, ['exact', 'suffix', 'contains'], `${at}.match`);
      });
    }
  }
  if (cfg.pseudonymize !== undefined) {
    if (!isObject(cfg.pseudonymize))
      c.fail('pseudonymize', `expected { fields, algorithm?, salt? }, got ${show(cfg.pseudonymize)}`);
    else {
      const p = c.keys(cfg.pseudonymize, ['fields', 'algorithm', 'salt'], 'pseudonymize');
      cfg.pseudonymize = p;
      if (!Array.isArray(p.fields) || p.fields.length === 0)
        c.fail('pseudonymize.fields', `expected a non-empty list of field names, got ${show(p.fields)}`);
      else list(c, p.fields, 'pseudonymize.fields', (v, at) => c.string(v ?? '', at));
      if (
        p.algorithm !== undefined &&
        !(typeof p.algorithm === 'string' && lazyCrypto().getHashes().includes(p.algorithm))
      )
        c.fail(
          'pseudonymize.algorithm',
          `expected a node:crypto hash such as "sha256", got ${show(p.algorithm)}`,
        );
      c.string(p.salt, 'pseudonymize.salt');
    }
  }
}

function list(c: Checker, v: unknown, path: string, each: (item: unknown, at: string) => void): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) {
    c.fail(path, `expected a list, got ${show(v)}`);
    return;
  }
  for (const [i, item] of v.entries()) each(item, `${path}[${i}]`);
}

/** `maxSize`, `backupCount`, `rotateInterval`, `compress` (docs/rotation.md): file destinations only. */
function rotation(c: Checker, d: Record<string, unknown>, p: string): void {
  const keys = ['maxSize', 'backupCount', 'rotateInterval', 'compress'].filter((k) => d[k] !== undefined);
  if (keys.length === 0) return;
  if (d.type !== 'file') {
    for (const k of keys) c.fail(`${p}.${k}`, `only "file" destinations rotate, this one is ${show(d.type)}`);
    return;
  }
  if (d.maxSize !== undefined && parseSizeLimit(d.maxSize) === undefined)
    c.fail(
      `${p}.maxSize`,
      `expected a size like "5MB", "10KiB" or a number of bytes, got ${show(d.maxSize)}`,
    );
  if (d.rotateInterval !== undefined && parseRotateInterval(d.rotateInterval) === undefined)
    c.fail(
      `${p}.rotateInterval`,
      `expected "hourly", "daily", a duration like "30s", "15m", "2h", "1d" or a number of ms, got ${show(d.rotateInterval)}`,
    );
  if (
    d.backupCount !== undefined &&
    !(typeof d.backupCount === 'number' && Number.isInteger(d.backupCount) && d.backupCount >= 0)
  )
    c.fail(`${p}.backupCount`, `expected an integer ≥ 0 (backups kept), got ${show(d.backupCount)}`);
  if (d.compress !== undefined && typeof d.compress !== 'boolean')
    c.fail(`${p}.compress`, `expected true or false, got ${show(d.compress)}`);
  if (d.maxSize === undefined && d.rotateInterval === undefined)
    for (const k of ['backupCount', 'compress'].filter((k) => d[k] !== undefined))
      c.fail(`${p}.${k}`, 'takes effect only with maxSize or rotateInterval, and neither is set');
}
