/**
 * The benchmark harness: runs every (contender, case, run) in a fresh worker process, verifies
 * its output, and summarises medians and ratios. `runBench(options)` is the programmatic entry
 * used by `bench/run.mjs` and by the smoke test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASE_NAMES, CASES } from './cases.mjs';
import { verifyRun } from './verify.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const WORKER = path.join(HERE, 'worker.mjs');

/** One adapter per library, in table order; hydra first, the naive baseline last. */
export const ADAPTERS = Object.freeze(['hydra', 'pino', 'winston', 'bunyan', 'log4js', 'tslog', 'baseline']);

export const DEFAULTS = Object.freeze({
  /** Records per run of a throughput case (the workload of the targets P1–P9). */
  n: 200_000,
  /** Calls per run of the disabled-level case. */
  calls: 10_000_000,
  runs: 5,
  /** Fresh processes for the startup case; default max(4 × runs, 20): a run takes ~0.1 s and startup times scatter most. */
  startupRuns: undefined,
  /** Workers at once. Keep 1 for figures; the smoke test uses more, as it asserts no timing. */
  concurrency: 1,
  /** A worker still running after this is killed and its run fails. */
  timeoutMs: 300_000,
});

/** Version from the package's own package.json, as installed in this repo. */
export function packageVersion(name) {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

/** Every contender of every adapter, in table order (pino has three: its async, sync and worker paths). */
export async function loadContenders() {
  const out = [];
  for (const adapter of ADAPTERS) {
    const mod = await import(`./adapters/${adapter}.mjs`);
    const version = mod.packageName === undefined ? undefined : packageVersion(mod.packageName);
    for (const c of mod.contenders) out.push({ ...c, adapter, packageName: mod.packageName, version });
  }
  return out;
}

function spawnWorker(spec, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (line !== undefined) return resolve(JSON.parse(line.slice('BENCH_RESULT '.length)));
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? code}`;
      resolve({
        status: 'error',
        error: `${why}, no result; stderr: ${stderr.trim().slice(-500) || '(empty)'}`,
      });
    });
  });
}

/** One run: spawn, verify, clean up. Returns the run's figures or its failure. */
async function runOnce(contender, caseName, r, o, tmp) {
  const def = CASES[caseName];
  const file =
    caseName === 'json-devnull' ? '/dev/null' : path.join(tmp, `${contender.name}-${caseName}-${r}.log`);
  const spec = {
    adapter: contender.adapter,
    contender: contender.name,
    case: caseName,
    path: file,
    n: o.n,
    calls: o.calls,
  };
  try {
    const result = await spawnWorker(spec, o.timeoutMs);
    if (result.status === 'n/a') return { status: 'n/a', reason: result.reason };
    if (result.status !== 'done')
      return { status: 'fail', reason: `worker error: ${firstLine(result.error)}`, error: result.error };
    const v = verifyRun({ def, result, path: file, n: o.n, contender });
    if (!v.ok) return { status: 'fail', reason: v.reason };
    const run = { status: 'ok', how: v.how, elapsedMs: result.elapsedMs, rssKiB: result.peakRssKiB };
    if (def.measure === 'throughput') run.value = (o.n / result.elapsedMs) * 1000;
    else if (def.measure === 'per-call') run.value = (result.elapsedMs * 1e6) / o.calls;
    else {
      run.value = result.elapsedMs;
      run.sinceStartMs = result.sinceStartMs;
    }
    return run;
  } finally {
    if (file !== '/dev/null') fs.rmSync(file, { force: true });
  }
}

const firstLine = (s) => String(s).split('\n')[0];

async function pool(jobs, size) {
  const queue = [...jobs];
  const lanes = Array.from({ length: Math.max(1, size) }, async () => {
    while (queue.length > 0) await queue.shift()();
  });
  await Promise.all(lanes);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Rows of one case: a contender whose case is a string is n/a without running; one that
 * reports n/a at run time stops there; the others run `runs` times, interleaved, so that
 * hydra and each peer share the same stretch of machine noise in every run.
 */
async function runCase(caseName, contenders, o, tmp) {
  const def = CASES[caseName];
  const runs = caseName === 'startup' ? (o.startupRuns ?? Math.max(4 * o.runs, 20)) : o.runs;
  const rows = contenders
    .filter((c) => c.cases[caseName] !== undefined)
    .map((c) => {
      const impl = c.cases[caseName];
      const row = { contender: c, name: c.name, label: c.labels?.[caseName] ?? c.label, runs: [] };
      return typeof impl === 'string'
        ? { ...row, status: 'n/a', reason: impl }
        : { ...row, status: 'pending' };
    });
  for (let r = 0; r < runs; r++) {
    const jobs = rows
      .filter((row) => row.status === 'pending')
      .map((row) => async () => {
        const run = await runOnce(row.contender, caseName, r, o, tmp);
        o.onProgress?.(
          `${caseName} run ${r + 1}/${runs} ${row.name}: ${run.status === 'ok' ? fmtProgress(def, run) : `${run.status} ${run.reason}`}`,
        );
        if (run.status === 'n/a') Object.assign(row, { status: 'n/a', reason: run.reason });
        else row.runs.push(run);
      });
    await pool(jobs, o.concurrency);
  }
  for (const row of rows) if (row.status === 'pending') summarise(row, rows, def);
  return { name: caseName, def, runs, rows: rows.map(({ contender, ...row }) => row) };
}

const fmtProgress = (def, run) =>
  def.measure === 'throughput'
    ? `${Math.round(run.value)} rec/s`
    : `${run.value.toFixed(2)} ${def.measure === 'per-call' ? 'ns/call' : 'ms'}`;

/**
 * Median, range, RSS and the ratios against hydra, each computed per run (hydra and the peer in
 * the same run) and reported as median, min and max (>1: hydra faster; RSS <1: hydra smaller).
 */
function summarise(row, rows, def) {
  const failed = row.runs.filter((r) => r.status !== 'ok');
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((r) => r.reason))].join('; ');
    Object.assign(row, {
      status: 'fail',
      reason: `FAIL in ${failed.length}/${row.runs.length} runs: ${reasons}`,
    });
    return;
  }
  const values = row.runs.map((r) => r.value);
  row.status = 'ok';
  row.how = row.runs[0].how;
  row.median = median(values);
  row.min = Math.min(...values);
  row.max = Math.max(...values);
  row.rssMiB = median(row.runs.map((r) => r.rssKiB)) / 1024;
  if (def.measure === 'startup') row.sinceStartMs = median(row.runs.map((r) => r.sinceStartMs));
  const hydra = rows.find((x) => x.name === 'hydra');
  if (hydra === undefined || hydra === row) return;
  const speed = [];
  const rss = [];
  row.runs.forEach((run, i) => {
    const h = hydra.runs[i];
    if (h?.status !== 'ok') return;
    speed.push(def.measure === 'throughput' ? h.value / run.value : run.value / h.value);
    rss.push(h.rssKiB / run.rssKiB);
  });
  if (speed.length > 0) {
    row.speedRatio = median(speed);
    row.speedMin = Math.min(...speed);
    row.speedMax = Math.max(...speed);
    row.rssRatio = median(rss);
    row.rssMin = Math.min(...rss);
    row.rssMax = Math.max(...rss);
  }
}

function checkNames(kind, given, known) {
  const unknown = given.filter((x) => !known.includes(x));
  if (unknown.length > 0)
    throw new Error(`unknown ${kind}: ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

/**
 * Runs the benchmark. Options (all optional): `n`, `calls`, `runs`, `startupRuns`, `cases`
 * (names), `libs` (adapter or contender names), `concurrency`, `timeoutMs`, `onProgress(line)`.
 * Resolves to `{ options, startedAt, contenders, cases: [{ name, def, runs, rows }] }`.
 */
export async function runBench(options = {}) {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const cases = o.cases ?? CASE_NAMES;
  checkNames('case', cases, CASE_NAMES);
  let contenders = await loadContenders();
  if (o.libs !== undefined) {
    // `libs` names adapters (`pino`, all its contenders) or single contenders (`pino-sync`).
    checkNames('library', o.libs, [...new Set([...ADAPTERS, ...contenders.map((c) => c.name)])]);
    contenders = contenders.filter((c) => o.libs.includes(c.adapter) || o.libs.includes(c.name));
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-bench-'));
  const startedAt = new Date();
  try {
    const results = [];
    for (const name of cases) results.push(await runCase(name, contenders, o, tmp));
    const meta = contenders.map((c) => ({
      name: c.name,
      label: c.label,
      packageName: c.packageName,
      version: c.version,
    }));
    return { options: o, startedAt, contenders: meta, cases: results };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
