import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { between, FULL, firstGap, readSeqs, report, startBurst } from './harness.js';

// R12 (docs/reliability.md): the worker thread of the `worker` strategy is terminated mid-burst. The error is
// surfaced once (one `error` event), the batch in flight is taken over by the next strategy,
// pending flushes settle, and nothing acknowledged is lost; the file holds every record once, in order.

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

describe('R12: the worker thread dies mid-burst', () => {
  it('fallback takes over: every record written once and in order, error surfaced once, flushes settle', async () => {
    const runs = FULL ? 10 : 1;
    const max = 30_000;
    for (let run = 0; run < runs; run++) {
      const file = path.join(dir, `crash-${run}.log`);
      const child = startBurst({
        file,
        strategy: 'worker',
        fallbacks: ['sync', 'memory'],
        crashWorkerAt: between(2_000, 20_000),
        max,
        journalDir: path.join(dir, 'journal'),
      });
      const r = await child.done;
      expect(r.code).toBe(0);
      expect(r.lastAck).toBe(max - 1);
      const log = readSeqs(file);
      expect(log.torn).toBe(false);
      expect(log.malformed).toEqual([]);
      expect(firstGap(log.seqs)).toBe(-1);
      expect(log.seqs).toHaveLength(max);
      expect(r.done?.errors).toBe(1);
      const q = r.done?.queue as {
        currentStrategy: string;
        switches: { from: string; to: string; reason: string }[];
      };
      expect(q.currentStrategy).toBe('sync');
      expect(q.switches[0]).toMatchObject({ from: 'worker', to: 'sync' });
      expect(q.switches[0]?.reason).toMatch(/^worker_crash:/);
    }
    report({
      battery: 'R12',
      configuration: 'AsyncHydraLogger, worker thread terminated mid-burst',
      runs,
      records: runs * max,
      lost: 0,
      duplicated: 0,
      errorsSurfaced: 1,
    });
  }, 60_000);
});
