/**
 * hydra-logger, configured as a user would for each case. Features that do not exist yet are
 * detected at run time and reported as n/a with the reason, never faked.
 */
import * as hydra from 'hydra-logger';
import { SECRETS } from '../cases.mjs';

const { HydraLogger } = hydra;

export const packageName = 'hydra-logger';

function fileConfig(path, format, mode) {
  return { layers: { DEFAULT: { level: 'info', destinations: [{ type: 'file', path, format, mode }] } } };
}

/** Sum of the logger's drop counters: any drop means a line is missing. */
function counters(logger) {
  const m = logger.getPerformanceMetrics();
  const dropped = Object.values(m.dropped).reduce((a, b) => a + b, 0);
  return { records: m.totalLogs, dropped, writes: m.writes, bytes: m.bytesWritten };
}

function fileCase({ format = 'json', mode = 'buffered', layered = false, options = {}, probe }) {
  return async ({ path, n, fields, message, layer }) => {
    if (probe !== undefined) {
      const reason = await probe(options);
      if (reason !== undefined) return { na: reason };
    }
    const logger = new HydraLogger({ ...options, config: fileConfig(path, format, mode) });
    return {
      run: layered
        ? () => {
            for (let i = 0; i < n; i++) logger.info(layer, message, fields);
          }
        : () => {
            for (let i = 0; i < n; i++) logger.info(message, fields);
          },
      end: () => logger.close(),
      counters: () => counters(logger),
    };
  };
}

/**
 * Logs one record to a memory destination and returns a reason when `secret` comes out in
 * clear: the feature is then missing, and timing it would measure a logger that leaks.
 */
async function leaks(options, message, fields, secrets, feature) {
  let logger;
  try {
    logger = new HydraLogger({
      ...options,
      config: { layers: { DEFAULT: { level: 'info', destinations: [{ type: 'memory', format: 'json' }] } } },
    });
  } catch (err) {
    // A constructor that refuses the option does not have the feature either.
    return `not implemented yet (${feature}: the constructor rejected ${JSON.stringify(options)}: ${err.message})`;
  }
  logger.info(message, fields);
  const out = (logger.memory()?.lines() ?? []).join('\n');
  await logger.close();
  const leaked = secrets.filter((s) => out.includes(s));
  return leaked.length > 0
    ? `not implemented yet (${feature}: a probe record came out with ${leaked.join(', ')} in clear)`
    : undefined;
}

// Redaction of sensitive keys and PII patterns is on by default (`enableSanitization`);
// it is passed explicitly so these two cases keep measuring it whatever the default becomes.
const SECURITY = { enableSanitization: true };

/** The json line shape every hydra contender must write (docs/formats.md). */
function checkJson(obj) {
  const keys = Object.keys(obj).slice(0, 4).join(',');
  if (keys !== 'timestamp,level,layer,message')
    return `keys start ${keys}, expected timestamp,level,layer,message`;
  if (obj.level !== 'INFO' || obj.layer !== 'DEFAULT')
    return `level/layer ${obj.level}/${obj.layer}, expected INFO/DEFAULT`;
  return undefined;
}

/** The same logger in a performance mode (docs/performance-modes.md), for the cases the modes speed up. */
function modeContender(name, label, options) {
  return {
    name,
    label,
    checkJson,
    checkText: (line) =>
      line.includes(' INFO     [APP] request handled userId=42') ? undefined : 'not the plain-text shape',
    cases: {
      'json-file': fileCase({ options }),
      'text-file': fileCase({ format: 'plain-text', layered: true, options }),
    },
  };
}

export const contenders = [
  {
    name: 'hydra',
    label: 'hydra-logger',
    /** The exact line shape docs/formats.md documents, checked on every line (returns a problem or undefined). */
    checkJson,
    checkText: (line) =>
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {5}\[APP\] request handled userId=42 requestId=req-abc123 path=\/api\/v1\/items status=200 durationMs=12\.5$/.test(
        line,
      )
        ? undefined
        : 'not the documented plain-text shape',
    cases: {
      'json-file': fileCase({}),
      'json-file-sync': fileCase({ mode: 'sync' }),
      'json-devnull': fileCase({}),
      'text-file': fileCase({ format: 'plain-text', layered: true }),
      'redact-2-keys': fileCase({
        options: SECURITY,
        probe: (options) =>
          leaks(
            options,
            'probe',
            { user: 'x', ...SECRETS },
            Object.values(SECRETS),
            'sensitive-key redaction',
          ),
      }),
      'security-defaults': fileCase({
        options: SECURITY,
        probe: (options) =>
          leaks(
            options,
            'contact probe@example.com',
            { email: 'probe@example.com' },
            ['probe@example.com'],
            'PII patterns',
          ),
      }),
      'disabled-level': async ({ path, calls, fields, message }) => {
        const logger = new HydraLogger({ config: fileConfig(path, 'json', 'buffered') });
        return {
          run: () => {
            for (let i = 0; i < calls; i++) logger.debug(message, fields);
          },
          end: () => logger.close(),
        };
      },
      startup: async () => new HydraLogger(),
      'async-awaited': async ({ path, n, fields, message }) => {
        const { AsyncHydraLogger } = hydra;
        if (typeof AsyncHydraLogger !== 'function')
          return { na: 'not implemented yet (hydra-logger exports no AsyncHydraLogger)' };
        const logger = new AsyncHydraLogger({ config: fileConfig(path, 'json', 'buffered') });
        await logger.initialize?.();
        return {
          run: async () => {
            const batch = new Array(1000);
            for (let done = 0; done < n; done += 1000) {
              const k = Math.min(1000, n - done);
              batch.length = k;
              for (let i = 0; i < k; i++) batch[i] = logger.info(message, fields);
              await Promise.all(batch);
            }
          },
          end: () => logger.close(),
        };
      },
    },
  },
  modeContender('hydra-fast', 'hydra-logger (highPerformanceMode)', { highPerformanceMode: true }),
  modeContender('hydra-bare', 'hydra-logger (bareMetalMode)', { bareMetalMode: true }),
  {
    // The like-for-like row for pino's worker transport: the writes happen on a worker thread.
    // close() returns once the worker has written every line, closed the file and ended.
    name: 'hydra-worker',
    label: 'hydra-logger (worker mode)',
    checkJson,
    cases: {
      'json-file': fileCase({ mode: 'worker' }),
      'json-devnull': fileCase({ mode: 'worker' }),
    },
  },
];
