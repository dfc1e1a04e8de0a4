import { createBridge } from '@hydra-logger/bridge';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgentTracker, type LiveFrame } from '../src/index.js';
import { jsonLogger } from './helpers.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function until<T>(f: () => T | undefined, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live: the graph streamed by the bridge', () => {
  it('a watcher gets a snapshot of 50 agents, then deltas with changes and the loop alert', async () => {
    const { logger } = jsonLogger();
    const tracker = new AgentTracker({ logger, detectors: { pingPongMessages: 10 } });
    const bridge = createBridge();
    const { port } = await bridge.listen({ port: 0 });
    const stop = tracker.publishTo(bridge, { intervalMs: 100 });
    closers.push(
      () => logger.close(),
      () => bridge.close(),
      stop,
      () => tracker.close(),
    );
    for (let i = 0; i < 50; i++)
      tracker.registerAgent({ id: `agent-${i}`, role: i === 0 ? 'supervisor' : 'worker' });
    for (let i = 1; i < 50; i++) tracker.send('agent-0', `agent-${i}`, { conversationId: `task-${i}` });

    const ws = new WebSocket(`ws://127.0.0.1:${port}/hydra/ws`, ['hydra.v1']);
    closers.push(() => ws.close());
    const frames: LiveFrame[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { type: string; topic?: string; data?: LiveFrame };
      if (f.type === 'hello') ws.send(JSON.stringify({ type: 'watch', topics: ['agents'] }));
      if (f.type === 'event' && f.topic === 'agents' && f.data !== undefined) frames.push(f.data);
    });
    const snap = await until(() => frames.find((f) => f.kind === 'snapshot'), 'the snapshot');
    expect(snap.nodes).toHaveLength(50);
    expect(snap.edges).toHaveLength(49);
    expect(snap.nodes.find((n) => n.id === 'agent-0')).toMatchObject({ role: 'supervisor', messagesOut: 49 });

    // A delta carries what changed since the previous one: wait for the registrations' round to be
    // published (the tick after them) so the loop's delta holds only the loop.
    const registered = tracker._model.tick;
    await until(() => (tracker._model.tick > registered ? true : undefined), 'the next publishing round');
    // A loop between two agents: the next delta carries both and the alert.
    for (let i = 0; i < 10; i++)
      tracker.send(i % 2 ? 'agent-2' : 'agent-1', i % 2 ? 'agent-1' : 'agent-2', { conversationId: 'loop' });
    const withAlert = await until(
      () => frames.find((f) => f.kind === 'delta' && f.alerts.length > 0),
      'a delta with the alert',
    );
    expect(withAlert.alerts[0]).toMatchObject({ kind: 'ping_pong', agents: ['agent-1', 'agent-2'] });
    expect(withAlert.nodes.map((n) => n.id).sort()).toEqual(['agent-1', 'agent-2']);
    expect(withAlert.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      'agent-1>agent-2',
      'agent-2>agent-1',
    ]);
    expect(withAlert.totals).toMatchObject({ agents: 50, edges: 51 });
  });
});
