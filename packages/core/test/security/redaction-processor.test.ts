/**
 * The `redaction` processor, and a grep oracle (S4 of SECURITY.md at the processor level): a corpus of
 * secrets in every shape goes through normalization, redaction and every built-in format; no
 * secret substring may appear in any output. (The same oracle through a logger and its
 * destinations belongs with the wiring of the processor into the logger.)
 */
import { describe, expect, it } from 'vitest';
import { createFormatter, FORMAT_NAMES } from '../../src/formats/index.js';
import type { Fields } from '../../src/record/record.js';
import { DataSanitizer } from '../../src/security/data-sanitizer.js';
import { createRedactionProcessor } from '../../src/security/redaction-processor.js';
import { buildRecord } from './records.js';

/** Distinctive secret values: a substring search of the output is a sound oracle. */
const S = {
  password: 'pw-Zq8#hunter2',
  token: 'tok_live_9f8e7d6c',
  apiKey: 'ak_51Hx0Qp2Lm',
  email: 'grep.oracle@example.com',
  card: '4111 1111 1111 1111',
  cardCompact: '5500000000000004',
  ssn: '078-05-1120',
  phone: '+44 20 7946 0958',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcmFjbGUifQ.c2lnbmF0dXJlLW9yYWNsZQ',
  bearer: 'bR3arerT0kenXYZ',
  basic: 'b3JhY2xlOnB3ZA==',
  aws: 'AKIAORACLE7EXAMPLE12',
  pemBody: 'MIIEoracleKEYmaterialQIDAQAB',
  urlPass: 'uRLpa55w0rd',
  cookie: 'sid=c00kieVal',
  cvv: '737',
} as const;

function corpus(): { message: string; fields: Fields } {
  const shared = { contact: S.email, 'Api-Key': S.apiKey };
  const cyclic: Record<string, unknown> = { PASSWORD: S.password };
  cyclic.self = cyclic;
  const cause = Object.assign(new Error(`upstream said token=${S.token}`), { secret: S.password });
  const err = new Error(`charge failed for ${S.email} card ${S.card}`, { cause });
  return {
    message: `login ${S.email} pass password=${S.password} Authorization: Bearer ${S.bearer} ${S.jwt} "}\n{"level":"CRITICAL"`,
    fields: {
      password: S.password,
      Authorization: `Basic ${S.basic}`,
      headers: { cookie: S.cookie, 'X-API-KEY': S.apiKey, Authorization: `Bearer ${S.bearer}` },
      payment: { card: S.card, number: S.cardCompact, cvv: S.cvv },
      people: [{ ssn: S.ssn, phone: S.phone }, `call ${S.phone} or mail ${S.email}`],
      aws: `key ${S.aws}`,
      pem: `-----BEGIN RSA PRIVATE KEY-----\n${S.pemBody}\n-----END RSA PRIVATE KEY-----`,
      db: `postgres://app:${S.urlPass}@db.internal/app`,
      map: new Map<string, unknown>([
        ['accessToken', S.token],
        ['note', `jwt ${S.jwt}`],
      ]),
      set: new Set([S.email, S.cardCompact]),
      err,
      a: shared,
      b: shared,
      cyclic,
      [S.email]: 'email as a key',
    },
  };
}

/** The secret, and the way JSON and logfmt would escape it, must not appear. */
function leaks(output: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(S)) {
    const forms = [secret, JSON.stringify(secret).slice(1, -1)];
    if (forms.some((f) => output.includes(f))) found.push(name);
  }
  return found;
}

describe('createRedactionProcessor', () => {
  it('is named "redaction" and returns the record itself when nothing needs redacting', () => {
    const p = createRedactionProcessor(new DataSanitizer());
    expect(p.name).toBe('redaction');
    const r = buildRecord('request handled', { userId: 42, path: '/api/v1/items', status: 200 });
    expect(p.process(r)).toBe(r);
  });

  it('returns a new record and leaves the caller fields object (held by the record) unchanged', () => {
    const callerFields = { user: 'bob', password: 'short' };
    const r = buildRecord('x', callerFields);
    expect(r.fields).toBe(callerFields); // the normalizer kept the caller's object
    const out = createRedactionProcessor(new DataSanitizer()).process(r);
    expect(out).not.toBe(r);
    expect(out?.fields).toEqual({ user: 'bob', password: '[REDACTED]' });
    expect(callerFields).toEqual({ user: 'bob', password: 'short' });
  });

  it('with layers, redacts only the records of those layers', () => {
    const p = createRedactionProcessor(new DataSanitizer(), { layers: ['AUDIT', 'SECURITY'] });
    const app = buildRecord('x', { password: 'p' });
    expect(p.process(app)).toBe(app);
    const audit = buildRecord('x', { password: 'p' }, { layer: 'AUDIT' });
    expect(p.process(audit)?.fields).toEqual({ password: '[REDACTED]' });
  });

  it('the corpus really holds every secret before redaction (the oracle can fail)', () => {
    const { message, fields } = corpus();
    const r = buildRecord(message, fields);
    const json = createFormatter('json', { color: false }).format(r);
    expect(leaks(json).sort()).toEqual(Object.keys(S).sort());
  });

  for (const format of FORMAT_NAMES) {
    it(`grep oracle: no secret substring in ${format} output`, () => {
      const { message, fields } = corpus();
      const r = buildRecord(message, fields);
      const out = createRedactionProcessor(new DataSanitizer()).process(r);
      expect(out).toBeDefined();
      const line = createFormatter(format, { color: false, hostname: 'web-1', appName: 'shop' }).format(
        out as NonNullable<typeof out>,
      );
      expect(leaks(line)).toEqual([]);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    });
  }

  it('grep oracle: bindings and context too', () => {
    const r = buildRecord(
      'x',
      { ok: 1 },
      { bindings: { token: S.token }, context: { note: `mail ${S.email}` } },
    );
    const out = createRedactionProcessor(new DataSanitizer()).process(r);
    expect(leaks(JSON.stringify(out))).toEqual([]);
  });
});
