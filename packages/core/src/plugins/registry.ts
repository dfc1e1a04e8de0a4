import { fs, nodeRequire, path, pathToFileURL } from '../internal/builtins.js';
import { describeThrown, PluginError } from './plugin-error.js';
import { describeRoles, isPluginType, typeOfClass } from './roles.js';
import type { PluginClass, PluginInfo, PluginType } from './types.js';

/**
 * The module-level plugin registry: named plugin classes that a config's `plugins` entries (or
 * your own code, through `getPlugin`) instantiate. A logger's plugins are instances, added with
 * `logger.addPlugin` or built from config; the registry only holds classes.
 */
const registry = new Map<string, PluginInfo>();
/** Modules already loaded, by absolute path: a config entry with a `path` reuses them. */
const loaded = new Map<string, PluginInfo>();

const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A plugin name: non-empty, no control characters, not a prototype key. */
export function checkPluginName(name: unknown, what = 'plugin name'): string {
  if (typeof name !== 'string' || name === '' || FORBIDDEN_NAMES.has(name) || /[\x00-\x1f\x7f]/.test(name))
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      String(name),
      `${what} ${JSON.stringify(name)} is not valid: expected a non-empty string without control characters, not __proto__, constructor or prototype`,
    );
  return name;
}

/** A class decorator (TypeScript 5 standard decorators, or call it with the class). */
export type PluginDecorator = <C extends PluginClass>(plugin: C, context?: ClassDecoratorContext) => C;

/**
 * Registers a plugin class under `name` (its type taken from the base class it extends, or from
 * its hooks, when `type` is omitted) and returns the class. With no class, returns a decorator:
 * `@registerPlugin('my_plugin') class MyPlugin extends AnalyticsPlugin { … }`.
 * Registering the same class again under the same name is a no-op.
 * @throws PluginError (`HYDRA_E_PLUGIN_INVALID`) for a class with no hook of any role, a type that
 * contradicts its base class, or a name taken by another class.
 */
export function registerPlugin(name: string, type?: PluginType): PluginDecorator;
export function registerPlugin<C extends PluginClass>(name: string, plugin: C, type?: PluginType): C;
export function registerPlugin(
  name: string,
  plugin?: PluginClass | PluginType,
  type?: PluginType,
): PluginClass | PluginDecorator {
  if (plugin === undefined || typeof plugin === 'string') {
    const t = plugin ?? type;
    checkPluginName(name);
    return <C extends PluginClass>(cls: C): C => {
      add(name, cls, t, undefined);
      return cls;
    };
  }
  add(name, plugin, type, undefined);
  return plugin;
}

function add(name: string, plugin: unknown, type: unknown, from: string | undefined): PluginInfo {
  checkPluginName(name);
  if (typeof plugin !== 'function' || plugin.prototype === undefined)
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      name,
      `plugin "${name}": expected a class, got ${plugin === null ? 'null' : typeof plugin}`,
    );
  if (type !== undefined && !isPluginType(type))
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      name,
      `plugin "${name}": type ${JSON.stringify(type)} is not one of security, analytics, formatter, handler, performance`,
    );
  const declared = (plugin as { pluginType?: unknown }).pluginType;
  if (type !== undefined && isPluginType(declared) && declared !== type)
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      name,
      `plugin "${name}": registered as ${type} but ${plugin.name || 'the class'} extends a ${declared} plugin`,
    );
  const resolved = (type as PluginType | undefined) ?? typeOfClass(plugin);
  if (resolved === undefined)
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      name,
      `plugin "${name}": ${plugin.name || 'the class'} has no hook of any plugin role (${describeRoles()}); extend one of the base classes or pass its type`,
    );
  const existing = registry.get(name);
  if (existing !== undefined) {
    if (existing.plugin === plugin) return existing;
    throw new PluginError(
      'HYDRA_E_PLUGIN_INVALID',
      name,
      `plugin "${name}" is already registered (${existing.plugin.name || 'another class'}${existing.path === undefined ? '' : ` from ${existing.path}`}); unregisterPlugin("${name}") first`,
    );
  }
  const info: PluginInfo = {
    name,
    type: resolved,
    plugin: plugin as PluginClass,
    ...(from !== undefined && { path: from }),
  };
  registry.set(name, info);
  return info;
}

/** The class registered under `name`, or `undefined`. */
export function getPlugin(name: string): PluginClass | undefined {
  return registry.get(name)?.plugin;
}

/** The registry entry of `name` (with its type and the path it was loaded from). */
export function getPluginInfo(name: string): PluginInfo | undefined {
  return registry.get(name);
}

/** The type a class was registered with (for classes that extend no base class). */
export function registeredTypeOf(cls: unknown): PluginType | undefined {
  for (const info of registry.values()) if (info.plugin === cls) return info.type;
  return undefined;
}

/** Every registered plugin (optionally of one type), in registration order. */
export function listPlugins(type?: PluginType): PluginInfo[] {
  return [...registry.values()].filter((p) => type === undefined || p.type === type);
}

