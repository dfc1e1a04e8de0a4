import { Writable } from 'node:stream';
import { type ConfigIssue, ConfigValidationError } from '../errors.js';
import { COLOR_MODES } from '../formats/colors.js';
import { FORMAT_NAMES } from '../formats/index.js';
import { didYouMean } from '../internal/did-you-mean.js';
import { LEVEL_CHOICES, parseLevel } from '../record/levels.js';
import type { LoggingConfig } from './types.js';

/** The Python plan's snake_case keys, accepted as aliases of ours. */
const ALIASES: Readonly<Record<string, string>> = {
  default_level: 'defaultLevel',
  console_format: 'consoleFormat',
  color_mode: 'colorMode',
  buffer_size: 'bufferSize',
  flush_interval: 'flushInterval',
  max_lines: 'maxLines',
  level_colors: 'levelColors',
  app_name: 'appName',
};

const CONFIG_KEYS = ['layers', 'defaultLevel', 'consoleFormat'];
const LAYER_KEYS = ['level', 'destinations', 'enabled'];
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
  'name',
  'levelColors',
  'appName',
  'facility',
  'rfc',
  'hostname',
];
export const BUILTIN_DESTINATIONS = ['console', 'file', 'stream', 'memory', 'null'];
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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
  fail(path: string, message: string): void {
    this.issues.push({ path, message });
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

  string(v: unknown, path: string): void {
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      this.fail(path, `expected a non-empty string, got ${show(v)}`);
  }
}

/**
 * Validates a configuration object and returns a normalized copy (aliases resolved, the caller's
 * object untouched). Throws {@link ConfigValidationError} listing every problem with its path.
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
    throw new ConfigValidationError([{ path: '', message: `expected an object, got ${show(input)}` }]);
  const cfg = c.keys(input, CONFIG_KEYS, '');
  c.level(cfg.defaultLevel, 'defaultLevel');
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
                else c.fail(`${at}.name`, `"${out.name}" is already the name of ${first}; destination names must be unique`);
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
  if (c.issues.length > 0) throw new ConfigValidationError(c.issues, extra.source);
  return cfg as LoggingConfig;
}

function destination(c: Checker, raw: unknown, p: string, types: string[], formats: string[]): unknown {
  if (!isObject(raw)) {
    c.fail(p, `expected a destination object, got ${show(raw)}`);
    return raw;
  }
  const d = c.keys(raw, DESTINATION_KEYS, p);
  if (typeof d.type !== 'string' || !types.includes(d.type)) {
    const hint = typeof d.type === 'string' ? didYouMean(d.type, types) : '';
    c.fail(
      `${p}.type`,
      `expected one of ${types.map((t) => `"${t}"`).join(', ')}, got ${show(d.type)}${hint}`,
    );
  }
  c.level(d.level, `${p}.level`);
  if (d.format !== undefined && !(typeof d.format === 'string' && formats.includes(d.format))) {
    const hint = typeof d.format === 'string' ? didYouMean(d.format, formats) : '';
    c.fail(
      `${p}.format`,
      `expected one of ${formats.map((f) => `"${f}"`).join(', ')}, got ${show(d.format)}${hint}`,
    );
  }
  c.oneOf(d.colorMode, COLOR_MODES, `${p}.colorMode`);
  c.oneOf(d.mode, ['sync', 'buffered'], `${p}.mode`);
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
  if (d.type === 'console') c.oneOf(d.stream, ['stdout', 'stderr'], `${p}.stream`);
  if (d.type === 'stream' && !(d.stream instanceof Writable || typeof d.stream === 'function'))
    c.fail(`${p}.stream`, `expected a Writable stream or a function (line) => void, got ${show(d.stream)}`);
  if (d.levelColors !== undefined) {
    if (!isObject(d.levelColors))
      c.fail(`${p}.levelColors`, `expected an object of level → colour, got ${show(d.levelColors)}`);
    else
      for (const [lv, color] of Object.entries(d.levelColors)) {
        c.level(lv, `${p}.levelColors.${lv}`);
        c.string(color, `${p}.levelColors.${lv}`);
      }
  }
  return d;
}
