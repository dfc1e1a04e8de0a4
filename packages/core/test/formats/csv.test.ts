import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { capture, fixedError, freezeClock, only, restoreClock, sampleFields } from './capture.js';
import { parseCsvRow } from './parsers.js';

const TS = '2026-11-26T21:49:12.563Z';
const HEADER = 'timestamp,level,layer,message,fields';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('csv format', () => {
  it('writes timestamp, level, layer, message and an empty fields column', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.info('APP', 'Application started');
    logger.info('APP', 'Application started', {});
    expect(lines).toEqual([
      `${TS},INFO,APP,Application started,\n`,
      `${TS},INFO,APP,Application started,{}\n`,
    ]);
  });

  it('writes the fields as one quoted JSON column with doubled quotes', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `${TS},INFO,APP,order placed,"{""name"":""John Smith"",""count"":42,""ratio"":0.5,""ok"":true,""gone"":null,""nested"":{""a"":{""b"":""x y""}},""list"":[1,""two"",false]}"\n`,
    ]);
  });

  it('writes an Error field with its stack and cause in the JSON column', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.error('DB', 'query failed', { err: fixedError() });
    expect(lines).toEqual([
      `${TS},ERROR,DB,query failed,"{""err"":{""type"":""Error"",""message"":""query failed"",""stack"":""Error: query failed\\n    at handler (/srv/app.js:10:5)"",""cause"":{""type"":""Error"",""message"":""connection refused"",""stack"":""Error: connection refused\\n    at connect (/srv/db.js:3:7)""}}}"\n`,
    ]);
  });

  for (const [what, message, cell] of [
    ['a comma', 'a, b', '"a, b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a leading space', ' padded', '" padded"'],
    ['a trailing space', 'padded ', '"padded "'],
    ['nothing special', 'plain words', 'plain words'],
  ] as const) {
    it(`quotes the message when it holds ${what} (RFC 4180)`, () => {
      const { logger, lines } = capture({ format: 'csv' });
      logger.info('APP', message);
      expect(lines).toEqual([`${TS},INFO,APP,${cell},\n`]);
      expect(parseCsvRow(only(lines).slice(0, -1))).toEqual([TS, 'INFO', 'APP', message, '']);
    });
  }

  it('quotes a layer name holding a comma', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.info('A,B', 'm');
    expect(lines).toEqual([`${TS},INFO,"A,B",m,\n`]);
  });

  it('escapes line breaks in the message so that a row stays on one line', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.info('APP', 'one\r\ntwo');
    expect(lines).toEqual([`${TS},INFO,APP,one\\r\\ntwo,\n`]);
  });

  for (const [method, name] of [
    ['trace', 'TRACE'],
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['warning', 'WARNING'],
    ['error', 'ERROR'],
    ['critical', 'CRITICAL'],
  ] as const) {
    it(`writes level ${name} for ${method}()`, () => {
      const { logger, lines } = capture({ format: 'csv' });
      logger[method]('APP', 'm');
      expect(lines).toEqual([`${TS},${name},APP,m,\n`]);
    });
  }

  it('gives back five columns and the original fields through an RFC 4180 reader', () => {
    const { logger, lines } = capture({ format: 'csv' });
    const fields = { ...sampleFields(), csv: 'a,"b",c', spaces: '  both  ' };
    logger.info('APP', 'm, "n"', fields);
    const cols = parseCsvRow(only(lines).slice(0, -1));
    expect(cols.slice(0, 4)).toEqual([TS, 'INFO', 'APP', 'm, "n"']);
    expect(JSON.parse(cols[4] ?? '')).toEqual(fields);
  });

  it('writes no header to a stream or memory destination (only files get one)', () => {
    const { logger, lines } = capture({ format: 'csv' });
    logger.info('APP', 'm');
    expect(lines).toEqual([`${TS},INFO,APP,m,\n`]);
    const mem = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'csv' }] } } },
    });
    mem.info('APP', 'm');
    expect(mem.memory()?.lines()).toEqual([`${TS},INFO,APP,m,`]);
  });
});

describe('csv header in files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-csv-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fileLogger = (file: string) =>
    new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', format: 'csv', path: file }] } } },
    });

  it('writes the header once before the first row of a new file', async () => {
    const file = path.join(dir, 'logs', 'app.csv');
    const logger = fileLogger(file);
    logger.info('APP', 'first');
    logger.info('APP', 'second');
    await logger.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${HEADER}\n${TS},INFO,APP,first,\n${TS},INFO,APP,second,\n`);
  });

  it('writes exactly one header when two loggers append to the same file one after the other', async () => {
    const file = path.join(dir, 'app.csv');
    const first = fileLogger(file);
    first.info('APP', 'from the first logger');
    await first.close();
    const second = fileLogger(file);
    second.warn('APP', 'from the second logger');
    await second.close();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(
      `${HEADER}\n${TS},INFO,APP,from the first logger,\n${TS},WARNING,APP,from the second logger,\n`,
    );
    expect(text.split('\n').filter((l) => l === HEADER)).toHaveLength(1);
  });

  it('writes no file and no header when nothing is logged', async () => {
    const file = path.join(dir, 'never.csv');
    await fileLogger(file).close();
    expect(fs.existsSync(file)).toBe(false);
  });
});
