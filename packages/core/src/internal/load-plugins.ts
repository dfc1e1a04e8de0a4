import * as chunk from '../chunks/plugins.js';

/**
 * The plugins chunk (src/chunks/plugins.ts). From source this module imports it; the published
 * bundle replaces this file (scripts/bundle.mjs) with a loader that require()s
 * dist/chunk-plugins.cjs on first call. Reach the chunk only through here.
 */
export const loadPluginsChunk = (): typeof chunk => chunk;
