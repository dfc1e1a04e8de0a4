/**
 * tslog 5 with its own `tslog/transports/file` (an fs.WriteStream; `flush()` then dispose waits
 * for every line), or, for the sync case, a minimal transport calling fs.writeSync per line.
 * Stack capture is off, as tslog's docs advise for hot paths (JSON output defaults to it).
 */
import fs from 'node:fs';
import { Logger } from 'tslog';

/** Loaded on use, so the startup case imports only what a zero-config logger needs. */
const fileTransport = async (options) => (await import('tslog/transports/file')).fileTransport(options);

export const packageName = 'tslog';

/** `pretty` settings for the text case: one line, no colour, hydra's field order. */
const PRETTY = {
  template: '{{yyyy}}-{{mm}}-{{dd}} {{hh}}:{{MM}}:{{ss}}.{{ms}} {{logLevelName}} [{{name}}] ',
  style: false,
  timeZone: 'local',
  inspectOptions: { breakLength: Number.POSITIVE_INFINITY, compact: true, colors: false },
};

function makeLogger(extra = {}) {
  return new Logger({
    type: 'hidden',
    minLevel: 'INFO',
    stack: { capture: 'off' },
    pretty: PRETTY,
    ...extra,
  });
}

function fileCase({ format = 'json', extra } = {}) {
  return async ({ path, n, fields, message }) => {
    const logger = makeLogger(extra);
    const transport = await fileTransport({ path, format });
    logger.attachTransport(transport);
    return {
      run: () => {
        for (let i = 0; i < n; i++) logger.info(message, fields);
      },
      end: async () => {
        await logger.flush();
        await transport[Symbol.asyncDispose]();
      },
    };
  };
}

async function syncCase({ path, n, fields, message }) {
  const logger = makeLogger();
  const fd = fs.openSync(path, 'a');
  logger.attachTransport({ format: 'json', write: (_record, line) => fs.writeSync(fd, `${line}\n`) });
  return {
    run: () => {
      for (let i = 0; i < n; i++) logger.info(message, fields);
    },
    end: async () => fs.closeSync(fd),
  };
}

export const contenders = [
  {
    name: 'tslog',
    label: 'tslog',
    cases: {
      'json-file': fileCase(),
      'json-file-sync': syncCase,
      'json-devnull': fileCase(),
      // The logger's name is printed as `[APP]` by the template: tslog's nearest thing to a layer.
      'text-file': fileCase({ format: 'pretty', extra: { name: 'APP' } }),
      'redact-2-keys': fileCase({ extra: { mask: { keys: ['password', 'token'] } } }),
      'security-defaults': 'no built-in PII pattern scanning',
      'disabled-level': async ({ path, calls, fields, message }) => {
        const logger = makeLogger();
        const transport = await fileTransport({ path, format: 'json' });
        logger.attachTransport(transport);
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(message, fields);
          },
          end: () => transport[Symbol.asyncDispose](),
        };
      },
      startup: async () => new Logger(),
      'async-awaited': 'no promise-returning log call',
    },
  },
];
