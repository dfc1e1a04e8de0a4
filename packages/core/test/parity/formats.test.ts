import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormatName } from '../../src/index.js';
import { fixedError, freezeClock, restoreClock } from '../formats/capture.js';
import { fileLines, LOGGERS, type LoggerKind, makeTempDir, only, removeDir } from './loggers.js';

// Every format through a file destination: the documented shape (docs/formats.md) for each logger, and the
// two loggers' files byte for byte equal (same records, same frozen clock).

const FORMATS = ['plain-text', 'json', 'csv', 'syslog', 'gelf', 'logfmt'] as const;

/** One record of each kind that formats render differently, plus an injection attempt. */
async function logSample(kind: LoggerKind, file: string, format: FormatName): Promise<void> {
  const logger = kind.create({
    config: only(
      { type: 'file', path: file, format, hostname: 'web-1', appName: 'shop' },
      { defaultLevel: 'debug' },
    ),
  });
  await logger.info('APP', 'Application started', { user_id: 42 });
  await logger.debug('DB', 'query', { sql: 'select 1', ms: 1.5, ok: true, tags: ['a', 'b'] });
  await logger.warn('AUTH', 'quote " and comma , here', { who: 'a b' });
  await logger.error('DB', 'query failed', { err: fixedError() });
  await logger.info('APP', 'forged\n{"level":"CRITICAL"}\u2028\x1b[31mred', { k: 'v\r\nw' });
  await logger.close();
}

const GOLDEN: Record<(typeof FORMATS)[number], RegExp> = {
  'plain-text': /^2026-11-26 21:49:12\.563 INFO {5}\[APP\] Application started user_id=42$/,
  json: /^\{"timestamp":"2026-11-26T21:49:12\.563Z","level":"INFO","layer":"APP","message":"Application started","user_id":42\}$/,
  csv: /^timestamp,level,layer,message,fields$/,
  syslog:
    /^<14>1 2026-11-26T21:49:12\.563Z web-1 shop \d+ APP \[hydra@32473 user_id="42"\] Application started$/,
  gelf: /^\{"version":"1\.1","host":"web-1","short_message":"Application started",.*"level":6,.*"_layer":"APP".*"_user_id":42/,
  logfmt: /^ts=2026-11-26T21:49:12\.563Z level=info layer=APP msg="Application started" user_id=42$/,
};

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
  freezeClock();
});
afterEach(() => {
  restoreClock();
  removeDir(dir);
});

describe.each(LOGGERS)('$name: every format to a file', (kind) => {
  it.each(FORMATS)('%s: the documented shape, one record per line, user data escaped', async (format) => {
    const file = path.join(dir, `${format}.log`);
    await logSample(kind, file, format);
    const lines = fileLines(file);
    expect(lines[0]).toMatch(GOLDEN[format]);
    // csv has its header first; every other format one line per record.
    expect(lines).toHaveLength(format === 'csv' ? 6 : 5);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('\u2028');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\r');
    if (format === 'json' || format === 'gelf')
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });
});

describe('both loggers write the same bytes', () => {
  it.each(FORMATS)('%s', async (format) => {
    const out: string[] = [];
    for (const kind of LOGGERS) {
      const file = path.join(dir, `${kind.name}-${format}.log`);
      await logSample(kind, file, format);
      // The syslog PROCID is the pid: the same process here, so equal too.
      out.push(fs.readFileSync(file, 'utf8'));
    }
    expect(out[1]).toBe(out[0]);
  });
});
