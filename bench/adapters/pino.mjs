/**
 * pino with each of its three ways to a file: the sonic-boom destination in sync and async
 * mode, and the `pino/file` worker-thread transport.
 *
 * When the clock stops: for a destination, when its last byte has been handed to the kernel
 * (like every other contender). sonic-boom's close then runs an fsync before close(2) (always,
 * whatever its `fsync` option says); that fsync is left out of the clock (`dispose`), because no
 * other contender does one and it takes 40–70 ms for 200,000 lines on the reference machine, 5–8 %
 * of pino's run. The transport cannot be split that way: its `end()` blocks until the worker's
 * destination has closed, fsync included, so that row carries the fsync (see docs/performance.md).
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

/** The shape of P9: batches of 1,000 calls whose results are awaited together (pino's are undefined). */
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

/**
 * Ends a sonic-boom destination and resolves once every byte is written. sonic-boom marks itself
 * `destroyed` in the same synchronous step that follows its last write (the start of its close:
 * fsync, then close(2)), so the check runs after `end()` and after each 'write' event it emits.
 */
function written(dest) {
  return new Promise((resolve) => {
    const check = () => {
      if (dest.destroyed) {
        dest.off('write', onWrite);
        resolve();
      }
    };
    const onWrite = () => queueMicrotask(check);
    dest.on('write', onWrite);
    dest.end(); // writes what is buffered, then closes the fd
    check();
  });
}

function destinationCase({ sync, redact = false, awaited = false }) {
  return async ({ path, n, fields, message }) => {
    const dest = pino.destination({ dest: path, sync });
    // An async destination opens the file in the background; start logging once it is open.
    if (!sync) await once(dest, 'ready');
    const logger = pino(redact ? { redact: REDACT } : {}, dest);
    let closed;
    return {
      run: (awaited ? awaitedLoop : loop)(logger, n, fields, message),
      end: () => {
        closed = once(dest, 'close');
        return written(dest);
      },
      dispose: () => closed,
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
