/**
 * §13 S1–S3: log injection. Hostile text in the message, in field keys and values (nested too)
 * and in the layer name must never split a record over lines, never reach a terminal as a
 * control sequence, and never overwrite the fields a format writes itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, type FsPort, HydraLogger, type StreamDestination } from '../../src/index.js';
import { capture, freezeClock, RAW_CONTROL, restoreClock } from '../formats/capture.js';
import { logfmtValue, parseCsvRow, parseLogfmt, parseSyslog5424 } from '../formats/parsers.js';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

/** Every built-in format, and syslog's RFC 3164 flavour. */
const FORMATS: readonly { name: string; destination: Omit<Partial<StreamDestination>, 'type' | 'stream'> }[] =
  [
    ...FORMAT_NAMES.map((format) => ({
      name: format,
      destination: { format, hostname: 'web-1', appName: 'shop' },
    })),
    {
      name: 'syslog RFC 3164',
      destination: { format: 'syslog', rfc: '3164', hostname: 'web-1', appName: 'shop' },
    },
  ];

/** Name, hostile text, its visible escape in plain-text and logfmt. */
const PAYLOADS = [
  ['CR', '\r', '\\r'],
  ['LF', '\n', '\\n'],
  ['CRLF', '\r\n', '\\r\\n'],
  ['U+2028', '\u2028', '\\u2028'],
  ['U+2029', '\u2029', '\\u2029'],
  ['NUL', '\x00', '\\x00'],
  ['JSON break-out', '"}\n{"level":"CRITICAL"', '"}\\n{"level":"CRITICAL"'],
  ['TAB', '\t', '\\t'],
  ['VT and FF', '\x0b\x0c', '\\x0b\\x0c'],
  ['DEL', '\x7f', '\\x7f'],
  ['NEL (U+0085)', '\x85', '\\x85'],
  ['8-bit CSI (U+009B)', '\x9b', '\\x9b'],
] as const;

/** The hostile text everywhere a record holds user text. */
function hostileRecord(
  logger: HydraLogger,
  p: string,
): { layer: string; message: string; fields: Record<string, unknown> } {
  const layer = `L${p}X`;
  const message = `before${p}after`;
  const fields = { [`k${p}`]: 'plain key', value: `v${p}w`, nested: { deep: [`n${p}`], [`nk${p}`]: 1 } };
  logger.info(layer, message, fields);
  return { layer, message, fields };
}

/** The lines a destination got: each ends in its only `\n`, and holds no other raw control character. */
function assertOneLinePerRecord(lines: readonly string[], records: number): string[] {
  expect(lines).toHaveLength(records);
  expect(lines.join('').split('\n')).toHaveLength(records + 1);
  return lines.map((line) => {
    expect(line.endsWith('\n')).toBe(true);
    const body = line.slice(0, -1);
    expect(body).not.toMatch(RAW_CONTROL);
    return body;
  });
}

