import { describe, expect, it } from 'vitest';
import { resolveRoles } from '../../src/auth/roles.js';
import { Fanout } from '../../src/fanout/fanout.js';
import { resolveSince } from '../../src/fanout/since.js';
import { type Gap, type SubscriberTarget, Subscription } from '../../src/fanout/subscription.js';
import { compileView } from '../../src/fanout/view.js';
import type { Since, SubscriptionFilter } from '../../src/protocol/frames.js';
import { MemoryRing } from '../../src/ring/memory-ring.js';
import { waitFor } from '../helpers.js';

const roles = resolveRoles({
  ops: { layers: ['APP'], redact: ['user.email', 'ip'] },
});

class FakeTarget implements SubscriberTarget {
  open = true;
  bodies: Buffer[] = [];
  frames: Record<string, unknown>[] = [];
  writable(): boolean {
    return this.open;
  }
  sendRecords(sub: Subscription, body: Buffer): void {
    this.bodies.push(body);
    this.frames.push(JSON.parse(Buffer.concat([sub.prefix, body]).toString()));
  }
  sendGap(sub: Subscription, gap: Gap): void {
    this.frames.push({ type: 'gap', sub: sub.id, ...gap });
  }
  offsets(): number[] {
    return this.frames
      .filter((f) => f.type === 'records')
      .flatMap((f) => (f.records as { offset: number }[]).map((r) => r.offset));
  }
  gaps(): Record<string, unknown>[] {
    return this.frames.filter((f) => f.type === 'gap');
  }
}

function setup(maxRecords = 100, batch = 500) {
  const ring = new MemoryRing({ maxRecords, maxBytes: 1 << 24 });
  const fanout = new Fanout(ring, { maxBatchRecords: batch, maxBatchBytes: 1 << 20, sendIntervalMs: 1 });
  const add = (i: number, layer = 'APP', level = 20, extra = '') =>
    ring.append(layer, level, `{"level":"L${level}","layer":"${layer}","message":"m${i}"${extra}}`);
  const subscribe = (
    target: FakeTarget,
    filter: SubscriptionFilter = {},
    since: Since = 'latest',
    role = 'admin',
    id = 's',
  ) => {
    const view = compileView(filter, roles.get(role)!);
    const { cursor, gap } = resolveSince(since, ring, view);
    const sub = new Subscription(id, target, view, cursor);
    fanout.add(sub, gap);
    return sub;
  };
  return { ring, fanout, add, subscribe };
}

