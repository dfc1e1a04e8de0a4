// The worker thread of a WorkerSink (worker-sink.ts): owns the descriptor and writes the batches
// the main thread posts, through the same FdWriter the other write modes use, so rotation,
// retries and drop accounting are identical. Loaded as its own file (dist/worker-entry.js in the
// bundle); it must import nothing beyond the writers.
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FdWriter, type WriterStats } from '../fd-writer.js';
import { type FsPort, nodeFs } from '../fs-port.js';
import { openLogFile } from '../open-file.js';
import {
  CTL_ACKED,
  CTL_STATE,
  type FromWorker,
  STATE_CLOSED,
  STATE_DEAD,
  STATE_RUNNING,
  type ToWorker,
  toWire,
  type WorkerInit,
} from './protocol.js';

if (isMainThread || parentPort === null)
  throw new Error('hydra-logger: worker-entry runs only in a worker thread');
const input = parentPort;
const init = workerData as WorkerInit;
const ctl = new Int32Array(init.ctl);
const reply = init.reply;

process.on('exit', () => {
  // An uncaught error or process.exit() in this thread: tell a main thread blocked in flushSync now
  // rather than at its timeout. (terminate() runs no handler; the main thread sees the exit event.)
  if (Atomics.load(ctl, CTL_STATE) !== STATE_CLOSED) Atomics.store(ctl, CTL_STATE, STATE_DEAD);
  Atomics.notify(ctl, CTL_ACKED);
});

function send(m: FromWorker): void {
  reply.postMessage(m);
}

let port: FsPort = nodeFs;
if (init.fsModule !== undefined) {
  const url = init.fsModule.url;
  const mod = (await import(url.startsWith('file:') ? url : pathToFileURL(url).href)) as {
    createFsPort(options: unknown): FsPort | Promise<FsPort>;
  };
  port = await mod.createFsPort(init.fsModule.options);
}

const target = init.target;
const file = 'file' in target ? target.file : undefined;
const writer = new FdWriter({
  mode: 'buffered',
  // Never flushed by size or timer: the worker flushes once per batch, then acknowledges it.
  bufferSize: Number.MAX_SAFE_INTEGER,
  flushInterval: 2 ** 31 - 1,
  retries: init.retries,
  retryBudgetMs: init.retryBudgetMs,
  fs: port,
  open: file === undefined ? () => (target as { fd: number }).fd : () => openLogFile(port, file),
  ownsFd: file !== undefined,
  file,
  checkInterval: init.fileCheckInterval,
  header: init.header,
  onError: (err) => send({ t: 'error', error: toWire(err) }),
  rotation: file === undefined || init.rotation === undefined ? undefined : { file, policy: init.rotation },
});

function snapshot(): WriterStats {
  return { ...writer.stats, dropped: { ...writer.stats.dropped } };
}

/** Hands each record (one line) of the batch to the writer, so drops are counted per record, then writes it. */
function droppedSoFar(): number {
  let n = 0;
  for (const k in writer.stats.dropped) n += writer.stats.dropped[k] as number;
  return n;
}

function writeBatch(seq: number, data: string): void {
  const before = droppedSoFar();
  let records = 0;
  let start = 0;
  for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
    writer.write(data.slice(start, nl + 1), false);
    records++;
    start = nl + 1;
  }
  if (start < data.length) {
    writer.write(data.slice(start), false);
    records++;
  }
  writer.flushSync();
  // The message first: a main thread woken by the slot then finds the stats (and any error) of
  // this batch already queued, and reads them synchronously (receiveMessageOnPort).
  send({ t: 'ack', seq, records, dropped: droppedSoFar() - before, stats: snapshot() });
  Atomics.store(ctl, CTL_ACKED, seq);
  Atomics.notify(ctl, CTL_ACKED);
}

input.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'batch':
      writeBatch(m.seq, m.data);
      break;
    case 'reopen':
      writer.reopen();
      break;
    case 'close':
      writer.close();
      send({ t: 'closed', stats: snapshot() });
      Atomics.store(ctl, CTL_STATE, STATE_CLOSED);
      Atomics.notify(ctl, CTL_ACKED);
      input.close();
      reply.close();
      break;
  }
});

Atomics.store(ctl, CTL_STATE, STATE_RUNNING);