describe('S1: one record = one line, whatever the input', () => {
  for (const { name: format, destination } of FORMATS) {
    for (const [payloadName, payload, escaped] of PAYLOADS) {
      it(`keeps a record on one line with ${payloadName} in message, keys, values, nested values and layer (${format})`, () => {
        const { logger, lines } = capture(destination);
        const rec = hostileRecord(logger, payload);
        logger.info('NEXT', 'second record');
        const [body = '', next = ''] = assertOneLinePerRecord(lines, 2);
        expect(next).toContain('second record');

        switch (format) {
          case 'json': {
            // Round trip: JSON.parse gives back the exact text, and the core fields are ours.
            expect(JSON.parse(body)).toEqual({
              timestamp: '2026-11-26T21:49:12.563Z',
              level: 'INFO',
              layer: rec.layer,
              message: rec.message,
              ...rec.fields,
            });
            break;
          }
          case 'gelf': {
            const parsed = JSON.parse(body) as Record<string, unknown>;
            expect(parsed).toMatchObject({ short_message: rec.message, _layer: rec.layer, level: 6 });
            expect(parsed._value).toBe(`v${payload}w`);
            expect(JSON.parse(parsed._nested as string)).toEqual(rec.fields.nested);
            expect(parsed[`_k${payload.replace(/[^\w.-]/g, '_')}`]).toBe('plain key');
            break;
          }
          case 'csv': {
            const cols = parseCsvRow(body);
            expect(cols).toHaveLength(5);
            expect(cols.slice(1, 4)).toEqual(['INFO', `L${escaped}X`, `before${escaped}after`]);
            expect(JSON.parse(cols[4] ?? '')).toEqual(rec.fields);
            break;
          }
          case 'logfmt': {
            const pairs = parseLogfmt(body);
            expect(pairs).toHaveLength(4 + 3);
            expect(logfmtValue(pairs, 'level')).toBe('info');
            expect(logfmtValue(pairs, 'layer')).toBe(rec.layer);
            expect(logfmtValue(pairs, 'msg')).toBe(rec.message);
            expect(logfmtValue(pairs, 'value')).toBe(`v${payload}w`);
            expect(JSON.parse(logfmtValue(pairs, 'nested'))).toEqual(rec.fields.nested);
            expect(body).toContain(`k${escaped.replace(/[\s="]/g, '_')}=`);
            break;
          }
          case 'plain-text': {
            expect(body).toContain(
              ` INFO     [L${escaped}X] before${escaped}after k${escaped.replace(/[\s="]/g, '_')}=`,
            );
            break;
          }
          case 'syslog': {
            const parsed = parseSyslog5424(body);
            expect(parsed.pri).toBe(14);
            expect(parsed.msg).toBe(`before${escaped}after`);
            expect(parsed.sd?.params.map(([, v]) => v)).toEqual([
              'plain key',
              `v${escaped}w`,
              expect.any(String) as unknown as string,
            ]);
            const nested = parsed.sd?.params[2]?.[1] ?? '';
            expect(JSON.parse(nested)).toEqual(rec.fields.nested);
            break;
          }
          case 'syslog RFC 3164': {
            expect(body).toMatch(new RegExp(`^<14>Nov 26 21:49:12 web-1 shop\\[${process.pid}\\]: \\[`));
            expect(body).toContain(`[L${escaped}X] before${escaped}after `);
            break;
          }
          default:
            throw new Error(`no checks for format ${format}`);
        }
      });
    }
  }

  it('checks every built-in format', () => {
    expect(FORMATS.map((f) => f.name)).toEqual([...FORMAT_NAMES, 'syslog RFC 3164']);
  });
});

