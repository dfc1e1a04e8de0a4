import type { Plugin, PluginType } from './types.js';
import { PLUGIN_TYPES } from './types.js';

/** The hook(s) that make an object play each role. */
const ROLE_HOOKS: Readonly<Record<PluginType, readonly string[]>> = {
  security: ['inspect'],
  analytics: ['processEvent'],
  formatter: ['format'],
  handler: ['createHandler'],
  performance: ['onRecord', 'onMetrics'],
};

/** What a plugin object can do: every role whose hook it has (whatever its base class). */
export function rolesOf(p: object): PluginType[] {
  const out: PluginType[] = [];
  for (const type of PLUGIN_TYPES)
    if (ROLE_HOOKS[type].some((hook) => typeof (p as Record<string, unknown>)[hook] === 'function'))
      out.push(type);
  return out;
}

export function isPluginType(v: unknown): v is PluginType {
  return typeof v === 'string' && (PLUGIN_TYPES as readonly string[]).includes(v);
}

/**
 * The type of a plugin class: the `pluginType` of the base class it extends (a static property,
 * so classes built against another copy of hydra-logger are recognised too), else the first role
 * its prototype's hooks give it.
 */
export function typeOfClass(cls: Function): PluginType | undefined {
  const declared = (cls as { pluginType?: unknown }).pluginType;
  if (isPluginType(declared)) return declared;
  return typeof cls.prototype === 'object' && cls.prototype !== null ? rolesOf(cls.prototype)[0] : undefined;
}

/** The type of a plugin instance: its class's, else the first role its hooks give it. */
export function typeOfInstance(p: Plugin): PluginType | undefined {
  const ctor = (p as { constructor?: unknown }).constructor;
  const declared = typeof ctor === 'function' ? (ctor as { pluginType?: unknown }).pluginType : undefined;
  return isPluginType(declared) ? declared : rolesOf(p)[0];
}

export function describeRoles(): string {
  return PLUGIN_TYPES.map((t) => `${t} (${ROLE_HOOKS[t].join(' or ')})`).join(', ');
}
