import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Runs a `test/fixtures/process-*.mjs` child (it imports the BUILT package) and follows the
// `ACK <seq>` lines it writes to stderr after each batch: the sequence numbers it has
// acknowledged, i.e. whose log call returned.

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last `ACK` the child wrote before it ended (-1: none). */
  lastAck: number;
}

export interface RunningChild {
  readonly child: ChildProcess;
  /** The highest ACK read so far (-1: none yet). */
  readonly ack: number;
  /** Resolves once the child acknowledged `seq`; rejects if it ends first or after `timeoutMs`. */
  waitForAck(seq: number, timeoutMs?: number): Promise<number>;
  readonly done: Promise<ChildResult>;
}

/** Starts `fixtures/<script>` with `spec` as its JSON argument. A child still running after `timeoutMs` is killed. */
export function startChild(script: string, spec: unknown, timeoutMs = 20_000): RunningChild {
  const child = spawn(process.execPath, [path.join(fixtures, script), JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  let ack = -1;
  let ended = false;
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ACK ')) ack = Math.max(ack, Number(line.slice(4)));
    for (const w of waiters) w();
  });
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      ended = true;
      for (const w of waiters) w();
      const acks = [...stderr.matchAll(/^ACK (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({ code, signal, stdout, stderr, lastAck: acks.length === 0 ? -1 : Math.max(...acks) });
    });
  });
  return {
    child,
    get ack() {
      return ack;
    },
    waitForAck(seq, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ACK ${seq} within ${ms} ms (last ${ack})`)), ms);
        const check = () => {
          if (ack >= seq) finish();
          else if (ended)
            finish(
              new Error(
                `child ${timedOut ? `killed by the harness after ${timeoutMs} ms` : 'ended'} before ACK ${seq} (last ${ack}):\n${stderr.slice(-2000)}`,
              ),
            );
        };
        const finish = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err === undefined) resolve(ack);
          else reject(err);
        };
        waiters.add(check);
        check();
      });
    },
    done,
  };
}

/** Resolves once `check()` is true, polling; rejects after `timeoutMs` (a bound for "eventually"). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface ParsedLog {
  /** Whole JSON records, in file order. */
  records: Record<string, unknown>[];
  /** A final fragment without a newline (a write cut by SIGKILL), if any. */
  torn: string | undefined;
  /** Lines that are not valid JSON although followed by a newline (should never happen). */
  malformed: string[];
}

/** Reads a JSON-lines file written by the fixtures; a missing file is empty. */
export function readLog(file: string): ParsedLog {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const records: Record<string, unknown>[] = [];
  const malformed: string[] = [];
  for (const line of parts) {
    try {
      records.push(JSON.parse(line));
    } catch {
      malformed.push(line);
    }
  }
  return { records, torn: last === '' ? undefined : last, malformed };
}

/** The `seq` of each record that has one (the `line` records of the fixtures). */
export function seqsOf(records: Record<string, unknown>[]): number[] {
  return records.filter((r) => r.message === 'line').map((r) => r.seq as number);
}

/** The first index where `seqs` differs from `0, 1, 2, …` (-1: none): a loss, duplicate or reorder. */
export function firstGap(seqs: number[]): number {
  for (let i = 0; i < seqs.length; i++) if (seqs[i] !== i) return i;
  return -1;
}
