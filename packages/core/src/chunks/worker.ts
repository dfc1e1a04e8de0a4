/**
 * The worker chunk: destinations with `mode: 'worker'` and the async logger's `worker` strategy (a
 * worker thread does their I/O). Loaded on first use (internal/load-worker.ts).
 */
export { createWorkerDestination } from '../writers/worker/worker-destination.js';
// The async logger's `worker` strategy runs the same sink (async/worker-channel.ts).
export { workerFsModuleOf } from '../writers/worker/worker-fs.js';
export { WorkerSink } from '../writers/worker/worker-sink.js';
