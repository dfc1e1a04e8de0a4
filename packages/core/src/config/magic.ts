import { HydraLoggerError } from '../errors.js';
import { loadConfigChunk } from '../internal/load-config.js';
import type { HydraMagicConfigs, LoggingConfig } from './types.js';

/** Builds a configuration; may return a plain object (it is validated when used). */
export type MagicConfigFactory = () => LoggingConfig | Record<string, unknown>;

/** A registered configuration, as listed by `HydraLogger.listMagicConfigs()`. */
export interface MagicConfigInfo {
  name: string;
  description: string;
  builtIn: boolean;
}

const file = (path: string, extra: Record<string, unknown> = {}) => ({
  type: 'file',
  path,
  format: 'json',
  ...extra,
});

/**
 * The built-ins. Every one has a DEFAULT layer (undeclared layers go there); files are relative to
 * the working directory and created on their first write, never at construction.
 */
const BUILT_INS = {
  production: {
    description:
      'JSON to stdout (WARNING+) and logs/app.log (INFO+); SECURITY and AUDIT to their own files, written synchronously',
    factory: () => ({
      defaultLevel: 'info',
      layers: {
        DEFAULT: {
          destinations: [{ type: 'console', format: 'json', level: 'warning' }, file('logs/app.log')],
        },
        SECURITY: {
          level: 'info',
          destinations: [file('logs/security.log', { mode: 'sync' }), { type: 'console', format: 'json' }],
        },
        AUDIT: { level: 'info', destinations: [file('logs/audit.log', { mode: 'sync' })] },
      },
    }),
  },
  development: {
    description: 'coloured plain text to stdout at DEBUG, written synchronously',
    factory: () => ({
      defaultLevel: 'debug',
      layers: { DEFAULT: { destinations: [{ type: 'console', mode: 'sync' }] } },
    }),
  },
  testing: {
    description:
      'DEBUG+ into a memory destination (read with logger.memory()); nothing on the console or disk',
    factory: () => ({
      defaultLevel: 'debug',
      layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'memory' }] } },
    }),
  },
  microservice: {
    description: 'JSON lines to stdout at INFO (twelve-factor: the platform collects stdout)',
    factory: () => ({
      defaultLevel: 'info',
      layers: { DEFAULT: { destinations: [{ type: 'console', format: 'json' }] } },
    }),
  },
  web_app: {
    description: 'plain text to stdout; HTTP access log, AUTH and DB layers in their own JSON files',
    factory: () => ({
      defaultLevel: 'info',
      layers: {
        DEFAULT: { destinations: [{ type: 'console' }, file('logs/app.log')] },
        HTTP: { destinations: [file('logs/access.log')] },
        AUTH: { destinations: [file('logs/auth.log'), { type: 'console', level: 'warning' }] },
        DB: { level: 'warning', destinations: [file('logs/db.log'), { type: 'console' }] },
      },
    }),
  },
  api_service: {
    description:
      'JSON to stdout; API requests, AUTH and DB in their own JSON files; ERROR+ also in logs/errors.log',
    factory: () => ({
      defaultLevel: 'info',
      layers: {
        DEFAULT: {
          destinations: [{ type: 'console', format: 'json' }, file('logs/errors.log', { level: 'error' })],
        },
        API: { destinations: [file('logs/api.log'), file('logs/errors.log', { level: 'error' })] },
        AUTH: {
          destinations: [file('logs/auth.log'), { type: 'console', format: 'json', level: 'warning' }],
        },
        DB: { level: 'warning', destinations: [file('logs/db.log'), { type: 'console', format: 'json' }] },
      },
    }),
  },
  background_worker: {
    description: 'plain text to stdout and logs/worker.log; JOBS layer in logs/jobs.log (JSON)',
    factory: () => ({
      defaultLevel: 'info',
      layers: {
        DEFAULT: { destinations: [{ type: 'console' }, file('logs/worker.log', { format: 'plain-text' })] },
        JOBS: { destinations: [file('logs/jobs.log'), { type: 'console', level: 'warning' }] },
      },
    }),
  },
  high_performance: {
    description: 'JSON to logs/app.log only, buffered, at INFO',
    factory: () => ({
      defaultLevel: 'info',
      layers: {
        DEFAULT: { destinations: [file('logs/app.log', { mode: 'buffered' })] },
      },
    }),
  },
  bare_metal: {
    description: 'JSON to logs/app.log only, buffered in 1 MiB batches flushed every second, at WARNING',
    factory: () => ({
      defaultLevel: 'warning',
      layers: {
        DEFAULT: {
          destinations: [
            file('logs/app.log', { mode: 'buffered', bufferSize: 1024 * 1024, flushInterval: 1000 }),
          ],
        },
      },
    }),
  },
  minimal: {
    description: 'plain text to stdout at WARNING, nothing else',
    factory: () => ({
      defaultLevel: 'warning',
      layers: { DEFAULT: { destinations: [{ type: 'console' }] } },
    }),
  },
} satisfies Record<string, { description: string; factory: MagicConfigFactory }>;

/** The names of the built-in magic configs. */
export type BuiltInMagicConfigName = keyof typeof BUILT_INS;
/**
 * A name `forMagic` takes: a built-in, or one your code registered with `registerMagic` and
 * declared in {@link HydraMagicConfigs} (interface augmentation; see docs/plugins.md).
 */
export type MagicConfigName = BuiltInMagicConfigName | Extract<keyof HydraMagicConfigs, string>;

const registry = new Map<string, { description: string; factory: MagicConfigFactory; builtIn: boolean }>(
  Object.entries(BUILT_INS).map(
    ([name, v]): [string, { description: string; factory: MagicConfigFactory; builtIn: boolean }] => [
      name,
      { ...v, builtIn: true },
    ],
  ),
);

function magicError(message: string): HydraLoggerError {
  return new HydraLoggerError('HYDRA_E_MAGIC_CONFIG', message);
}

export function registerMagic(name: string, factory: MagicConfigFactory, description = ''): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name))
    throw magicError(
      `registerMagic: name must be letters, digits, "_", "-" or ".", got ${JSON.stringify(name)}`,
    );
  if (typeof factory !== 'function') throw magicError(`registerMagic("${name}"): factory must be a function`);
  if (registry.get(name)?.builtIn)
    throw magicError(`registerMagic("${name}"): a built-in magic config cannot be replaced`);
  registry.set(name, { description, factory, builtIn: false });
}

export function unregisterMagic(name: string): boolean {
  const entry = registry.get(name);
  if (entry === undefined) return false;
  if (entry.builtIn)
    throw magicError(`unregisterMagic("${name}"): a built-in magic config cannot be removed`);
  return registry.delete(name);
}

export function hasMagicConfig(name: string): boolean {
  return registry.has(name);
}

export function listMagicConfigs(): MagicConfigInfo[] {
  return [...registry].map(([name, e]) => ({ name, description: e.description, builtIn: e.builtIn }));
}

/** Runs the named factory and validates its result; an unknown name lists the available ones. */
export function magicConfig(name: string): LoggingConfig {
  const entry = registry.get(name);
  if (entry === undefined)
    throw magicError(
      `unknown magic config ${JSON.stringify(name)}; available: ${[...registry.keys()].join(', ')}`,
    );
  return loadConfigChunk().validateConfig(entry.factory(), { source: `magic config "${name}"` });
}
