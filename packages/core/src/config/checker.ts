import { type ConfigIssue, ConfigValidationError } from '../errors.js';
import { ANSI } from '../formats/colors.js';
import { strftimeProblems } from '../formats/strftime.js';
import { TEMPLATE_PLACEHOLDERS, templateProblems } from '../formats/template.js';
import { didYouMean } from '../internal/did-you-mean.js';
import { CONFIG_LIMITS } from '../internal/limits.js';
import { LEVEL_CHOICES, parseLevel } from '../record/levels.js';

/** snake_case keys, accepted as aliases of the camelCase ones (config files written for other loggers' conventions). */
export const ALIASES: Readonly<Record<string, string>> = {
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
  // Network destinations (delivery and TLS keys).
  max_queue_bytes: 'maxQueueBytes',
  max_records: 'maxRecords',
  max_bytes: 'maxBytes',
  max_delay_ms: 'maxDelayMs',
  max_attempts: 'maxAttempts',
  base_ms: 'baseMs',
  max_ms: 'maxMs',
  timeout_ms: 'timeoutMs',
  reject_unauthorized: 'rejectUnauthorized',
};

export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A Writable, by shape: `instanceof` would load node:stream at startup, and fails across realms. */
export const isWritable = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { write?: unknown }).write === 'function' &&
  typeof (v as { on?: unknown }).on === 'function';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** Collects the problems of one config, each with its path; the shared checks of config values. */
export class Checker {
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
