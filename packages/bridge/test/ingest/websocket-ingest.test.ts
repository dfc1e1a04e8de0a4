import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../../src/index.js';
import { loggerWithBridge, ready, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('ingest over WebSocket (logs frames)', () => {
  it('logs browser records through the logger, redacted by the core, and acks them', async () => {
    const { logger, port, lines } = await loggerWithBridge();
    cleanups.push(() => logger.close());
    const c = await ready(port);
    c.send({
      type: 'logs',
      clientId: 'tab-1',
      seq: 10,
      records: [
        {
          level: 'info',
          message: 'clicked',
          fields: { user_id: 123, action: 'click' },
          time: 1_700_000_000_000,
        },
        {
          level: 'ERROR',
          layer: 'CHECKOUT',
          message: 'card 4111 1111 1111 1111 declined',
          fields: { password: 'p4ss', email: 'a@b.co' },
        },
      ],
    });
    expect(await c.next('ack')).toEqual({ type: 'ack', seq: 10, accepted: 2, duplicates: 0, rejected: [] });
    const out = lines().map((l) => JSON.parse(l));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      level: 'INFO',
      layer: 'BROWSER',
      message: 'clicked',
      user_id: 123,
      action: 'click',
      client: { id: 'tab-1', seq: 10, principal: 'anonymous', time: 1_700_000_000_000 },
    });
    expect(out[1]).toMatchObject({
      level: 'ERROR',
      layer: 'CHECKOUT',
      password: '[REDACTED]',
      email: '[REDACTED_EMAIL]',
      client: { seq: 11 },
    });
    expect(lines().join('\n')).not.toContain('4111 1111 1111 1111');
  });

  it('logs a resent batch once (dedupe by clientId and seq), also across connections', async () => {
    const { logger, port, lines, bridge } = await loggerWithBridge();
    cleanups.push(() => logger.close());
    const batch = {
      type: 'logs',
      clientId: 'tab-2',
      seq: 0,
      records: [
        { level: 'INFO', message: 'a' },
        { level: 'INFO', message: 'b' },
      ],
    };
    const c = await ready(port);
    c.send(batch);
    await c.next('ack');
    c.close();
    const d = await ready(port);
    d.send(batch);
    d.send({
      ...batch,
      seq: 1,
      records: [
        { level: 'INFO', message: 'b' },
        { level: 'INFO', message: 'c' },
      ],
    });
    await waitFor(() => d.of('ack').length === 2, 'two acks');
    expect(d.of('ack')).toEqual([
      { type: 'ack', seq: 0, accepted: 0, duplicates: 2, rejected: [] },
      { type: 'ack', seq: 1, accepted: 1, duplicates: 1, rejected: [] },
    ]);
    expect(lines().map((l) => JSON.parse(l).message)).toEqual(['a', 'b', 'c']);
    expect(bridge.stats().ingest).toMatchObject({ accepted: 3, duplicates: 3 });
  });

  it('refuses invalid records one by one (acked as rejected) and renames fields a browser may not set', async () => {
    const { logger, port, lines } = await loggerWithBridge();
    cleanups.push(() => logger.close());
    const c = await ready(port);
    c.send({
      type: 'logs',
      clientId: 'tab-3',
      seq: 0,
      records: [
        { level: 'LOUD', message: 'x' },
        { level: 'INFO', message: 'x', layer: 'AUDIT' },
        { level: 'INFO', message: 'x', layer: 'bad layer\n{"level":"CRITICAL"}' },
        { level: 'INFO', message: 42 },
        { level: 'INFO', message: 'x'.repeat(20_000) },
        { level: 'INFO', message: 'x', fields: [1, 2] },
        'just a string',
        {
          level: 'INFO',
          message: 'forged\n{"level":"CRITICAL","message":"owned"}',
          fields: JSON.parse(
            '{"level":"CRITICAL","timestamp":"then","client":"me","offset":1,"__proto__":{"polluted":true}}',
          ),
        },
      ],
    });
    const ack = await c.next('ack');
    expect(ack.accepted).toBe(1);
    expect((ack.rejected as { index: number }[]).map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lines()).toHaveLength(1);
    const rec = JSON.parse(lines()[0] as string);
    expect(rec).toMatchObject({
      level: 'INFO',
      _level: 'CRITICAL',
      _timestamp: 'then',
      _client: 'me',
      _offset: 1,
    });
    expect(rec.___proto__).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(rec.client).toMatchObject({ id: 'tab-3', seq: 7 });
    expect(rec.message).toBe('forged\n{"level":"CRITICAL","message":"owned"}');
    expect(lines()[0]).not.toContain('\n');
  });

  it('refuses a batch over the ingest rate with rate_limited (not logged, not acked), and closes 1008 a flooder', async () => {
    const { logger, port, lines } = await loggerWithBridge({
      limits: { ingestRecordsPerSecond: 5, maxRateViolations: 3 },
    });
    cleanups.push(() => logger.close());
    const c = await ready(port);
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `r${i}` }));
    c.send({ type: 'logs', clientId: 'tab-4', seq: 0, records: records(5) });
    await c.next('ack');
    c.send({ type: 'logs', clientId: 'tab-4', seq: 5, records: records(5) });
    expect(await c.next('error')).toMatchObject({ code: 'rate_limited', seq: 5 });
    expect(lines()).toHaveLength(5);
    for (let i = 0; i < 5; i++)
      c.send({ type: 'logs', clientId: 'tab-4', seq: 10 + i * 5, records: records(5) });
    expect(await c.closed).toBe(CLOSE_CODES.policy);
  });

  it('streams ingested records back to subscribers; without a logger they are redacted by the core rules', async () => {
    const { bridge, port } = await standalone();
    cleanups.push(() => bridge.close());
    const viewer = await ready(port);
    viewer.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 1, 'the subscription');
    const browser = await ready(port);
    browser.send({
      type: 'logs',
      clientId: 'tab-5',
      seq: 0,
      records: [{ level: 'WARN', message: 'token=abc123secret', fields: { apiKey: 'k-1' } }],
    });
    await waitFor(() => viewer.records().length === 1, 'the record');
    const r = viewer.records()[0];
    expect(r).toMatchObject({
      level: 'WARNING',
      layer: 'BROWSER',
      apiKey: '[REDACTED]',
      client: { id: 'tab-5' },
    });
    expect(JSON.stringify(r)).not.toContain('abc123secret');
    expect(browser.ws.readyState).toBe(WebSocket.OPEN);
  });
});
