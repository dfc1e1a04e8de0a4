import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AsyncHydraLogger,
  ConfigValidationError,
  type DestinationWriteError,
  HydraLogger,
  RecordDroppedError,
} from '../../src/index.js';
import { captureStderr, oneDestination, range } from '../fixtures/helpers.js';
import { runFixture } from '../fixtures/run-fixture.js';

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

/**
 * A Writable taking `delayMs` per chunk (a slow consumer), with a small highWaterMark so that
 * backpressure starts after a few lines. Records every `write` call, what it returned, every
 * `'drain'`, and the largest `writableLength` seen.
 */
function slowWritable(delayMs = 5, highWaterMark = 1024) {
  const chunks: string[] = [];
  const events: ('write' | 'false' | 'drain')[] = [];
  let maxBuffered = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      setTimeout(() => {
        chunks.push(chunk.toString());
        cb();
      }, delayMs);
    },
  });
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]) => {
    events.push('write');
    const ok = write(...args);
    if (!ok) events.push('false');
    maxBuffered = Math.max(maxBuffered, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  // Registered before the logger's listener: a drain is recorded before the writes it allows.
  stream.on('drain', () => events.push('drain'));
  return { stream, chunks, events, maxBuffered: () => maxBuffered };
}

const sumOf = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

describe('stream destination: backpressure', () => {
  it('a slow Writable (5 ms a chunk) gets no more than its highWaterMark plus maxBufferedBytes; the rest is counted as stream_full', async () => {
    const slow = slowWritable(5, 1024);
    const maxBufferedBytes = 4096;
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream: slow.stream, maxBufferedBytes }));
    const produced = 5_000;
    let shortest = Number.POSITIVE_INFINITY;
    let longest = 0;
    for (const i of range(0, produced)) logger.info('burst', { seq: i });
    await logger.flush();
    const received = linesOf(slow.chunks);
    for (const line of received) {
      shortest = Math.min(shortest, Buffer.byteLength(line) + 1);
      longest = Math.max(longest, Buffer.byteLength(line) + 1);
    }
    const m = logger.getPerformanceMetrics();
    const dropped = m.dropped.stream_full ?? 0;
    // Every record is either in the Writable or counted; the first ones are kept, in order.
    expect(received.length + dropped).toBe(produced);
    expect(sumOf(m.dropped)).toBe(dropped);
    expect(received.map((l) => JSON.parse(l).seq)).toEqual(range(0, received.length));
    // Bounded: what the Writable was given at most while the loop ran (its buffer, then ours).
    expect(received.length).toBeLessThanOrEqual(Math.ceil((1024 + longest + maxBufferedBytes) / shortest));
    expect(slow.maxBuffered()).toBeLessThanOrEqual(1024 + longest);
    expect(m.destinations.out).toMatchObject({ records: produced, pending: 0, writes: received.length });
    await logger.close();
  });

  it('honours write() === false: no write call after it until the stream emits drain', async () => {
    const slow = slowWritable(5, 1024);
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream: slow.stream }));
    let produced = 0;
    for (const _round of range(0, 3)) {
      for (const _ of range(0, 40)) logger.info('round', { seq: produced++ });
      await new Promise((r) => setTimeout(r, 20));
    }
    await logger.flush();
    expect(slow.events.filter((e) => e === 'false').length).toBeGreaterThan(0);
    for (let i = 0; i < slow.events.length; i++) {
      if (slow.events[i] !== 'false') continue;
      const next = slow.events.indexOf('write', i);
      const drain = slow.events.indexOf('drain', i);
      if (next !== -1) expect(drain, `write #${next} came before a drain`).toBeGreaterThan(-1);
      if (next !== -1) expect(drain).toBeLessThan(next);
    }
    expect(linesOf(slow.chunks).map((l) => JSON.parse(l).seq)).toEqual(range(0, produced));
    expect(logger.getPerformanceMetrics().dropped).toEqual({});
    await logger.close();
  });

  it('a stream destroyed by its owner: lines held and later records count as stream_closed, one error event, nothing thrown', async () => {
    const slow = slowWritable(5, 1024);
    const logger = new HydraLogger(oneDestination({ type: 'stream', stream: slow.stream }));
    const events: DestinationWriteError[] = [];
    logger.on('error', (e) => events.push(e));
    for (const i of range(0, 50)) logger.info('before', { seq: i });
    slow.stream.destroy();
    await new Promise((r) => slow.stream.once('close', r));
    for (const i of range(50, 55)) expect(() => logger.info('after', { seq: i })).not.toThrow();
    await logger.close();
    const m = logger.getPerformanceMetrics();
    expect(linesOf(slow.chunks).length + sumOf(m.dropped)).toBe(55);
    expect(m.dropped.stream_closed).toBeGreaterThanOrEqual(5);
    expect(m.destinations.out?.pending).toBe(0);
    expect(events).toHaveLength(1);
    expect(((events[0] as DestinationWriteError).cause as NodeJS.ErrnoException).code).toBe(
      'ERR_STREAM_DESTROYED',
    );
  });

  it('a stalled Writable (never calls back): close() returns after streamStallMs and counts every line left as stream_timeout', async () => {
    const stream = new Writable({ highWaterMark: 1024, write() {} });
    const logger = new HydraLogger(
      oneDestination({ type: 'stream', stream }, { limits: { streamStallMs: 50 } }),
    );
    for (const i of range(0, 40)) logger.info('stuck', { seq: i });
    await logger.flush();
    expect(logger.getPerformanceMetrics().destinations.out?.pending).toBe(40);
    await logger.close();
    const m = logger.getPerformanceMetrics();
    expect(m.dropped).toEqual({ stream_timeout: 40 });
    expect(m.destinations.out?.pending).toBe(0);
  });

  it('in a child process, 1,000,000 records to a 5 ms Writable keep memory bounded and every record accounted for', async () => {
    const r = await runFixture(
      'stream-backpressure.mjs',
      { records: 1_000_000, delayMs: 5 },
      { timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      produced: number;
      received: number;
      pending: number;
      dropped: Record<string, number>;
      maxBuffered: number;
      rssGrowth: number;
    };
    expect(out.received + out.pending + sumOf(out.dropped)).toBe(out.produced);
    expect(Object.keys(out.dropped)).toEqual(['stream_full']);
    // The Writable holds its highWaterMark (16 KiB) plus one line; the logger at most 8 MiB more.
    expect(out.maxBuffered).toBeLessThanOrEqual(16 * 1024 + 1024);
    // Generous: bounded, this run grows by ~50 MB; unbounded (before the bound) by ~390 MB.
    expect(out.rssGrowth).toBeLessThan(150 * 1024 * 1024);
  }, 130_000);
});

