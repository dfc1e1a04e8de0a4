import { describe, expect, it } from 'vitest';
import { DataSanitizer } from '../../src/security/data-sanitizer.js';
import { PII_PATTERNS } from '../../src/security/pii-patterns.js';
import { luhnValid } from '../../src/security/pii-rules.js';

const redact = (s: string): string => new DataSanitizer().sanitizeString(s);

/** [kind, input, expected output] */
const REDACTED: readonly [string, string, string][] = [
  ['email', 'mail alice.smith+tag@mail.example.co.uk now', 'mail [REDACTED_EMAIL] now'],
  ['email', 'from:bob@example.com,to:carol@example.org', 'from:[REDACTED_EMAIL],to:[REDACTED_EMAIL]'],
  ['credit card (plain)', 'card 4111111111111111 ok', 'card [REDACTED_CREDIT_CARD] ok'],
  ['credit card (spaces)', 'card 4111 1111 1111 1111 ok', 'card [REDACTED_CREDIT_CARD] ok'],
  ['credit card (dashes)', 'card 5500-0000-0000-0004.', 'card [REDACTED_CREDIT_CARD].'],
  ['credit card (Amex 15)', 'amex 378282246310005', 'amex [REDACTED_CREDIT_CARD]'],
  ['credit card (Amex grouped)', 'amex 3782 822463 10005', 'amex [REDACTED_CREDIT_CARD]'],
  ['credit card (Discover)', 'disc 6011111111111117', 'disc [REDACTED_CREDIT_CARD]'],
  [
    'credit card followed by a digit group',
    'n 4111 1111 1111 1111 2 items',
    'n [REDACTED_CREDIT_CARD] 2 items',
  ],
  ['credit card after a digit group', 'qty 3 4111 1111 1111 1111', 'qty 3 [REDACTED_CREDIT_CARD]'],
  ['SSN', 'ssn 123-45-6789.', 'ssn [REDACTED_SSN].'],
  ['SSN (spaces)', 'ssn 123 45 6789', 'ssn [REDACTED_SSN]'],
  ['phone (US dashes)', 'call 415-555-2671 now', 'call [REDACTED_PHONE] now'],
  ['phone (US dots)', 'call 415.555.2671', 'call [REDACTED_PHONE]'],
  ['phone (US parens)', 'call (415) 555-2671', 'call [REDACTED_PHONE]'],
  ['phone (US with 1)', 'call 1-800-555-0199', 'call [REDACTED_PHONE]'],
  ['phone (international spaced)', 'tel +44 20 7946 0958', 'tel [REDACTED_PHONE]'],
  ['phone (international compact)', 'tel +14155552671', 'tel [REDACTED_PHONE]'],
  ['phone (international parens)', 'tel +1 (415) 555-2671', 'tel [REDACTED_PHONE]'],
  ['phone (France)', 'tel +33 1 42 68 53 00.', 'tel [REDACTED_PHONE].'],
  [
    'JWT',
    'jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end',
    'jwt [REDACTED_JWT] end',
  ],
  ['JWT (alg none, empty signature)', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', '[REDACTED_JWT]'],
  ['Bearer', 'Authorization: Bearer abcDEF123._~+/xyz==', 'Authorization: Bearer [REDACTED]'],
  ['bearer (lower case)', 'auth header bearer 9f8e7d6c5b4a', 'auth header bearer [REDACTED]'],
  ['Basic', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [REDACTED]'],
  [
    'Bearer with a lower-case token (prose after "Bearer" too)',
    'sent Bearer sometoken',
    'sent Bearer [REDACTED]',
  ],
  ['AWS access key', 'key AKIAIOSFODNN7EXAMPLE used', 'key [REDACTED_AWS_KEY] used'],
  ['AWS session key', 'ASIAY34FZKBOKMUTVV7A', '[REDACTED_AWS_KEY]'],
  [
    'PEM private key',
    'key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY----- done',
    'key [REDACTED_PRIVATE_KEY] done',
  ],
  [
    'PEM RSA private key',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
    '[REDACTED_PRIVATE_KEY]',
  ],
  [
    'OpenSSH private key',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
    '[REDACTED_PRIVATE_KEY]',
  ],
  [
    'PEM block without its END line',
    'key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI',
    'key [REDACTED_PRIVATE_KEY]',
  ],
  [
    'URL userinfo',
    'db postgres://admin:s3cr3t@db.internal:5432/app',
    'db postgres://[REDACTED]@db.internal:5432/app',
  ],
  [
    'URL token userinfo',
    'git https://ghp_abc123@github.com/o/r.git',
    'git https://[REDACTED]@github.com/o/r.git',
  ],
  ['password=', 'login password=hunter2 user=bob', 'login password=[REDACTED] user=bob'],
  ['token:', 'got token: abc.def-123', 'got token: [REDACTED]'],
  ['api_key=', 'GET /v1?api_key=xyz789&page=2', 'GET /v1?api_key=[REDACTED]&page=2'],
  ['apiKey=', 'apiKey=xyz789', 'apiKey=[REDACTED]'],
  ['access_token (prefixed key)', 'access_token=ya29.a0Af', 'access_token=[REDACTED]'],
  ['client_secret', 'client_secret: "s p a c e"', 'client_secret: "[REDACTED]"'],
  ['JSON text', '{"user":"bob","password":"hunter2"}', '{"user":"bob","password":"[REDACTED]"}'],
  ['JSON text, single quotes', "{'secret': 'abc'}", "{'secret': '[REDACTED]'}"],
  ['escaped JSON text', '{\\"password\\":\\"hun ter2\\"}', '{\\"password\\":\\"[REDACTED]\\"}'],
  [
    'authorization pair with a short Bearer token',
    'authorization: Bearer abc',
    'authorization: Bearer [REDACTED]',
  ],
  ['authorization pair with another scheme', 'authorization: Digest abc', 'authorization: [REDACTED]'],
  ['Cookie header', 'Cookie: sid=abc; theme=dark', 'Cookie: [REDACTED]'],
  ['Set-Cookie header', 'Set-Cookie: sid=abc; HttpOnly', 'Set-Cookie: [REDACTED]'],
  ['credit card (dots)', 'card 4111.1111.1111.1111 ok', 'card [REDACTED_CREDIT_CARD] ok'],
  ['credit card (double spaces)', 'card 4111  1111  1111  1111', 'card [REDACTED_CREDIT_CARD]'],
  ['credit card (spaced dashes)', 'card 5500 - 0000 - 0000 - 0004', 'card [REDACTED_CREDIT_CARD]'],
  ['GitHub token', 'token ghp_R8vQ2mX7kL4pN9sT1wY6zB3cF5hJ0dG8aE2q', 'token [REDACTED_GITHUB_TOKEN]'],
  [
    'GitHub token as URL userinfo (counted once, as a GitHub token)',
    'https://ghp_R8vQ2mX7kL4pN9sT1wY6zB3cF5hJ0dG8aE2q@github.com/o/r.git',
    'https://[REDACTED_GITHUB_TOKEN]@github.com/o/r.git',
  ],
  ['Slack bot token', 'xoxb-2048596731-4096172839-Qz8Rt2Lm5Np7Vx3Kc9Wb1Hy4', '[REDACTED_SLACK_TOKEN]'],
  [
    'Slack webhook',
    'post https://hooks.slack.com/services/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',
    'post https://hooks.slack.com/services/[REDACTED]',
  ],
  ['Stripe key', 'sk_live_51HqT9xK2mN8pQ4rS7vW0yZ3b', '[REDACTED_STRIPE_KEY]'],
  ['Google API key', 'key=AIzaSyD4x9Qm2Lr7Tn5Vb8Kc1Wz3Hj6Pf0Ge9Ya', 'key=[REDACTED_GOOGLE_API_KEY]'],
  [
    'npm token',
    '//registry/:_authToken npm_Z7xK2mP9qR4sT8vW1yB5cD3fG6hJ0kL2nQ4r',
    '//registry/:_authToken [REDACTED_NPM_TOKEN]',
  ],
  ['OpenAI key', 'OPENAI sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5', 'OPENAI [REDACTED_OPENAI_KEY]'],
  [
    'SendGrid key',
    'SG.Tq8Wm3Lx7Rb2Nc5Vz9Ks4H.Jd6Fp1Gy8Ut3Ae7Oi2Qw5Er9Ty4Ui6Op1As3Df8Gh0',
    '[REDACTED_SENDGRID_KEY]',
  ],
  [
    'AWS access key id with its secret',
    'AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '[REDACTED_AWS_KEY] [REDACTED_AWS_SECRET]',
  ],
  ['IBAN (grouped)', 'pay DE89 3704 0044 0532 0130 00 today', 'pay [REDACTED_IBAN] today'],
  ['IBAN (compact)', 'iban GB82WEST12345698765432.', 'iban [REDACTED_IBAN].'],
  ['IBAN followed by a code', 'NL91 ABNA 0417 1643 00 EUR', '[REDACTED_IBAN] EUR'],
  [
    'Digest response',
    'Authorization: Digest username="bob", realm="api", nonce="dcd98b71", response="6629fae49393a05397450978507c4ef1"',
    'Authorization: [REDACTED]"bob", realm="api", nonce="dcd98b71", response="[REDACTED]"',
  ],
  [
    'signature in a query',
    'GET /f?X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027',
    'GET /f?X-Amz-Signature=[REDACTED]',
  ],
  [
    'percent-encoded pair in an encoded redirect',
    'next=https%3A%2F%2Fapp%2Fcb%3Faccess%5Ftoken%3DTk9Zq2',
    'next=https%3A%2F%2Fapp%2Fcb%3Faccess%5Ftoken%3D[REDACTED]',
  ],
  ['e-mail followed by a colon and a password', 'alice@example.com:hunter2', '[REDACTED_EMAIL]:hunter2'],
];

/** Text that must come out unchanged: timestamps, dates, versions, ids, counts, ordinary words. */
const UNCHANGED: readonly string[] = [
  '2026-11-26T21:49:12.563Z',
  '2024-01-15 10:30:00 +0000',
  '2024-01-15T10:30:00+05:30',
  'took 12:30:45 (hh:mm:ss)',
  'epoch 1700000000000 ms',
  'epoch seconds 1700000000',
  'id 12345678901234567890',
  'order #123456789 shipped',
  'ip 192.168.100.200 port 8080',
  'version v10.123.456',
  'counter +1000000000',
  'growth +5% or -3.5%',
  'Basic checks passed',
  'the user clicked Select',
  'items 1 2 3 4 5 6 7 8 9',
  'uuid 123e4567-e89b-12d3-a456-426614174000',
  'sha 4f9c0a1b2c3d4e5f60718293a4b5c6d7e8f90123',
  'card ending 4242',
  'not a card 4111111111111112',
  'invalid SSN 000-12-3456 or 666-12-3456',
  'http://example.com/a@b',
  'path /api/v1/users/42?page=2',
  'max_tokens=1000 total_tokens: 42',
  'alice@localhost',
  'remote git@github.com:acme/payments-api.git',
  'scp deploy@build.example.com:/srv/app/releases',
  'ssh://git@gitlab.com/acme/infra.git',
  'pi 3.14159265358979 and 23.456789012345',
  'at 2026.11.26 21.49.12.563',
  'sk-learn-compatible-estimator-wrapper',
  'DE00 1234 5678 9012 3456 78',
  'ref AB12CDEF3456GHIJ7890',
  'AKIBIOSFODNN7EXAMPLE',
];

describe('PII_PATTERNS', () => {
  it('is a frozen, non-empty list of uniquely named global patterns', () => {
    expect(Object.isFrozen(PII_PATTERNS)).toBe(true);
    expect(PII_PATTERNS.length).toBe(21);
    expect(new Set(PII_PATTERNS.map((p) => p.name)).size).toBe(PII_PATTERNS.length);
    for (const p of PII_PATTERNS) expect(p.regex.flags).toContain('g');
  });

  for (const [kind, input, expected] of REDACTED) {
    it(`redacts ${kind}: ${JSON.stringify(input).slice(0, 60)}`, () => {
      expect(redact(input)).toBe(expected);
    });
  }

  for (const input of UNCHANGED) {
    it(`leaves ${JSON.stringify(input)} alone`, () => {
      expect(redact(input)).toBe(input);
    });
  }

  it('a built-in regex is never advanced by scanning (the sanitizer runs clones)', () => {
    redact('a@b.co c@d.co');
    for (const p of PII_PATTERNS) expect(p.regex.lastIndex).toBe(0);
  });
});

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['378282246310005', true],
    ['0', true],
    ['79927398713', true],
    ['79927398710', false],
  ])('%s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });
});
