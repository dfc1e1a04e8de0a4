import { describe, expect, it } from 'vitest';
import { BRIDGE_LIMITS } from '../../src/index.js';
import { parseClientFrame } from '../../src/protocol/parse.js';

const parse = (v: unknown) =>
  parseClientFrame(typeof v === 'string' ? v : JSON.stringify(v), { ...BRIDGE_LIMITS });

describe('client frame validation', () => {
  it.each([
    ['not JSON', '{"type":', 'bad_json'],
    ['an array', [1, 2], 'bad_frame'],
    ['a string', '"subscribe"', 'bad_frame'],
    ['no type', { sub: 'a' }, 'unknown_type'],
    ['an unknown type', { type: 'shutdown' }, 'unknown_type'],
    ['subscribe without sub', { type: 'subscribe' }, 'bad_frame'],
    ['a sub id too long', { type: 'subscribe', sub: 'x'.repeat(200) }, 'bad_frame'],
    ['an unknown filter key', { type: 'subscribe', sub: 'a', filter: { level: 'INFO' } }, 'bad_frame'],
    ['a bad minLevel', { type: 'subscribe', sub: 'a', filter: { minLevel: 'LOUD' } }, 'bad_frame'],
    ['layers not an array', { type: 'subscribe', sub: 'a', filter: { layers: 'APP' } }, 'bad_frame'],
    [
      'a nested field value',
      { type: 'subscribe', sub: 'a', filter: { fields: { user: { id: 1 } } } },
      'bad_frame',
    ],
    ['a bad since', { type: 'subscribe', sub: 'a', since: 'earliest' }, 'bad_frame'],
    ['a negative last', { type: 'subscribe', sub: 'a', since: { last: -1 } }, 'bad_frame'],
    ['an offset without epoch', { type: 'subscribe', sub: 'a', since: { offset: 3 } }, 'bad_frame'],
    ['logs without records', { type: 'logs', clientId: 'c', seq: 0 }, 'bad_frame'],
    ['logs with a fractional seq', { type: 'logs', clientId: 'c', seq: 1.5, records: [] }, 'bad_frame'],
    [
      'too many records',
      { type: 'logs', clientId: 'c', seq: 0, records: new Array(501).fill({}) },
      'too_large',
    ],
    ['pong without t', { type: 'pong' }, 'bad_frame'],
    ['auth without token', { type: 'auth' }, 'bad_frame'],
  ])('refuses %s with code %s', (_name, frame, code) => {
    const r = parse(frame);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it('echoes the sub id of a refused subscribe', () => {
    const r = parse({ type: 'subscribe', sub: 'mine', since: 'nope' });
    expect(r).toMatchObject({ ok: false, sub: 'mine' });
  });

  it('reads the three since forms and the filter', () => {
    expect(parse({ type: 'subscribe', sub: 'a' })).toEqual({
      ok: true,
      frame: { type: 'subscribe', sub: 'a', filter: {}, since: 'latest' },
    });
    expect(parse({ type: 'subscribe', sub: 'a', since: { last: 50 } })).toMatchObject({
      frame: { since: { last: 50 } },
    });
    expect(parse({ type: 'subscribe', sub: 'a', since: { last: 10 ** 9 } })).toMatchObject({
      frame: { since: { last: BRIDGE_LIMITS.maxLast } },
    });
    expect(parse({ type: 'subscribe', sub: 'a', since: { epoch: 'e1', offset: 41 } })).toMatchObject({
      frame: { since: { epoch: 'e1', offset: 41 } },
    });
    const f = parse({
      type: 'subscribe',
      sub: 'a',
      filter: { layers: ['APP', 'DB'], minLevel: 'warning', text: 'timeout', fields: { 'user.id': 7 } },
    });
    expect(f).toMatchObject({
      frame: { filter: { layers: ['APP', 'DB'], minLevel: 30, text: 'timeout', fields: { 'user.id': 7 } } },
    });
  });
});
