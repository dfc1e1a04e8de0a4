import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyslogFormatter } from '../../src/formats/syslog.js';
import { capture, fixedError, freezeClock, NOW, only, restoreClock, sampleFields } from './capture.js';
import { parseSyslog5424 } from './parsers.js';

const TS = '2026-11-26T21:49:12.563Z';
const PID = process.pid;
const SYSLOG = { format: 'syslog', hostname: 'web-1', appName: 'shop' } as const;
const BSD = { ...SYSLOG, rfc: '3164' } as const;

/** Method, syslog severity (RFC 5424 §6.2.1). TRACE has no syslog severity of its own: it is debug. */
const SEVERITIES = [
  ['trace', 7],
  ['debug', 7],
  ['info', 6],
  ['warning', 4],
  ['error', 3],
  ['critical', 2],
] as const;

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('syslog format (RFC 5424)', () => {
  it('writes <PRI>1 TIMESTAMP HOST APP PROCID MSGID - MSG, the layer as MSGID, for a record without fields', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'Application started');
    logger.info('APP', 'Application started', {});
    const expected = `<14>1 ${TS} web-1 shop ${PID} APP - Application started\n`;
    expect(lines).toEqual([expected, expected]);
  });

  for (const [method, severity] of SEVERITIES) {
    for (const facility of [0, 1, 16, 23]) {
      it(`writes PRI ${facility * 8 + severity} for ${method}() with facility ${facility} (severity ${severity})`, () => {
        const { logger, lines } = capture({ ...SYSLOG, facility });
        logger[method]('APP', 'm');
        expect(lines).toEqual([`<${facility * 8 + severity}>1 ${TS} web-1 shop ${PID} APP - m\n`]);
      });
    }
  }

  it('uses facility 1 (user-level) by default', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.error('APP', 'm');
    expect(lines).toEqual([`<11>1 ${TS} web-1 shop ${PID} APP - m\n`]);
  });

  it('writes the fields as SD-PARAMs of one hydra@32473 element, every value as text', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 name="John Smith" count="42" ratio="0.5" ok="true" gone="null" nested="{\\"a\\":{\\"b\\":\\"x y\\"}}" list="[1,\\"two\\",false\\]"] order placed\n`,
    ]);
  });

  it('escapes ", \\ and ] in PARAM-VALUEs with a backslash', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'm', { v: 'say "hi" \\ [x] done' });
    expect(lines).toEqual([
      `<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 v="say \\"hi\\" \\\\ [x\\] done"] m\n`,
    ]);
    const sd = parseSyslog5424(only(lines).slice(0, -1)).sd;
    expect(sd?.params).toEqual([['v', 'say "hi" \\ [x] done']]);
  });

  it('writes a control character in a PARAM-VALUE as visible escaped text', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'm', { v: 'a\nb' });
    expect(lines).toEqual([`<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 v="a\\\\nb"] m\n`]);
    expect(parseSyslog5424(only(lines).slice(0, -1)).sd?.params).toEqual([['v', 'a\\nb']]);
  });

  it('replaces =, space, ], " and non-ASCII in SD-NAMEs with _ and cuts them to 32 characters', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'm', { 'a=b c]d"e': 1, zażółć: 2, ['k'.repeat(40)]: 3 });
    expect(lines).toEqual([
      `<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 a_b_c_d_e="1" za____="2" ${'k'.repeat(32)}="3"] m\n`,
    ]);
  });

  it('writes an Error field as JSON text with its stack and cause', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.error('DB', 'query failed', { err: fixedError() });
    const parsed = parseSyslog5424(only(lines).slice(0, -1));
    expect(parsed.sd?.params.map(([k]) => k)).toEqual(['err']);
    expect(JSON.parse(parsed.sd?.params[0]?.[1] ?? '')).toEqual({
      type: 'Error',
      message: 'query failed',
      stack: 'Error: query failed\n    at handler (/srv/app.js:10:5)',
      cause: {
        type: 'Error',
        message: 'connection refused',
        stack: 'Error: connection refused\n    at connect (/srv/db.js:3:7)',
      },
    });
    expect(lines[0]).toContain(
      `[hydra@32473 err="{\\"type\\":\\"Error\\",\\"message\\":\\"query failed\\",\\"stack\\":\\"Error: query failed\\\\n    at handler (/srv/app.js:10:5)\\",\\"cause\\":{`,
    );
  });

  it('writes a UTF-8 MSG as is in files; the network form puts the BOM before a non-ASCII MSG only', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'héllo');
    expect(lines).toEqual([`<14>1 ${TS} web-1 shop ${PID} APP - héllo\n`]);
    const wire = createSyslogFormatter({ color: false, hostname: 'web-1', appName: 'shop' }, { bom: true });
    const r = {
      time: NOW.getTime(),
      level: 20,
      levelName: 'INFO',
      layer: 'APP',
      fields: { k: 'é' },
    } as const;
    expect(wire.format({ ...r, message: 'héllo' } as never)).toBe(
      `<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 k="é"] \ufeffhéllo\n`,
    );
    expect(wire.format({ ...r, message: 'hello' } as never)).toBe(
      `<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 k="é"] hello\n`,
    );
  });

  it('replaces spaces and non-ASCII in HOSTNAME, APP-NAME and MSGID with _, and cuts MSGID to 32', () => {
    const { logger, lines } = capture({ format: 'syslog', hostname: 'web 1', appName: 'my shop' });
    logger.info(`LAYER ONE ${'x'.repeat(40)}`, 'm');
    expect(lines).toEqual([`<14>1 ${TS} web_1 my_shop ${PID} LAYER_ONE_${'x'.repeat(22)} - m\n`]);
  });

  it('writes NILVALUE for an empty layer', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('', 'm');
    expect(lines).toEqual([`<14>1 ${TS} web-1 shop ${PID} - - m\n`]);
  });

  it('escapes control characters in MSG', () => {
    const { logger, lines } = capture(SYSLOG);
    logger.info('APP', 'one\ntwo\x1b[2J');
    expect(lines).toEqual([`<14>1 ${TS} web-1 shop ${PID} APP - one\\ntwo\\x1b[2J\n`]);
  });

  it('writes own fields only, not inherited enumerable keys (as json does)', () => {
    const { logger, lines } = capture(SYSLOG);
    const fields = Object.create({ inherited: 'x' }) as Record<string, unknown>;
    fields.own = 1;
    logger.info('APP', 'm', fields);
    expect(lines).toEqual([`<14>1 ${TS} web-1 shop ${PID} APP [hydra@32473 own="1"] m\n`]);
  });

  it('passes an independent RFC 5424 reader', () => {
    const { logger, lines } = capture({ ...SYSLOG, facility: 16 });
    logger.warning('AUTH', 'locked out', { user: 'ann', tries: 5 });
    expect(parseSyslog5424(only(lines).slice(0, -1))).toEqual({
      pri: 132,
      timestamp: TS,
      hostname: 'web-1',
      appName: 'shop',
      procId: String(PID),
      msgId: 'AUTH',
      sd: {
        id: 'hydra@32473',
        params: [
          ['user', 'ann'],
          ['tries', '5'],
        ],
      },
      msg: 'locked out',
    });
  });
});

