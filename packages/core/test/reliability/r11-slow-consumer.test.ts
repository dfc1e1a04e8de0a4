import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { readSeqs, report, runLines } from './harness.js';

// R11 (docs/reliability.md): a slow consumer (each async write reports completion 5 ms late) and a producer
// logging 20,000 records in bursts of 500, for each full-queue policy, capacity 500. Memory stays
// bounded (no more than `capacity` lines wait), the ledger holds at every sample, `block` never
// drops, and the drop policies drop exactly what is missing (counted by reason, promises rejected).

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

const COUNT = 20_000;
const CAPACITY = 500;

describe('R11: slow consumer, each full-queue policy', () => {
  it.each(['block', 'dropNewest', 'dropOldest'] as const)(
    '%s',
    async (policy) => {
      const file = path.join(dir, `${policy}.log`);
      const r = await runLines({
        count: COUNT,
        burst: 500,
        errorEvery: 1000,
        destination: { type: 'file', path: file, format: 'json' },
        port: { kind: 'slow', delayMs: 5 },
        options: { capacity: CAPACITY, policy, journalDir: false },
      });
      expect(r.code).toBe(0);
      const m = r.metrics;
      const log = readSeqs(file);
      expect(m?.ledgerBroken).toBe(0);
      expect(m?.peak.waiting).toBeLessThanOrEqual(CAPACITY);
      const dropped = Object.values(m?.dropped ?? {}).reduce((a, b) => a + b, 0);
      expect(log.seqs.length + dropped).toBe(COUNT);
      expect(m?.outcomes.rejected).toBe(dropped);
      // Every ERROR record is there whatever the policy.
      for (let s = 999; s < COUNT; s += 1000) expect(log.seqs).toContain(s);
      if (policy === 'block') expect(dropped).toBe(0);
      else {
        expect(dropped).toBeGreaterThan(0);
        expect(Object.keys(m?.dropped ?? {})).toEqual([`queue_full:${policy}`]);
      }
      report({
        battery: 'R11',
        configuration: `slow consumer (5 ms per write), policy ${policy}, capacity ${CAPACITY}`,
        records: COUNT,
        dropped,
        peakWaiting: m?.peak.waiting,
        peakRssMiB: m?.peak.rssMiB,
        blocked: m?.queue.ledger.blocked,
        ledgerExact: m?.ledgerBroken === 0,
      });
    },
    60_000,
  );
});
