/**
 * winston with its File transport. The transport's `_final` waits for its fs.WriteStream to
 * finish, so the transport's 'finish' means every line it was given is written.
 */
import { once } from 'node:events';
import winston from 'winston';

export const packageName = 'winston';

const { combine, timestamp, json, printf } = winston.format;

/** winston has no redaction of its own; a custom format is the documented way to mask keys. */
const redact = winston.format((info) => {
  if ('password' in info) info.password = '[REDACTED]';
  if ('token' in info) info.token = '[REDACTED]';
  return info;
});

const CORE_KEYS = new Set(['timestamp', 'level', 'message', 'layer']);

/** The closest winston gets to hydra's plain-text line: printf over the info object. */
const textLine = printf((info) => {
  let line = `${info.timestamp} ${info.level.toUpperCase().padEnd(8)} [${info.layer}] ${info.message}`;
  for (const key of Object.keys(info)) if (!CORE_KEYS.has(key)) line += ` ${key}=${info[key]}`;
  return line;
});

/**
 * Ends the logger once every record has left it, then waits for the transport's 'finish'.
 * winston's Logger `_final` ends its transports at once, even while records still sit in its
 * readable buffer waiting for the transport to drain: they then fail with "write after end".
 * So we first wait, a turn at a time, until both sides of the logger stream are empty.
 */
async function endLogger(logger, transport) {
  while (logger.writableLength > 0 || logger.readableLength > 0) await new Promise(setImmediate);
  const finished = once(transport, 'finish');
  logger.end();
  await finished;
}

function fileCase(format, { layered = false } = {}) {
  return async ({ path, n, fields, message, layer }) => {
    const transport = new winston.transports.File({ filename: path });
    const root = winston.createLogger({ level: 'info', format, transports: [transport] });
    // A child logger is winston's way to stamp a constant field (our layer) on every record.
    const logger = layered ? root.child({ layer }) : root;
    return {
      run: () => {
        for (let i = 0; i < n; i++) logger.info(message, fields);
      },
      end: () => endLogger(root, transport),
    };
  };
}

const JSON_FORMAT = combine(timestamp(), json());

export const contenders = [
  {
    name: 'winston',
    label: 'winston',
    cases: {
      'json-file': fileCase(JSON_FORMAT),
      'json-file-sync': 'no synchronous file transport (File writes through an fs.WriteStream)',
      'json-devnull': fileCase(JSON_FORMAT),
      'text-file': fileCase(combine(timestamp({ format: 'YYYY-MM-DD HH:mm:ss.SSS' }), textLine), {
        layered: true,
      }),
      'redact-2-keys': fileCase(combine(redact(), timestamp(), json())),
      'security-defaults': 'no built-in PII pattern scanning',
      'disabled-level': async ({ path, calls, fields, message }) => {
        const transport = new winston.transports.File({ filename: path });
        const logger = winston.createLogger({ level: 'info', format: JSON_FORMAT, transports: [transport] });
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(message, fields);
          },
          end: () => endLogger(logger, transport),
        };
      },
      startup: async () => winston.createLogger(),
      'async-awaited': 'no promise-returning log call',
    },
  },
];
