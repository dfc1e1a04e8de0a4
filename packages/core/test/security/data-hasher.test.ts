import crypto, { createHash, createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createPseudonymizeProcessor, DataHasher } from '../../src/security/data-hasher.js';
import { buildRecord } from './records.js';

// node:crypto is loaded lazily (require) by the hasher: spy on the module object itself.
const timingSafeEqual = vi.spyOn(crypto, 'timingSafeEqual');

const hasher = new DataHasher();

describe('DataHasher', () => {
  it('hashData is the hex digest of the node:crypto algorithm (sha256 by default)', () => {
    expect(hasher.hashData('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(hasher.hashData('abc', 'sha512')).toBe(createHash('sha512').update('abc').digest('hex'));
    expect(hasher.hashData('abc', 'sha3-256')).toHaveLength(64);
  });

  it('with a salt it is an HMAC keyed by the salt', () => {
    expect(hasher.hashData('abc', 'sha256', 'pepper')).toBe(
      createHmac('sha256', 'pepper').update('abc').digest('hex'),
    );
    expect(hasher.hashData('abc', 'sha256', 'pepper')).not.toBe(hasher.hashData('abc'));
  });

  it('a non-string value is hashed as canonical JSON (key order does not matter)', () => {
    expect(hasher.hashData({ b: 2, a: 1 })).toBe(hasher.hashData({ a: 1, b: 2 }));
    expect(hasher.hashData({ a: 1 })).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
    expect(hasher.hashData(42)).toBe(createHash('sha256').update('42').digest('hex'));
  });

  it('an unknown algorithm is a RangeError that lists the known ones', () => {
    expect(() => hasher.hashData('x', 'sha-9000')).toThrow(RangeError);
    expect(() => hasher.hashData('x', 'sha-9000')).toThrow(/sha256/);
  });

  it('verifyHash round-trips, and rejects a wrong value, a wrong salt, a wrong length and non-hex', () => {
    for (const algorithm of ['sha256', 'sha512', 'sha1', 'md5']) {
      const h = hasher.hashData('secret', algorithm, 'salt');
      expect(hasher.verifyHash('secret', h, algorithm, 'salt')).toBe(true);
      expect(hasher.verifyHash('secret', h.toUpperCase(), algorithm, 'salt')).toBe(true);
      expect(hasher.verifyHash('secreT', h, algorithm, 'salt')).toBe(false);
      expect(hasher.verifyHash('secret', h, algorithm, 'other')).toBe(false);
      expect(hasher.verifyHash('secret', h.slice(0, -2), algorithm, 'salt')).toBe(false);
      expect(hasher.verifyHash('secret', `${h.slice(0, -1)}z`, algorithm, 'salt')).toBe(false);
      expect(hasher.verifyHash('secret', '', algorithm, 'salt')).toBe(false);
    }
  });

  it('verifyHash compares in constant time: timingSafeEqual on the equal-length digests', () => {
    timingSafeEqual.mockClear();
    const h = hasher.hashData('secret');
    hasher.verifyHash('secret', h);
    hasher.verifyHash('other', h);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [a, b] of timingSafeEqual.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });

  it('hashFields returns a copy with the named (and dotted nested) fields hashed; the input is unchanged', () => {
    const input = { email: 'a@example.com', user: { id: 7, phone: '+1 415 555 2671' }, keep: 'x' };
    const out = hasher.hashFields(input, ['email', 'user.phone', 'missing', 'user.none'], 'sha256', 's');
    expect(out).toEqual({
      email: hasher.hashData('a@example.com', 'sha256', 's'),
      user: { id: 7, phone: hasher.hashData('+1 415 555 2671', 'sha256', 's') },
      keep: 'x',
    });
    expect(input).toEqual({ email: 'a@example.com', user: { id: 7, phone: '+1 415 555 2671' }, keep: 'x' });
    expect(out.user).not.toBe(input.user);
    expect(hasher.hashFields(input, ['missing'])).toBe(input);
  });
});

describe('createPseudonymizeProcessor', () => {
  it('replaces the named fields of fields, bindings and context by their digest, in a new record', () => {
    const p = createPseudonymizeProcessor({ fields: ['email', 'client.ip'], salt: 'k' });
    expect(p.name).toBe('pseudonymize');
    const fields = { email: 'a@example.com', client: { ip: '10.0.0.1' }, n: 1 };
    const r = buildRecord('x', fields, {
      bindings: { email: 'a@example.com' },
      context: { email: 'b@example.com' },
    });
    const out = p.process(r);
    const h = (v: string) => hasher.hashData(v, 'sha256', 'k');
    expect(out?.fields).toEqual({ email: h('a@example.com'), client: { ip: h('10.0.0.1') }, n: 1 });
    expect(out?.bindings).toEqual({ email: h('a@example.com') });
    expect(out?.context).toEqual({ email: h('b@example.com') });
    expect(fields).toEqual({ email: 'a@example.com', client: { ip: '10.0.0.1' }, n: 1 });
  });

  it('the same value gives the same pseudonym on every record (records stay correlatable)', () => {
    const p = createPseudonymizeProcessor({ fields: ['user'], algorithm: 'sha512', salt: 's' });
    const a = p.process(buildRecord('a', { user: 'bob' }));
    const b = p.process(buildRecord('b', { user: 'bob' }));
    expect(a?.fields?.user).toBe(b?.fields?.user);
    expect(a?.fields?.user).toHaveLength(128);
  });

  it('a record without those fields is returned as is', () => {
    const r = buildRecord('x', { other: 1 });
    expect(createPseudonymizeProcessor({ fields: ['email'] }).process(r)).toBe(r);
  });

  it('an unknown algorithm fails at creation, not on the first record', () => {
    expect(() => createPseudonymizeProcessor({ fields: ['a'], algorithm: 'nope' })).toThrow(RangeError);
  });
});
