import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DestinationWriteError, HydraLogger } from '../../src/index.js';
import { captureStderr, oneDestination, range } from '../fixtures/helpers.js';

/** A Writable that records what it is given; each chunk is handled after `delayMs` (0: at once). */
function collector(delayMs = 0): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const handle = (): void => {
        chunks.push(chunk.toString());
        cb();
      };
      if (delayMs > 0) setTimeout(handle, delayMs);
      else handle();
    },
  });
  return { stream, chunks };
}

const linesOf = (chunks: string[]): string[] => chunks.join('').split('\n').slice(0, -1);

let stderr: ReturnType<typeof captureStderr>;
beforeEach(() => {
  stderr = captureStderr();
});
afterEach(() => {
  stderr.restore();
});

describe('stream destination: writing', () => {
  it('hands each record to a Writable as one JSON line, in order', async () => {
    const { stream, chunks } = collector();
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream }));
    for (const i of range(0, 5)) logger.info('to a stream', { seq: i });
    await logger.flush();
    expect(linesOf(chunks).map((l) => JSON.parse(l).seq)).toEqual(range(0, 5));
    expect(logger.getPerformanceMetrics().destinations.out).toMatchObject({
      type: 'stream',
      records: 5,
      errors: 0,
    });
  });

  it('calls a function once per record with the line and its newline', () => {
    const got: string[] = [];
    const logger = new HydraLogger(
      oneDestination({ type: 'stream', stream: (line: string) => got.push(line) }),
    );
    logger.info('one', { seq: 0 });
    logger.warn('two', { seq: 1 });
    expect(got).toHaveLength(2);
    for (const line of got) expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    expect(got.map((l) => JSON.parse(l).seq)).toEqual([0, 1]);
  });

  it('writes no colour codes to a Writable that is not a terminal', async () => {
    const { stream, chunks } = collector();
    const logger = new HydraLogger(
      oneDestination({ type: 'stream', stream, format: 'plain-text' }, { env: {} }),
    );
    logger.error('APP', 'plain');
    await logger.flush();
    expect(chunks.join('')).not.toContain('\x1b[');
    expect(chunks.join('')).toMatch(/ERROR +\[APP\] plain\n$/);
  });

  it('counts bytes as UTF-8 bytes, not string length', () => {
    const got: string[] = [];
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream: (l: string) => got.push(l) }));
    logger.info('héllo — 😀');
    expect(logger.getPerformanceMetrics().destinations.out?.bytesWritten).toBe(
      Buffer.byteLength(got.join('')),
    );
  });
});

describe('stream destination: flush and close', () => {
  it('flush() resolves only after a slow Writable has handled every line', async () => {
    const { stream, chunks } = collector(5);
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream }));
    for (const i of range(0, 5)) logger.info('slow', { seq: i });
    expect(linesOf(chunks)).toHaveLength(0);
    await logger.flush();
    expect(linesOf(chunks).map((l) => JSON.parse(l).seq)).toEqual(range(0, 5));
  });

  it('flush() on an idle stream hands it nothing', async () => {
    const { stream, chunks } = collector();
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream }));
    logger.info('one');
    await logger.flush();
    await logger.flush();
    expect(chunks.filter((c) => c === '')).toEqual([]);
  });

  it('close() waits for the stream but leaves the caller’s stream open', async () => {
    const { stream, chunks } = collector(2);
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream }));
    logger.info('last', { seq: 0 });
    await logger.close();
    expect(linesOf(chunks)).toHaveLength(1);
    expect(stream.writableEnded).toBe(false);
    expect(stream.destroyed).toBe(false);
  });
});

describe('stream destination: faults', () => {
  it('a throwing function never throws into the caller; drops are counted, one error event', () => {
    const events: DestinationWriteError[] = [];
    const fail = (): void => {
      throw Object.assign(new Error('sink is broken'), { code: 'ESINK' });
    };
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream: fail }));
    logger.on('error', (e) => events.push(e));
    for (const i of range(0, 4)) expect(() => logger.info('lost', { seq: i })).not.toThrow();
    const m = logger.getPerformanceMetrics();
    expect(m.dropped['write_error:ESINK']).toBe(4);
    expect(m.destinations.out?.errors).toBe(4);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ code: 'HYDRA_E_WRITE_FAILED', destination: 'out' });
    expect(stderr.lines.filter((l) => l.includes('"out"'))).toHaveLength(1);
  });

  it('a Writable that fails asynchronously: no crash, one error event, every lost record counted', async () => {
    const stream = new Writable({
      write(_chunk, _enc, cb) {
        setImmediate(() => cb(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })));
      },
    });
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream }));
    const events: DestinationWriteError[] = [];
    logger.on('error', (e) => events.push(e));
    for (const i of range(0, 3)) logger.info('in flight', { seq: i });
    await new Promise((r) => stream.once('close', r));
    for (const i of range(3, 5)) expect(() => logger.info('after the failure', { seq: i })).not.toThrow();
    await logger.flush();
    const m = logger.getPerformanceMetrics();
    const dropped = Object.values(m.dropped).reduce((a, b) => a + b, 0);
    expect(dropped).toBe(5);
    expect(m.dropped.stream_closed).toBe(2);
    expect(events).toHaveLength(1);
    expect((events[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
  });
});
