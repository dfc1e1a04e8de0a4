import { describe, expect, it } from 'vitest';
import { PatternScanner } from '../../src/security/pattern-scanner.js';
import { MIN_DIGITS, mayHoldBuiltInMatch, PII_PATTERNS } from '../../src/security/pii-patterns.js';
import { digitRun } from '../../src/security/pii-rules.js';

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const PIECES = [
  ...'abcxyzABCXYZ0123456789 .-_:=@/+()"\'\\\n\t,;&?#'.split(''),
  '4111',
  '1111 ',
  '-----BEGIN ',
  'PRIVATE KEY-----',
  'eyJ',
  'https://',
  'Bearer ',
  'Basic ',
  'password',
  'token',
  'api_key',
  'cookie',
  'AKIA',
  'example.com',
  '+44 ',
  '(415) ',
  '555-',
  '123-45-',
];

function randomText(next: () => number): string {
  let s = '';
  const n = 1 + Math.floor(next() * 40);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('PatternScanner', () => {
  const count = () => {};

  it('the built-in pre-check never skips a string a pattern would change (10,000 random texts)', () => {
    const fast = new PatternScanner(PII_PATTERNS);
    // Copies are not the built-in objects, so this scanner runs every pattern on every string.
    const full = new PatternScanner(PII_PATTERNS.map((p) => ({ ...p })));
    const next = random(42);
    let changed = 0;
    for (let i = 0; i < 10_000; i++) {
      const s = randomText(next);
      const expected = full.scan(s, count);
      if (expected !== s) changed++;
      expect(fast.scan(s, count), JSON.stringify(s)).toBe(expected);
      if (expected !== s) expect(mayHoldBuiltInMatch(s)).toBe(true);
      if (digitRun(s, MIN_DIGITS) >= MIN_DIGITS) expect(mayHoldBuiltInMatch(s), JSON.stringify(s)).toBe(true);
    }
    expect(changed).toBeGreaterThan(1000);
  });

  it('MIN_DIGITS is the fewest digits any digit-based pattern needs', () => {
    const mins = PII_PATTERNS.flatMap((p) => (p.minDigits === undefined ? [] : [p.minDigits]));
    expect(mins.length).toBeGreaterThan(0);
    expect(MIN_DIGITS).toBe(Math.min(...mins));
  });

  it.each([
    ['no digits', 'hello', 0],
    ['a card with spaces', 'card 4111 1111 1111 1111', 16],
    ['a phone', '+1 (415) 555-2671', 11],
    ['an ISO timestamp', '2026-11-26T21:49:12.563Z', 8],
    ['a user agent', 'Mozilla/5.0 (X11; Linux x86_64)', 2],
  ])('digitRun: %s → %i', (_what, s, n) => {
    expect(digitRun(s, 100)).toBe(n);
  });

  it('counts each replaced match by pattern name; a custom pattern runs on every string', () => {
    const kinds: string[] = [];
    const s = new PatternScanner([
      ...PII_PATTERNS,
      { name: 'ticket', regex: /T-[0-9]{3}/g, placeholder: '[T]' },
    ]);
    expect(s.scan('T-123 and a@b.co and T-456', (k) => kinds.push(k))).toBe(
      '[T] and [REDACTED_EMAIL] and [T]',
    );
    expect(kinds.sort()).toEqual(['email', 'ticket', 'ticket']);
  });

  it('a custom regex that matches the empty string terminates', () => {
    const s = new PatternScanner([{ name: 'empty', regex: /x{0,1}/g, placeholder: '' }]);
    expect(s.scan('axbx', count)).toBe('ab');
  });
});
