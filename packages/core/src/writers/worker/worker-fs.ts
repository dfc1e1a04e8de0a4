import type { FsPort } from '../fs-port.js';
import { nodeFs } from '../fs-port.js';
import type { WorkerFsModule } from './protocol.js';

/**
 * An fs port that can also be rebuilt inside a worker thread: functions and state cannot cross the
 * boundary, so it names a module exporting `createFsPort(options)` (see {@link WorkerFsModule}).
 * A HydraLogger given such a port (`options.fs`) uses it on the main thread and, for destinations in
 * `mode: 'worker'`, the module's port in the worker.
 */
export interface WorkerCapableFsPort extends FsPort {
  readonly workerFsModule: WorkerFsModule;
}

/**
 * What the worker should load for `port`: `undefined` for node:fs, its module for a
 * {@link WorkerCapableFsPort}, `null` for an in-process port the worker cannot use.
 */
export function workerFsModuleOf(port: FsPort): WorkerFsModule | undefined | null {
  if (port === nodeFs) return undefined;
  const m = (port as Partial<WorkerCapableFsPort>).workerFsModule;
  return m !== undefined && typeof m.url === 'string' ? m : null;
}
