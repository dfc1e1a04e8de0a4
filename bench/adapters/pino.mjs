/**
 * pino with each of its three ways to a file: the sonic-boom destination in sync and async
 * mode, and the `pino/file` worker-thread transport. The clock stops when the destination has
 * closed (every byte handed to the kernel) or, for the transport, when it has ended.
 */
import { once } from 'node:events';
import pino from 'pino';

export const packageName = 'pino';

const REDACT = ['password', 'token'];

function loop(logger, n, fields, message) {
  return () => {
    for (let i = 0; i < n; i++) logger.info(fields, message);
  };
}

/** The shape of SPEC §11 P9: batches of 1,000 calls whose results are awaited together (pino's are undefined). */
function awaitedLoop(logger, n, fields, message) {
  return async () => {
    const batch = new Array(1000);
    for (let done = 0; done < n; done += 1000) {
      const k = Math.min(1000, n - done);
      batch.length = k;
      for (let i = 0; i < k; i++) batch[i] = logger.info(fields, message);
      await Promise.all(batch);
    }
  };
}

function destinationCase({ sync, redact = false, awaited = false }) {
  return async ({ path, n, fields, message }) => {
    const dest = pino.destination({ dest: path, sync });
    // An async destination opens the file in the background; start logging once it is open.
    if (!sync) await once(dest, 'ready');
    const logger = pino(redact ? { redact: REDACT } : {}, dest);
    return {
      run: (awaited ? awaitedLoop : loop)(logger, n, fields, message),
      end: async () => {
        const closed = once(dest, 'close');
        dest.end(); // writes what is buffered, then closes the fd
        await closed;
      },
    };
  };
}

async function workerCase({ path, n, fields, message }) {
  const transport = pino.transport({ target: 'pino/file', options: { destination: path } });
  await once(transport, 'ready');
  const logger = pino(transport);
  return {
    run: loop(logger, n, fields, message),
    end: async () => {
      // thread-stream's end() blocks until the worker has written everything and its destination
      // has emitted 'close'; 'finish' follows on the next tick. ('close' waits for the worker to
      // exit, which an unref'd worker may never report before the event loop empties.)
      const finished = once(transport, 'finish');
      transport.end();
      await finished;
    },
  };
}

const NO_TEXT = 'pino writes JSON only (text needs pino-pretty, a separate package meant for development)';
const NO_PII = 'no built-in PII pattern scanning';

export const contenders = [
  {
    name: 'pino',
    label: 'pino (async destination)',
    labels: { 'text-file': 'pino', 'security-defaults': 'pino', 'disabled-level': 'pino', startup: 'pino' },
    cases: {
      'json-file': destinationCase({ sync: false }),
      'json-devnull': destinationCase({ sync: false }),
      'text-file': NO_TEXT,
      'redact-2-keys': destinationCase({ sync: false, redact: true }),
      'security-defaults': NO_PII,
      'disabled-level': async ({ path, calls, fields, message }) => {
        const dest = pino.destination({ dest: path, sync: true });
        const logger = pino({ level: 'info' }, dest);
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(fields, message);
          },
          end: async () => dest.end(),
        };
      },
      startup: async () => pino(),
      'async-awaited': destinationCase({ sync: false, awaited: true }),
    },
  },
  {
    name: 'pino-sync',
    label: 'pino (sync destination)',
    cases: {
      'json-file': destinationCase({ sync: true }),
      'json-file-sync': destinationCase({ sync: true }),
      'json-devnull': destinationCase({ sync: true }),
    },
  },
  {
    name: 'pino-worker',
    label: 'pino (worker transport)',
    cases: {
      'json-file': workerCase,
      'json-devnull': workerCase,
    },
  },
];