describe('stream destination: AsyncHydraLogger', () => {
  it("a call's promise resolves only once the stream's write callback for its line has run", async () => {
    const slow = slowWritable(5, 1024);
    const logger = new AsyncHydraLogger(oneDestination({ type: 'stream', stream: slow.stream }));
    const seenAtResolve: number[] = [];
    const calls = range(0, 20).map((i) =>
      logger.info('confirmed', { seq: i }).then(() => {
        seenAtResolve[i] = linesOf(slow.chunks).length;
      }),
    );
    await Promise.all(calls);
    // Line i was in the Writable's hands (chunks) before promise i resolved.
    for (const i of range(0, 20)) expect(seenAtResolve[i]).toBeGreaterThan(i);
    await logger.close();
  });

  it('a line the stream fails to take rejects its promise with RecordDroppedError (write_error:CODE)', async () => {
    const stream = new Writable({
      write(_chunk, _enc, cb) {
        setTimeout(() => cb(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })), 5);
      },
    });
    const logger = new AsyncHydraLogger(oneDestination({ type: 'stream', stream }));
    const err = await logger.info('lost').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RecordDroppedError);
    expect(err).toMatchObject({ reason: 'write_error:ECONNRESET', destination: 'out' });
    expect(logger.getPerformanceMetrics().dropped['write_error:ECONNRESET']).toBe(1);
    await logger.close();
  });

  it('records past maxBufferedBytes reject with reason stream_full; the others resolve once written', async () => {
    const slow = slowWritable(5, 1024);
    const logger = new AsyncHydraLogger(
      oneDestination({ type: 'stream', stream: slow.stream, maxBufferedBytes: 2048 }),
    );
    const outcomes = await Promise.all(
      range(0, 200).map((i) =>
        logger.info('burst', { seq: i }).then(
          () => 'written',
          (e: RecordDroppedError) => e.reason,
        ),
      ),
    );
    const written = outcomes.filter((o) => o === 'written').length;
    expect(written).toBe(linesOf(slow.chunks).length);
    expect(outcomes.filter((o) => o === 'stream_full').length).toBe(200 - written);
    expect(logger.getPerformanceMetrics().dropped).toEqual({ stream_full: 200 - written });
    await logger.close();
  });
});

describe('stream destination: maxBufferedBytes in config', () => {
  it('must be a positive integer, and only on stream destinations', () => {
    const stream = new Writable({ write: (_c, _e, cb) => cb() });
    const issuesOf = (d: Record<string, unknown>): string[] => {
      try {
        new HydraLogger(oneDestination(d as never));
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigValidationError);
        return (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      }
      return [];
    };
    expect(issuesOf({ type: 'stream', stream, maxBufferedBytes: 0 })).toEqual([
      'layers.DEFAULT.destinations[0].maxBufferedBytes: expected a positive integer (bytes held while the stream is above its highWaterMark), got 0',
    ]);
    expect(issuesOf({ type: 'stream', stream, maxBufferedBytes: '8MB' })).toHaveLength(1);
    expect(issuesOf({ type: 'memory', maxBufferedBytes: 1024 })).toEqual([
      'layers.DEFAULT.destinations[0].maxBufferedBytes: only "stream" destinations take it, this one is "memory"',
    ]);
    expect(issuesOf({ type: 'stream', stream, maxBufferedBytes: 1024 })).toEqual([]);
  });
});
