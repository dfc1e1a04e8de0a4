import * as chunk from '../chunks/async.js';

/**
 * The async chunk (src/chunks/async.ts). From source (tests, tsc's per-file output) this module
 * imports it like any other; the published bundle replaces this file (scripts/bundle.mjs) with a
 * loader that require()s dist/chunk-async.cjs on first call. Reach the chunk only through here.
 */
export const loadAsyncChunk = (): typeof chunk => chunk;
