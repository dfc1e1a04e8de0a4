/**
 * The plugins chunk: the engine behind a logger's plugins (slots, hook isolation, verdicts, the
 * plugin stage) and the registry of plugin classes. Loaded with a logger's first plugin
 * (plugins/plugin-host.ts, through internal/load-plugins.ts) or the first call of a registry
 * function (src/index.ts exports stand-ins); the base classes stay in the core.
 */
export { PluginEngine } from '../plugins/host.js';
export {
  getPlugin,
  listPlugins,
  loadPluginFromPath,
  registerPlugin,
  unregisterPlugin,
} from '../plugins/registry.js';
