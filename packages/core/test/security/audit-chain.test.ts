import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsonFormatter } from '../../src/formats/json.js';
import { LEVELS } from '../../src/record/levels.js';
import type { LogRecord } from '../../src/record/record.js';
import {
  chainFields,
  createAuditChainProcessor,
  GENESIS_HASH,
  readLastAuditHash,
  verifyAuditChain,
} from '../../src/security/audit-chain.js';
import { canonicalJson } from '../../src/security/canonical-json.js';
import { buildRecord } from './records.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-audit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const write = (lines: readonly string[]): string => {
  const file = path.join(dir, `audit-${++fileNo}.log`);
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
};

/** Lines built by hand, in the json format's shape, chained with chainFields. */
function handChain(n: number, key?: string): string[] {
  let prev = GENESIS_HASH;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = {
      timestamp: new Date(1_764_193_752_563 + i * 1000).toISOString(),
      level: 'INFO',
      layer: 'AUDIT',
      message: `user ${i} changed role`,
      actor: `admin-${i}`,
      detail: { from: 'viewer', to: 'editor', at: [i, i * 1.5, null] },
    };
    const chain = chainFields(prev, line, key);
    lines.push(JSON.stringify({ ...line, ...chain }));
    prev = chain.hash;
  }
  return lines;
}

/** Records chained by the processor and written by the real json formatter. */
function processorChain(records: readonly LogRecord[], options = {}): string[] {
  const p = createAuditChainProcessor(options);
  const json = createJsonFormatter();
  return records.map((r) => json.format(p.process(r)).slice(0, -1));
}

const audit = (message: string, fields?: Record<string, unknown>, over: Partial<LogRecord> = {}) =>
  buildRecord(message, fields, { layer: 'AUDIT', ...over });

describe('canonicalJson', () => {
  it('sorts keys at every level and matches JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(
      canonicalJson({ u: undefined, n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0, l: [undefined] }),
    ).toBe('{"i":null,"l":[null],"n":null,"z":0}');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it('gives the same text for a value and for that value written as JSON and read back', () => {
    const v = { s: 'a\u2028b\u0000"\\', n: [1e21, 0.1, -0, 5e-324], o: { __proto__: null, k: true } };
    expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(canonicalJson(v));
  });
});

