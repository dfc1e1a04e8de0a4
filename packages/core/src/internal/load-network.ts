import * as chunk from '../chunks/network.js';

/**
 * The network chunk (src/chunks/network.ts): the delivery engine and the transports of the network
 * destinations. From source this module imports it; the published bundle replaces this file
 * (scripts/bundle.mjs) with a loader that require()s dist/chunk-network.cjs on first call. Reach
 * the chunk only through here.
 */
export const loadNetworkChunk = (): typeof chunk => chunk;
