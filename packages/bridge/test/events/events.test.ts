import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/index.js';
import { ready, standalone, type TestClient, waitFor } from '../helpers.js';

let bridge: Bridge | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await bridge?.close();
  bridge = undefined;
});

describe('event topics (watch / event frames)', () => {
  it('publishEvent reaches the watchers of its topic only, in order, with a seq per topic', async () => {
    const s = await standalone();
    bridge = s.bridge;
    const watched: string[] = [];
    bridge.on('watch', (t: string) => watched.push(t));
    const a = await ready(s.port);
    const b = await ready(s.port);
    clients.push(a, b);
    a.send({ type: 'watch', topics: ['agents'] });
    b.send({ type: 'watch', topics: ['other'] });
    await waitFor(() => watched.length === 2, 'both watches');
    expect(bridge.watchers('agents')).toBe(1);
    expect(bridge.publishEvent('agents', { n: 1 })).toBe(1);
    bridge.publishEvent('agents', { n: 2 });
    bridge.publishEvent('other', { x: true });
    await waitFor(() => a.of('event').length === 2 && b.of('event').length === 1, 'the events');
    expect(a.of('event')).toEqual([
      { type: 'event', topic: 'agents', seq: 1, data: { n: 1 } },
      { type: 'event', topic: 'agents', seq: 2, data: { n: 2 } },
    ]);
    expect(b.of('event')).toEqual([{ type: 'event', topic: 'other', seq: 1, data: { x: true } }]);
    a.send({ type: 'unwatch', topics: ['agents'] });
    await waitFor(() => bridge?.watchers('agents') === 0, 'the unwatch');
    a.close();
    b.close();
    await waitFor(() => bridge?.watchers('other') === 0, 'a closed client to stop watching');
  });

  it('a malformed watch frame is refused with bad_frame, the connection stays', async () => {
    const s = await standalone();
    bridge = s.bridge;
    const a = await ready(s.port);
    clients.push(a);
    a.send({ type: 'watch', topics: [] });
    a.send({ type: 'watch', topics: [42] });
    await waitFor(() => a.of('error').length === 2, 'two errors');
    expect(a.of('error').map((e) => e.code)).toEqual(['bad_frame', 'bad_frame']);
    a.send({ type: 'watch', topics: ['ok'] });
    await waitFor(() => bridge?.watchers('ok') === 1, 'the good watch');
  });
});
