/**
 * bunyan with a `path` stream (an fs.WriteStream bunyan opens itself). The clock stops on the
 * stream's 'finish', after every queued write has completed.
 */
import { once } from 'node:events';
import bunyan from 'bunyan';

export const packageName = 'bunyan';

/** Serializers run per top-level key: bunyan's idiom for masking a field. */
const REDACT = { password: () => '[REDACTED]', token: () => '[REDACTED]' };

function fileCase({ redact = false } = {}) {
  return async ({ path, n, fields, message }) => {
    const logger = bunyan.createLogger({
      name: 'bench',
      streams: [{ level: 'info', path }],
      ...(redact && { serializers: REDACT }),
    });
    return {
      run: () => {
        for (let i = 0; i < n; i++) logger.info(fields, message);
      },
      end: () => endStreams(logger),
    };
  };
}

async function endStreams(logger) {
  const stream = logger.streams[0].stream;
  const finished = once(stream, 'finish');
  stream.end();
  await finished;
}

export const contenders = [
  {
    name: 'bunyan',
    label: 'bunyan',
    cases: {
      'json-file': fileCase(),
      'json-file-sync': 'no synchronous file stream (a `path` stream is an fs.WriteStream)',
      'json-devnull': fileCase(),
      'text-file': 'bunyan writes JSON only (text comes from its CLI, after the fact)',
      'redact-2-keys': fileCase({ redact: true }),
      'security-defaults': 'no built-in PII pattern scanning',
      'disabled-level': async ({ path, calls, fields, message }) => {
        const logger = bunyan.createLogger({ name: 'bench', streams: [{ level: 'info', path }] });
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(fields, message);
          },
          end: () => endStreams(logger),
        };
      },
      // bunyan has no zero-config form: `name` is required; the default stream is stdout.
      startup: async () => bunyan.createLogger({ name: 'bench' }),
      'async-awaited': 'no promise-returning log call',
    },
  },
];
