import { afterEach, describe, expect, it } from 'vitest';
import { type AgentAlert, AgentTracker, type AgentTrackerOptions, DETECTOR_DEFAULTS } from '../src/index.js';
import { jsonLogger, manualClock } from './helpers.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function setup(detectors: AgentTrackerOptions['detectors'] = {}) {
  const l = jsonLogger();
  const clock = manualClock();
  const tracker = new AgentTracker({ logger: l.logger, now: clock.now, detectors });
  const alerts: AgentAlert[] = [];
  tracker.on('alert', (a: AgentAlert) => alerts.push(a));
  closers.push(
    () => tracker.close(),
    () => l.logger.close(),
  );
  /** The WARNING records the detectors wrote. */
  const warnings = () => l.lines().filter((r) => r.level === 'WARNING' && r.layer === 'AGENTS');
  return { tracker, clock, alerts, warnings };
}

describe('detectors (on by default)', () => {
  it('ping-pong loop: two agents bouncing one conversation back and forth → one WARNING naming both, and an event', () => {
    const { tracker, clock, alerts, warnings } = setup();
    const kinds: string[] = [];
    tracker.on('ping_pong', (a: AgentAlert) => kinds.push(a.kind));
    for (let i = 0; i < DETECTOR_DEFAULTS.pingPongMessages; i++) {
      const [f, t] = i % 2 === 0 ? ['critic', 'writer'] : ['writer', 'critic'];
      tracker.send(f as string, t as string, { conversationId: 'draft-7' });
      clock.advance(100);
    }
    expect(alerts.map((a) => a.kind)).toEqual(['ping_pong']);
    expect(kinds).toEqual(['ping_pong']);
    expect(alerts[0]?.agents).toEqual(['critic', 'writer']);
    const w = warnings();
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({
      'hydra.alert.kind': 'ping_pong',
      'hydra.alert.agents': ['critic', 'writer'],
      'gen_ai.conversation.id': 'draft-7',
      'gen_ai.operation.name': 'detect_anomaly',
    });
    expect(String(w[0]?.message)).toContain('critic and writer');
  });

  it('ping-pong: a normal request/reply exchange, and messages one way, do not fire', () => {
    const { tracker, clock, alerts } = setup();
    for (let c = 0; c < 30; c++) {
      // Three round trips per conversation, 30 conversations: 180 alternating messages in all.
      for (let i = 0; i < 3; i++) {
        tracker.send('sup', 'worker', { conversationId: `task-${c}` });
        tracker.send('worker', 'sup', { conversationId: `task-${c}` });
        clock.advance(10);
      }
    }
    for (let i = 0; i < 100; i++) tracker.send('a', 'b', { conversationId: 'x' });
    expect(alerts).toEqual([]);
  });

  it('fan-out storm: one agent messaging many agents within a second fires; a small fan-out does not', () => {
    const { tracker, clock, alerts, warnings } = setup();
    for (let i = 0; i < 10; i++) tracker.send('calm', `w${i}`);
    clock.advance(1000);
    expect(alerts).toEqual([]);
    for (let i = 0; i < DETECTOR_DEFAULTS.fanOutRecipients; i++) tracker.send('router', `w${i}`);
    expect(alerts.map((a) => [a.kind, a.agents])).toEqual([['fan_out_storm', ['router']]]);
    expect(warnings()[0]).toMatchObject({ 'hydra.alert.kind': 'fan_out_storm', 'gen_ai.agent.id': 'router' });
  });

  it('stuck: an agent in one working state past stuckAfterMs fires once; a resting or finished one does not', () => {
    const { tracker, clock, alerts, warnings } = setup({ stuckAfterMs: 60_000 });
    tracker.registerAgent({ id: 'slow', state: 'working' });
    tracker.registerAgent({ id: 'idle', state: 'idle' });
    tracker.registerAgent({ id: 'done', state: 'completed' });
    tracker.registerAgent({ id: 'busy', state: 'working' });
    clock.advance(30_000);
    tracker.setState('busy', 'input-required');
    clock.advance(30_000);
    tracker.check();
    expect(alerts.map((a) => a.agents)).toEqual([['slow']]);
    tracker.check();
    expect(alerts).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ 'hydra.alert.kind': 'stuck', 'hydra.alert': { state: 'working' } });
  });

  it('stuck: the timer runs the check by itself', async () => {
    const l = jsonLogger();
    const tracker = new AgentTracker({
      logger: l.logger,
      detectors: { stuckAfterMs: 20 },
      limits: { checkIntervalMs: 10 },
    });
    closers.push(
      () => tracker.close(),
      () => l.logger.close(),
    );
    tracker.registerAgent({ id: 'w', state: 'working' });
    const alert = await new Promise<AgentAlert>((ok) => tracker.once('stuck', ok));
    expect(alert.agents).toEqual(['w']);
  });

  it('deadlock: a cycle in the wait-for graph fires with the cycle; a chain does not; a reply breaks a wait', () => {
    const { tracker, alerts, warnings } = setup();
    tracker.send('a', 'b', { awaitReply: true });
    tracker.send('b', 'c', { awaitReply: true });
    expect(alerts).toEqual([]);
    // c answers b: b no longer waits for c, so c waiting for a makes no cycle.
    tracker.send('c', 'b');
    tracker.waitFor('c', 'a');
    expect(alerts).toEqual([]);
    tracker.send('b', 'c', { awaitReply: true });
    expect(alerts.map((a) => [a.kind, a.agents])).toEqual([['deadlock', ['b', 'c', 'a']]]);
    expect(warnings()[0]).toMatchObject({
      'hydra.alert.kind': 'deadlock',
      'hydra.alert.agents': ['b', 'c', 'a'],
    });
    expect(String(warnings()[0]?.message)).toContain('b → c → a → b');
  });

  it('budget: tokens or cost over the per-agent budget fires once; under it does not', () => {
    const { tracker, alerts, warnings } = setup({ tokensPerAgent: 1000, costUsdPerAgent: 1 });
    tracker.llmCall('frugal', { inputTokens: 400, outputTokens: 500, costUsd: 0.9 });
    expect(alerts).toEqual([]);
    tracker.llmCall('spender', { inputTokens: 900, outputTokens: 200, costUsd: 0.1 });
    tracker.llmCall('spender', { inputTokens: 10, outputTokens: 10, costUsd: 1 });
    expect(alerts.map((a) => [a.kind, a.agents, a.details.budget])).toEqual([
      ['budget_exceeded', ['spender'], 'tokensPerAgent'],
      ['budget_exceeded', ['spender'], 'costUsdPerAgent'],
    ]);
    expect(warnings()).toHaveLength(2);
  });

  it('detectors: false turns them all off', () => {
    const { tracker, alerts } = setup(false);
    for (let i = 0; i < 100; i++) tracker.send('r', `w${i}`);
    tracker.waitFor('x', 'y');
    tracker.waitFor('y', 'x');
    expect(alerts).toEqual([]);
  });

  it('a throwing alert listener does not reach the caller (counted)', () => {
    const { tracker } = setup({ tokensPerAgent: 1 });
    tracker.on('alert', () => {
      throw new Error('listener bug');
    });
    expect(() => tracker.llmCall('a', { inputTokens: 5 })).not.toThrow();
    expect(tracker.stats().listenerErrors).toBe(1);
  });
});
