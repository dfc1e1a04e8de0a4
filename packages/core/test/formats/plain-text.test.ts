import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capture, fixedError, freezeClock, NOW, restoreClock, sampleFields } from './capture.js';

const TS = '2026-11-26 21:49:12.563';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('plain-text format', () => {
  it('writes timestamp, padded level, [layer], message and key=value fields (the spec example)', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'Application started', { user_id: 42 });
    expect(lines).toEqual([`${TS} INFO     [APP] Application started user_id=42\n`]);
  });

  it('writes a record with no fields without a trailing space', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'Application started');
    logger.info('APP', 'Application started', {});
    expect(lines).toEqual([
      `${TS} INFO     [APP] Application started\n`,
      `${TS} INFO     [APP] Application started\n`,
    ]);
  });

  it('quotes strings with spaces and writes objects and arrays as bare one-line JSON', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `${TS} INFO     [APP] order placed name="John Smith" count=42 ratio=0.5 ok=true gone=null nested={"a":{"b":"x y"}} list=[1,"two",false]\n`,
    ]);
  });

  it('writes an Error field as JSON with its stack and cause', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.error('DB', 'query failed', { err: fixedError() });
    expect(lines).toEqual([
      `${TS} ERROR    [DB] query failed err={"type":"Error","message":"query failed","stack":"Error: query failed\\n    at handler (/srv/app.js:10:5)","cause":{"type":"Error","message":"connection refused","stack":"Error: connection refused\\n    at connect (/srv/db.js:3:7)"}}\n`,
    ]);
  });

  for (const [method, padded] of [
    ['trace', 'TRACE   '],
    ['debug', 'DEBUG   '],
    ['info', 'INFO    '],
    ['warning', 'WARNING '],
    ['error', 'ERROR   '],
    ['critical', 'CRITICAL'],
  ] as const) {
    it(`pads level ${padded.trim()} to 8 columns (${method}())`, () => {
      const { logger, lines } = capture({ format: 'plain-text' });
      logger[method]('APP', 'm');
      expect(lines).toEqual([`${TS} ${padded} [APP] m\n`]);
    });
  }

  it('writes the DEFAULT layer for a (message) call', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('hello');
    expect(lines).toEqual([`${TS} INFO     [DEFAULT] hello\n`]);
  });

  for (const [tz, local] of [
    ['UTC', '2026-11-26 21:49:12.563'],
    ['America/New_York', '2026-11-26 16:49:12.563'],
    ['Asia/Kolkata', '2026-11-27 03:19:12.563'],
  ] as const) {
    it(`writes the time in the local time zone (TZ=${tz})`, () => {
      freezeClock(NOW, tz);
      const { logger, lines } = capture({ format: 'plain-text' });
      logger.info('APP', 'm');
      expect(lines).toEqual([`${local} INFO     [APP] m\n`]);
    });
  }

  it('pads the milliseconds to three digits', () => {
    freezeClock(new Date('2026-01-02T03:04:05.007Z'));
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'm');
    expect(lines).toEqual(['2026-01-02 03:04:05.007 INFO     [APP] m\n']);
  });

  it('quotes values holding =, quotes, backslashes or nothing, and escapes quotes and backslashes', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'm', { eq: 'a=b', q: 'say "hi"', bs: 'C:\\temp', empty: '', bare: 'x-y_z.1' });
    expect(lines).toEqual([
      `${TS} INFO     [APP] m eq="a=b" q="say \\"hi\\"" bs="C:\\\\temp" empty="" bare=x-y_z.1\n`,
    ]);
  });

  it('tells a real line break in a value from the two characters backslash and n', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'm', { lf: 'a\nb', typed: 'a\\nb' });
    expect(lines).toEqual([`${TS} INFO     [APP] m lf="a\\nb" typed="a\\\\nb"\n`]);
  });

  it('replaces space, = and quote in keys with _', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'm', { 'first name': 'Ann', 'a=b': 1, 'q"k': 2, '': 3 });
    expect(lines).toEqual([`${TS} INFO     [APP] m first_name=Ann a_b=1 q_k=2 _=3\n`]);
  });

  it('writes the message as it is, with control characters escaped', () => {
    const { logger, lines } = capture({ format: 'plain-text' });
    logger.info('APP', 'two "words" = one\tline\r\nend');
    expect(lines).toEqual([`${TS} INFO     [APP] two "words" = one\\tline\\r\\nend\n`]);
  });

  it('writes the caller (file:line) after the layer when includeCaller is on', () => {
    const { logger, lines } = capture({ format: 'plain-text' }, { includeCaller: true });
    logger.info('APP', 'here');
    const line = lines[0] ?? '';
    expect(line).toMatch(/^2026-11-26 21:49:12\.563 INFO {5}\[APP\] \(.*plain-text\.test\.ts:\d+\) here\n$/);
  });
});
