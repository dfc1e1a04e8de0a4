import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { firstGap, readLog, seqsOf, startChild } from './harness.js';

// R3 (docs/errors-and-signals.md): uncaught exception / unhandled rejection / fatal() then exit. The child logs
// COUNT records to a buffered file that nothing flushes by size or timer (64 MiB, 1 h), then
// crashes: the last record and every record before it must be in the file, the crash record too,
// and Node's own outcome must be kept (its error output on stderr, exit code 1).
const COUNT = 10_000;

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

/** The last record of the file, read loosely. */
type CrashRecord = Record<string, unknown> & { message: string; err: { stack: string; code?: string } };

async function crash(end: string, extra: Record<string, unknown> = {}) {
  const file = path.join(dir, `${end}.log`);
  const r = await startChild('process-crash.mjs', { file, count: COUNT, end, ...extra }).done;
  const log = readLog(file);
  // Nothing had reached the file before the crash: the crash path wrote all of it.
  expect(r.stderr).toContain('BEFORE_CRASH_SIZE 0\n');
  expect(log.torn).toBeUndefined();
  expect(log.malformed).toEqual([]);
  const seqs = seqsOf(log.records);
  expect(seqs).toHaveLength(COUNT);
  expect(firstGap(seqs)).toBe(-1);
  return { r, log, crashRecord: log.records.at(-1) as CrashRecord };
}

describe('R3 with captureUncaught: true', () => {
  it('uncaught exception: every record, then the CRITICAL crash record with its stack; Node prints the error, exit code 1', async () => {
    const { r, crashRecord } = await crash('throw');
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({
      level: 'CRITICAL',
      layer: 'DEFAULT',
      message: 'Uncaught exception: boom',
      origin: 'uncaughtException',
      err: { type: 'Error', message: 'boom' },
    });
    expect(crashRecord.err.stack).toMatch(/^Error: boom\n\s+at .*process-crash\.mjs:\d+/);
    expect(r.stderr).toMatch(/\nError: boom\n\s+at .*process-crash\.mjs/);
    expect(r.stderr).toContain('throw new Error(');
  });

  it('unhandled rejection (an Error): same, exit code 1 as under Node’s default --unhandled-rejections=throw', async () => {
    const { r, crashRecord } = await crash('reject');
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({
      level: 'CRITICAL',
      message: 'Unhandled promise rejection: rejected',
      origin: 'unhandledRejection',
      err: { message: 'rejected' },
    });
    expect(crashRecord.err.stack).toContain('process-crash.mjs');
    expect(r.stderr).toMatch(/\nError: rejected\n\s+at /);
  });

  it('unhandled rejection with a string reason: Node’s ERR_UNHANDLED_REJECTION is logged and printed, exit code 1', async () => {
    const { r, crashRecord } = await crash('rejectString');
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({ level: 'CRITICAL', origin: 'unhandledRejection' });
    expect(crashRecord.message).toContain('"plain reason"');
    expect(crashRecord.err.code).toBe('ERR_UNHANDLED_REJECTION');
    expect(r.stderr).toContain('ERR_UNHANDLED_REJECTION');
  });

  it('a throw at the top level of an ES module (Node reports it as a rejection): logged, printed, exit code 1', async () => {
    const { r, crashRecord } = await crash('topLevel');
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({ level: 'CRITICAL', err: { message: 'top-level boom' } });
    expect(r.stderr).toMatch(/\nError: top-level boom\n/);
  });

  it('an application uncaughtException listener keeps the process alive: the crash is logged, the app goes on, exit code 0', async () => {
    const file = path.join(dir, 'handled.log');
    const r = await startChild('process-crash.mjs', { file, count: COUNT, end: 'handled' }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('APP HANDLED handled boom');
    const log = readLog(file);
    expect(firstGap(seqsOf(log.records))).toBe(-1);
    expect(log.records.slice(-2)).toMatchObject([
      { level: 'CRITICAL', message: 'Uncaught exception: handled boom' },
      { level: 'INFO', message: 'after', seq: COUNT + 1 },
    ]);
  });
});

describe('R3 without captureUncaught', () => {
  it('fatal() then process.exit(1): every record and the fatal one, exit code 1', async () => {
    const { r, crashRecord } = await crash('fatal', { captureUncaught: false });
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({ level: 'CRITICAL', message: 'fatal error, exiting', seq: COUNT });
  });

  it('uncaught exception: the exit flush still writes every record (no crash record), exit code 1', async () => {
    const { r, crashRecord } = await crash('throw', { captureUncaught: false });
    expect(r.code).toBe(1);
    expect(crashRecord).toMatchObject({ level: 'INFO', seq: COUNT - 1 });
    expect(r.stderr).toMatch(/\nError: boom\n/);
  });
});
