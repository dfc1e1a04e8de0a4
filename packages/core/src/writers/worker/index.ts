/**
 * Worker write mode (docs/worker.md): a worker thread owns the descriptor and writes batches of
 * formatted lines with an FdWriter; the main thread can flush synchronously across the boundary.
 *
 * For the async logger's `worker` strategy: build a {@link WorkerSink} per target, `write()` lines,
 * await {@link WorkerSink.whenWritten} (lines of one tick share a batch) or {@link WorkerSink.flush},
 * and take unacknowledged batches over in {@link WorkerSinkOptions.onCrash}.
 */
export type { WorkerFsModule, WorkerTarget } from './protocol.js';
export {
  type BatchAck,
  type CrashHandler,
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_MAX_PENDING_BYTES,
  type PendingBatch,
  type WorkerSinkOptions,
  type WorkerSinkStats,
  writeLines,
} from './sink-options.js';
export {
  createWorkerDestination,
  WorkerDestination,
  type WorkerDestinationSpec,
} from './worker-destination.js';
export { type WorkerCapableFsPort, workerFsModuleOf } from './worker-fs.js';
export { WorkerSink } from './worker-sink.js';
