/**
 * Faults of the syslog destination against a real rsyslogd (test/helpers/rsyslog-server.ts):
 * down at start, SIGKILLed and restarted in the middle of a burst over TCP, with and without a
 * spool. Every wait is on a condition (bounded), never a sleep.
 *
 * What TCP can promise: syslog over TCP has no application-level acknowledgement. A batch counts
 * as delivered once it is written to the connection; bytes written to a connection whose receiver
 * then dies (and what the receiver had read but not yet stored) are lost without any error at the
 * sender. The engine cannot see that loss, so it does not count it. What it does guarantee, and
 * what these tests check exactly: the ledger (produced = delivered + dropped + pending); every
 * batch whose write failed is retried (with a spool: kept on disk) and arrives once, in order,
 * after the restart; nothing arrives twice; and the records lost at the kill are one run of
 * consecutive records: those in flight when the receiver died.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { type RsyslogServer, startRsyslog } from '../helpers/rsyslog-server.js';

const servers: RsyslogServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-syslog-spool-'));
  dirs.push(d);
  return d;
};
async function rsyslog(): Promise<RsyslogServer> {
  const s = await startRsyslog();
  servers.push(s);
  return s;
}

let lastStats: () => unknown = () => undefined;
async function waitUntil(pred: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; stats ${JSON.stringify(lastStats())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Stats = {
  produced: number;
  delivered: number;
  pending: number;
  spooled: number;
  retries: number;
  health: string;
  dropped: Record<string, number>;
};

function logger(server: RsyslogServer, d: Record<string, unknown>) {
  const log = new HydraLogger({
    config: {
      layers: {
        APP: {
          destinations: [
            {
              type: 'syslog',
              name: 'out',
              host: '127.0.0.1',
              port: server.ports.tcp,
              protocol: 'tcp',
              batch: { maxRecords: 50, maxDelayMs: 2 },
              retry: { maxAttempts: 1000, baseMs: 5, maxMs: 100 },
              ...d,
            } as never,
          ],
        },
      },
    },
  });
  log.on('error', () => {});
  const stats = () => log.getPerformanceMetrics().destinations.out as unknown as Stats;
  lastStats = stats;
  return { log, stats };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const ledgerHolds = (s: Stats) => s.produced === s.delivered + sum(s.dropped) + s.pending;

let run = 0;
/** The sequence numbers of this run's records that rsyslog wrote, in file order. */
function received(server: RsyslogServer, tag: string): number[] {
  const out: number[] = [];
  for (const r of server.records()) {
    const m = /^(\S+) #(\d+)$/.exec(r.msg);
    if (m !== null && m[1] === tag) out.push(Number(m[2]));
  }
  return out;
}