describe('fan-out', () => {
  it('serializes a batch once and sends the same bytes to every subscriber with the same view', () => {
    const { fanout, add, subscribe } = setup();
    const targets = [new FakeTarget(), new FakeTarget(), new FakeTarget()];
    for (const [i, t] of targets.entries()) subscribe(t, {}, 'latest', 'admin', `sub-${i}`);
    for (let i = 0; i < 5; i++) add(i);
    fanout.pump();
    const [a, b, c] = targets.map((t) => t.bodies[0]);
    expect(a).toBeDefined();
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(fanout.stats.batches).toBe(1);
    expect(fanout.stats.frames).toBe(3);
    expect(targets[2]?.frames[0]).toMatchObject({ type: 'records', sub: 'sub-2', from: 0, to: 4 });
    expect(targets[2]?.offsets()).toEqual([0, 1, 2, 3, 4]);
  });

  it('splits batches at maxBatchRecords and keeps order', async () => {
    const { fanout, add, subscribe } = setup(1000, 7);
    const t = new FakeTarget();
    subscribe(t);
    for (let i = 0; i < 50; i++) add(i);
    fanout.schedule();
    await waitFor(() => t.offsets().length === 50, '50 records');
    expect(t.offsets()).toEqual([...Array(50).keys()]);
    expect(t.frames.every((f) => (f.records as unknown[]).length <= 7)).toBe(true);
  });

  it('pauses a subscriber that is not writable, then catches it up from the ring', () => {
    const { fanout, add, subscribe } = setup();
    const fast = new FakeTarget();
    const slow = new FakeTarget();
    subscribe(fast, {}, 'latest', 'admin', 'f');
    subscribe(slow, {}, 'latest', 'admin', 's');
    slow.open = false;
    for (let i = 0; i < 10; i++) add(i);
    fanout.pump();
    expect(fast.offsets()).toHaveLength(10);
    expect(slow.frames).toHaveLength(0);
    slow.open = true;
    fanout.pump();
    expect(slow.offsets()).toEqual([...Array(10).keys()]);
    expect(slow.gaps()).toEqual([]);
  });

  it('gives a slow consumer that the ring left behind a gap frame, then the rest', () => {
    const { fanout, add, subscribe } = setup(10);
    const slow = new FakeTarget();
    subscribe(slow);
    add(0);
    slow.open = false;
    fanout.pump();
    for (let i = 1; i < 30; i++) add(i);
    slow.open = true;
    fanout.pump();
    expect(slow.gaps()).toEqual([
      { type: 'gap', sub: 's', from: 0, to: 19, count: 20, reason: 'slow_consumer' },
    ]);
    expect(slow.offsets()).toEqual([...Array(10).keys()].map((i) => i + 20));
  });

  it('resolves since: latest, { last: N } with the filter, { epoch, offset }', () => {
    const { ring, fanout, add, subscribe } = setup();
    for (let i = 0; i < 10; i++) add(i, i % 2 === 0 ? 'APP' : 'DB');
    const latest = new FakeTarget();
    const last = new FakeTarget();
    const after = new FakeTarget();
    subscribe(latest);
    subscribe(last, { layers: ['DB'] }, { last: 3 });
    subscribe(after, {}, { epoch: ring.epoch, offset: 6 });
    fanout.pump();
    expect(latest.offsets()).toEqual([]);
    expect(last.offsets()).toEqual([5, 7, 9]);
    expect(after.offsets()).toEqual([7, 8, 9]);
  });

  it('reports evicted history and another epoch as gaps, never as silence', () => {
    const { ring, fanout, add, subscribe } = setup(5);
    for (let i = 0; i < 20; i++) add(i);
    const old = new FakeTarget();
    const other = new FakeTarget();
    subscribe(old, {}, { epoch: ring.epoch, offset: 3 });
    subscribe(other, {}, { epoch: 'an-old-epoch', offset: 3 });
    fanout.pump();
    expect(old.gaps()).toEqual([{ type: 'gap', sub: 's', from: 4, to: 14, count: 11, reason: 'evicted' }]);
    expect(old.offsets()).toEqual([15, 16, 17, 18, 19]);
    expect(other.gaps()[0]).toMatchObject({ reason: 'epoch_changed', from: 0, to: 14 });
    expect(other.offsets()).toEqual([15, 16, 17, 18, 19]);
  });

  it('filters by layers, minLevel, text and fields', () => {
    const { fanout, add, subscribe } = setup();
    const byLayer = new FakeTarget();
    const byLevel = new FakeTarget();
    const byText = new FakeTarget();
    const byField = new FakeTarget();
    subscribe(byLayer, { layers: ['DB'] });
    subscribe(byLevel, { minLevel: 30 });
    subscribe(byText, { text: 'TIMEOUT' });
    subscribe(byField, { fields: { 'user.id': 7 } });
    add(0, 'APP', 20);
    add(1, 'DB', 20, ',"note":"timeout after 3s"');
    add(2, 'APP', 40, ',"user":{"id":7}');
    add(3, 'APP', 30, ',"user":{"id":8}');
    fanout.pump();
    expect(byLayer.offsets()).toEqual([1]);
    expect(byLevel.offsets()).toEqual([2, 3]);
    expect(byText.offsets()).toEqual([1]);
    expect(byField.offsets()).toEqual([2]);
  });

  it('a role sees only its layers, with its paths redacted', () => {
    const { fanout, add, subscribe } = setup();
    const admin = new FakeTarget();
    const ops = new FakeTarget();
    subscribe(admin);
    subscribe(ops, {}, 'latest', 'ops');
    add(0, 'APP', 20, ',"user":{"email":"[REDACTED_EMAIL]","name":"ann"},"ip":"10.0.0.1"');
    add(1, 'DB', 20);
    fanout.pump();
    expect(admin.offsets()).toEqual([0, 1]);
    expect(ops.offsets()).toEqual([0]);
    const rec = (ops.frames[0]?.records as Record<string, unknown>[] | undefined)?.[0];
    expect(rec).toMatchObject({ user: { email: '[REDACTED]', name: 'ann' }, ip: '[REDACTED]', offset: 0 });
    expect(admin.bodies[0]).not.toBe(ops.bodies[0]);
  });
});
