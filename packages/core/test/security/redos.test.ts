/**
 * No regex we ship can backtrack catastrophically.
 * Three layers: every regex literal in src/security is in the inventory below (nothing escapes the
 * check), every inventory regex passes the static rules of regex-safety.ts, and every one of them
 * scans 100,000-character adversarial inputs within a generous budget.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HASHER_REGEXES } from '../../src/security/data-hasher.js';
import { PII_HELPER_REGEXES, PII_PATTERNS } from '../../src/security/pii-patterns.js';
import { PII_RULE_REGEXES } from '../../src/security/pii-rules.js';
import { VALIDATOR_REGEXES } from '../../src/security/security-validator.js';
import { SENSITIVE_KEY_REGEXES } from '../../src/security/sensitive-keys.js';
import { THREAT_PATTERNS } from '../../src/security/threat-patterns.js';
import { cpuTime } from '../helpers.js';
import { regexLiterals } from './regex-literals.js';
import { backtrackingRisks } from './regex-safety.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/security');

/** Every regex the security modules ship, by where it lives. */
const INVENTORY: readonly { name: string; regex: RegExp }[] = [
  ...PII_PATTERNS.map((p) => ({ name: `PII_PATTERNS.${p.name}`, regex: p.regex })),
  ...PII_HELPER_REGEXES.map((regex, i) => ({ name: `PII_HELPER_REGEXES[${i}]`, regex })),
  ...PII_RULE_REGEXES.map((regex, i) => ({ name: `PII_RULE_REGEXES[${i}]`, regex })),
  ...SENSITIVE_KEY_REGEXES.map((regex, i) => ({ name: `SENSITIVE_KEY_REGEXES[${i}]`, regex })),
  ...THREAT_PATTERNS.map((p) => ({ name: `THREAT_PATTERNS.${p.name}`, regex: p.regex })),
  ...VALIDATOR_REGEXES.map((regex, i) => ({ name: `VALIDATOR_REGEXES[${i}]`, regex })),
  ...HASHER_REGEXES.map((regex, i) => ({ name: `HASHER_REGEXES[${i}]`, regex })),
];

/** Changes when a regex is added or removed: update it on purpose, with the regex in a list above. */
const EXPECTED_COUNT = 61;

const BUDGET_MS = 200;
const N = 100_000;

/** Generic adversarial inputs: long runs of what patterns repeat, and near-misses of their shapes. */
const GENERIC: readonly [string, string][] = [
  ["'a' x 1e5 + '!'", `${'a'.repeat(N)}!`],
  ["'A' x 1e5", 'A'.repeat(N)],
  ["'1' x 1e5", '1'.repeat(N)],
  ["' ' x 1e5", ' '.repeat(N)],
  ["'\\t' x 1e5", '\t'.repeat(N)],
  ["'-' x 1e5", '-'.repeat(N)],
  ["'=' x 1e5", '='.repeat(N)],
  ["'.' x 1e5", '.'.repeat(N)],
  ["'a@' x 5e4", 'a@'.repeat(N / 2)],
  ["'a.' x 5e4", 'a.'.repeat(N / 2)],
  ["'1 ' x 5e4", '1 '.repeat(N / 2)],
  ["'1-' x 5e4", '1-'.repeat(N / 2)],
  ["'a:' x 5e4", 'a:'.repeat(N / 2)],
  ['local part x 64 + @ + domain x 253, repeated', `${'a'.repeat(64)}@${'b'.repeat(253)}`.repeat(N / 318)],
  ["'eyJ' repeated", 'eyJ'.repeat(N / 3)],
  ["'eyJa.' repeated", 'eyJa.'.repeat(N / 5)],
  ['PEM BEGIN without END, repeated', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(N / 32)],
  ["'Bearer ' repeated", 'Bearer '.repeat(N / 7)],
  ["'password=' repeated", 'password='.repeat(N / 9)],
  ["'x_password' repeated", 'x_password'.repeat(N / 10)],
  ['"password":" repeated', '"password":"'.repeat(N / 12)],
  ["'\\\\\"' repeated", '\\"'.repeat(N / 2)],
  ["'cookie: ' repeated", 'cookie: '.repeat(N / 8)],
  ["'https://' repeated", 'https://'.repeat(N / 8)],
  ["'a://a:' repeated", 'a://a:'.repeat(N / 6)],
  ["'AKIA' repeated", 'AKIA'.repeat(N / 4)],
  ["'4111 ' repeated", '4111 '.repeat(N / 5)],
  ["'+1 ' repeated", '+1 '.repeat(N / 3)],
  ["'(415) ' repeated", '(415) '.repeat(N / 6)],
  ["'123-45-' repeated", '123-45-'.repeat(N / 7)],
  ['"\' or " repeated', "' or ".repeat(N / 5)],
  ["'or 1=' repeated", 'or 1='.repeat(N / 5)],
  ["'union ' repeated", 'union '.repeat(N / 6)],
  ["'<a ' repeated", '<a '.repeat(N / 3)],
  ["'<a on' repeated", '<a on'.repeat(N / 5)],
  ["'../' x 3e4 + '!'", `${'../'.repeat(N / 3)}!`],
  ["'%2e' repeated", '%2e'.repeat(N / 3)],
  ["'$(' repeated", '$('.repeat(N / 2)],
  ["'`id ' repeated", '`id '.repeat(N / 4)],
  ["'; ' repeated", '; '.repeat(N / 2)],
  ["'*)(' repeated", '*)('.repeat(N / 3)],
  ["'(a=' repeated", '(a='.repeat(N / 3)],
  ["'$ne' repeated", '$ne'.repeat(N / 3)],
];