describe('audit chain', () => {
  it('a chain of hand-built JSON lines verifies', async () => {
    const file = write(handChain(5));
    const result = await verifyAuditChain(file);
    expect(result).toEqual({ ok: true, records: 5, lastHash: JSON.parse(handChain(5)[4] as string).hash });
  });

  it('the hash rule is exactly the documented one', () => {
    const line = {
      timestamp: '2025-11-26T21:49:12.563Z',
      level: 'INFO',
      layer: 'AUDIT',
      message: 'm',
      who: 'a',
    };
    const body = canonicalJson({
      time: Date.parse(line.timestamp),
      level: 'INFO',
      layer: 'AUDIT',
      message: 'm',
      fields: { who: 'a', prevHash: GENESIS_HASH },
    });
    expect(chainFields(GENESIS_HASH, line).hash).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('the processor chains only the audit layer, in a new fields object, leaving the caller fields alone', () => {
    const p = createAuditChainProcessor();
    expect(p.name).toBe('audit-chain');
    const app = buildRecord('not audited', { a: 1 });
    expect(p.process(app)).toBe(app);
    const callerFields = { actor: 'bob' };
    const r = audit('role changed', callerFields);
    const out = p.process(r);
    expect(callerFields).toEqual({ actor: 'bob' });
    expect(out.fields).toEqual({
      actor: 'bob',
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(p.lastHash()).toBe(out.fields?.hash);
    const next = p.process(audit('second'));
    expect(next.fields?.prevHash).toBe(out.fields?.hash);
  });

  it('lines written by the json formatter from processed records verify (fields, caller, odd values)', async () => {
    const records = [
      audit('login', { actor: 'bob', ip: '10.0.0.1' }),
      audit('no fields'),
      audit('line\nbreak \u2028 and "quotes" \x1b[31m', {
        nested: { list: [1, 0.1, 1e21, -0, null, 'é'], flag: true },
      }),
      audit('with caller', { n: 1 }, { caller: { file: '/app/x.ts', line: 10, column: 5, function: 'f' } }),
      audit('warning level', { k: 'v' }, { level: LEVELS.WARNING, levelName: 'WARNING' }),
      audit('reserved names', { level: 'forged', timestamp: 'forged' }),
    ];
    const lines = processorChain(records);
    expect(await verifyAuditChain(write(lines))).toMatchObject({ ok: true, records: records.length });
  });

  it('lines in the JSON.stringify shape {timestamp, level, layer, message, ...fields} verify', async () => {
    const p = createAuditChainProcessor();
    const lines = ['a', 'b', 'c'].map((m, i) => {
      const out = p.process(audit(m, { i }));
      return JSON.stringify({
        timestamp: new Date(out.time).toISOString(),
        level: out.levelName,
        layer: out.layer,
        message: out.message,
        ...out.fields,
      });
    });
    expect(await verifyAuditChain(write(lines))).toMatchObject({ ok: true, records: 3 });
  });

  it('the processor and chainFields agree on a parsed line', () => {
    const [line] = processorChain([audit('x', { a: [1, { b: 2 }] })]);
    const { hash, prevHash, ...rest } = JSON.parse(line as string);
    expect(chainFields(prevHash, rest)).toEqual({ prevHash, hash });
  });

  it('caller fields named prevHash or hash are kept as _prevHash / _hash', () => {
    const out = createAuditChainProcessor().process(audit('x', { prevHash: 'forged', hash: 'forged' }));
    expect(out.fields).toMatchObject({ _prevHash: 'forged', _hash: 'forged', prevHash: GENESIS_HASH });
  });

  const tamperings: [string, (lines: string[]) => string[], number, RegExp][] = [
    [
      'one byte of a middle line message',
      (l) => l.map((x, i) => (i === 2 ? x.replace('user 2', 'user 9') : x)),
      3,
      /changed/,
    ],
    [
      'one byte of a middle line field',
      (l) => l.map((x, i) => (i === 2 ? x.replace('"to":"editor"', '"to":"editoR"') : x)),
      3,
      /changed/,
    ],
    [
      'one byte of a middle line timestamp',
      (l) => l.map((x, i) => (i === 2 ? x.replace('.563Z', '.564Z') : x)),
      3,
      /changed/,
    ],
    [
      'the hash of a middle line',
      (l) => l.map((x, i) => (i === 2 ? x.replace(/"hash":"./, '"hash":"x') : x)),
      3,
      /changed/,
    ],
    ['a deleted middle line', (l) => l.filter((_x, i) => i !== 2), 3, /removed/],
    ['a deleted first line', (l) => l.slice(1), 1, /removed/],
    ['two reordered lines', (l) => [l[0], l[2], l[1], l[3], l[4]] as string[], 2, /reordered/],
    ['an inserted copy of a line', (l) => [l[0], l[1], l[1], l[2], l[3], l[4]] as string[], 3, /inserted/],
    ['a line that is not JSON', (l) => l.map((x, i) => (i === 3 ? x.slice(0, 20) : x)), 4, /not a JSON/],
    ['an empty line', (l) => [l[0], '', ...l.slice(1)] as string[], 2, /not a JSON/],
  ];
  for (const [what, tamper, line, reason] of tamperings) {
    it(`reports ${what} at line ${line}`, async () => {
      const result = await verifyAuditChain(write(tamper(handChain(5))));
      expect(result).toMatchObject({ ok: false, line });
      expect(result.ok === false && result.reason).toMatch(reason);
    });
  }

  it('with a key (HMAC), a forger who recomputes every hash without the key is caught', async () => {
    const lines = handChain(3, 'k3y');
    expect(await verifyAuditChain(write(lines), { key: 'k3y' })).toMatchObject({ ok: true, records: 3 });
    const forged = handChain(3).map((l) => l.replace('user 1', 'user 7'));
    expect(await verifyAuditChain(write(forged), { key: 'k3y' })).toMatchObject({ ok: false, line: 1 });
  });

  it('readLastAuditHash resumes a chain after a restart, even past a torn last line', async () => {
    const first = processorChain([audit('a'), audit('b')]);
    const file = write(first);
    const resumed = readLastAuditHash(file);
    expect(resumed).toBe(JSON.parse(first[1] as string).hash);
    fs.appendFileSync(
      file,
      `${processorChain([audit('c'), audit('d')], { previousHash: resumed }).join('\n')}\n`,
    );
    expect(await verifyAuditChain(file)).toMatchObject({ ok: true, records: 4 });
    const good = await verifyAuditChain(file);
    fs.appendFileSync(file, '{"timestamp":"2025-');
    expect(readLastAuditHash(file)).toBe(good.ok ? good.lastHash : 'not ok');
    expect(await verifyAuditChain(file)).toMatchObject({ ok: false, line: 5 });
    expect(readLastAuditHash(path.join(dir, 'missing.log'))).toBeUndefined();
  });

  it('a rotated file that continues another verifies with previousHash', async () => {
    const lines = handChain(4);
    const a = write(lines.slice(0, 2));
    const b = write(lines.slice(2));
    const first = await verifyAuditChain(a);
    expect(first.ok).toBe(true);
    expect(await verifyAuditChain(b)).toMatchObject({ ok: false, line: 1 });
    expect(await verifyAuditChain(b, { previousHash: first.ok ? first.lastHash : '' })).toMatchObject({
      ok: true,
      records: 2,
    });
  });
});
