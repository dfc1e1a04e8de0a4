/**
 * The stream chunk: `{ type: 'stream' }` destinations (a Writable with backpressure bounds, or a
 * function). Loaded the first time a config names one (destinations/registry.ts).
 */
export { streamType } from '../destinations/stream.js';
