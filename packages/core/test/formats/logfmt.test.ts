import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capture, fixedError, freezeClock, only, restoreClock, sampleFields } from './capture.js';
import { logfmtValue, parseLogfmt } from './parsers.js';

const TS = 'ts=2026-11-26T21:49:12.563Z';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('logfmt format', () => {
  it('writes ts, lower-case level, layer and msg, then the fields (the spec example)', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'Application started', { user_id: 42 });
    expect(lines).toEqual([`${TS} level=info layer=APP msg="Application started" user_id=42\n`]);
  });

  it('writes a record with no fields', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'started');
    logger.info('APP', 'started', {});
    expect(lines).toEqual([
      `${TS} level=info layer=APP msg=started\n`,
      `${TS} level=info layer=APP msg=started\n`,
    ]);
  });

  it('quotes strings with spaces and writes objects and arrays as quoted JSON', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `${TS} level=info layer=APP msg="order placed" name="John Smith" count=42 ratio=0.5 ok=true gone=null nested="{\\"a\\":{\\"b\\":\\"x y\\"}}" list="[1,\\"two\\",false]"\n`,
    ]);
  });

  it('writes an Error field as quoted JSON with its stack and cause', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.error('DB', 'query failed', { err: fixedError() });
    expect(lines).toEqual([
      `${TS} level=error layer=DB msg="query failed" err="{\\"type\\":\\"Error\\",\\"message\\":\\"query failed\\",\\"stack\\":\\"Error: query failed\\\\n    at handler (/srv/app.js:10:5)\\",\\"cause\\":{\\"type\\":\\"Error\\",\\"message\\":\\"connection refused\\",\\"stack\\":\\"Error: connection refused\\\\n    at connect (/srv/db.js:3:7)\\"}}"\n`,
    ]);
  });

  for (const [method, level] of [
    ['trace', 'trace'],
    ['debug', 'debug'],
    ['info', 'info'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['error', 'error'],
    ['critical', 'critical'],
    ['fatal', 'critical'],
  ] as const) {
    it(`writes level=${level} for ${method}()`, () => {
      const { logger, lines } = capture({ format: 'logfmt' });
      logger[method]('APP', 'm');
      expect(lines).toEqual([`${TS} level=${level} layer=APP msg=m\n`]);
    });
  }

  it('quotes values holding =, quotes, backslashes or nothing, and escapes quotes and backslashes', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'm', { eq: 'a=b', q: 'say "hi"', bs: 'C:\\temp', empty: '', bare: 'x-y_z.1' });
    expect(lines).toEqual([
      `${TS} level=info layer=APP msg=m eq="a=b" q="say \\"hi\\"" bs="C:\\\\temp" empty="" bare=x-y_z.1\n`,
    ]);
  });

  it('writes a real LF as \\n and the two characters backslash-n as \\\\n', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'a\nb', { lf: 'a\nb', typed: 'a\\nb' });
    expect(lines).toEqual([`${TS} level=info layer=APP msg="a\\nb" lf="a\\nb" typed="a\\\\nb"\n`]);
  });

  it('gives the original message and values back through a logfmt reader', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    const message = 'say "hi"\\ = \t\r\n\x1b[31m\u2028 end';
    const fields = { a: 'x\\ny', b: ' lead', c: 'tab\there', d: '\x00\x7f\x85\x9b', e: 'plain' };
    logger.info('A B', message, fields);
    const pairs = parseLogfmt(only(lines).slice(0, -1));
    expect(pairs.map(([k]) => k)).toEqual(['ts', 'level', 'layer', 'msg', 'a', 'b', 'c', 'd', 'e']);
    expect(logfmtValue(pairs, 'layer')).toBe('A B');
    expect(logfmtValue(pairs, 'msg')).toBe(message);
    for (const [k, v] of Object.entries(fields)) expect(logfmtValue(pairs, k)).toBe(v);
  });

  it('gives nested values back as JSON text through a logfmt reader', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    const nested = { deep: { s: 'a "q" \\ \n', n: [1, null] } };
    logger.info('APP', 'm', { nested });
    expect(JSON.parse(logfmtValue(parseLogfmt(only(lines).slice(0, -1)), 'nested'))).toEqual(nested);
  });

  it('replaces space, = and quote in keys with _', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'm', { 'first name': 'Ann', 'a=b': 1, 'q"k': 2 });
    expect(lines).toEqual([`${TS} level=info layer=APP msg=m first_name=Ann a_b=1 q_k=2\n`]);
  });

  it('quotes a layer name with a space', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('MY LAYER', 'm');
    expect(lines).toEqual([`${TS} level=info layer="MY LAYER" msg=m\n`]);
  });

  it('writes a user field named ts as _ts, so the time cannot be forged', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'm', { ts: '1999-01-01T00:00:00.000Z', after: 1 });
    expect(lines).toEqual([`${TS} level=info layer=APP msg=m _ts=1999-01-01T00:00:00.000Z after=1\n`]);
  });

  it('writes a user field ts as __ts when _ts is taken too', () => {
    const { logger, lines } = capture({ format: 'logfmt' });
    logger.info('APP', 'm', { _ts: 'a', ts: 'b' });
    expect(lines).toEqual([`${TS} level=info layer=APP msg=m _ts=a __ts=b\n`]);
  });

  it('writes caller=file:line after msg when includeCaller is on', () => {
    const { logger, lines } = capture({ format: 'logfmt' }, { includeCaller: true });
    logger.info('APP', 'here');
    expect(only(lines)).toMatch(/^ts=\S+ level=info layer=APP msg=here caller=\S*logfmt\.test\.ts:\d+\n$/);
  });
});
