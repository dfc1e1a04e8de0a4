import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AsyncHydraLogger,
  MultiFallbackAsyncQueue,
  type QueueOptions,
  type StrategyName,
} from '../../src/index.js';
import {
  AsyncFaultPort,
  eventually,
  fileLogger,
  ledgerHolds,
  makeTempDir,
  range,
  removeDir,
  seqsIn,
} from './helpers.js';

// Each strategy on its own, fallback along the chain, probes and recovery, latency degrade.

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'out.log');
});
afterEach(() => removeDir(dir));

async function burst(logger: AsyncHydraLogger, from: number, to: number): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let i = from; i < to; i++) calls.push(logger.info('line', { seq: i }));
  await Promise.all(calls);
}

describe('the constructor options of the multi-fallback queue', () => {
  it('new AsyncHydraLogger({ queueClass: MultiFallbackAsyncQueue, primaryStrategy: "async", fallbackStrategies: ["sync", "direct", "memory"] })', async () => {
    const logger = new AsyncHydraLogger({
      queueClass: MultiFallbackAsyncQueue,
      primaryStrategy: 'async',
      fallbackStrategies: ['sync', 'direct', 'memory'],
      journalDir: path.join(dir, 'journal'),
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file, name: 'out' }] } } },
    });
    await logger.initialize();
    await burst(logger, 0, 10);
    expect(seqsIn(file)).toEqual(range(0, 10));
    expect(Object.keys(logger.getQueuePerformanceMetrics().strategies)).toEqual([
      'async',
      'sync',
      'direct',
      'memory',
    ]);
    expect(Object.keys(logger.getQueuePerformanceMetrics())).toEqual(
      expect.arrayContaining([
        'currentStrategy',
        'successRate',
        'avgLatencyMs',
        'p99LatencyMs',
        'queueDepth',
        'dropped',
        'health',
        'strategies',
      ]),
    );
    await logger.close();
  });
});

describe('each strategy alone writes every line, in order', () => {
  it.each(['async', 'worker', 'sync', 'direct'] as const)('%s', async (primaryStrategy: StrategyName) => {
    const logger = fileLogger(dir, file, { primaryStrategy, fallbackStrategies: [] });
    await burst(logger, 0, 500);
    await logger.error('line', { seq: 500 });
    await burst(logger, 501, 1000);
    expect(seqsIn(file)).toEqual(range(0, 1000));
    const m = logger.getQueuePerformanceMetrics();
    expect(m.currentStrategy).toBe(primaryStrategy);
    expect(m.strategies[primaryStrategy]?.records).toBe(1000);
    expect(m.strategies[primaryStrategy]?.failures).toBe(0);
    expect(m.health).toBe('UP');
    expect(m.ledger).toMatchObject({ produced: 1000, delivered: 1000, dropped: 0, pending: 0 });
    await logger.close();
  });

  it('direct writes one record per write(2); sync one batch per tick', async () => {
    for (const [strategy, writes] of [
      ['direct', 100],
      ['sync', 1],
    ] as const) {
      const port = new AsyncFaultPort();
      const f = path.join(dir, `${strategy}.log`);
      const logger = fileLogger(dir, f, { fs: port, primaryStrategy: strategy });
      await burst(logger, 0, 100);
      expect(port.writeCalls).toBe(writes);
      await logger.close();
    }
  });

  it('async on a character device (/dev/null) writes synchronously at the end of the tick: nothing in flight', async () => {
    const logger = new AsyncHydraLogger({
      journalDir: false,
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: '/dev/null', name: 'null' }] } } },
    });
    const p = logger.info('x');
    await p;
    const m = logger.getQueuePerformanceMetrics();
    expect(m.strategies.async?.records).toBe(1);
    expect(m.lanes.null?.strategy).toBe('async');
    await logger.close();
  });
});

