import * as chunk from '../chunks/stream.js';

/**
 * The stream chunk (src/chunks/stream.ts): `stream` destinations. From source this module imports
 * it; the published bundle replaces this file (scripts/bundle.mjs) with a loader that require()s
 * dist/chunk-stream.cjs on first call. Reach the chunk only through here.
 */
export const loadStreamChunk = (): typeof chunk => chunk;