/** Inputs built from the regex itself: each literal character of its source, repeated. */
function derived(re: RegExp): [string, string][] {
  const chars = new Set(re.source.replace(/\\[dDwWsSbB]/g, '').replace(/[\\()[\]{}?*+|^$]/g, ''));
  return [...chars].map((c) => [`${JSON.stringify(c)} x 1e5`, c.repeat(N)]);
}

/** Scans the whole input (a global clone, every match), as the sanitizer does. */
function scan(re: RegExp, input: string): number {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let matches = 0;
  for (const _ of input.matchAll(g)) matches++;
  return matches;
}

describe('the regex inventory', () => {
  it(`holds every shipped regex (${EXPECTED_COUNT}), and the list is not empty`, () => {
    expect(INVENTORY.length).toBeGreaterThan(0);
    expect(INVENTORY.length).toBe(EXPECTED_COUNT);
  });

  const files = fs.readdirSync(SRC).filter((f) => f.endsWith('.ts'));
  it('finds source files to scan', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(`every regex literal in src/security/${file} is in the inventory`, () => {
      const shipped = new Set(INVENTORY.map((r) => `/${r.regex.source}/${r.regex.flags}`));
      for (const lit of regexLiterals(fs.readFileSync(path.join(SRC, file), 'utf8'))) {
        const flags = [...lit.flags].sort().join('');
        expect(shipped, `${file}: /${lit.source}/${lit.flags}`).toContain(`/${lit.source}/${flags}`);
      }
    });
  }
});

describe('static check (regex-safety.ts)', () => {
  const BAD: readonly RegExp[] = [
    /(x+)+y/,
    /(x*)*y/,
    /(x|x)*y/,
    /(a|ab){1,5}c/,
    /(a{1,2}){1,30}b/,
    /(\w+\s?)*$/,
    /^(\d{1,3}\.?){1,20}$/,
    /a+b/,
  ];
  for (const re of BAD) {
    it(`rejects ${re}`, () => {
      expect(backtrackingRisks(re)).not.toEqual([]);
    });
  }

  const GOOD: readonly RegExp[] = [
    /(?:[ -]?\d){11,17}/,
    /(?:\.\.[/\\]){1,16}/,
    /(?:%2e|\.){2}/,
    /[a-z]{1,64}@[a-z.]{1,253}\.[a-z]{2,24}/,
  ];
  for (const re of GOOD) {
    it(`accepts ${re}`, () => {
      expect(backtrackingRisks(re)).toEqual([]);
    });
  }

  for (const { name, regex } of INVENTORY) {
    it(`${name} has bounded repetitions, no ambiguous nesting or alternation`, () => {
      expect(backtrackingRisks(regex)).toEqual([]);
    });
  }
});

describe('adversarial 100,000-character inputs (S7)', () => {
  for (const { name, regex } of INVENTORY) {
    it(`${name} scans every input within ${BUDGET_MS} ms of CPU time`, () => {
      const slow: string[] = [];
      for (const [label, input] of [...GENERIC, ...derived(regex)]) {
        // CPU time, not wall time: on a busy machine a linear scan waits for a core.
        const { ms } = cpuTime(() => scan(regex, input));
        if (ms > BUDGET_MS) slow.push(`${label}: ${ms.toFixed(0)} ms`);
      }
      expect(slow).toEqual([]);
    });
  }
});
