/**
 * The worker chunk: destinations with `mode: 'worker'` (a worker thread does their I/O). Loaded on
 * the first such destination (internal/load-worker.ts).
 */
export { createWorkerDestination } from '../writers/worker/worker-destination.js';
