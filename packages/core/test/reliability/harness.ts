import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The reliability battery's child processes (test/fixtures/async-*.mjs, importing the BUILT
// package) and what the tests read back. `npm test` runs the fast versions; `npm run reliability`
// (scripts/reliability.mjs) sets HYDRA_RELIABILITY_FULL=1 for the full run counts and
// HYDRA_RELIABILITY_REPORT=<file>, where each test appends its figures (one JSON object per line)
// for docs/reliability.md.

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

export const FULL = process.env.HYDRA_RELIABILITY_FULL === '1';

/** Appends one figures row for docs/reliability.md (only under `npm run reliability`). */
export function report(row: Record<string, unknown>): void {
  const file = process.env.HYDRA_RELIABILITY_REPORT;
  if (file !== undefined && file !== '') fs.appendFileSync(file, `${JSON.stringify(row)}\n`);
}

export interface BurstResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** The highest acknowledged seq received over IPC (-1: none). */
  lastAck: number;
  /** The `{ done }` report, when the child ran to `max`. */
  done: { errors: number; dropped: Record<string, number>; queue?: Record<string, unknown> } | undefined;
}

export interface BurstChild {
  readonly child: ChildProcess;
  readonly ack: number;
  /** Resolves once the child acknowledged `seq`; rejects if it ends first or after `timeoutMs`. */
  waitForAck(seq: number, timeoutMs?: number): Promise<void>;
  readonly done: Promise<BurstResult>;
}

/** Starts `fixtures/async-burst.mjs` with `spec`; a child still running after `timeoutMs` is killed. */
export function startBurst(spec: Record<string, unknown>, timeoutMs = 30_000): BurstChild {
  const child = spawn(process.execPath, [path.join(fixtures, 'async-burst.mjs'), JSON.stringify(spec)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  let ack = -1;
  let ended = false;
  let done: BurstResult['done'];
  const waiters = new Set<() => void>();
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.on('message', (m: { ack?: number; done?: BurstResult['done'] }) => {
    if (typeof m.ack === 'number') ack = Math.max(ack, m.ack);
    if (m.done !== undefined) done = m.done;
    for (const w of waiters) w();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const result = new Promise<BurstResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      ended = true;
      for (const w of waiters) w();
      resolve({ code, signal, stderr, lastAck: ack, done });
    });
  });
  return {
    child,
    get ack() {
      return ack;
    },
    waitForAck(seq, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ack ${seq} within ${ms} ms (last ${ack})`)), ms);
        const check = () => {
          if (ack >= seq) finish();
          else if (ended)
            finish(new Error(`child ended before ack ${seq} (last ${ack}):\n${stderr.slice(-2000)}`));
        };
        const finish = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err === undefined) resolve();
          else reject(err);
        };
        waiters.add(check);
        check();
      });
    },
    done: result,
  };
}

export interface LinesResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  metrics: LinesMetrics | undefined;
  /** stderr without the METRICS line. */
  otherStderr: string[];
}

export interface LinesMetrics {
  dropped: Record<string, number>;
  destinations: Record<string, Record<string, unknown>>;
  queue: {
    currentStrategy: string;
    health: string;
    dropped: Record<string, number>;
    ledger: Record<string, number>;
    switches: { from: string; to: string; reason: string }[];
  };
  outcomes: { resolved: number; rejected: number; reasons: Record<string, number> };
  peak: { waiting: number; rssMiB: number };
  errors: number;
  ledgerBroken: number;
}

/** Runs `fixtures/async-lines.mjs` with `spec` to its end; collects stdout and the METRICS line. */
export function runLines(
  spec: Record<string, unknown>,
  options: { onSpawn?(child: ChildProcess): void; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<LinesResult> {
  const child = spawn(process.execPath, [path.join(fixtures, 'async-lines.mjs'), JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  options.onSpawn?.(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stderr.split('\n').filter((l) => l !== '');
      const m = lines.find((l) => l.startsWith('METRICS '));
      resolve({
        code,
        signal,
        stdout,
        stderr,
        metrics: m === undefined ? undefined : (JSON.parse(m.slice('METRICS '.length)) as LinesMetrics),
        otherStderr: lines.filter((l) => !l.startsWith('METRICS ')),
      });
    });
  });
}

/** What a JSON-lines log holds: whole records, a final fragment without newline, malformed lines. */
export interface ParsedLog {
  seqs: number[];
  torn: boolean;
  malformed: string[];
  /** Bytes of the shortest whole line (newline included). */
  minLine: number;
}

export function readSeqs(file: string): ParsedLog {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const seqs: number[] = [];
  const malformed: string[] = [];
  let minLine = Number.POSITIVE_INFINITY;
  for (const line of parts) {
    try {
      const r = JSON.parse(line) as { seq?: unknown };
      if (typeof r.seq === 'number') seqs.push(r.seq);
      minLine = Math.min(minLine, Buffer.byteLength(line) + 1);
    } catch {
      malformed.push(line);
    }
  }
  return { seqs, torn: last !== '', malformed, minLine };
}

/** The first index where `seqs` differs from 0, 1, 2, … (-1: none): a loss, duplicate or reorder. */
export function firstGap(seqs: number[]): number {
  for (let i = 0; i < seqs.length; i++) if (seqs[i] !== i) return i;
  return -1;
}

/** A random integer in [lo, hi]. */
export function between(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}
