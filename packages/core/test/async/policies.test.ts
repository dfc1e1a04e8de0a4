import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUEUE_DEFAULTS } from '../../src/async/defaults.js';
import { AsyncHydraLogger, ConfigValidationError, type QueuePolicy } from '../../src/index.js';
import { AsyncFaultPort, fileLogger, ledgerHolds, makeTempDir, range, removeDir, seqsIn } from './helpers.js';

// Capacity and the full-queue policies (R11 in process: a slow consumer), and the ledger under faults.

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'out.log');
});
afterEach(() => removeDir(dir));

/** A slow consumer: every async write's completion takes `ms`; the producer logs in bursts faster than that. */
async function slowConsumer(policy: QueuePolicy) {
  const port = new AsyncFaultPort();
  port.asyncDelayMs = 15;
  const capacity = 50;
  const logger = fileLogger(dir, file, { fs: port, capacity, policy });
  const outcomes: Promise<'ok' | 'dropped'>[] = [];
  let maxDepth = 0;
  let ledgerOk = true;
  let seq = 0;
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 40; i++, seq++) {
      const p = seq % 97 === 96 ? logger.error('line', { seq }) : logger.info('line', { seq });
      outcomes.push(
        p.then(
          () => 'ok' as const,
          () => 'dropped' as const,
        ),
      );
      const m = logger.getQueuePerformanceMetrics();
      ledgerOk &&= ledgerHolds(m);
      maxDepth = Math.max(maxDepth, m.ledger.waiting);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const results = await Promise.all(outcomes);
  const m = logger.getQueuePerformanceMetrics();
  await logger.close();
  return { results, m, maxDepth, ledgerOk, capacity, seqs: seqsIn(file), total: seq };
}

describe('R11: slow consumer, each full-queue policy', () => {
  it('block: never drops; the backlog is written by the caller; memory stays bounded; ledger exact', async () => {
    const r = await slowConsumer('block');
    expect(r.results.every((x) => x === 'ok')).toBe(true);
    expect(r.seqs).toEqual(range(0, r.total));
    expect(r.m.ledger.blocked).toBeGreaterThan(0);
    expect(r.m.dropped).toEqual({});
    expect(r.maxDepth).toBeLessThanOrEqual(r.capacity);
    expect(r.ledgerOk).toBe(true);
  });

  it.each(['dropNewest', 'dropOldest'] as const)(
    '%s: drops counted by reason, exactly the lines missing from the file; ERROR never dropped; ledger exact',
    async (policy) => {
      const r = await slowConsumer(policy);
      const dropped = r.m.dropped[`queue_full:${policy}`] ?? 0;
      expect(dropped).toBeGreaterThan(0);
      expect(Object.keys(r.m.dropped)).toEqual([`queue_full:${policy}`]);
      expect(r.seqs.length + dropped).toBe(r.total);
      // The promises tell which: every rejected one is missing, every resolved one is there, in order.
      const kept = range(0, r.total).filter((s) => r.results[s] === 'ok');
      expect(r.seqs).toEqual(kept);
      for (let s = 96; s < r.total; s += 97) expect(r.seqs).toContain(s);
      expect(r.maxDepth).toBeLessThanOrEqual(r.capacity);
      expect(r.ledgerOk).toBe(true);
      expect(r.m.ledger).toMatchObject({
        produced: r.total,
        dropped,
        delivered: r.total - dropped,
        pending: 0,
      });
      if (policy === 'dropNewest') {
        // The newest go: what survives of each burst is its beginning.
        expect(r.seqs.slice(0, 40)).toEqual(range(0, 40));
      }
    },
  );
});

describe('the ledger under faults', () => {
  it('produced = delivered + dropped + pending after every call and every turn of the loop, with faults coming and going', async () => {
    const port = new AsyncFaultPort();
    port.asyncDelayMs = 1;
    const logger = fileLogger(dir, file, {
      fs: port,
      capacity: 30,
      policy: 'dropOldest',
      memoryCapacity: 20,
      probeIntervalMs: 5,
      maxProbeIntervalMs: 20,
      // EAGAIN is retried with sleeps: a short budget keeps the test quick.
      limits: { writeRetries: 3, writeRetryBudgetMs: 10 },
      // A failed async write never lands: an ERROR after it waits this long before writing on.
      inFlightWaitMs: 5,
    });
    logger.on('error', () => {});
    const checks: boolean[] = [];
    const check = () => checks.push(ledgerHolds(logger.getQueuePerformanceMetrics()));
    let rnd = 42;
    const random = () => {
      rnd = (rnd * 1103515245 + 12345) % 2 ** 31;
      return rnd / 2 ** 31;
    };
    const settled: Promise<unknown>[] = [];
    for (let step = 0; step < 60; step++) {
      const r = random();
      if (r < 0.15)
        port.failWrites(['ENOSPC', 'EIO', 'EAGAIN'][step % 3] as string, 1 + Math.floor(random() * 20));
      else if (r < 0.2) port.failAsync('EIO', 2);
      else if (r < 0.25) port.cutThenFail(Math.floor(random() * 300), 'ENOSPC');
      else if (r < 0.45) port.heal();
      const n = Math.floor(random() * 30);
      for (let i = 0; i < n; i++) {
        settled.push(random() < 0.05 ? logger.error('line', { step, i }) : logger.info('line', { step, i }));
        check();
      }
      await new Promise((res) => setTimeout(res, random() * 5));
      check();
    }
    port.heal();
    await Promise.allSettled(settled);
    await logger.flush();
    check();
    expect(checks.every(Boolean)).toBe(true);
    const m = logger.getQueuePerformanceMetrics();
    await logger.close();
    const after = logger.getQueuePerformanceMetrics();
    expect(ledgerHolds(after)).toBe(true);
    expect(after.ledger.pending).toBe(0);
    // Every line delivered is in the file, whole: the file's lines are the ledger's delivered count.
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'));
    expect(lines.length).toBe(after.ledger.delivered);
    expect(m.ledger.produced).toBe(settled.length);
  });
});

describe('queue options', () => {
  it('the defaults are the documented table', () => {
    expect(QUEUE_DEFAULTS).toMatchObject({
      primaryStrategy: 'async',
      fallbackStrategies: ['sync', 'direct', 'memory'],
      capacity: 10_000,
      policy: 'block',
    });
    const logger = new AsyncHydraLogger({
      journalDir: false,
      config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } },
    });
    expect(logger.getQueuePerformanceMetrics()).toMatchObject({
      capacity: 10_000,
      policy: 'block',
      health: 'UP',
      queueDepth: 0,
    });
    return logger.close();
  });

  it.each([
    [{ primaryStrategy: 'fast' }, 'primaryStrategy'],
    [{ fallbackStrategies: ['sync', 'bogus'] }, 'fallbackStrategies[1]'],
    [{ fallbackStrategies: ['memory', 'sync'] }, 'fallbackStrategies'],
    [{ policy: 'dropAll' }, 'policy'],
    [{ capacity: 0 }, 'capacity'],
    [{ journalDir: 42 }, 'journalDir'],
  ])('%j is refused, naming %s', (options, at) => {
    let err: unknown;
    try {
      new AsyncHydraLogger({
        ...(options as object),
        config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).issues.map((i) => i.path)).toContain(at);
  });
});
