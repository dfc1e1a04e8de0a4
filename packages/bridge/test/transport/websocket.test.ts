import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBridge, PROTOCOL_VERSION } from '../../src/index.js';
import { connect, loggerWithBridge, ready, record, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('WebSocket transport', () => {
  it('says hello with the protocol version, the epoch and the limits, on subprotocol hydra.v1', async () => {
    const { bridge, port } = await standalone({ serverId: 'node-a' });
    cleanups.push(() => bridge.close());
    const c = await ready(port);
    expect(c.ws.protocol).toBe('hydra.v1');
    const hello = c.of('hello')[0];
    expect(hello).toMatchObject({
      v: PROTOCOL_VERSION,
      serverId: 'node-a',
      epoch: bridge.epoch,
      principal: { sub: 'anonymous', role: 'admin' },
    });
    expect(hello?.limits).toMatchObject({ maxPayload: 1024 * 1024, maxSubscriptions: 16 });
  });

  it('streams each record as the json format wrote it, after redaction, with its offset', async () => {
    const { logger, bridge, port, lines } = await loggerWithBridge();
    cleanups.push(() => logger.close());
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 's', since: 'latest' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'the subscription');
    logger.info('APP', 'signed in', { user: 'ann', password: 'hunter2', email: 'ann@example.com' });
    logger.warn('DB', 'slow', { ms: 250 });
    await waitFor(() => c.records().length === 2, 'two records');
    const written = lines().map((l) => JSON.parse(l));
    expect(c.records()).toEqual(written.map((r, i) => ({ ...r, offset: i })));
    expect(JSON.stringify(c.frames)).not.toContain('hunter2');
    expect(JSON.stringify(c.frames)).not.toContain('ann@example.com');
    expect(c.of('records')[0]).toMatchObject({ sub: 's', from: 0 });
  });

  it('sends records frames as single text frames (16-bit and 64-bit lengths), in order with the other frames', async () => {
    const { bridge, port } = await standalone({
      limits: { maxBatchRecords: 10_000, maxBatchBytes: 1 << 22 },
    });
    cleanups.push(() => bridge.close());
    const c = await ready(port);
    const fragments: boolean[] = [];
    c.ws.on('message', (_data, isBinary) => fragments.push(isBinary));
    c.send({ type: 'subscribe', sub: 's', since: 'latest' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'the subscription');
    // A small frame (a records frame always has over 125 bytes: a 16-bit length), then a batch over
    // 64 KiB (a 64-bit length), then single records between event frames.
    bridge.publish({ ...record(0), fields: undefined, message: '' });
    await waitFor(() => c.records().length === 1, 'the first record');
    for (let i = 1; i <= 400; i++) bridge.publish(record(i, 'APP', 20, { pad: 'x'.repeat(300) }));
    await waitFor(() => c.records().length === 401, 'the large batch');
    for (let i = 401; i <= 420; i++) {
      bridge.publish(record(i));
      bridge.publishEvent('t', { i });
    }
    await waitFor(() => c.records().length === 421, 'every record');
    expect(c.records().map((r) => r.offset)).toEqual([...Array(421).keys()]);
    expect(c.records().map((r) => r.message)).toEqual([
      '',
      ...[...Array(420).keys()].map((i) => `m${i + 1}`),
    ]);
    const frames = c.of('records');
    expect(frames.some((f) => JSON.stringify(f).length > 65_536)).toBe(true);
    for (const f of frames)
      expect((f.records as unknown[]).length).toBe((f.to as number) - (f.from as number) + 1);
    expect(fragments.every((b) => b === false)).toBe(true);
  });

  it('backfills with since { last: N } and resumes with { epoch, offset } without repeating a record', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    for (let i = 0; i < 20; i++) bridge.publish(record(i));
    const a = await ready(port);
    a.send({ type: 'subscribe', sub: 's', since: { last: 5 } });
    await waitFor(() => a.records().length === 5, 'the backfill');
    expect(a.records().map((r) => r.offset)).toEqual([15, 16, 17, 18, 19]);
    a.close();
    for (let i = 20; i < 25; i++) bridge.publish(record(i));
    const b = await ready(port);
    b.send({ type: 'subscribe', sub: 's', since: { epoch: bridge.epoch, offset: 19 } });
    await waitFor(() => b.records().length === 5, 'the resumed records');
    expect(b.records().map((r) => r.message)).toEqual(['m20', 'm21', 'm22', 'm23', 'm24']);
  });

  it('answers subscribe with where it starts: a client cut off before its first record resumes from there and misses nothing', async () => {
    const { bridge, port } = await standalone({ limits: { ringMaxRecords: 10 } });
    cleanups.push(() => bridge.close());
    for (let i = 0; i < 3; i++) bridge.publish(record(i));
    const a = await ready(port);
    a.send({ type: 'subscribe', sub: 's', since: 'latest' });
    const started = await a.next('subscribed');
    expect(started).toEqual({ type: 'subscribed', sub: 's', epoch: bridge.epoch, from: 3 });
    // Cut off (no close handshake) before any record; records are logged meanwhile.
    a.ws.terminate();
    for (let i = 3; i < 7; i++) bridge.publish(record(i));
    const b = await ready(port);
    b.send({
      type: 'subscribe',
      sub: 's',
      since: { epoch: started.epoch, offset: (started.from as number) - 1 },
    });
    await waitFor(() => b.records().length === 4, 'the records logged while it was away');
    expect(b.records().map((r) => r.message)).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(b.of('subscribed')).toEqual([{ type: 'subscribed', sub: 's', epoch: bridge.epoch, from: 3 }]);
    // Asking for more than the ring holds: `subscribed` comes first, then the gap from where it starts.
    for (let i = 7; i < 30; i++) bridge.publish(record(i));
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 't', since: { epoch: bridge.epoch, offset: 4 } });
    await waitFor(() => c.records('t').length === 10, 'the records the ring holds');
    expect(c.frames.filter((f) => f.sub === 't').slice(0, 2)).toMatchObject([
      { type: 'subscribed', from: 5 },
      { type: 'gap', from: 5, to: 19, count: 15, reason: 'evicted' },
    ]);
  });

  it('answers a bad frame with an error frame and keeps serving the connection', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    const c = await ready(port);
    c.send('{not json');
    c.send({ type: 'subscribe', sub: 'x', since: 'sometime' });
    c.send({ type: 'teleport' });
    c.ws.send(Buffer.from([1, 2, 3]));
    c.send({ type: 'unsubscribe', sub: 'nope' });
    await waitFor(() => c.of('error').length === 5, 'five error frames');
    expect(c.of('error').map((e) => e.code)).toEqual([
      'bad_json',
      'bad_frame',
      'unknown_type',
      'binary_not_supported',
      'unknown_subscription',
    ]);
    expect(c.of('error')[1]).toMatchObject({ sub: 'x' });
    c.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'the subscription');
    bridge.publish(record(1));
    await waitFor(() => c.records().length === 1, 'a record');
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('accepts the older URL /logs as an alias, with or without a subprotocol', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    const plain = new WebSocket(`ws://127.0.0.1:${port}/logs`);
    const frames: Record<string, unknown>[] = [];
    plain.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await waitFor(() => frames.find((f) => f.type === 'hello'), 'hello on /logs');
    expect(plain.protocol).toBe('');
    plain.close();
    const v1 = await ready(port, { path: '/logs' });
    expect(v1.ws.protocol).toBe('hydra.v1');
    const other = connect(port, { path: '/elsewhere' });
    await expect(other.opened).rejects.toThrow(/404/);
  });

  it('replaces a subscription sent again with the same id, and stops one on unsubscribe', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 's', filter: { layers: ['DB'] } });
    c.send({ type: 'subscribe', sub: 's', filter: { layers: ['APP'] } });
    c.send({ type: 'subscribe', sub: 't' });
    await waitFor(() => bridge.stats().subscriptions === 2, 'two subscriptions');
    bridge.publish(record(0, 'DB'));
    bridge.publish(record(1, 'APP'));
    await waitFor(() => c.records('t').length === 2, 'both records on t');
    await waitFor(() => c.records('s').length === 1, 'the APP record on s');
    expect(c.records('s')[0]?.layer).toBe('APP');
    c.send({ type: 'unsubscribe', sub: 't' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'one subscription');
  });

  it('pauses sends while the socket is over the high-water mark; the stalled client gets a slow_consumer gap, never a hole', async () => {
    // A long heartbeat: the stalled client cannot answer pings while it does not read.
    const { bridge, port } = await standalone({
      limits: { highWaterMark: 64 * 1024, ringMaxRecords: 200, heartbeatMs: 600_000 },
    });
    cleanups.push(() => bridge.close());
    const fast = await ready(port);
    const slow = await ready(port);
    fast.send({ type: 'subscribe', sub: 's' });
    slow.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 2, 'two subscriptions');
    // The slow client stops reading: its socket fills up, then the server's send buffer.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = 'x'.repeat(4000);
    // Publish until the stalled client's cursor has been left behind by the ring (however large the
    // kernel's socket buffers are), then 500 more; the reading client keeps up (the test waits for it).
    let sent = 0;
    let after = -1;
    while (after < 500) {
      for (let k = 0; k < 100; k++) bridge.publish(record(sent++, 'APP', 20, { big }));
      await waitFor(() => fast.records().length === sent, `record ${sent - 1} at the fast client`);
      if (after >= 0) after += 100;
      else if ((bridge.stats().fanout.gaps.slow_consumer ?? 0) > 0) after = 0;
      expect(sent).toBeLessThan(200_000);
    }
    // The stalled client has not been sent a single record since it stopped reading beyond its buffers.
    expect(bridge.clients().some((c) => c.bufferedAmount >= 64 * 1024)).toBe(true);
    expect(fast.of('gap')).toEqual([]);
    expect(fast.records().map((r) => r.offset)).toEqual([...Array(sent).keys()]);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => slow.records().at(-1)?.offset === sent - 1, 'the slow client to catch up');
    const gaps = slow.of('gap');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.reason === 'slow_consumer')).toBe(true);
    // Every offset is either received once or inside a gap.
    const seen = slow.records().map((r) => r.offset as number);
    expect(new Set(seen).size).toBe(seen.length);
    const covered = new Set(seen);
    for (const g of gaps) for (let o = g.from as number; o <= (g.to as number); o++) covered.add(o);
    expect(covered.size).toBe(sent);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
  });

  it('measures heartbeat round trips and terminates a client that stops answering', async () => {
    const { bridge, port } = await standalone({ limits: { heartbeatMs: 1_000 } });
    cleanups.push(() => bridge.close());
    const alive = await ready(port);
    const dead = await ready(port, { autoPong: false });
    await waitFor(() => dead.closeCode !== undefined, 'the dead client to be cut off');
    expect(dead.closeCode).toBe(1006);
    await waitFor(() => bridge.clients().length === 1 && bridge.clients()[0]?.rttMs !== undefined, 'an RTT');
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(alive.of('ping').length).toBeGreaterThan(0);
    expect(bridge.stats().limited.heartbeat_missed).toBeGreaterThanOrEqual(1);
  });

  it('createBridge without a logger streams what is published', async () => {
    const bridge = createBridge();
    const { port } = await bridge.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => bridge.close());
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'the subscription');
    bridge.publish(record(0));
    await waitFor(() => c.records().length === 1, 'the record');
    expect(c.records()[0]).toMatchObject({ level: 'INFO', layer: 'APP', message: 'm0', i: 0, offset: 0 });
  });
});
