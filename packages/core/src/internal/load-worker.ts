import * as chunk from '../chunks/worker.js';

/**
 * The worker chunk (src/chunks/worker.ts): `mode: 'worker'` destinations. From source this module
 * imports it; the published bundle replaces this file (scripts/bundle.mjs) with a loader that
 * require()s dist/chunk-worker.cjs on first call. Reach the chunk only through here.
 */
export const loadWorkerChunk = (): typeof chunk => chunk;
