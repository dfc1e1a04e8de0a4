/**
 * The plugins chunk: the engine behind a logger's plugins (slots, hook isolation, verdicts, the
 * plugin stage). Loaded with a logger's first plugin (plugins/plugin-host.ts, through
 * internal/load-plugins.ts); the registry and the base classes stay in the core.
 */
export { PluginEngine } from '../plugins/host.js';
