import * as chunk from '../chunks/extras.js';

/**
 * The extras chunk (src/chunks/extras.ts): magic configs, config files, process hooks, error
 * tracking. From source this module imports it; the published bundle replaces this file
 * (scripts/bundle.mjs) with a loader that require()s dist/chunk-extras.cjs on first call. Reach
 * the chunk only through here.
 */
export const loadExtrasChunk = (): typeof chunk => chunk;