/** ANSI sequences a hostile string may carry to take over a terminal. */
const ANSI_PAYLOADS = [
  ['CSI colour', '\x1b[31m'],
  ['CSI clear screen', '\x1b[2J'],
  ['OSC window title', '\x1b]0;title\x07'],
  ['OSC 8 hyperlink', '\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\'],
  ['DCS', '\x1bP1$r0m\x1b\\'],
  ['8-bit CSI', '\u009b31m'],
  ['8-bit OSC and ST', '\u009d0;title\u009c'],
  ['BEL', '\x07'],
] as const;

/** Our own colour codes (SGR: ESC [ digits ; m). */
const SGR = /\x1b\[[0-9;]*m/g;
/** SGR codes our colour formats write per line: plain-text dims the time and colours level and layer; logfmt colours the level. */
const OUR_SGR_COUNT: Readonly<Record<string, number>> = { 'plain-text': 6, logfmt: 2 };

describe('S2: no terminal control sequence from user data reaches the output', () => {
  for (const format of FORMAT_NAMES) {
    for (const [name, payload] of ANSI_PAYLOADS) {
      it(`writes ${name} from message, keys, values and layer as text, colorMode always (${format})`, () => {
        const { logger, lines } = capture({
          format,
          colorMode: 'always',
          hostname: 'web-1',
          appName: 'shop',
        });
        hostileRecord(logger, payload);
        expect(lines).toHaveLength(1);
        const line = lines[0] ?? '';
        const ours = line.match(SGR) ?? [];
        expect(ours).toHaveLength(OUR_SGR_COUNT[format] ?? 0);
        const rest = line.replace(SGR, '');
        expect(rest).not.toMatch(/[\x1b\x07\x9b\x9c\x9d]/);
        expect(rest.slice(0, -1)).not.toMatch(RAW_CONTROL);
      });
    }
  }

  it('writes nothing raw to a console destination (stdout, sync, colorMode always)', () => {
    const written: string[] = [];
    const stdout: FsPort = {
      openSync: () => {
        throw new Error('console does not open files');
      },
      writeSync: (fd, data) => {
        expect(fd).toBe(1);
        const text = typeof data === 'string' ? data : Buffer.from(data).toString();
        written.push(text);
        return Buffer.byteLength(text);
      },
      closeSync: () => {},
      fstatSync: () => ({ size: 0, isFile: () => false }),
      mkdirSync: () => undefined,
      fsyncSync: () => {},
    };
    const logger = new HydraLogger({
      fs: stdout,
      config: {
        layers: {
          DEFAULT: {
            destinations: [{ type: 'console', format: 'plain-text', colorMode: 'always', mode: 'sync' }],
          },
        },
      },
    });
    for (const [, payload] of ANSI_PAYLOADS) hostileRecord(logger, payload);
    logger.flushSync();
    const output = written.join('');
    expect(output.split('\n')).toHaveLength(ANSI_PAYLOADS.length + 1);
    expect(output.match(SGR)).toHaveLength(6 * ANSI_PAYLOADS.length);
    expect(output.replace(SGR, '').replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });

  for (const format of ['plain-text', 'logfmt'] as const) {
    it(`puts our colour codes only around the time, level and layer (${format})`, () => {
      const { logger, lines } = capture({ format, colorMode: 'always' });
      logger.info('APP', '\x1b[31mred\x1b[0m', { k: '\x1b[2J' });
      const expected =
        format === 'plain-text'
          ? '\x1b[2m2026-11-26 21:49:12.563\x1b[0m \x1b[32mINFO    \x1b[0m \x1b[35m[APP]\x1b[0m \\x1b[31mred\\x1b[0m k="\\x1b[2J"\n'
          : 'ts=2026-11-26T21:49:12.563Z level=\x1b[32minfo\x1b[0m layer=APP msg="\\x1b[31mred\\x1b[0m" k="\\x1b[2J"\n';
      expect(lines).toEqual([expected]);
    });

    for (const [name, payload] of ANSI_PAYLOADS) {
      it(`writes no ESC at all with colorMode never: ${name} (${format})`, () => {
        const { logger, lines } = capture({ format, colorMode: 'never' });
        hostileRecord(logger, payload);
        expect(lines).toHaveLength(1);
        expect(lines[0]).not.toMatch(/[\x1b\x07\x9b\x9c\x9d]/);
      });
    }
  }
});

/** Core field names a user may try to overwrite. */
const CORE_NAMES = ['time', 'timestamp', 'level', 'layer', 'message', 'msg', 'caller'] as const;
const FORGED: Record<string, string> = Object.fromEntries(CORE_NAMES.map((k) => [k, `forged-${k}`]));

/** The core fields of one line, read the way a consumer of the format reads them. */
function coreOf(format: string, body: string): Record<string, unknown> {
  switch (format) {
    case 'json': {
      const p = JSON.parse(body) as Record<string, unknown>;
      return { timestamp: p.timestamp, level: p.level, layer: p.layer, message: p.message, caller: p.caller };
    }
    case 'gelf': {
      const p = JSON.parse(body) as Record<string, unknown>;
      return {
        timestamp: p.timestamp,
        level: p.level,
        layer: p._layer,
        message: p.short_message,
        caller: p._caller,
      };
    }
    case 'logfmt': {
      // A consumer that keeps the last value of a repeated key must still get ours: keys are unique.
      const pairs = parseLogfmt(body);
      const keys = pairs.map(([k]) => k);
      expect(new Set(keys).size).toBe(keys.length);
      const last = Object.fromEntries(pairs);
      return {
        timestamp: last.ts,
        level: last.level,
        layer: last.layer,
        message: last.msg,
        caller: last.caller,
      };
    }
    case 'csv': {
      const [timestamp, level, layer, message] = parseCsvRow(body);
      return { timestamp, level, layer, message, caller: undefined };
    }
    case 'syslog': {
      const p = parseSyslog5424(body);
      return { timestamp: p.timestamp, level: p.pri, layer: p.msgId, message: p.msg, caller: undefined };
    }
    case 'plain-text': {
      const m = /^(\S+ \S+) (\S+) +\[([^\]]*)\] (\S+)/.exec(body);
      return { timestamp: m?.[1], level: m?.[2], layer: m?.[3], message: m?.[4], caller: undefined };
    }
    default:
      throw new Error(`no reader for ${format}`);
  }
}

const EXPECTED_CORE: Readonly<Record<string, Record<string, unknown>>> = {
  json: {
    timestamp: '2026-11-26T21:49:12.563Z',
    level: 'INFO',
    layer: 'APP',
    message: 'real',
    caller: undefined,
  },
  gelf: { timestamp: 1795729752.563, level: 6, layer: 'APP', message: 'real', caller: undefined },
  logfmt: {
    timestamp: '2026-11-26T21:49:12.563Z',
    level: 'info',
    layer: 'APP',
    message: 'real',
    caller: undefined,
  },
  csv: {
    timestamp: '2026-11-26T21:49:12.563Z',
    level: 'INFO',
    layer: 'APP',
    message: 'real',
    caller: undefined,
  },
  syslog: {
    timestamp: '2026-11-26T21:49:12.563Z',
    level: 14,
    layer: 'APP',
    message: 'real',
    caller: undefined,
  },
  'plain-text': {
    timestamp: '2026-11-26 21:49:12.563',
    level: 'INFO',
    layer: 'APP',
    message: 'real',
    caller: undefined,
  },
};

describe('S3: user fields named like core fields cannot change them', () => {
  const sources = [
    ['call fields', (l: HydraLogger) => l.info('APP', 'real', FORGED)],
    ['child() bindings', (l: HydraLogger) => l.child(FORGED).info('APP', 'real')],
    ['layer().child() bindings', (l: HydraLogger) => l.layer('APP').child(FORGED).info('real')],
    ['runWithContext context', (l: HydraLogger) => l.runWithContext(FORGED, () => l.info('APP', 'real'))],
    ['(fields, message) call order', (l: HydraLogger) => l.layer('APP').info(FORGED, 'real')],
    ['a field named ts', (l: HydraLogger) => l.info('APP', 'real', { ts: 'forged-ts' })],
  ] as const;

  for (const format of FORMAT_NAMES) {
    for (const [source, log] of sources) {
      it(`keeps the core fields of ${format} from ${source} named like them`, () => {
        const { logger, lines } = capture({ format, hostname: 'web-1', appName: 'shop' });
        log(logger);
        const [body = ''] = assertOneLinePerRecord(lines, 1);
        expect(coreOf(format, body)).toEqual(EXPECTED_CORE[format]);
      });
    }
  }

  it('writes a user field <name> as _<name> (json), the value intact', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'real', FORGED);
    expect(lines).toEqual([
      '{"timestamp":"2026-11-26T21:49:12.563Z","level":"INFO","layer":"APP","message":"real","_time":"forged-time","_timestamp":"forged-timestamp","_level":"forged-level","_layer":"forged-layer","_message":"forged-message","_msg":"forged-msg","_caller":"forged-caller"}\n',
    ]);
  });

  it('adds one more _ while the new name is taken: level → __level when _level exists (json)', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'real', { _level: 'a', level: 'b', __level: 'c' });
    const parsed = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'INFO', _level: 'a', __level: 'c', ___level: 'b' });
  });

  it('renames child() bindings and runWithContext keys the same way (json)', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.child({ level: 'from-binding' }).info('APP', 'a');
    logger.runWithContext({ layer: 'from-context' }, () => logger.info('APP', 'b'));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'INFO', _level: 'from-binding' }),
      expect.objectContaining({ layer: 'APP', _layer: 'from-context' }),
    ]);
  });

  it('keeps the real caller when a user field is named caller (json, includeCaller)', () => {
    const { logger, lines } = capture({ format: 'json' }, { includeCaller: true });
    logger.info('APP', 'real', { caller: { file: 'forged.js', line: 1 } });
    const parsed = JSON.parse(lines[0] ?? '') as { caller: { file: string }; _caller: unknown };
    expect(parsed.caller.file).toMatch(/injection\.test\.ts$/);
    expect(parsed._caller).toEqual({ file: 'forged.js', line: 1 });
  });

  it('writes the renamed fields with the GELF _ prefix: level → __level, layer → __layer', () => {
    const { logger, lines } = capture({ format: 'gelf', hostname: 'web-1' });
    logger.info('APP', 'real', { level: 'x', layer: 'y', short_message: 'z', version: 'v', host: 'h' });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      version: '1.1',
      host: 'web-1',
      short_message: 'real',
      level: 6,
      _layer: 'APP',
      __level: 'x',
      __layer: 'y',
      _short_message: 'z',
      _version: 'v',
      _host: 'h',
    });
  });
});
