import type { FdTargetSpec } from '../destinations/fd-destination.js';
import { fs } from '../internal/builtins.js';
import { loadWorkerChunk } from '../internal/load-worker.js';
import type { WriterStats } from '../writers/fd-writer.js';
import type { workerFsModuleOf } from '../writers/worker/worker-fs.js';
import type { WorkerSink } from '../writers/worker/worker-sink.js';

/** How one batch sent to the worker ended. */
export interface WorkerOutcome {
  /** Lines of the batch the worker's writer dropped (it failed to write them). */
  dropped: number;
  /** The write error behind `dropped`, or the crash. */
  error: NodeJS.ErrnoException | undefined;
  /** The worker died before acknowledging the batch. */
  crashed: boolean;
  /** After a crash, bytes the file grew by since the batch was sent (what landed); `undefined` when unknown (not a file). */
  landedBytes: number | undefined;
}

interface SentBatch {
  dropsBefore: number;
  sizeBefore: number | undefined;
  settled: boolean;
  done(o: WorkerOutcome): void;
}

const dropsOf = (s: WriterStats): number => Object.values(s.dropped).reduce((a, b) => a + b, 0);

function fileSize(file: string | undefined): number | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The `worker` strategy of one lane: a WorkerSink (src/writers/worker/, the machinery of
 * `mode: 'worker'`) that formats nothing and writes the lane's batches on its thread, one batch in
 * flight at a time. A batch settles when the worker acknowledges it (with the number of lines its
 * writer dropped), or synchronously in {@link flushSync}, or when the worker dies: then the lane takes
 * the batch back (the lines that did not land) and the next strategy writes them.
 */
export class WorkerChannel {
  readonly #sink: WorkerSink;
  readonly #file: string | undefined;
  #batch: SentBatch | undefined;
  #lastError: NodeJS.ErrnoException | undefined;
  #dead = false;

  /** `undefined` when the lane's fs port cannot be rebuilt in a worker thread (an in-process test port). */
  static open(spec: FdTargetSpec, onDeath: (err: NodeJS.ErrnoException) => void): WorkerChannel | undefined {
    const fsModule = loadWorkerChunk().workerFsModuleOf(spec.fs);
    if (fsModule === null) return undefined;
    return new WorkerChannel(spec, fsModule, onDeath);
  }

  private constructor(
    spec: FdTargetSpec,
    fsModule: ReturnType<typeof workerFsModuleOf>,
    onDeath: (err: NodeJS.ErrnoException) => void,
  ) {
    this.#file = 'file' in spec.target ? spec.target.file : undefined;
    this.#sink = new (loadWorkerChunk().WorkerSink)({
      target: spec.target,
      header: spec.header,
      rotation: spec.rotation,
      batchSize: Number.MAX_SAFE_INTEGER,
      retries: spec.limits.writeRetries,
      retryBudgetMs: spec.limits.writeRetryBudgetMs,
      fileCheckInterval: spec.limits.fileCheckInterval,
      fsModule: fsModule ?? undefined,
      onError: (err) => {
        this.#lastError = err;
        spec.report(err);
      },
      onCrash: (_pending, err) => {
        this.#dead = true;
        const b = this.#batch;
        if (b !== undefined && !b.settled) {
          const now = fileSize(this.#file);
          this.#settle(b, {
            dropped: 0,
            error: err,
            crashed: true,
            landedBytes:
              now === undefined || b.sizeBefore === undefined ? undefined : Math.max(0, now - b.sizeBefore),
          });
        }
        onDeath(err);
        // The dead sink's fallback writer is not used (the lane's next strategy writes): release it.
        setImmediate(() => this.#sink.closeSync());
      },
    });
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** The thread (tests terminate it to simulate a crash). */
  get thread(): WorkerSink['thread'] {
    return this.#sink.thread;
  }

  /** Sends `data` (whole lines) as one batch; `done` runs once, when it is acknowledged or the worker died. */
  send(data: string, done: (o: WorkerOutcome) => void): void {
    const b: SentBatch = {
      dropsBefore: dropsOf(this.#sink.stats()),
      sizeBefore: fileSize(this.#file),
      settled: false,
      done,
    };
    this.#batch = b;
    this.#sink.write(data, false);
    void this.#sink.flush().then(() => this.#acked(b));
  }

  /** Blocks until the worker acknowledged the batch in flight (or died); its `done` has run when this returns. */
  flushSync(): void {
    this.#sink.flushSync();
    const b = this.#batch;
    if (b !== undefined && !b.settled && !this.#dead && this.#sink.pending === 0) this.#acked(b);
  }

  reopen(): void {
    if (!this.#dead) this.#sink.reopen();
  }

  stats(): WriterStats {
    const s = this.#sink.stats();
    // Its drops are the lane's to count (the lane hands them to the next strategy).
    return { ...s, dropped: {} };
  }

  async close(): Promise<void> {
    await this.#sink.close();
  }

  #acked(b: SentBatch): void {
    if (b.settled) return;
    const dropped = dropsOf(this.#sink.stats()) - b.dropsBefore;
    this.#settle(b, {
      dropped,
      error:
        dropped > 0
          ? (this.#lastError ?? Object.assign(new Error('write failed'), { code: 'EIO' }))
          : undefined,
      crashed: false,
      landedBytes: undefined,
    });
  }

  #settle(b: SentBatch, o: WorkerOutcome): void {
    b.settled = true;
    if (this.#batch === b) this.#batch = undefined;
    b.done(o);
  }
}