describe('fallback along the chain', () => {
  it('an async write that fails goes to sync at once; the switch is recorded with its reason; probes bring async back', async () => {
    const port = new AsyncFaultPort().failAsync('EIO', 1);
    const logger = fileLogger(dir, file, { fs: port, probeIntervalMs: 20, recoverAfter: 2 });
    await burst(logger, 0, 10);
    expect(seqsIn(file)).toEqual(range(0, 10));
    let m = logger.getQueuePerformanceMetrics();
    expect(m.currentStrategy).toBe('sync');
    expect(m.health).toBe('DEGRADED');
    expect(m.switches).toEqual([
      expect.objectContaining({ destination: 'out', from: 'async', to: 'sync', reason: 'write_error:EIO' }),
    ]);
    expect(m.strategies.async).toMatchObject({ attempts: 1, failures: 1, errors: { EIO: 1 } });
    expect(m.strategies.sync).toMatchObject({ successes: 1, records: 10 });
    // Healthy again: after the probe interval, two good probes of async and the lane climbs back.
    for (let seq = 10; logger.getQueuePerformanceMetrics().currentStrategy !== 'async'; seq++) {
      if (seq > 2_000) throw new Error('never recovered');
      await burst(logger, seq, seq + 1);
      await new Promise((r) => setTimeout(r, 5));
    }
    m = logger.getQueuePerformanceMetrics();
    expect(m.switches.at(-1)).toMatchObject({ from: 'sync', to: 'async', reason: 'recovered' });
    expect(m.health).toBe('UP');
    const seqs = seqsIn(file);
    expect(seqs).toEqual(range(0, seqs.length));
    await logger.close();
  });

  it('a disk that fails everything: async → sync → direct → memory in one call, nothing dropped, DOWN; recovery writes it all in order', async () => {
    const port = new AsyncFaultPort().failWrites('ENOSPC');
    const logger = fileLogger(dir, file, { fs: port, probeIntervalMs: 10 });
    logger.on('error', () => {});
    const first = logger.info('line', { seq: 0 });
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 1; i < 50; i++) void logger.info('line', { seq: i });
    await new Promise((r) => setTimeout(r, 20));
    let m = logger.getQueuePerformanceMetrics();
    expect(m.switches.map((s) => `${s.from}>${s.to}`).slice(0, 3)).toEqual([
      'async>sync',
      'sync>direct',
      'direct>memory',
    ]);
    expect(m.currentStrategy).toBe('memory');
    expect(m.health).toBe('DOWN');
    expect(m.ledger).toMatchObject({ produced: 50, delivered: 0, dropped: 0, held: 50 });
    expect(ledgerHolds(m)).toBe(true);
    port.heal();
    await first;
    await eventually(() => logger.getQueuePerformanceMetrics().ledger.delivered === 50);
    expect(seqsIn(file)).toEqual(range(0, 50));
    m = logger.getQueuePerformanceMetrics();
    expect(m.switches.find((s) => s.from === 'memory')).toMatchObject({ to: 'direct', reason: 'recovered' });
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
  });

  it('a partial write (the disk fills mid-batch): the lines that landed count as written, the rest go on, none glued to a cut line', async () => {
    const port = new AsyncFaultPort();
    const logger = fileLogger(dir, file, {
      fs: port,
      primaryStrategy: 'sync',
      fallbackStrategies: ['direct'],
    });
    logger.on('error', () => {});
    port.cutThenFail(150, 'ENOSPC');
    const calls = range(0, 20).map((seq) => logger.info('line', { seq }));
    await new Promise((r) => setImmediate(r));
    port.heal();
    await Promise.allSettled(calls);
    const text = fs.readFileSync(file, 'utf8');
    const whole = text
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
    const m = logger.getQueuePerformanceMetrics();
    // Lines that landed whole before the fault, then the rest through `direct` (the cut line retried).
    expect(whole).toEqual(range(0, 20).filter((s) => whole.includes(s)));
    expect(whole.length + (m.ledger.dropped as number)).toBe(20);
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
  });

  it('latency over the threshold degrades async to sync (reason latency:…)', async () => {
    const port = new AsyncFaultPort();
    port.asyncDelayMs = 40;
    const logger = fileLogger(dir, file, { fs: port, latencyThresholdMs: 10, probeIntervalMs: 60_000 });
    await burst(logger, 0, 5);
    await burst(logger, 5, 10);
    const m = logger.getQueuePerformanceMetrics();
    expect(m.currentStrategy).toBe('sync');
    expect(m.switches[0]?.reason).toMatch(/^latency:\d+ms>10ms$/);
    expect(m.strategies.async?.avgLatencyMs).toBeGreaterThanOrEqual(30);
    expect(seqsIn(file)).toEqual(range(0, 10));
    await logger.close();
  });

  it('worker unavailable (an in-process fs port cannot cross to the thread): degrades with reason unavailable', async () => {
    const port = new AsyncFaultPort();
    const logger = fileLogger(dir, file, {
      fs: port,
      primaryStrategy: 'worker',
      fallbackStrategies: ['sync'],
    });
    await burst(logger, 0, 10);
    expect(seqsIn(file)).toEqual(range(0, 10));
    expect(logger.getQueuePerformanceMetrics().switches[0]).toMatchObject({
      from: 'worker',
      to: 'sync',
      reason: 'unavailable:ENOTSUP',
    });
    await logger.close();
  });
});

