/**
 * Smoke check of the benchmark (benchmarks are not timed tests). Runs every adapter on every
 * case with a small N and one run, and asserts that each output verified or is an explicit n/a
 * with a reason. No figure is asserted. Needs the built package (`npm run build`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_NAMES, CASES, EXPECTED_FIELDS, MESSAGE, SECRETS } from '../cases.mjs';
import { runBench } from '../harness.mjs';
import { formatPage, targetRows } from '../report.mjs';
import { verifyRun } from '../verify.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Cases where hydra must produce a verified figure today; the others may be n/a until their feature lands. */
const HYDRA_REQUIRED = [
  'json-file',
  'json-file-sync',
  'json-devnull',
  'text-file',
  'disabled-level',
  'startup',
];

describe('bench harness, every adapter and case at N=2,000', () => {
  let result: Awaited<ReturnType<typeof runBench>>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'packages/core/dist/index.js')))
      throw new Error('build hydra-logger first: npm run build');
    result = await runBench({ n: 2000, calls: 100_000, runs: 1, startupRuns: 1, concurrency: 2 });
  }, 300_000); // a loaded machine (the whole suite in parallel) has taken 110 s

  it('runs every case', () => {
    expect(result.cases.map((c: { name: string }) => c.name)).toEqual(CASE_NAMES);
  });

  for (const name of CASE_NAMES) {
    it(`${name}: every row verified or is an explicit n/a with a reason`, () => {
      const c = result.cases.find((x: { name: string }) => x.name === name);
      expect(c.rows.length).toBeGreaterThan(0);
      for (const row of c.rows) {
        const where = `${name} / ${row.name}: ${row.reason ?? ''}`;
        expect(['ok', 'n/a'], where).toContain(row.status);
        if (row.status === 'n/a') expect(row.reason.length, where).toBeGreaterThan(0);
        else {
          expect(row.runs.length, where).toBe(1);
          expect(row.runs[0].status, where).toBe('ok');
        }
      }
    });
  }

  it('hydra verifies on every case whose feature exists', () => {
    for (const name of HYDRA_REQUIRED) {
      const row = result.cases
        .find((x: { name: string }) => x.name === name)
        .rows.find((r: { name: string }) => r.name === 'hydra');
      expect(row?.status, `${name}: ${row?.reason}`).toBe('ok');
    }
  });

  it('the like-for-like rows verified: hydra worker mode and pino worker transport, pino sync', () => {
    const c = result.cases.find((x: { name: string }) => x.name === 'json-file');
    for (const name of ['hydra-worker', 'pino-worker', 'pino-sync', 'baseline']) {
      const row = c.rows.find((r: { name: string }) => r.name === name);
      expect(row?.status, `${name}: ${row?.reason}`).toBe('ok');
      // Line count, JSON, fields, and the whole file there when the clock stopped.
      expect(row.how).toMatch(/^2,000 lines \(all in the file when the clock stopped\), each valid JSON/);
    }
  });

  it('the scoreboard measures every target and has the like-for-like rows', () => {
    const rows = targetRows(result).slice(2);
    expect(rows.map((r: string) => r.split(' | ')[0].slice(2))).toEqual([
      'P1',
      'P1',
      'P1',
      '(P1)',
      'P2',
      'P3',
      'P4',
      'P5',
      'P5',
      'P6',
      'P7',
      'P8',
      '(P8)',
      'P9',
    ]);
    for (const row of rows) expect(row).not.toContain('not measured');
  });

  it('the page stands alone: targets defined, no outside references, the baseline named as such', () => {
    const page = formatPage(result);
    for (const id of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'])
      expect(page).toContain(`| ${id} | `);
    expect(page).not.toMatch(/SPEC|§/);
    expect(page).not.toMatch(/\bthe floor\b|floor \(/);
    expect(page).toContain('Scoreboard of the targets');
  });

  it('every contender verified on at least one case', () => {
    for (const { name } of result.contenders) {
      const ok = result.cases.some((c: { rows: { name: string; status: string }[] }) =>
        c.rows.some((r) => r.name === name && r.status === 'ok'),
      );
      expect(ok, name).toBe(true);
    }
  });
});

describe('the scoreboard reports run-by-run ratios as median (min–max)', () => {
  const runs = (values: number[], rssKiB: number) => values.map((value) => ({ status: 'ok', value, rssKiB }));
  const row = (name: string, values: number[], rssKiB: number) => ({
    name,
    label: name,
    status: 'ok',
    runs: runs(values, rssKiB),
  });
  const result = {
    cases: [
      {
        name: 'json-file',
        def: CASES['json-file'],
        runs: 3,
        rows: [row('hydra', [300, 400, 400], 60_000), row('pino', [150, 100, 250], 150_000)],
      },
    ],
  };

  it('shows the median of the per-run ratios, their range, and how many runs hold', () => {
    const rows = targetRows(result);
    expect(rows).toContain('| P1 | ≥ 2.0× pino async destination | 2.00× (1.60–4.00) | yes, 2/3 runs |');
    expect(rows).toContain('| P8 | peak RSS during P1 ≤ 0.6× pino async destination | 0.40× | yes |');
    expect(rows).toContain(
      '| P2 | ≥ 1.1× pino sync destination (one write(2) per record) | not measured | — |',
    );
  });
});

describe('the verifier fails bad output (so a pass means something)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-bench-verify-'));
  const good = `${JSON.stringify({ message: MESSAGE, ...EXPECTED_FIELDS })}\n`;
  const contender = {};
  const check = (name: string, text: string, caseName = 'json-file', result: object = {}) => {
    const file = path.join(dir, `${name}.log`);
    fs.writeFileSync(file, text);
    return verifyRun({ def: CASES[caseName], result, path: file, n: 3, contender });
  };

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts three complete lines', () => {
    expect(check('good', good.repeat(3))).toMatchObject({ ok: true });
  });
  it('rejects a missing line', () => {
    expect(check('short', good.repeat(2))).toEqual({ ok: false, reason: 'expected 3 lines, found 2' });
  });
  it('rejects a torn last line', () => {
    expect(check('torn', good.repeat(3).slice(0, -5))).toMatchObject({ ok: false });
  });
  it('rejects a line that is not JSON', () => {
    expect(check('bad', `${good}${good}{"message":\n`)).toMatchObject({
      ok: false,
      reason: 'line 3: not valid JSON',
    });
  });
  it('rejects a line missing a field', () => {
    const line = `${JSON.stringify({ message: MESSAGE, ...EXPECTED_FIELDS, status: 500 })}\n`;
    expect(check('field', `${good}${good}${line}`)).toMatchObject({
      ok: false,
      reason: 'line 3: field status missing or changed',
    });
  });
  it('rejects a leaked secret in the redact case', () => {
    const line = `${JSON.stringify({ message: MESSAGE, ...EXPECTED_FIELDS, token: SECRETS.token })}\n`;
    expect(check('secret', `${good}${good}${line}`, 'redact-2-keys')).toEqual({
      ok: false,
      reason: 'secret leaked',
    });
  });
  it('rejects a clock stopped before the last line was written', () => {
    expect(check('early', good.repeat(3), 'json-file', { bytesAtStop: good.length * 2 })).toEqual({
      ok: false,
      reason: `the clock stopped before every line was written (${good.length * 2} of ${good.length * 3} bytes)`,
    });
  });
  it('rejects a mutated caller object', () => {
    expect(check('mutated', good.repeat(3), 'json-file', { callerObjectUnchanged: false })).toMatchObject({
      ok: false,
    });
  });
});