/** Removes a registered plugin; `false` when there was none. Loggers keep the instances they already have. */
export function unregisterPlugin(name: string): boolean {
  const info = registry.get(name);
  if (info === undefined) return false;
  registry.delete(name);
  for (const [file, l] of loaded) if (l === info) loaded.delete(file);
  return true;
}

/** Empties the registry (for tests). */
export function clearPlugins(): void {
  registry.clear();
  loaded.clear();
}

/**
 * Imports an ES module (a path absolute or relative to the working directory) and registers the
 * plugin it exports: its default export, else its only named export that is a plugin class or a
 * `{ name, plugin, type? }` descriptor. A class is registered under its static `pluginName`, else
 * its class name, else the file's base name. Resolves to the registry entry. Loading the same
 * path again returns the same entry. Plugin modules are code: load only modules you trust.
 * @throws PluginError (`HYDRA_E_PLUGIN_LOAD`, naming the path) or, from registration, `HYDRA_E_PLUGIN_INVALID`.
 */
export async function loadPluginFromPath(modulePath: string): Promise<PluginInfo> {
  const abs = existingModule(modulePath);
  const cached = loaded.get(abs);
  if (cached !== undefined) return cached;
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(abs).href);
  } catch (err) {
    throw new PluginError(
      'HYDRA_E_PLUGIN_LOAD',
      abs,
      `plugin module ${abs}: cannot import it: ${describeThrown(err)}`,
      {
        cause: err,
      },
    );
  }
  return registerModule(abs, mod);
}

/**
 * {@link loadPluginFromPath} for config (the logger constructor is synchronous): `require`, which
 * loads ES modules without top-level await on Node ≥ 20.19 / 22.12, and CommonJS everywhere.
 */
export function loadPluginFromPathSync(modulePath: string): PluginInfo {
  const abs = existingModule(modulePath);
  const cached = loaded.get(abs);
  if (cached !== undefined) return cached;
  let mod: unknown;
  try {
    mod = nodeRequire(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const hint =
      code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_REQUIRE_ESM'
        ? `it cannot be loaded synchronously (${code}: top-level await, or a Node.js without require(esm)); call \`await loadPluginFromPath(${JSON.stringify(modulePath)})\` before creating the logger`
        : `cannot load it: ${describeThrown(err)}`;
    throw new PluginError('HYDRA_E_PLUGIN_LOAD', abs, `plugin module ${abs}: ${hint}`, { cause: err });
  }
  return registerModule(abs, mod);
}

function existingModule(modulePath: unknown): string {
  if (typeof modulePath !== 'string' || modulePath === '')
    throw new PluginError(
      'HYDRA_E_PLUGIN_LOAD',
      String(modulePath),
      `plugin module path: expected a non-empty string, got ${JSON.stringify(modulePath)}`,
    );
  const abs = path.resolve(modulePath);
  if (!fs.existsSync(abs))
    throw new PluginError('HYDRA_E_PLUGIN_LOAD', abs, `plugin module ${abs}: no such file`);
  return abs;
}

interface Descriptor {
  name: string;
  plugin: Function;
  type?: unknown;
}

const isDescriptor = (v: unknown): v is Descriptor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Descriptor).name === 'string' &&
  typeof (v as Descriptor).plugin === 'function';

const isPluginClass = (v: unknown): v is Function => typeof v === 'function' && typeOfClass(v) !== undefined;

function registerModule(abs: string, mod: unknown): PluginInfo {
  let found: unknown;
  if (isDescriptor(mod) || isPluginClass(mod)) found = mod;
  else if (typeof mod === 'object' && mod !== null) {
    const exports = mod as Record<string, unknown>;
    if (isDescriptor(exports.default) || isPluginClass(exports.default)) found = exports.default;
    else {
      const named = Object.keys(exports).filter(
        (k) => k !== 'default' && (isDescriptor(exports[k]) || isPluginClass(exports[k])),
      );
      if (named.length > 1)
        throw new PluginError(
          'HYDRA_E_PLUGIN_LOAD',
          abs,
          `plugin module ${abs}: exports several plugins (${named.join(', ')}); export the one to load as default`,
        );
      if (named.length === 1) found = exports[named[0] as string];
    }
  }
  if (found === undefined) {
    const names = typeof mod === 'object' && mod !== null ? Object.keys(mod) : [];
    throw new PluginError(
      'HYDRA_E_PLUGIN_LOAD',
      abs,
      `plugin module ${abs}: exports no plugin class or { name, plugin } descriptor (exports: ${names.join(', ') || 'none'})`,
    );
  }
  const info = isDescriptor(found)
    ? add(found.name, found.plugin, found.type, abs)
    : add(classPluginName(found as Function, abs), found, undefined, abs);
  loaded.set(abs, info);
  return info;
}

function classPluginName(cls: Function, abs: string): string {
  const declared = (cls as { pluginName?: unknown }).pluginName;
  if (typeof declared === 'string' && declared !== '') return declared;
  if (cls.name !== '' && cls.name !== 'default') return cls.name;
  return path.basename(abs).replace(/\.[^.]*$/, '');
}
