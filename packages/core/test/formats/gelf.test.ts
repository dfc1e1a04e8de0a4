import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capture, fixedError, freezeClock, only, restoreClock, sampleFields } from './capture.js';

/** 2026-11-26T21:49:12.563Z in seconds. */
const SECONDS = '1795729752.563';
const GELF = { format: 'gelf', hostname: 'web-1' } as const;
const head = (message: string, level = 6) =>
  `{"version":"1.1","host":"web-1","short_message":${JSON.stringify(message)},"timestamp":${SECONDS},"level":${level}`;

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('gelf format', () => {
  it('writes version, host, short_message, timestamp in seconds, level and _layer', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'Application started');
    logger.info('APP', 'Application started', {});
    const expected = `${head('Application started')},"_layer":"APP"}\n`;
    expect(lines).toEqual([expected, expected]);
  });

  it('writes fields as _<field>: numbers as numbers, other values as text, null left out', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `${head('order placed')},"_layer":"APP","_name":"John Smith","_count":42,"_ratio":0.5,"_ok":"true","_nested":"{\\"a\\":{\\"b\\":\\"x y\\"}}","_list":"[1,\\"two\\",false]"}\n`,
    ]);
  });

  it('writes the stack of an Error field as full_message, and the Error as JSON text', () => {
    const { logger, lines } = capture(GELF);
    logger.error('DB', 'query failed', { err: fixedError() });
    expect(lines).toEqual([
      `{"version":"1.1","host":"web-1","short_message":"query failed","full_message":"Error: query failed\\n    at handler (/srv/app.js:10:5)","timestamp":${SECONDS},"level":3,"_layer":"DB","_err":"{\\"type\\":\\"Error\\",\\"message\\":\\"query failed\\",\\"stack\\":\\"Error: query failed\\\\n    at handler (/srv/app.js:10:5)\\",\\"cause\\":{\\"type\\":\\"Error\\",\\"message\\":\\"connection refused\\",\\"stack\\":\\"Error: connection refused\\\\n    at connect (/srv/db.js:3:7)\\"}}"}\n`,
    ]);
  });

  it('writes the stack of an Error passed as the message as full_message', () => {
    const { logger, lines } = capture(GELF);
    logger.critical(fixedError());
    const parsed = JSON.parse(only(lines)) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      short_message: 'query failed',
      full_message: 'Error: query failed\n    at handler (/srv/app.js:10:5)',
      level: 2,
      _layer: 'DEFAULT',
    });
  });

  it('writes no full_message when there is no Error', () => {
    const { logger, lines } = capture(GELF);
    logger.error('APP', 'plain failure', { code: 7 });
    expect(JSON.parse(only(lines))).not.toHaveProperty('full_message');
  });

  for (const [method, level] of [
    ['trace', 7],
    ['debug', 7],
    ['info', 6],
    ['warning', 4],
    ['error', 3],
    ['critical', 2],
  ] as const) {
    it(`writes syslog severity ${level} as level for ${method}()`, () => {
      const { logger, lines } = capture(GELF);
      logger[method]('APP', 'm');
      expect(lines).toEqual([`${head('m', level)},"_layer":"APP"}\n`]);
    });
  }

  it('never writes the reserved _id: a field named id becomes __id', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm', { id: 7 });
    expect(lines).toEqual([`${head('m')},"_layer":"APP","__id":7}\n`]);
  });

  it('keeps both fields when id and _id are given (id takes one more _)', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm', { id: 1, _id: 2 });
    expect(lines).toEqual([`${head('m')},"_layer":"APP","___id":1,"__id":2}\n`]);
  });

  it('replaces characters outside [A-Za-z0-9_.-] in field names with _', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm', { 'user name': 'ann', 'a.b-c_d': 1, zaż: 2 });
    expect(lines).toEqual([`${head('m')},"_layer":"APP","_user_name":"ann","_a.b-c_d":1,"_za_":2}\n`]);
  });

  it('keeps both fields when a replaced name meets an existing one (a b and a_b)', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm', { 'a b': 1, a_b: 2 });
    const parsed = JSON.parse(only(lines)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ __a_b: 1, _a_b: 2 });
    expect(only(lines).match(/"_+a_b":/g)).toHaveLength(2);
  });

  it('writes a whole second as an integer timestamp', () => {
    freezeClock(new Date('2026-11-26T21:49:12.000Z'));
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm');
    expect(lines).toEqual([
      '{"version":"1.1","host":"web-1","short_message":"m","timestamp":1795729752,"level":6,"_layer":"APP"}\n',
    ]);
  });

  it('writes non-finite numbers as text', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', 'm', { nan: Number.NaN, inf: Number.POSITIVE_INFINITY });
    expect(lines).toEqual([`${head('m')},"_layer":"APP","_nan":"NaN","_inf":"Infinity"}\n`]);
  });

  it('uses os.hostname() as host by default', () => {
    const { logger, lines } = capture({ format: 'gelf' });
    logger.info('APP', 'm');
    expect(JSON.parse(only(lines))).toMatchObject({ host: os.hostname() });
  });

  it('writes "-" as short_message for an empty message (GELF requires a non-empty one)', () => {
    const { logger, lines } = capture(GELF);
    logger.info('APP', '');
    expect(lines).toEqual([`${head('-')},"_layer":"APP"}\n`]);
  });
});
