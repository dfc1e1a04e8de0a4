import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { between, FULL, firstGap, readSeqs, report, startBurst } from './harness.js';

// R4 (docs/reliability.md) for AsyncHydraLogger: a signal mid-burst with `handleSignals: true`. The handler
// flushes synchronously (waiting for an async write in flight, then writing what is queued) and
// exits with 128 + the signal number. Every acknowledged record is in the file, whole and in order.

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

const SIGNALS = [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const;

describe('R4: a signal mid-burst, AsyncHydraLogger with handleSignals: true', () => {
  it.each(SIGNALS)(
    '%s: every acknowledged record is in the file, exit code %i',
    async (signal, code) => {
      const runs = FULL ? 10 : 1;
      let acknowledged = 0;
      let written = 0;
      for (let run = 0; run < runs; run++) {
        const file = path.join(dir, `${signal}-${run}.log`);
        const child = startBurst({ file, handleSignals: true, journalDir: path.join(dir, 'journal') });
        await child.waitForAck(between(2_000, 10_000));
        child.child.kill(signal);
        const r = await child.done;
        expect(r.code).toBe(code);
        expect(r.signal).toBeNull();
        const log = readSeqs(file);
        expect(log.torn).toBe(false);
        expect(log.malformed).toEqual([]);
        expect(firstGap(log.seqs)).toBe(-1);
        expect(log.seqs.length).toBeGreaterThanOrEqual(r.lastAck + 1);
        acknowledged += r.lastAck + 1;
        written += log.seqs.length;
      }
      report({
        battery: 'R4',
        configuration: `AsyncHydraLogger, ${signal}`,
        runs,
        acknowledged,
        lost: 0,
        written,
      });
    },
    60_000,
  );
});
