import type { PluginConfig } from '../config/types.js';
import { path } from '../internal/builtins.js';
import { describeThrown, PluginError } from './plugin-error.js';
import { getPluginInfo, listPlugins, loadPluginFromPathSync } from './registry.js';
import type { Slot } from './slot.js';
import type { PluginType } from './types.js';

export interface StageContext {
  /** The config plugins of the current configuration. */
  current: readonly Slot[];
  /** The plugins added with `addPlugin` (their names are taken). */
  added: readonly Slot[];
  /** Checks an instance and calls its `init` (throws like `addPlugin`). */
  make(
    name: string,
    instance: unknown,
    spec: string,
    type: PluginType,
    peers: readonly Slot[],
    options: Record<string, unknown> | undefined,
  ): Slot;
  close(slot: Slot): void;
}

/**
 * The plugins of a configuration's `plugins` entries, in order: an entry unchanged since the
 * current configuration (same name, same plugin or path, same options) keeps its instance; any
 * other is loaded (`path`) or looked up in the registry (`plugin`, default `name`) and built with
 * its options. On any failure the instances built so far are closed and the error thrown.
 */
export function stageConfigPlugins(entries: readonly PluginConfig[], ctx: StageContext): Slot[] {
  const out: Slot[] = [];
  const created: Slot[] = [];
  try {
    for (const [i, e] of entries.entries()) {
      const registered = e.plugin ?? e.name;
      const spec = JSON.stringify([
        e.path === undefined ? registered : path.resolve(e.path),
        e.options ?? {},
      ]);
      const kept = ctx.current.find((s) => s.name === e.name && s.spec === spec);
      if (kept !== undefined) {
        out.push(kept);
        continue;
      }
      if (ctx.added.some((s) => s.name === e.name))
        throw new PluginError(
          'HYDRA_E_PLUGIN_INVALID',
          e.name,
          `plugins[${i}]: "${e.name}" is already on this logger (addPlugin); use another name`,
        );
      const info = e.path !== undefined ? loadPluginFromPathSync(e.path) : getPluginInfo(registered);
      if (info === undefined) {
        const known = listPlugins().map((p) => `"${p.name}"`);
        throw new PluginError(
          'HYDRA_E_PLUGIN_NOT_FOUND',
          e.name,
          `plugins[${i}]: no plugin "${registered}" is registered (registered: ${known.join(', ') || 'none'}); registerPlugin it or give its module path`,
        );
      }
      let instance: unknown;
      try {
        instance = new info.plugin(e.options ?? {});
      } catch (err) {
        throw new PluginError(
          'HYDRA_E_PLUGIN_INIT',
          e.name,
          `plugins[${i}]: new ${info.plugin.name || 'plugin'}(options) threw: ${describeThrown(err)}`,
          { cause: err },
        );
      }
      const slot = ctx.make(e.name, instance, spec, info.type, [...out, ...ctx.added], e.options);
      created.push(slot);
      out.push(slot);
    }
  } catch (err) {
    for (const s of created) ctx.close(s);
    throw err;
  }
  return out;
}
