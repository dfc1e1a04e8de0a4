import * as chunk from '../chunks/config.js';

/**
 * The config chunk (src/chunks/config.ts): configuration validation. From source this module
 * imports it; the published bundle replaces this file (scripts/bundle.mjs) with a loader that
 * require()s dist/chunk-config.cjs on first call. Reach the chunk only through here.
 */
export const loadConfigChunk = (): typeof chunk => chunk;
