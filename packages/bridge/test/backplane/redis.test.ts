import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../src/index.js';
import { type Frame, loggerWithBridge, ready, type TestClient, waitFor } from '../helpers.js';
import { RedisServer, redisServerPath } from './redis-server.js';

const hasRedis = redisServerPath() !== undefined;
if (!hasRedis)
  console.warn(
    'backplane tests skipped: redis-server is missing (apt-get install -y redis-server; CI does, in .ci/run)',
  );

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function redis(): Promise<RedisServer> {
  const r = new RedisServer();
  await r.start();
  cleanups.push(() => r.stop());
  return r;
}

/** The records and gaps of subscription `s`, in the order they came. */
function events(c: TestClient): Frame[] {
  return c.frames.filter((f) => (f.type === 'records' || f.type === 'gap') && f.sub === 's');
}

/** The `to` of the last records or gap frame: the cursor a client resumes with. */
function lastTo(c: TestClient): number {
  return events(c).at(-1)?.to as number;
}

describe.skipIf(!hasRedis)('Redis Streams backplane (a real redis-server)', () => {
  it('logger on node A, client on node B; B is killed (SIGKILL) and the client resumes on A with its cursor: every record once, in order, no gap', async () => {
    const r = await redis();
    const a = await loggerWithBridge({ backplane: { redis: r.url } });
    cleanups.push(() => a.logger.close());
    const fixture = fileURLToPath(new URL('../fixtures/backplane-node.mjs', import.meta.url));
    const child = spawn(process.execPath, [fixture, r.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const b = await waitFor(
      () =>
        out.includes('\n')
          ? (JSON.parse(out.split('\n')[0] as string) as { port: number; epoch: string; state: string })
          : undefined,
      'node B',
      20_000,
    );
    expect(b.state).toBe('redis');
    // Both nodes serve the same stream: same epoch.
    expect(b.epoch).toBe(a.bridge.epoch);

    const onB = await ready(b.port);
    onB.send({ type: 'subscribe', sub: 's', since: { epoch: b.epoch, offset: -1 } });
    const total = 3000;
    let logged = 0;
    // The logger on A writes all along, also while the client moves from B to A.
    const writer = setInterval(() => {
      for (let k = 0; k < 20 && logged < total; k++) a.logger.info('APP', 'tick', { i: logged++ });
      if (logged >= total) clearInterval(writer);
    }, 2);
    cleanups.push(() => clearInterval(writer));
    await waitFor(() => onB.records().length >= 500, '500 records on B', 20_000);
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;
    await onB.closed;
    const cursor = { epoch: b.epoch, offset: lastTo(onB) };
    expect(cursor.offset).toBeGreaterThanOrEqual(499);

    const onA = await ready(a.port);
    onA.send({ type: 'subscribe', sub: 's', since: cursor });
    await waitFor(() => onB.records().length + onA.records().length >= total, 'every record', 30_000);
    await new Promise((ok) => setTimeout(ok, 100));

    expect([...events(onB), ...events(onA)].filter((f) => f.type === 'gap')).toEqual([]);
    const got = [...onB.records(), ...onA.records()];
    expect(got.map((x) => x.i)).toEqual(Array.from({ length: total }, (_, i) => i));
    const first = got[0]?.offset as number;
    expect(got.map((x) => x.offset)).toEqual(Array.from({ length: total }, (_, i) => first + i));
    // The records A serves are the ones B served: same offsets, same bytes.
    const again = await ready(a.port);
    again.send({ type: 'subscribe', sub: 's', since: { epoch: b.epoch, offset: first - 1 } });
    await waitFor(() => again.records().length >= onB.records().length, 'the history on A');
    expect(again.records().slice(0, onB.records().length)).toEqual(onB.records());
  }, 60_000);

  it('Redis dies: the node keeps serving its own records (reported and counted, nothing thrown); when Redis is back it rejoins, forwards what it held, and its clients continue without a repeat', async () => {
    const r = await redis();
    const a = await loggerWithBridge({ backplane: { redis: r.url } });
    cleanups.push(() => a.logger.close());
    const errors: Error[] = [];
    a.bridge.on('error', (err: Error) => errors.push(err));
    const epoch = a.bridge.epoch;
    expect(a.bridge.stats().backplane?.state).toBe('redis');

    const c1 = await ready(a.port);
    c1.send({ type: 'subscribe', sub: 's', since: 'latest' });
    await waitFor(() => a.bridge.stats().subscriptions === 1, 'the subscription');
    for (let i = 0; i < 10; i++) a.logger.info('APP', 'before', { i });
    await waitFor(() => c1.records().length === 10, 'ten records through Redis');

    await r.kill();
    // Logging goes on; the first call after the loss may find the connection still open.
    for (let i = 10; i < 20; i++) expect(() => a.logger.info('APP', 'during', { i })).not.toThrow();
    expect(await c1.closed).toBe(1012);
    await waitFor(() => a.bridge.stats().backplane?.state === 'local', 'local state');
    const stats = a.bridge.stats().backplane;
    expect(stats?.outages).toBe(1);
    expect(stats?.errors).toBeGreaterThan(0);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Redis cannot be reached')]);

    // The client resumes with its cursor: the node's own epoch now, said by a gap, then the records logged meanwhile.
    const c2 = await ready(a.port);
    const local = (c2.frames[0] as Frame).epoch as string;
    expect(local).not.toBe(epoch);
    c2.send({ type: 'subscribe', sub: 's', since: { epoch, offset: lastTo(c1) } });
    await waitFor(() => c2.records().length === 10, 'the records logged while Redis was down');
    expect(c2.of('gap')).toMatchObject([{ reason: 'epoch_changed' }]);
    expect(c2.records().map((x) => x.i)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

    // Redis is back (empty: no persistence): the node rejoins; what it held reaches Redis.
    await r.start();
    expect(await c2.closed).toBe(1012);
    await waitFor(() => a.bridge.stats().backplane?.state === 'redis', 'the node back on Redis', 20_000);
    for (let i = 20; i < 25; i++) a.logger.info('APP', 'after', { i });
    const c3 = await ready(a.port);
    c3.send({ type: 'subscribe', sub: 's', since: { epoch: local, offset: lastTo(c2) } });
    await waitFor(() => c3.records().length === 5, 'the records logged after');
    await new Promise((ok) => setTimeout(ok, 100));
    // Continues right after what it got in the node's own epoch: no repeat of 10–19.
    expect(c3.records().map((x) => x.i)).toEqual([20, 21, 22, 23, 24]);
    expect(c3.of('gap')).toMatchObject([{ reason: 'epoch_changed' }]);

    // Another node sees everything the first one logged since Redis came back, 10–19 included.
    const other = createBridge({ backplane: { redis: r.url } });
    cleanups.push(() => other.close());
    const { port } = await other.listen();
    expect(other.epoch).toBe(a.bridge.epoch);
    const c4 = await ready(port);
    c4.send({ type: 'subscribe', sub: 's', since: { last: 100 } });
    await waitFor(() => c4.records().length === 15, 'fifteen records on the other node');
    expect(c4.records().map((x) => x.i)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    expect(a.bridge.stats().backplane).toMatchObject({ outboxDropped: 0, outbox: 0 });
  }, 60_000);

  it('refuses bad options with a clear message; backplane and persist do not mix', () => {
    expect(() => createBridge({ backplane: { redis: 'localhost:6379' } })).toThrow(
      /backplane\.redis must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => createBridge({ backplane: { redis: 'redis://x', key: 'a b' } })).toThrow(/backplane\.key/);
    expect(() => createBridge({ backplane: { redis: 'redis://x' }, persist: { dir: '/tmp/x' } })).toThrow(
      /backplane and persist cannot be used together/,
    );
  });
});
