import { destinationType, destinationTypes } from '../destinations/registry.js';
import type { OptionCheck } from '../destinations/type.js';
import { ConfigValidationError } from '../errors.js';
import { COLOR_MODES } from '../formats/colors.js';
import { FORMAT_NAMES } from '../formats/index.js';
import { lazyCrypto } from '../internal/builtins.js';
import { didYouMean } from '../internal/did-you-mean.js';
import { CONFIG_LIMITS } from '../internal/limits.js';
import { checkPluginEntries, copyPluginOptions, isOptionsObject } from '../plugins/options.js';
import { ALIASES, Checker, FORBIDDEN_KEYS, isObject, show } from './checker.js';
import { FORMATTING_KEYS, SECURITY_KEYS } from './config-keys.js';
import { namesDeferred } from './names-deferred.js';
import type { LoggingConfig } from './types.js';

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
/** Keys every destination takes, whatever its type (each type adds its own: destinations/registry.ts). */
const COMMON_DESTINATION_KEYS = [
  'type',
  'level',
  'format',
  'colorMode',
  'name',
  'levelColors',
  'appName',
  'facility',
  'rfc',
  'hostname',
  'template',
  'options',
  ...FORMATTING_KEYS,
];
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
  const reg = destinationKeys();
  const typeNames = [...reg.names, ...(extra.destinations ?? [])];
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
  if (cfg.consoleFormat !== undefined && (typeof cfg.consoleFormat !== 'string' || !namesDeferred()))
    checkName(c, cfg.consoleFormat, formats, 'consoleFormat');
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
              const out = destination(c, d, at, typeNames, formats, reg) as { name?: unknown };
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

/** A destination type or format name: one of `names` (a did-you-mean hint when close to one). */
function checkName(c: Checker, v: unknown, names: readonly string[], path: string): void {
  if (typeof v === 'string' && names.includes(v)) return;
  const hint = typeof v === 'string' ? didYouMean(v, names) : '';
  c.fail(path, `expected one of ${names.map((n) => `"${n}"`).join(', ')}, got ${show(v)}${hint}`);
}

/**
 * Checks the names that `withPluginNamesDeferred` let through — destination types, formats,
 * `consoleFormat` — of a config it validated, against the built-in names plus the plugins' (`extra`).
 * The rest was checked then, so this is all that is left: a config is validated once.
 */
export function checkConfigNames(
  cfg: LoggingConfig,
  extra: { destinations?: Iterable<string>; formats?: Iterable<string>; source?: string },
): LoggingConfig {
  if (cfg.consoleFormat === undefined && cfg.layers === undefined) return cfg; // no names to check
  const c = new Checker();
  const types = [...destinationKeys().names, ...(extra.destinations ?? [])];
  const formats = [...FORMAT_NAMES, ...(extra.formats ?? [])];
  if (cfg.consoleFormat !== undefined) checkName(c, cfg.consoleFormat, formats, 'consoleFormat');
  for (const [name, layer] of Object.entries(cfg.layers ?? {}))
    for (const [i, d] of (layer.destinations ?? []).entries()) {
      const at = `layers.${name}.destinations[${i}]`;
      checkName(c, d.type, types, `${at}.type`);
      if (d.format !== undefined) checkName(c, d.format, formats, `${at}.format`);
    }
  const error = c.error(extra.source);
  if (error !== undefined) throw error;
  return cfg;
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

/** The registry as validation reads it: every key some type takes, and what a key means on a type that does not. */
interface DestinationKeys {
  names: string[];
  keys: string[];
  /** key → its check on a type that does not take it, and the types that do. */
  foreign: Map<string, { owners: string[]; check: OptionCheck | undefined }>;
}

function destinationKeys(): DestinationKeys {
  const names: string[] = [];
  const keys = [...COMMON_DESTINATION_KEYS];
  const foreign = new Map<string, { owners: string[]; check: OptionCheck | undefined }>();
  for (const t of destinationTypes()) {
    names.push(t.name);
    for (const k of t.keys) {
      if (!keys.includes(k)) keys.push(k);
      const f = foreign.get(k) ?? { owners: [], check: undefined };
      f.owners.push(t.name);
      f.check ??= t.elsewhere?.[k];
      foreign.set(k, f);
    }
  }
  return { names, keys, foreign };
}

function destination(
  c: Checker,
  raw: unknown,
  p: string,
  types: string[],
  formats: string[],
  reg: DestinationKeys,
): unknown {
  if (!isObject(raw)) {
    c.fail(p, `expected a destination object, got ${show(raw)}`);
    return raw;
  }
  const d = c.keys(raw, reg.keys, p);
  if (typeof d.type !== 'string') checkName(c, d.type, types, `${p}.type`);
  else if (!namesDeferred()) checkName(c, d.type, types, `${p}.type`);
  c.level(d.level, `${p}.level`);
  if (d.format !== undefined && (typeof d.format !== 'string' || !namesDeferred()))
    checkName(c, d.format, formats, `${p}.format`);
  c.oneOf(d.colorMode, COLOR_MODES, `${p}.colorMode`);
  c.oneOf(d.rfc, ['5424', '3164'], `${p}.rfc`);
  c.string(d.name, `${p}.name`);
  c.string(d.appName, `${p}.appName`);
  c.string(d.hostname, `${p}.hostname`);
  if (
    d.facility !== undefined &&
    !(Number.isInteger(d.facility) && (d.facility as number) >= 0 && (d.facility as number) <= 23)
  )
    c.fail(`${p}.facility`, `expected an integer from 0 to 23, got ${show(d.facility)}`);
  // The type's own keys (each checked, present or not: a check may require its key), then the
  // keys of other types: refused, or checked and ignored where older configs put them.
  const type = destinationType(d.type);
  if (type !== undefined)
    for (const [k, check] of Object.entries(type.options)) check(d[k], `${p}.${k}`, c, d);
  for (const [k, f] of reg.foreign) {
    if (d[k] === undefined || (type !== undefined && Object.hasOwn(type.options, k))) continue;
    if (f.check !== undefined) f.check(d[k], `${p}.${k}`, c, d);
    else
      c.fail(
        `${p}.${k}`,
        `only ${f.owners.map((o) => `"${o}"`).join(' or ')} destinations take it, this one is ${show(d.type)}`,
      );
  }
  type?.check?.(d, p, c);
  c.levelColors(d.levelColors, `${p}.levelColors`);
  c.formatting(d, `${p}.`);
  if (d.options !== undefined) {
    if (type !== undefined)
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
