import { describe, expect, it } from 'vitest';
import { parseTraceparent } from '../../src/http/index.js';
import { isValidRequestId } from '../../src/http/request-id.js';
import { loggedPath } from '../../src/http/url.js';
import { DataSanitizer } from '../../src/index.js';
import { HTTP_LIMITS } from '../../src/internal/limits.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads trace id, span id and flags of a version 00 header', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: '01',
    });
  });
  it('accepts a later version with more fields after the flags', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-00-extra`)?.traceFlags).toBe('00');
  });
  for (const [name, header] of [
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['version 00 with a suffix', `00-${TRACE}-${SPAN}-01-x`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['non-hex flags', `00-${TRACE}-${SPAN}-zz`],
    ['empty', ''],
  ] as const)
    it(`rejects ${name}`, () => expect(parseTraceparent(header)).toBeUndefined());
});

describe('isValidRequestId', () => {
  for (const ok of ['a', 'req-1', 'A.b_c:d/e+f=g@h', 'x'.repeat(HTTP_LIMITS.requestIdMaxLength)])
    it(`accepts ${JSON.stringify(ok.slice(0, 20))} (${ok.length} chars)`, () =>
      expect(isValidRequestId(ok)).toBe(true));
  for (const bad of [
    '',
    'x'.repeat(HTTP_LIMITS.requestIdMaxLength + 1),
    'a b',
    'a\nb',
    'a"b',
    'é',
    '<x>',
    'a%0a',
  ])
    it(`rejects ${JSON.stringify(bad.slice(0, 20))} (${bad.length} chars)`, () =>
      expect(isValidRequestId(bad)).toBe(false));
});

describe('loggedPath', () => {
  const s = new DataSanitizer();
  const sensitive = (k: string) => s.isSensitiveKey(k);
  it('redacts the values of sensitive parameters, decoded names included, and keeps the others', () => {
    expect(loggedPath('/a?token=abc&x=1&api%5Fkey=k&Password=p&flag', 'redact', sensitive)).toBe(
      '/a?token=[REDACTED]&x=1&api%5Fkey=[REDACTED]&Password=[REDACTED]&flag',
    );
  });
  it('strip drops the query and the fragment', () => {
    expect(loggedPath('/a?token=abc#frag', 'strip', sensitive)).toBe('/a');
    expect(loggedPath('/a#token=abc', 'redact', sensitive)).toBe('/a');
  });
  it(`cuts the target at ${HTTP_LIMITS.pathMaxLength} characters before redacting`, () => {
    const long = `/a?${'x'.repeat(HTTP_LIMITS.pathMaxLength - 12)}&token=abcdefgh`;
    const out = loggedPath(long, 'redact', sensitive);
    // The cut falls inside the value ('ab' is left of it): the value is still redacted.
    expect(out.endsWith('&token=[REDACTED]')).toBe(true);
    expect(out).not.toContain('&token=ab');
  });
  it(`examines ${HTTP_LIMITS.queryMaxParams} parameters and drops the rest`, () => {
    const params = Array.from({ length: HTTP_LIMITS.queryMaxParams + 5 }, (_, i) => `p${i}=${i}`);
    const out = loggedPath(`/a?${params.join('&')}&token=abc`, 'redact', sensitive);
    expect(out.endsWith('&…')).toBe(true);
    expect(out).not.toContain('abc');
  });
});
