import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../async/helpers.js';
import { firstGap, readSeqs, report, runLines } from './harness.js';

// R14 (docs/reliability.md): close() with records queued, then log again, then close() again: everything
// queued is written, later calls resolve at once, are counted as `closed` and warn once, and close
// is idempotent (the same promise).

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

describe('R14: close with records queued, log after close, close twice', () => {
  it('every queued record written; later calls a counted no-op with one warning; close idempotent', async () => {
    const file = path.join(dir, 'close.log');
    const count = 10_000;
    const r = await runLines({
      count,
      end: 'close-now',
      afterClose: 3,
      destination: { type: 'file', path: file, format: 'json' },
      options: { journalDir: false },
    });
    expect(r.code).toBe(0);
    const log = readSeqs(file);
    expect(log.seqs).toHaveLength(count);
    expect(firstGap(log.seqs)).toBe(-1);
    expect(r.metrics?.dropped).toEqual({ closed: 3 });
    expect(r.metrics?.outcomes).toMatchObject({ resolved: count, rejected: 0 });
    expect(r.otherStderr.filter((l) => l.includes('HYDRA_W_LOG_AFTER_CLOSE'))).toHaveLength(1);
    report({
      battery: 'R14',
      configuration: 'AsyncHydraLogger, close() with 10,000 records queued',
      records: count,
      lost: 0,
      afterClose: 3,
      warnings: 1,
    });
  });

  it('process.exit() right after 10,000 calls: the exit flush writes every record', async () => {
    const file = path.join(dir, 'exit.log');
    const count = 10_000;
    const r = await runLines({
      count,
      end: 'exit',
      destination: { type: 'file', path: file, format: 'json' },
      options: { journalDir: false },
    });
    expect(r.code).toBe(0);
    const log = readSeqs(file);
    expect(log.seqs).toHaveLength(count);
    expect(firstGap(log.seqs)).toBe(-1);
    report({
      battery: 'R14',
      configuration: 'AsyncHydraLogger, process.exit() right after 10,000 calls',
      records: count,
      lost: 0,
    });
  });
});
