/** Keys that would reach an object's prototype when copied naively. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper option trees are refused (they are config, not data; this also stops cycles). */
const MAX_OPTIONS_DEPTH = 32;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * A copy of plugin options (`plugins[].options`, a plugin destination's `options`): plain objects
 * and arrays are copied, other values (streams, functions, class instances) kept as they are.
 * A `__proto__`, `constructor` or `prototype` key anywhere is reported through `fail` and left
 * out, so nothing a config file says can reach `Object.prototype`.
 */
export function copyPluginOptions(
  v: unknown,
  path: string,
  fail: (path: string, message: string) => void,
  depth = 0,
): unknown {
  if (depth > MAX_OPTIONS_DEPTH) {
    fail(path, `nested deeper than ${MAX_OPTIONS_DEPTH} levels (or circular)`);
    return undefined;
  }
  if (Array.isArray(v)) return v.map((item, i) => copyPluginOptions(item, `${path}[${i}]`, fail, depth + 1));
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(key)) {
      fail(`${path}.${key}`, 'this key is not allowed (prototype pollution guard)');
      continue;
    }
    out[key] = copyPluginOptions(v[key], `${path}.${key}`, fail, depth + 1);
  }
  return out;
}

export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v);
}

/**
 * Checks and copies the config key `plugins: [{ name, plugin?, path?, options? }]`; every problem goes to
 * `fail` with its path. Returns the copy (the caller's objects are never kept).
 */
export function checkPluginEntries(v: unknown, fail: (path: string, message: string) => void): unknown {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    fail('plugins', `expected a list of { name, plugin?, path?, options? }, got ${typeof v}`);
    return v;
  }
  const seen = new Set<string>();
  return v.map((entry, i) => {
    const at = `plugins[${i}]`;
    if (!isPlainObject(entry)) {
      fail(at, `expected { name, plugin?, path?, options? }, got ${entry === null ? 'null' : typeof entry}`);
      return entry;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(entry)) {
      if (FORBIDDEN_KEYS.has(key))
        fail(`${at}.${key}`, 'this key is not allowed (prototype pollution guard)');
      else if (!['name', 'plugin', 'path', 'options'].includes(key))
        fail(`${at}.${key}`, 'unknown key (expected name, plugin, path, options)');
    }
    const { name, plugin, path, options } = entry;
    if (typeof name !== 'string' || name === '' || FORBIDDEN_KEYS.has(name))
      fail(`${at}.name`, `expected a plugin name, got ${JSON.stringify(name) ?? typeof name}`);
    else if (seen.has(name)) fail(`${at}.name`, `"${name}" is listed twice; plugin names must be unique`);
    else seen.add(name);
    out.name = name;
    if (plugin !== undefined) {
      if (typeof plugin !== 'string' || plugin === '')
        fail(
          `${at}.plugin`,
          `expected a registered plugin name, got ${JSON.stringify(plugin) ?? typeof plugin}`,
        );
      else if (path !== undefined)
        fail(`${at}.plugin`, 'give either plugin (a registered name) or path, not both');
      out.plugin = plugin;
    }
    if (path !== undefined) {
      if (typeof path !== 'string' || path === '')
        fail(`${at}.path`, `expected a module path, got ${JSON.stringify(path) ?? typeof path}`);
      out.path = path;
    }
    if (options !== undefined) {
      if (!isPlainObject(options)) fail(`${at}.options`, `expected an object, got ${typeof options}`);
      else out.options = copyPluginOptions(options, `${at}.options`, fail);
    }
    return out;
  });
}
