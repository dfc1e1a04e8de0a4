import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { readSeqs, report, runLines } from './harness.js';

// R7 (docs/reliability.md) for AsyncHydraLogger: a full disk. No crash, no hang (every child ends within its
// timeout), no exception into the caller (an unhandled rejection would end the child with code 1),
// drops counted exactly (dropped = lines missing from the file = promises rejected), and writes
// resume once the disk takes them again.

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

const COUNT = 2_000;

describe('R7: /dev/full', () => {
  it.skipIf(!fs.existsSync('/dev/full'))(
    'no memory strategy: every record rejected and counted as write_error:ENOSPC, the error reported once, exit 0',
    async () => {
      const r = await runLines({
        count: COUNT,
        burst: 100,
        destination: { type: 'file', path: '/dev/full' },
        options: { fallbackStrategies: ['sync', 'direct'], journalDir: false },
      });
      expect(r.code).toBe(0);
      const m = r.metrics;
      expect(m?.dropped).toEqual({ 'write_error:ENOSPC': COUNT });
      expect(m?.outcomes).toEqual({ resolved: 0, rejected: COUNT, reasons: { 'write_error:ENOSPC': COUNT } });
      expect(m?.errors).toBe(1);
      expect(r.otherStderr.filter((l) => l.startsWith('hydra-logger:'))).toHaveLength(1);
      expect(m?.ledgerBroken).toBe(0);
      report({
        battery: 'R7',
        configuration: '/dev/full, strategies async → sync → direct',
        records: COUNT,
        dropped: COUNT,
        countedExactly: true,
      });
    },
  );

  it.skipIf(!fs.existsSync('/dev/full'))(
    'with the memory strategy: nothing dropped, everything held and then journaled at close (on disk for the next start)',
    async () => {
      const journalDir = path.join(dir, 'journal-full');
      const r = await runLines({
        count: COUNT,
        burst: 100,
        destination: { type: 'file', path: '/dev/full' },
        options: { journalDir, memoryCapacity: 500, maxHoldMs: 50 },
      });
      expect(r.code).toBe(0);
      const m = r.metrics;
      expect(m?.dropped).toEqual({});
      expect(m?.outcomes).toMatchObject({ resolved: COUNT, rejected: 0 });
      expect(m?.queue.ledger).toMatchObject({ produced: COUNT, delivered: 0, dropped: 0, journaled: COUNT });
      expect(m?.queue.health).toBe('DOWN');
      expect(m?.queue.currentStrategy).toBe('memory');
      const journal = fs.readdirSync(journalDir);
      expect(journal).toHaveLength(1);
      expect(fs.readFileSync(path.join(journalDir, journal[0] as string), 'utf8').split('\n')).toHaveLength(
        COUNT + 1,
      );
      report({
        battery: 'R7',
        configuration: '/dev/full, default strategies (memory hold, journal)',
        records: COUNT,
        dropped: 0,
        journaled: COUNT,
      });
    },
  );
});

describe('R7: an injected fs port that fails, then recovers', () => {
  it('no memory strategy: the failed records are dropped and counted exactly, later ones written, in order', async () => {
    const file = path.join(dir, 'recovering.log');
    const r = await runLines({
      count: COUNT,
      burst: 100,
      destination: { type: 'file', path: file, format: 'json' },
      // At least 10 failures however busy the machine (a turn of the loop can outlast the 100 ms):
      // async, sync and direct each fail, with room for probes of the strategy above in between.
      port: { kind: 'failing', from: 3, forMs: 100, failures: 10, code: 'ENOSPC' },
      options: {
        fallbackStrategies: ['sync', 'direct'],
        journalDir: false,
        probeIntervalMs: 5,
        maxProbeIntervalMs: 20,
      },
    });
    expect(r.code).toBe(0);
    const log = readSeqs(file);
    const m = r.metrics;
    const dropped = m?.dropped['write_error:ENOSPC'] ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(Object.keys(m?.dropped ?? {})).toEqual(['write_error:ENOSPC']);
    expect(log.seqs.length + dropped).toBe(COUNT);
    expect(m?.outcomes.rejected).toBe(dropped);
    expect(log.malformed).toEqual([]);
    expect(log.seqs).toEqual([...log.seqs].sort((a, b) => a - b));
    expect(log.seqs.at(-1)).toBe(COUNT - 1);
    expect(m?.ledgerBroken).toBe(0);
    report({
      battery: 'R7',
      configuration: 'failing-then-recovering port (100 ms of ENOSPC), strategies async → sync → direct',
      records: COUNT,
      dropped,
      countedExactly: true,
      resumed: true,
    });
  });

  it('with the memory strategy: nothing lost, every record written once, in order, after recovery', async () => {
    const file = path.join(dir, 'held.log');
    const r = await runLines({
      count: COUNT,
      burst: 100,
      destination: { type: 'file', path: file, format: 'json' },
      // At least 10 failures however busy the machine (a turn of the loop can outlast the 100 ms):
      // async, sync and direct each fail, with room for probes of the strategy above in between.
      port: { kind: 'failing', from: 3, forMs: 100, failures: 10, code: 'ENOSPC' },
      options: { journalDir: path.join(dir, 'journal-held'), probeIntervalMs: 5, maxProbeIntervalMs: 20 },
    });
    expect(r.code).toBe(0);
    const log = readSeqs(file);
    expect(log.seqs).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    expect(r.metrics?.dropped).toEqual({});
    expect(r.metrics?.queue.ledger).toMatchObject({ produced: COUNT, delivered: COUNT, pending: 0 });
    expect(r.metrics?.queue.switches.map((s) => s.to)).toContain('memory');
    report({
      battery: 'R7',
      configuration: 'failing-then-recovering port (100 ms of ENOSPC), default strategies',
      records: COUNT,
      dropped: 0,
      lost: 0,
      resumed: true,
    });
  });
});
