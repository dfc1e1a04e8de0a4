import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncHydraLogger } from '../../src/index.js';
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

// The memory strategy's hold, its spill journal, replay in this process and at the next start.

let dir: string;
let file: string;
let journalDir: string;
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'out.log');
  journalDir = path.join(dir, 'journal');
});
afterEach(() => removeDir(dir));

const journalFiles = (): string[] =>
  fs.existsSync(journalDir) ? fs.readdirSync(journalDir).filter((f) => f.endsWith('.journal')) : [];

/** A logger whose disk refuses every write until healed: everything goes to the memory hold. */
function failing(options: ConstructorParameters<typeof AsyncHydraLogger>[0] = {}) {
  const port = new AsyncFaultPort().failWrites('ENOSPC');
  const logger = fileLogger(dir, file, { fs: port, memoryCapacity: 10, probeIntervalMs: 10_000, ...options });
  logger.on('error', () => {});
  return { port, logger };
}

describe('spill to the journal', () => {
  it('past memoryCapacity the hold spills to the journal: those promises resolve (on disk), the ledger counts them pending', async () => {
    const { logger } = failing();
    const calls = range(0, 25).map((seq) => logger.info('line', { seq }));
    await new Promise((r) => setTimeout(r, 20));
    const m = logger.getQueuePerformanceMetrics();
    expect(m.currentStrategy).toBe('memory');
    expect(m.ledger.journaled + m.ledger.held).toBe(25);
    expect(m.ledger.journaled).toBeGreaterThan(0);
    expect(m.ledger.held).toBeLessThanOrEqual(10);
    expect(ledgerHolds(m)).toBe(true);
    expect(journalFiles()).toHaveLength(1);
    const settled = await Promise.all(
      calls.map((p) =>
        Promise.race([p.then(() => 'resolved'), new Promise((r) => setTimeout(() => r('pending'), 5))]),
      ),
    );
    expect(settled.filter((s) => s === 'resolved')).toHaveLength(m.ledger.journaled);
    await logger.close();
  });

  it('when the disk comes back the journal is written first, then the hold: every line once, in order', async () => {
    const { port, logger } = failing({ probeIntervalMs: 5 });
    const calls = range(0, 25).map((seq) => logger.info('line', { seq }));
    await new Promise((r) => setTimeout(r, 20));
    port.heal();
    await Promise.all(calls);
    await eventually(() => logger.getQueuePerformanceMetrics().ledger.pending === 0);
    expect(seqsIn(file)).toEqual(range(0, 25));
    expect(journalFiles()).toEqual([]);
    const m = logger.getQueuePerformanceMetrics();
    expect(m.ledger).toMatchObject({ produced: 25, delivered: 25, journaled: 0, replayed: 0 });
    expect(m.health).not.toBe('DOWN');
    await logger.close();
  });

  it('close() with the disk still failing puts the whole hold in the journal; the next logger replays it before its own lines', async () => {
    const { logger } = failing();
    for (let seq = 0; seq < 15; seq++) void logger.info('line', { seq });
    await logger.close();
    expect(fs.existsSync(file) ? seqsIn(file) : []).toEqual([]);
    const after = logger.getQueuePerformanceMetrics().ledger;
    expect(after).toMatchObject({ produced: 15, journaled: 15, pending: 15, dropped: 0 });

    const next = fileLogger(dir, file);
    await next.info('line', { seq: 15 });
    expect(seqsIn(file)).toEqual(range(0, 16));
    expect(next.getQueuePerformanceMetrics().ledger).toMatchObject({
      replayed: 15,
      produced: 1,
      delivered: 1,
    });
    expect(journalFiles()).toEqual([]);
    await next.close();
  });

  it('a torn last record (a spill cut by a crash) and a malformed line are skipped; the rest is replayed', async () => {
    const { logger } = failing();
    for (let seq = 0; seq < 12; seq++) void logger.info('line', { seq });
    await logger.close();
    const [name] = journalFiles();
    const jf = path.join(journalDir, name as string);
    const lines = fs.readFileSync(jf, 'utf8').split('\n');
    lines.splice(3, 0, 'not json');
    // The last record cut in the middle, as a crash during a spill leaves it.
    fs.writeFileSync(
      jf,
      `${lines.join('\n')}${JSON.stringify({ k: `file:${file}`, l: '{"seq":99}' }).slice(0, 20)}`,
    );
    const next = fileLogger(dir, file);
    await next.flush();
    expect(seqsIn(file)).toEqual(range(0, 12));
    await next.close();
  });

  it('a journal whose target no destination writes any more is appended to that file at the next start', async () => {
    const { logger } = failing();
    for (let seq = 0; seq < 12; seq++) void logger.info('line', { seq });
    await logger.close();
    const other = path.join(dir, 'other.log');
    const next = fileLogger(dir, other);
    expect(seqsIn(file)).toEqual(range(0, 12));
    expect(next.getQueuePerformanceMetrics().ledger.replayed).toBe(12);
    await next.close();
  });

  it('journalDir: false: a full hold drops its oldest lines (memory_full), counted exactly; ERROR kept', async () => {
    const { port, logger } = failing({ journalDir: false, probeIntervalMs: 5 });
    const calls = range(0, 30).map((seq) =>
      seq === 0 ? logger.error('line', { seq }) : logger.info('line', { seq }),
    );
    const outcome = calls.map((p) =>
      p.then(
        () => 'ok',
        () => 'dropped',
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
    port.heal();
    const results = await Promise.all(outcome);
    await logger.flush();
    const m = logger.getQueuePerformanceMetrics();
    const dropped = m.dropped.memory_full ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(results.filter((r) => r === 'dropped')).toHaveLength(dropped);
    expect(seqsIn(file)).toEqual(range(0, 30).filter((s) => results[s] === 'ok'));
    expect(seqsIn(file)[0]).toBe(0);
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
  });

  it('a journal that cannot be written: the spilled lines are dropped, counted as journal_error:<code>', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-dir'), '');
    const { logger } = failing({ journalDir: path.join(dir, 'not-a-dir', 'journal') });
    const outcome = range(0, 25).map((seq) =>
      logger.info('line', { seq }).then(
        () => 'ok',
        () => 'dropped',
      ),
    );
    await new Promise((r) => setTimeout(r, 20));
    const m = logger.getQueuePerformanceMetrics();
    expect(Object.keys(m.dropped)).toEqual(['journal_error:ENOTDIR']);
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
    const results = await Promise.all(outcome);
    expect(results.every((r) => r === 'dropped')).toBe(true);
  });
});

/** Keeps the thread busy for `ms`: no timer (the memory strategy's retry) can run meanwhile. */
function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

describe('order across the memory hold', () => {
  // The lane's probe of the strategy above `memory` can come from two places: its retry timer,
  // and the next batch of new lines once the probe is due. Here the disk heals and new lines
  // arrive while the timer cannot run (the thread is busy), so the new lines reach the probe first.
  it('lines logged after the disk healed, before the retry ran, are written after the held ones', async () => {
    const { port, logger } = failing({ memoryCapacity: 100, probeIntervalMs: 5, maxProbeIntervalMs: 5 });
    const calls = range(0, 20).map((seq) => logger.info('line', { seq }));
    await new Promise((r) => setTimeout(r, 20));
    expect(logger.getQueuePerformanceMetrics().ledger.held).toBe(20);
    port.heal();
    spin(30);
    for (let seq = 20; seq < 30; seq++) calls.push(logger.info('line', { seq }));
    await Promise.all(calls);
    await eventually(() => logger.getQueuePerformanceMetrics().ledger.pending === 0);
    expect(seqsIn(file)).toEqual(range(0, 30));
    const m = logger.getQueuePerformanceMetrics();
    expect(m.ledger).toMatchObject({ produced: 30, delivered: 30, dropped: 0 });
    expect(ledgerHolds(m)).toBe(true);
    await logger.close();
  });

  it('with lines in the journal too: journal, then hold, then the new lines', async () => {
    const { port, logger } = failing({ probeIntervalMs: 5, maxProbeIntervalMs: 5 });
    const calls = range(0, 25).map((seq) => logger.info('line', { seq }));
    await new Promise((r) => setTimeout(r, 20));
    expect(logger.getQueuePerformanceMetrics().ledger.journaled).toBeGreaterThan(0);
    port.heal();
    spin(30);
    for (let seq = 25; seq < 35; seq++) calls.push(logger.info('line', { seq }));
    await Promise.all(calls);
    await eventually(() => logger.getQueuePerformanceMetrics().ledger.pending === 0);
    expect(seqsIn(file)).toEqual(range(0, 35));
    expect(journalFiles()).toEqual([]);
    await logger.close();
  });
});
