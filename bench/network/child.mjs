// One contender of bench/network.mjs, in its own process: argv[2] is a JSON spec
// { lib: 'hydra' | 'pino', dest: 'http' | 'file', url, file, n, chunk }. It builds the logger,
// says `ready`, waits for `go`, logs n records in chunks of `chunk` calls (yielding to the event
// loop between chunks, so network I/O proceeds as in a real program), and reports the time spent
// inside the log calls only (the median chunk's ns per call). Then it flushes and waits for `stop`.
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const here = path.dirname(fileURLToPath(import.meta.url));
const fields = { userId: 42, requestId: 'req-abc123', path: '/api/v1/items', status: 200, durationMs: 12.5 };

let log;
let flush;
if (spec.lib === 'hydra') {
  const { HydraLogger } = await import('hydra-logger');
  const d =
    spec.dest === 'http'
      ? {
          type: 'http',
          name: 'out',
          url: spec.url,
          // Large enough that nothing is dropped: the figure is delivery speed, and every record must arrive.
          maxQueueBytes: 512 * 1024 * 1024,
          batch: { maxRecords: spec.batch },
        }
      : { type: 'file', name: 'out', path: spec.file };
  const logger = new HydraLogger({ config: { layers: { DEFAULT: { level: 'INFO', destinations: [d] } } } });
  log = (i) => logger.info('request handled', { ...fields, seq: i });
  flush = async () => {
    await logger.flush();
    return logger.getPerformanceMetrics().destinations.out;
  };
} else {
  const { default: pino } = await import('pino');
  const transport = pino.transport({
    target: path.join(here, 'pino-http-transport.mjs'),
    options: { url: spec.url, batch: spec.batch },
  });
  const logger = pino(transport);
  log = (i) => logger.info({ ...fields, seq: i }, 'request handled');
  // Hands what pino buffered to its worker; the parent waits for the receiver's count.
  flush = () => new Promise((resolve) => logger.flush(() => resolve({})));
}

const ask = (key) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m === key) {
        process.off('message', on);
        resolve();
      }
    };
    process.on('message', on);
  });

process.send({ ready: true });
await ask('go');
// ns per call of each chunk; the median over chunks leaves out the chunks a busy machine preempted.
const perChunk = [];
for (let i = 0; i < spec.n; ) {
  const start = i;
  const end = Math.min(spec.n, i + spec.chunk);
  const t0 = process.hrtime.bigint();
  for (; i < end; i++) log(i);
  perChunk.push(Number(process.hrtime.bigint() - t0) / (end - start));
  await tick();
}
perChunk.sort((a, b) => a - b);
process.send({ logged: true, nsPerCall: perChunk[Math.floor(perChunk.length / 2)] });
// Listening for `stop` keeps the IPC channel (and the process) alive while the transport delivers.
const stop = ask('stop');
const stats = await flush();
process.send({ flushed: true, stats });
await stop;
process.exit(0);
