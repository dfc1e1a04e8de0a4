import { describe, expect, it } from 'vitest';
import { createToken, verifyToken } from '../../src/index.js';

const secret = 'a-test-secret-of-32-bytes-length';
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('bridge tokens', () => {
  it('round-trips the claims', () => {
    const t = createToken({ sub: 'ann', role: 'viewer', exp: inAnHour(), team: 'ops' }, secret);
    expect(verifyToken(t, secret)).toMatchObject({
      ok: true,
      claims: { sub: 'ann', role: 'viewer', team: 'ops' },
    });
  });

  it('refuses a token signed with another secret, or with changed claims', () => {
    const t = createToken({ sub: 'ann', role: 'viewer', exp: inAnHour() }, secret);
    expect(verifyToken(t, 'another-secret-of-32-bytes-length')).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    const [, sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'ann', role: 'admin', exp: inAnHour() })).toString(
      'base64url',
    );
    expect(verifyToken(`${forged}.${sig}`, secret)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(verifyToken(`${t.slice(0, -2)}`, secret)).toEqual({ ok: false, problem: 'bad_signature' });
  });

  it('refuses an expired token', () => {
    const t = createToken({ sub: 'ann', role: 'viewer', exp: Math.floor(Date.now() / 1000) - 1 }, secret);
    expect(verifyToken(t, secret)).toEqual({ ok: false, problem: 'expired' });
    const later = createToken({ sub: 'ann', role: 'viewer', exp: 2_000 }, secret);
    expect(verifyToken(later, secret, 1_999_000)).toMatchObject({ ok: true });
    expect(verifyToken(later, secret, 2_000_000)).toEqual({ ok: false, problem: 'expired' });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['two dots', 'a.b.c'],
    ['oversized', `${'a'.repeat(5000)}.b`],
  ])('refuses a malformed token (%s)', (_n, t) => {
    expect(verifyToken(t, secret)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses short secrets and missing claims when creating', () => {
    expect(() => createToken({ sub: 'a', role: 'r', exp: 1 }, 'short')).toThrow(/at least 16 bytes/);
    expect(() => createToken({ sub: '', role: 'r', exp: 1 }, secret)).toThrow(/sub/);
    expect(() => createToken({ sub: 'a', role: 'r' } as never, secret)).toThrow(/exp/);
  });
});