describe('the worker strategy', () => {
  it('the first batch (which waits for the thread to start) does not count towards the latency threshold; later ones do', async () => {
    // Threshold 0: any measured latency degrades, so only a batch left out of the average keeps `worker`.
    const logger = fileLogger(dir, file, {
      primaryStrategy: 'worker',
      fallbackStrategies: ['sync'],
      latencyThresholdMs: 0,
      probeIntervalMs: 60_000,
    });
    await burst(logger, 0, 10);
    let m = logger.getQueuePerformanceMetrics();
    expect(m.switches).toEqual([]);
    expect(m.currentStrategy).toBe('worker');
    await burst(logger, 10, 20);
    m = logger.getQueuePerformanceMetrics();
    expect(m.switches[0]).toMatchObject({ from: 'worker', to: 'sync' });
    expect(m.switches[0]?.reason).toMatch(/^latency:\d+ms>0ms$/);
    expect(seqsIn(file)).toEqual(range(0, 20));
    await logger.close();
  });

  it('a crash mid-stream: the error is reported once, the fallback takes the batch over, nothing acknowledged is lost', async () => {
    let queue: MultiFallbackAsyncQueue | undefined;
    // queueClass is public API: a subclass that keeps its instance gives the test the worker thread.
    class Seen extends MultiFallbackAsyncQueue {
      constructor(o: QueueOptions) {
        super(o);
        queue = this;
      }
    }
    const logger = fileLogger(dir, file, {
      queueClass: Seen,
      primaryStrategy: 'worker',
      fallbackStrategies: ['sync'],
      probeIntervalMs: 60_000,
    });
    const errors: Error[] = [];
    logger.on('error', (e) => errors.push(e));
    await burst(logger, 0, 100);
    const thread = queue?.workerThread('out');
    expect(thread).toBeDefined();
    const calls = range(100, 200).map((seq) => logger.info('line', { seq }));
    await thread?.terminate();
    await Promise.all(calls);
    await burst(logger, 200, 300);
    expect(seqsIn(file)).toEqual(range(0, 300));
    const m = logger.getQueuePerformanceMetrics();
    expect(m.currentStrategy).toBe('sync');
    expect(m.switches[0]).toMatchObject({ from: 'worker', to: 'sync' });
    expect(m.switches[0]?.reason).toMatch(/^worker_crash:/);
    expect(errors).toHaveLength(1);
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
  });
});
