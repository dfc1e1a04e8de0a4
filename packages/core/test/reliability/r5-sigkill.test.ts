import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { between, FULL, firstGap, readSeqs, report, startBurst } from './harness.js';

// R5 (docs/reliability.md): SIGKILL at a random moment of a burst. Nothing runs in the child after the kill:
// only what reached write(2) survives. The child acknowledges over IPC (AsyncHydraLogger: once the
// promises of a batch resolved; HydraLogger: once its calls returned); every ack the parent got
// was sent before the kill.
//   AsyncHydraLogger, every strategy, and HydraLogger sync/worker: 0 acknowledged lost, ≤ 1 torn final line.
//   HydraLogger buffered: loss ≤ the buffer window; acknowledged ERROR records (and all before them) 0 lost.
// Fast: 5 kills in `npm test`; full (`npm run reliability`): 20 kills per configuration.

interface Config {
  label: string;
  spec: Record<string, unknown>;
  /** Loss allowed, in bytes (0: none acknowledged may be lost). */
  window: number;
}

const ASYNC: Config[] = (['async', 'worker', 'sync', 'direct'] as const).map((strategy) => ({
  label: `AsyncHydraLogger, strategy ${strategy}`,
  spec: { logger: 'async', strategy, fallbacks: ['sync', 'memory'].filter((s) => s !== strategy) },
  window: 0,
}));

const HYDRA: Config[] = [
  { label: 'HydraLogger, mode sync', spec: { logger: 'hydra', mode: 'sync' }, window: 0 },
  {
    label: 'HydraLogger, mode worker (acknowledged = call returned)',
    spec: { logger: 'hydra', mode: 'worker' },
    window: -1,
  },
  {
    label: 'HydraLogger, mode buffered (64 KiB, 100 ms)',
    spec: { logger: 'hydra', mode: 'buffered', errorEvery: 1000 },
    window: 64 * 1024,
  },
];

/** Fast: 5 kills spread over the async strategies (async twice). Full: 20 per configuration. */
const PLAN: [Config, number][] = FULL
  ? [...ASYNC, ...HYDRA].map((c) => [c, 20])
  : [
      [ASYNC[0] as Config, 2],
      [ASYNC[1] as Config, 1],
      [ASYNC[2] as Config, 1],
      [ASYNC[3] as Config, 1],
    ];

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

interface Outcome {
  acked: number;
  written: number;
  lost: number;
  lostBytes: number;
  unacked: number;
  torn: boolean;
  lastErrorAcked: number;
}

async function killOnce(c: Config, run: number): Promise<Outcome> {
  const file = path.join(dir, `${c.label.replace(/\W+/g, '-')}-${run}.log`);
  const child = startBurst({ file, journalDir: path.join(dir, 'journal'), ...c.spec });
  await child.waitForAck(between(1_000, 20_000));
  await new Promise((r) => setTimeout(r, between(0, 25)));
  child.child.kill('SIGKILL');
  const r = await child.done;
  expect(r.signal).toBe('SIGKILL');
  const log = readSeqs(file);
  // What survived is a prefix: nothing missing in the middle, nothing twice, in order; whole lines
  // only, except at most one cut final line.
  expect(log.malformed).toEqual([]);
  expect(firstGap(log.seqs)).toBe(-1);
  const acked = r.lastAck + 1;
  const errorEvery = (c.spec.errorEvery as number | undefined) ?? 0;
  const lost = Math.max(0, acked - log.seqs.length);
  return {
    acked,
    written: log.seqs.length,
    lost,
    lostBytes: lost * (Number.isFinite(log.minLine) ? log.minLine : 0),
    unacked: Math.max(0, log.seqs.length - acked),
    torn: log.torn,
    lastErrorAcked: errorEvery > 0 ? Math.floor(acked / errorEvery) * errorEvery - 1 : -1,
  };
}

/** The journal's lines, as R5 reads the log file: whole records' seqs, and whether the tail is cut. */
function readJournal(journalDir: string): { seqs: number[]; torn: boolean; malformed: number } {
  const names = fs.existsSync(journalDir)
    ? fs.readdirSync(journalDir).filter((f) => f.endsWith('.journal'))
    : [];
  if (names.length === 0) return { seqs: [], torn: false, malformed: 0 };
  const text = fs.readFileSync(path.join(journalDir, names[0] as string), 'utf8');
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  let malformed = 0;
  const seqs: number[] = [];
  for (const p of parts) {
    try {
      seqs.push((JSON.parse((JSON.parse(p) as { l: string }).l) as { seq: number }).seq);
    } catch {
      malformed++;
    }
  }
  return { seqs, torn: tail !== '', malformed };
}

describe('R5: SIGKILL at a random moment', () => {
  it.skipIf(!fs.existsSync('/dev/full'))(
    'AsyncHydraLogger on /dev/full (memory hold, journal): every acknowledged (journaled) record is in the journal',
    async () => {
      const runs = FULL ? 20 : 1;
      let acknowledged = 0;
      let torn = 0;
      for (let run = 0; run < runs; run++) {
        const journalDir = path.join(dir, `journal-full-${run}`);
        const child = startBurst({
          file: '/dev/full',
          journalDir,
          queue: { memoryCapacity: 1_000, maxHoldMs: 20 },
        });
        await child.waitForAck(between(1_000, 10_000));
        await new Promise((r) => setTimeout(r, between(0, 25)));
        child.child.kill('SIGKILL');
        const r = await child.done;
        expect(r.signal).toBe('SIGKILL');
        const j = readJournal(journalDir);
        expect(j.malformed).toBe(0);
        expect(firstGap(j.seqs)).toBe(-1);
        expect(j.seqs.length).toBeGreaterThanOrEqual(r.lastAck + 1);
        acknowledged += r.lastAck + 1;
        if (j.torn) torn++;
      }
      report({
        battery: 'R5',
        configuration: 'AsyncHydraLogger, strategy memory (disk full: hold, then journal)',
        runs,
        acknowledged,
        lost: 0,
        maxLostBytes: 0,
        tornFinalLines: torn,
        errorAcknowledgedLost: 0,
      });
    },
    120_000,
  );

  it.each(PLAN.map(([c, runs]) => [c.label, c, runs] as const))(
    '%s: acknowledged records lost within the bar, at most one torn final line',
    async (_label, c, runs) => {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < runs; i++) outcomes.push(await killOnce(c, i));
      for (const o of outcomes) {
        if (c.window === 0) expect(o.lost).toBe(0);
        else if (c.window > 0) expect(o.lostBytes).toBeLessThanOrEqual(c.window);
        expect(o.written).toBeGreaterThan(o.lastErrorAcked);
      }
      report({
        battery: 'R5',
        configuration: c.label,
        runs,
        acknowledged: outcomes.reduce((n, o) => n + o.acked, 0),
        lost: outcomes.reduce((n, o) => n + o.lost, 0),
        maxLostBytes: Math.max(...outcomes.map((o) => o.lostBytes)),
        writtenUnacknowledged: outcomes.reduce((n, o) => n + o.unacked, 0),
        tornFinalLines: outcomes.filter((o) => o.torn).length,
        errorAcknowledgedLost: outcomes.filter((o) => o.written <= o.lastErrorAcked).length,
      });
    },
    120_000,
  );
});
