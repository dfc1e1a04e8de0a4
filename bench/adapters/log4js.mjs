/**
 * log4js with its `file` appender (async, via streamroller) and `fileSync` appender. log4js has
 * no JSON layout: `addLayout` with JSON.stringify is the way its documentation shows. The clock
 * stops when `log4js.shutdown()` calls back, after every appender has flushed and closed.
 */
import log4js from 'log4js';

export const packageName = 'log4js';

const REDACTED = new Set(['password', 'token']);

/** One JSON object per event: core fields, then the call's fields object (the second argument). */
function jsonLayout(redact) {
  return () => (ev) => {
    const out = {
      timestamp: ev.startTime.toISOString(),
      level: ev.level.levelStr,
      category: ev.categoryName,
      message: ev.data[0],
    };
    const fields = ev.data[1];
    for (const key in fields) out[key] = redact && REDACTED.has(key) ? '[REDACTED]' : fields[key];
    return JSON.stringify(out);
  };
}
log4js.addLayout('bench-json', jsonLayout(false));
log4js.addLayout('bench-json-redacted', jsonLayout(true));

/** `%m` would util.inspect the fields over several lines; a custom token keeps `key=value` on one. */
const TEXT_LAYOUT = {
  type: 'pattern',
  pattern: '%d{yyyy-MM-dd hh:mm:ss.SSS} %-8p [%c] %x{line}',
  tokens: {
    line: (ev) => {
      let line = ev.data[0];
      const fields = ev.data[1];
      for (const key in fields) line += ` ${key}=${fields[key]}`;
      return line;
    },
  },
};

function configure(type, filename, layout) {
  log4js.configure({
    appenders: { out: { type, filename, layout } },
    categories: { default: { appenders: ['out'], level: 'info' } },
  });
}

const shutdown = () =>
  new Promise((resolve, reject) => log4js.shutdown((err) => (err ? reject(err) : resolve())));

function fileCase({ type = 'file', layout = { type: 'bench-json' }, category } = {}) {
  return async ({ path, n, fields, message }) => {
    configure(type, path, layout);
    const logger = log4js.getLogger(category);
    return {
      run: () => {
        for (let i = 0; i < n; i++) logger.info(message, fields);
      },
      end: shutdown,
    };
  };
}

export const contenders = [
  {
    name: 'log4js',
    label: 'log4js',
    cases: {
      'json-file': fileCase(),
      'json-file-sync': fileCase({ type: 'fileSync' }),
      'json-devnull': fileCase(),
      // The category is log4js's layer; the pattern prints it as `[APP]`.
      'text-file': fileCase({ layout: TEXT_LAYOUT, category: 'APP' }),
      'redact-2-keys': fileCase({ layout: { type: 'bench-json-redacted' } }),
      'security-defaults': 'no built-in PII pattern scanning',
      'disabled-level': async ({ path, calls, fields, message }) => {
        configure('file', path, { type: 'bench-json' });
        const logger = log4js.getLogger();
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(message, fields);
          },
          end: shutdown,
        };
      },
      // Zero-config: the default configuration (stdout appender) is loaded on first use.
      startup: async () => log4js.getLogger(),
      'async-awaited': 'no promise-returning log call',
    },
  },
];