describe('syslog format (RFC 3164)', () => {
  it('writes <PRI>Mmm dd hh:mm:ss HOST APP[PID]: [LAYER] MSG k=v', () => {
    const { logger, lines } = capture(BSD);
    logger.info('APP', 'Application started', { user_id: 42, name: 'John Smith' });
    expect(lines).toEqual([
      `<14>Nov 26 21:49:12 web-1 shop[${PID}]: [APP] Application started user_id=42 name="John Smith"\n`,
    ]);
  });

  it('writes a record without fields', () => {
    const { logger, lines } = capture(BSD);
    logger.info('APP', 'Application started');
    expect(lines).toEqual([`<14>Nov 26 21:49:12 web-1 shop[${PID}]: [APP] Application started\n`]);
  });

  for (const [method, severity] of SEVERITIES) {
    it(`writes PRI ${16 * 8 + severity} for ${method}() with facility 16`, () => {
      const { logger, lines } = capture({ ...BSD, facility: 16 });
      logger[method]('APP', 'm');
      expect(lines).toEqual([`<${16 * 8 + severity}>Nov 26 21:49:12 web-1 shop[${PID}]: [APP] m\n`]);
    });
  }

  it('cuts APP-NAME, the TAG, to 32 characters and replaces [ ] : in it', () => {
    const { logger, lines } = capture({ ...BSD, appName: `a[b]:${'c'.repeat(40)}` });
    logger.info('APP', 'm');
    expect(lines).toEqual([`<14>Nov 26 21:49:12 web-1 a_b__${'c'.repeat(27)}[${PID}]: [APP] m\n`]);
  });

  it('pads a one-digit day with a space (Nov  6)', () => {
    freezeClock(new Date('2026-11-06T01:02:03.004Z'));
    const { logger, lines } = capture(BSD);
    logger.info('APP', 'm');
    expect(lines).toEqual([`<14>Nov  6 01:02:03 web-1 shop[${PID}]: [APP] m\n`]);
  });

  it('writes the time in the local time zone (TZ=Asia/Kolkata)', () => {
    freezeClock(NOW, 'Asia/Kolkata');
    const { logger, lines } = capture(BSD);
    logger.info('APP', 'm');
    expect(lines).toEqual([`<14>Nov 27 03:19:12 web-1 shop[${PID}]: [APP] m\n`]);
  });

  it('writes fields as logfmt pairs, objects as quoted JSON', () => {
    const { logger, lines } = capture(BSD);
    logger.info('APP', 'm', sampleFields());
    expect(lines).toEqual([
      `<14>Nov 26 21:49:12 web-1 shop[${PID}]: [APP] m name="John Smith" count=42 ratio=0.5 ok=true gone=null nested="{\\"a\\":{\\"b\\":\\"x y\\"}}" list="[1,\\"two\\",false]"\n`,
    ]);
  });
});