/** Runs of consecutive missing sequence numbers in [0, n). */
function gaps(got: number[], n: number): [number, number][] {
  const have = new Set(got);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (have.has(i)) continue;
    const last = out.at(-1);
    if (last !== undefined && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

describe('syslog destination: faults (real rsyslogd)', () => {
  it('down at start: with a spool every record arrives once, in order, after it starts', async () => {
    const server = await rsyslog();
    await server.stop();
    const tag = `down-${process.pid}-${++run}`;
    const { log, stats } = logger(server, { spool: { dir: tmp() } });
    for (let i = 0; i < 300; i++) log.info('APP', `${tag} #${i}`);
    await log.flush();
    await waitUntil(() => stats().health === 'DOWN' && stats().spooled === 300, 'spooled while down');
    await server.restart();
    await waitUntil(() => stats().delivered === 300 && stats().pending === 0, 'delivered after the start');
    await server.waitFor(() => received(server, tag).length >= 300, 30_000, '300 records');
    expect(received(server, tag)).toEqual([...Array(300).keys()]);
    expect(stats()).toMatchObject({
      produced: 300,
      delivered: 300,
      pending: 0,
      spooled: 0,
      dropped: {},
      health: 'UP',
    });
    await log.close();
  });

  it('down at start without a spool: retried until it starts, or dropped and counted when the retries run out', async () => {
    const server = await rsyslog();
    await server.stop();
    const tag = `retry-${process.pid}-${++run}`;
    const patient = logger(server, {});
    const quick = logger(server, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } });
    for (let i = 0; i < 120; i++) {
      patient.log.info('APP', `${tag} #${i}`);
      quick.log.info('APP', `${tag}-quick #${i}`);
    }
    await quick.log.flush();
    expect(quick.stats()).toMatchObject({
      produced: 120,
      delivered: 0,
      pending: 0,
      dropped: { retries_exhausted: 120 },
    });
    await waitUntil(() => patient.stats().retries >= 3, 'the patient one retrying');
    await server.restart();
    await patient.log.flush();
    expect(patient.stats()).toMatchObject({ produced: 120, delivered: 120, pending: 0, dropped: {} });
    await server.waitFor(() => received(server, tag).length >= 120, 30_000, '120 records');
    expect(received(server, tag)).toEqual([...Array(120).keys()]);
    expect(received(server, `${tag}-quick`)).toEqual([]);
    await Promise.all([patient.log.close(), quick.log.close()]);
  });

  for (const spool of [true, false]) {
    it(`SIGKILLed and restarted mid-burst ${spool ? 'with' : 'without'} a spool: ledger exact, no duplicates, order kept, loss only at the kill`, async () => {
      const server = await rsyslog();
      const tag = `kill-${spool ? 'spool' : 'nospool'}-${process.pid}-${++run}`;
      const { log, stats } = logger(
        server,
        spool ? { spool: { dir: tmp() } } : { retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 } },
      );
      const N = 4000;
      const KILL_AT = 1500;
      const RESTART_AT = 2500;
      let restartedAt = -1;
      for (let i = 0; i < N; i++) {
        log.info('APP', `${tag} #${i}`);
        if (i % 50 === 49) await new Promise((r) => setImmediate(r));
        if (i === KILL_AT) {
          // Mid-burst: the receiver has taken part of the records and more are on their way.
          await server.waitFor(() => received(server, tag).length > 0, 30_000, 'first records');
          await server.kill();
        }
        if (i === RESTART_AT) {
          // Down long enough for the engine to notice (and, without a spool, to give up on batches).
          await waitUntil(
            () => stats().health === 'DOWN' && (spool || (stats().dropped.retries_exhausted ?? 0) > 0),
            'DOWN while killed',
          );
          await server.restart();
          restartedAt = i;
        }
      }
      await log.flush();
      await waitUntil(() => stats().pending === 0, 'nothing pending');
      await server.waitFor((rs) => rs.some((r) => r.msg === `${tag} #${N - 1}`), 30_000, 'the last record');
      const s = stats();
      const got = received(server, tag);
      const missing = gaps(got, N);
      const lost = N - new Set(got).size;
      const dropped = sum(s.dropped);
      // Printed for the report (the loss TCP cannot see).
      console.log(
        `syslog kill ${spool ? 'spool' : 'no spool'}: produced ${s.produced} delivered ${s.delivered} dropped ${JSON.stringify(s.dropped)} received ${got.length} unique ${new Set(got).size} missing runs ${JSON.stringify(missing)} unseen by the sender ${lost - dropped}`,
      );
      expect(ledgerHolds(s)).toBe(true);
      expect(s.produced).toBe(N);
      expect(s.pending).toBe(0);
      expect(new Set(got).size).toBe(got.length); // no duplicates
      expect(got).toEqual([...got].sort((a, b) => a - b)); // in order
      if (spool) expect(s.dropped).toEqual({});
      else {
        expect(Object.keys(s.dropped)).toEqual(['retries_exhausted']);
        expect(dropped).toBeGreaterThan(0);
      }
      // Nothing counted as dropped arrived, and the sender's count of what did not arrive is exact
      // but for the records in flight at the kill: the received ones are delivered ones.
      expect(got.length).toBeLessThanOrEqual(s.delivered);
      expect(lost).toBeGreaterThanOrEqual(dropped);
      // What is missing is one run of consecutive records around the kill (in flight when it
      // died, then the batches given up on while it was down); everything logged after the restart arrived.
      expect(missing.length).toBeLessThanOrEqual(1);
      for (const [a, b] of missing) {
        expect(a).toBeGreaterThan(0);
        expect(b).toBeLessThan(restartedAt);
      }
    });
  }
});
