// The delivery engine against a real node:http intake with injected faults, through the public API.
// Every wait is on a condition (bounded), never a sleep; figures are checked exactly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncHydraLogger, HydraLogger } from '../../src/index.js';
import { Intake, waitFor } from './http-intake.js';

const FAST = { batch: { maxRecords: 20, maxDelayMs: 5 }, retry: { maxAttempts: 3, baseMs: 5, maxMs: 40 } };

function make(d: Record<string, unknown>) {
  const log = new HydraLogger({
    config: {
      layers: { DEFAULT: { destinations: [{ type: 'http', name: 'out', ...FAST, ...d } as never] } },
    },
  });
  const errors: Error[] = [];
  log.on('error', (e: Error) => errors.push(e));
  const stats = () =>
    log.getPerformanceMetrics().destinations.out as Required<
      ReturnType<typeof log.getPerformanceMetrics>['destinations'][string]
    >;
  return { log, errors, stats };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
/** produced = delivered + Σ dropped + pending. */
function ledger(s: {
  produced?: number;
  delivered?: number;
  dropped: Record<string, number>;
  pending: number;
}) {
  expect(s.produced).toBe((s.delivered ?? 0) + sum(s.dropped) + s.pending);
}
const seqs = (i: Intake) => i.records.map((r) => r.seq as number);
const range = (n: number) => [...Array(n).keys()];

const intakes: Intake[] = [];
const dirs: string[] = [];
const intake = async (port = 0) => {
  const i = await new Intake().start(port);
  intakes.push(i);
  return i;
};
afterEach(async () => {
  await Promise.all(intakes.splice(0).map((i) => i.kill()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-spool-'));
  dirs.push(d);
  return d;
};
/** A port nothing listens on (an intake started and killed). */
async function deadPort(): Promise<number> {
  const i = await new Intake().start();
  const p = i.port;
  await i.kill();
  return p;
}

describe('delivery engine: faults', () => {
  it('500s are retried until delivered; health goes DEGRADED and back UP', async () => {
    const i = await intake();
    i.fault = (hit) => (hit <= 2 ? { status: 500 } : undefined);
    const { log, stats, errors } = make({ url: i.url, retry: { maxAttempts: 5, baseMs: 5, maxMs: 20 } });
    for (let n = 0; n < 10; n++) log.info('m', { seq: n });
    await log.flush();
    expect(seqs(i)).toEqual(range(10));
    expect(stats()).toMatchObject({ delivered: 10, retries: 2, health: 'UP', pending: 0, dropped: {} });
    expect(errors.map((e) => e.message).join('\n')).toMatch(/HTTP_500/);
    await log.close();
  });

  it('429 with Retry-After (seconds and HTTP-date) is waited for', async () => {
    for (const kind of ['seconds', 'date']) {
      const i = await intake();
      const at: number[] = [];
      i.fault = (hit) => {
        at.push(Date.now());
        // The date is made when answering: 3 s ahead, at least 2 s once cut to whole seconds.
        const retryAfter = kind === 'seconds' ? '1' : new Date(Date.now() + 3000).toUTCString();
        return hit === 1 ? { status: 429, headers: { 'retry-after': retryAfter } } : undefined;
      };
      const { log, stats } = make({ url: i.url, retry: { maxAttempts: 3, baseMs: 1, maxMs: 5_000 } });
      log.info('m', { seq: 0 });
      await log.flush();
      expect(seqs(i)).toEqual([0]);
      // A lower bound only: a busy machine makes the wait longer, never shorter.
      expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(kind === 'seconds' ? 950 : 1500);
      expect(stats().retries).toBe(1);
      await log.close();
    }
  });

  it('a stalled request times out and is retried; a reset connection too', async () => {
    const i = await intake();
    i.fault = (hit) => (hit === 1 ? { stall: true } : hit === 2 ? { reset: true } : undefined);
    const { log, stats, errors } = make({ url: i.url, timeoutMs: 200 });
    for (let n = 0; n < 5; n++) log.info('m', { seq: n });
    await log.flush();
    expect(seqs(i)).toEqual(range(5));
    expect(stats()).toMatchObject({ delivered: 5, retries: 2, pending: 0 });
    const text = errors.map((e) => e.message).join('\n');
    expect(text).toMatch(/ETIMEDOUT/);
    expect(text).toMatch(/ECONNRESET|socket hang up/);
    await log.close();
  });

  it('other 4xx drop the batch as rejected, 413 as oversize; the next batch goes on', async () => {
    const i = await intake();
    i.fault = (hit) => (hit === 1 ? { status: 400 } : hit === 2 ? { status: 413 } : undefined);
    const { log, stats } = make({ url: i.url, batch: { maxRecords: 2, maxDelayMs: 5 } });
    for (let n = 0; n < 6; n++) log.info('m', { seq: n });
    await log.flush();
    expect(seqs(i)).toEqual([4, 5]);
    expect(stats()).toMatchObject({
      delivered: 2,
      dropped: { rejected: 2, oversize: 2 },
      pending: 0,
      retries: 0,
    });
    ledger(stats());
    await log.close();
  });

  it('server down at start: retries, then DOWN, drops counted as retries_exhausted; up again: delivers', async () => {
    const port = await deadPort();
    const { log, stats } = make({
      url: `http://127.0.0.1:${port}/ingest`,
      retry: { maxAttempts: 2, baseMs: 5, maxMs: 20 },
    });
    for (let n = 0; n < 50; n++) log.info('m', { seq: n });
    await log.flush();
    expect(stats()).toMatchObject({ delivered: 0, dropped: { retries_exhausted: 50 }, pending: 0 });
    expect(['DEGRADED', 'DOWN']).toContain(stats().health);
    ledger(stats());
    const i = await intake(port);
    for (let n = 50; n < 60; n++) log.info('m', { seq: n });
    await log.flush();
    expect(seqs(i)).toEqual(range(10).map((n) => n + 50));
    expect(stats()).toMatchObject({ delivered: 10, health: 'UP' });
    ledger(stats());
    await log.close();
  });

  it('while DOWN only one request is in flight (no stampede)', async () => {
    const i = await intake();
    let open = 0;
    let most = 0;
    i.fault = () => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => open--, 0);
      return { status: 503 };
    };
    const { log, stats } = make({
      url: i.url,
      batch: { maxRecords: 1, maxDelayMs: 1 },
      retry: { maxAttempts: 50, baseMs: 1, maxMs: 5 },
    });
    for (let n = 0; n < 30; n++) log.info('m', { seq: n });
    await waitFor(() => stats().health === 'DOWN' && i.hits >= 10, 20_000, 'DOWN');
    expect(most).toBe(1);
    await log.close({ timeoutMs: 1 });
  });

  it('killed and restarted mid-burst without a spool: every drop counted, the receiver got exactly `delivered`', async () => {
    const i = await intake();
    const port = i.port;
    i.fault = (hit) => {
      if (hit !== 4) return undefined;
      void i.kill();
      return { reset: true };
    };
    const { log, stats } = make({ url: i.url, retry: { maxAttempts: 2, baseMs: 5, maxMs: 20 } });
    const N = 400;
    for (let n = 0; n < N; n++) log.info('m', { seq: n });
    await waitFor(() => stats().health === 'DOWN' || stats().pending === 0, 20_000, 'DOWN');
    const j = await intake(port);
    await log.flush();
    const s = stats();
    ledger(s);
    expect(s.produced).toBe(N);
    expect(s.pending).toBe(0);
    const got = [...seqs(i), ...seqs(j)];
    expect(got.length).toBe(s.delivered);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(s.dropped.retries_exhausted ?? 0).toBeGreaterThan(0);
    await log.close();
  });

  it('killed and restarted mid-burst with a spool: 0 lost, 0 duplicated, in order', async () => {
    const dir = tmp();
    const i = await intake();
    const port = i.port;
    i.fault = (hit) => {
      if (hit !== 4) return undefined;
      void i.kill();
      return { reset: true };
    };
    const { log, stats } = make({
      url: i.url,
      spool: { dir },
      retry: { maxAttempts: 2, baseMs: 5, maxMs: 20 },
    });
    const N = 400;
    for (let n = 0; n < N / 2; n++) log.info('m', { seq: n });
    await waitFor(() => stats().health === 'DOWN', 20_000, 'DOWN');
    for (let n = N / 2; n < N; n++) log.info('m', { seq: n });
    await log.flush();
    expect(stats().spooled).toBeGreaterThan(0);
    const j = await intake(port);
    await j.until(() => i.records.length + j.records.length >= N, 20_000, 'all records');
    await waitFor(() => stats().pending === 0, 20_000, 'spool drained');
    expect([...seqs(i), ...seqs(j)]).toEqual(range(N));
    const s = stats();
    expect(s).toMatchObject({ produced: N, delivered: N, pending: 0, spooled: 0, dropped: {} });
    expect(fs.readdirSync(dir)).toEqual([]);
    await log.close();
  });

  it('slow server: memory stays within maxQueueBytes, the excess is dropped as queue_full', async () => {
    const i = await intake();
    // Every request hangs: the receiver takes nothing while the burst arrives.
    i.fault = () => ({ stall: true });
    const maxQueueBytes = 20_000;
    const { log, stats } = make({ url: i.url, maxQueueBytes, timeoutMs: 60_000 });
    let most = 0;
    for (let n = 0; n < 2_000; n++) {
      log.info('m', { seq: n, pad: 'x'.repeat(50) });
      most = Math.max(most, stats().queueBytes);
    }
    expect(most).toBeLessThanOrEqual(maxQueueBytes);
    const s = stats();
    expect(s.dropped.queue_full).toBeGreaterThan(1_000);
    ledger(s);
    expect(s.pending).toBe(2_000 - (s.dropped.queue_full ?? 0));
    await log.close({ timeoutMs: 1 });
    const c = stats();
    expect(c.dropped.closed).toBe(s.pending);
    ledger(c);
  });

  it('spool full while down: the excess is dropped as spool_full, the ledger still adds up', async () => {
    const dir = tmp();
    const port = await deadPort();
    const { log, stats } = make({
      url: `http://127.0.0.1:${port}/x`,
      maxQueueBytes: 2_000,
      spool: { dir, maxBytes: 4_000 },
      retry: { maxAttempts: 100, baseMs: 5, maxMs: 20 },
    });
    for (let n = 0; n < 200; n++) log.info('m', { seq: n, pad: 'y'.repeat(60) });
    const s = stats();
    expect(s.dropped.spool_full ?? 0).toBeGreaterThan(100);
    expect(s.spoolBytes).toBeLessThanOrEqual(4_000);
    expect(s.queueBytes).toBeLessThanOrEqual(2_000);
    ledger(s);
    await log.close({ timeoutMs: 50 });
    const c = stats();
    ledger(c);
    expect(c.pending).toBe(c.spooled);
  });

  it('close({ timeoutMs }) while down: counts what it could not deliver as closed and reports it', async () => {
    const port = await deadPort();
    const { log, stats, errors } = make({
      url: `http://127.0.0.1:${port}/x`,
      retry: { maxAttempts: 100, baseMs: 5, maxMs: 20 },
    });
    for (let n = 0; n < 25; n++) log.info('m', { seq: n });
    await log.close({ timeoutMs: 100 });
    const s = stats();
    expect(s).toMatchObject({ delivered: 0, pending: 0, dropped: { closed: 25 } });
    ledger(s);
    const report = errors.find((e) => /HYDRA_E_NOT_DELIVERED/.test(e.message));
    expect(report?.message).toMatch(/25 records not delivered within 100 ms of close\(\)/);
    log.info('after close');
    expect(stats().dropped.closed).toBeGreaterThanOrEqual(25);
  });

  it('AsyncHydraLogger: a log call resolves without waiting for the network; records are delivered', async () => {
    const i = await intake();
    let hold = true;
    i.fault = () => (hold ? { stall: true } : undefined);
    const log = new AsyncHydraLogger({
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'http', name: 'out', url: i.url, ...FAST, timeoutMs: 300 }] },
        },
      },
    });
    for (let n = 0; n < 5; n++) await log.info('m', { seq: n });
    // The calls resolved while the receiver held the request.
    await i.until(() => i.hits >= 1, 20_000, 'first request');
    hold = false;
    await log.flush();
    expect(seqs(i)).toEqual(range(5));
    expect(log.getPerformanceMetrics().destinations.out).toMatchObject({ delivered: 5, pending: 0 });
    await log.close();
  });
});
