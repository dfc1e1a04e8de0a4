/**
 * The async chunk: `AsyncHydraLogger` and its multi-fallback queue. The published bundle loads it
 * on first use of one of these classes (scripts/bundle.mjs, internal/load-async.ts), so programs that
 * only use the synchronous logger never read or compile it.
 */
export { AsyncHydraLogger } from '../async/async-hydra-logger.js';
export { AsyncLayerLogger } from '../async/async-layer-logger.js';
export { MultiFallbackAsyncQueue } from '../async/queue.js';
export { RecordDroppedError } from '../async/ticket.js';
