import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { record, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface SseEvent {
  id?: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/** A minimal EventSource over node:http: collects parsed events. */
function stream(port: number, query = '', headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let status = 0;
  let res: IncomingMessage | undefined;
  const req = get({ host: '127.0.0.1', port, path: `/hydra/stream${query}`, headers }, (r) => {
    res = r;
    status = r.statusCode ?? 0;
    r.setEncoding('utf8');
    let buf = '';
    r.on('data', (chunk: string) => {
      buf += chunk;
      let i = buf.indexOf('\n\n');
      while (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev: Partial<SseEvent> & { lines: string[] } = { lines: [] };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) ev.id = line.slice(4);
          else if (line.startsWith('event: ')) ev.event = line.slice(7);
          else if (line.startsWith('data: ')) ev.lines.push(line.slice(6));
        }
        if (ev.event !== undefined)
          events.push({ id: ev.id, event: ev.event, data: JSON.parse(ev.lines.join('\n')) });
        i = buf.indexOf('\n\n');
      }
    });
  });
  req.on('error', () => {});
  return {
    events,
    status: () => status,
    records: () =>
      events.filter((e) => e.event === 'records').flatMap((e) => e.data.records as Record<string, unknown>[]),
    lastId: () => events.filter((e) => e.id !== undefined).at(-1)?.id,
    close: () => {
      req.destroy();
      res?.destroy();
    },
  };
}

describe('Server-Sent Events at /hydra/stream', () => {
  it('streams records with ids, and resumes after Last-Event-ID without a repeat or a skip', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    for (let i = 0; i < 5; i++) bridge.publish(record(i));
    const a = stream(port, '?since=last:3');
    await waitFor(() => a.records().length === 3, 'the backfill');
    expect(a.events[0]).toMatchObject({ event: 'hello', data: { epoch: bridge.epoch } });
    expect(a.records().map((r) => r.offset)).toEqual([2, 3, 4]);
    expect(a.lastId()).toBe(`${bridge.epoch}:4`);
    bridge.publish(record(5));
    await waitFor(() => a.records().length === 4, 'a live record');
    const last = a.lastId() as string;
    a.close();
    await waitFor(() => bridge.stats().connections.sse === 0, 'the stream to end');
    for (let i = 6; i < 10; i++) bridge.publish(record(i));
    const b = stream(port, '', { 'last-event-id': last });
    await waitFor(() => b.records().length === 4, 'the records after the last id');
    expect(b.records().map((r) => r.message)).toEqual(['m6', 'm7', 'm8', 'm9']);
  });

  it('gives the hello the id of where the stream starts: a reconnect before the first record misses nothing', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    for (let i = 0; i < 3; i++) bridge.publish(record(i));
    const a = stream(port);
    await waitFor(() => a.events.length === 1, 'the hello');
    expect(a.events[0]).toMatchObject({ event: 'hello', id: `${bridge.epoch}:2` });
    a.close();
    await waitFor(() => bridge.stats().connections.sse === 0, 'the stream to end');
    for (let i = 3; i < 6; i++) bridge.publish(record(i));
    const b = stream(port, '', { 'last-event-id': a.lastId() as string });
    await waitFor(() => b.records().length === 3, 'the records logged while it was away');
    expect(b.records().map((r) => r.message)).toEqual(['m3', 'm4', 'm5']);
  });

  it('filters by layers, minLevel and text from the query', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    const s = stream(port, '?layers=DB,CACHE&minLevel=WARNING');
    await waitFor(() => bridge.stats().connections.sse === 1, 'the stream');
    bridge.publish(record(0, 'DB', 20));
    bridge.publish(record(1, 'DB', 30));
    bridge.publish(record(2, 'APP', 40));
    bridge.publish(record(3, 'CACHE', 40));
    await waitFor(() => s.records().length === 2, 'two records');
    expect(s.records().map((r) => r.offset)).toEqual([1, 3]);
  });

  it('sends an epoch_changed gap for a Last-Event-ID of another epoch', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    bridge.publish(record(0));
    const s = stream(port, '', { 'last-event-id': 'old-epoch:41' });
    await waitFor(() => s.records().length === 1, 'the record');
    expect(s.events.find((e) => e.event === 'gap')?.data).toMatchObject({ reason: 'epoch_changed' });
  });

  it('refuses with 401 without credentials, 400 on a bad query, and accepts ?token=', async () => {
    const { createToken } = await import('../../src/index.js');
    const secret = 'a-test-secret-of-32-bytes-length';
    const { bridge, port } = await standalone({ tokenSecret: secret });
    cleanups.push(() => bridge.close());
    const none = stream(port);
    await waitFor(() => none.status() !== 0, 'a status');
    expect(none.status()).toBe(401);
    const bad = stream(port, '?minLevel=LOUD');
    await waitFor(() => bad.status() !== 0, 'a status');
    expect(bad.status()).toBe(400);
    const t = createToken({ sub: 'v', role: 'viewer', exp: Math.floor(Date.now() / 1000) + 60 }, secret);
    const ok = stream(port, `?token=${t}`);
    await waitFor(() => ok.events.length === 1, 'hello');
    expect(ok.status()).toBe(200);
    ok.close();
  });
});
