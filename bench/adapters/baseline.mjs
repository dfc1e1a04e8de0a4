/**
 * The naive batched reference: what a line costs written the obvious way, with no logger.
 * JSON.stringify of the same record shape hydra writes (a template string for the text case),
 * and one fs.writeSync per 64 KiB batch (or per line for the sync case). A yardstick, not a
 * floor: a logger that builds its lines without JSON.stringify can be faster (hydra is).
 */
import fs from 'node:fs';

export const packageName = undefined;

const BATCH = 64 * 1024;

/** `YYYY-MM-DD HH:mm:ss.SSS` in local time, as hydra's plain-text format prints it. */
function localTime(ms) {
  const d = new Date(ms);
  const p = (v, w = 2) => String(v).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

const LINES = {
  json: (message, fields) =>
    `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', layer: 'DEFAULT', message, ...fields })}\n`,
  text: (message, fields, layer) => {
    let line = `${localTime(Date.now())} INFO     [${layer}] ${message}`;
    for (const key in fields) line += ` ${key}=${fields[key]}`;
    return `${line}\n`;
  },
  // A shallow copy with the two keys replaced: the least work that keeps the caller's object intact.
  redacted: (message, fields) =>
    `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', layer: 'DEFAULT', message, ...fields, password: '[REDACTED]', token: '[REDACTED]' })}\n`,
};

function fileCase(kind, { perLine = false } = {}) {
  const format = LINES[kind];
  return async ({ path, n, fields, message, layer }) => {
    const fd = fs.openSync(path, 'a');
    let records = 0;
    let bytes = 0;
    const write = (data) => {
      bytes += fs.writeSync(fd, data);
    };
    return {
      run: () => {
        let buf = '';
        for (let i = 0; i < n; i++) {
          const line = format(message, fields, layer);
          records++;
          if (perLine) write(line);
          else if ((buf += line).length >= BATCH) {
            write(buf);
            buf = '';
          }
        }
        if (buf.length > 0) write(buf);
      },
      end: async () => fs.closeSync(fd),
      counters: () => ({ records, dropped: 0, bytes }),
    };
  };
}

/** The empty function the disabled-level case compares against. */
function empty() {}

export const contenders = [
  {
    name: 'baseline',
    label: 'baseline (JSON.stringify + 64 KiB batched writeSync)',
    labels: {
      'json-file-sync': 'baseline (JSON.stringify + writeSync per line)',
      'text-file': 'baseline (template string + 64 KiB batched writeSync)',
      'redact-2-keys': 'baseline (spread copy + JSON.stringify + 64 KiB batched writeSync)',
      'disabled-level': 'baseline (empty function call)',
      startup: 'baseline (imports nothing)',
    },
    cases: {
      'json-file': fileCase('json'),
      'json-file-sync': fileCase('json', { perLine: true }),
      'json-devnull': fileCase('json'),
      'text-file': fileCase('text'),
      'redact-2-keys': fileCase('redacted'),
      'security-defaults': 'no reference for PII pattern scanning',
      'disabled-level': async ({ calls, fields, message }) => ({
        run: () => {
          for (let i = 0; i < calls; i++) empty(message, fields);
        },
        end: async () => {},
      }),
      // Imports nothing: the cost of the harness itself, the zero of this table.
      startup: async () => ({ info: empty }),
    },
  },
];
