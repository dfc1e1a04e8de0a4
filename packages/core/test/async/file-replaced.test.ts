import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AsyncHydraLogger, DestinationStats, StrategyName } from '../../src/index.js';
import { fileLogger, makeTempDir, range, removeDir, seqsIn } from './helpers.js';

// The async logger's file deleted (`rm`) or moved away (logrotate without copytruncate) mid-run:
// every strategy writes through the one write engine, which notices within fileCheckInterval that
// the path no longer leads to its file, opens the path again (counted in `reopened`) and counts
// as `file_deleted` what it wrote into a deleted file. Real files, bytes read back.

/** An async logger writing `out.log` in a temporary directory with one strategy; both go when the test ends. */
function make(
  primaryStrategy: StrategyName,
  fileCheckInterval?: number,
): { logger: AsyncHydraLogger; file: string; errors: string[] } {
  const dir = makeTempDir();
  const file = path.join(dir, 'out.log');
  const limits = fileCheckInterval === undefined ? {} : { fileCheckInterval };
  const logger = fileLogger(dir, file, { primaryStrategy, fallbackStrategies: [], limits });
  onTestFinished(async () => {
    await logger.close();
    removeDir(dir);
  });
  const errors: string[] = [];
  logger.on('error', (e: Error) => errors.push(e.message));
  return { logger, file, errors };
}

async function burst(logger: AsyncHydraLogger, from: number, to: number): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let i = from; i < to; i++) calls.push(logger.info('line', { seq: i }));
  await Promise.all(calls);
}

/** The destination opened its path again once, dropped nothing, and the error it reported says `why`. */
function reopenedOnce(logger: AsyncHydraLogger, errors: string[], why: string): void {
  const stats = logger.getPerformanceMetrics().destinations.out as DestinationStats;
  expect({ reopened: stats.reopened, dropped: stats.dropped }).toEqual({ reopened: 1, dropped: {} });
  expect(errors.join('\n')).toContain(why);
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['async', 'sync', 'direct', 'worker'] as const)(
  'strategy %s: the file is deleted or moved away mid-run',
  (strategy) => {
    it('deleted: every later line lands in a new file at the path, nothing dropped (check before each batch)', async () => {
      const { logger, file, errors } = make(strategy, 0);
      await burst(logger, 0, 500);
      expect(seqsIn(file)).toEqual(range(0, 500));
      fs.rmSync(file);
      await burst(logger, 500, 2_000);
      await logger.flush();
      expect(seqsIn(file)).toEqual(range(500, 2_000));
      reopenedOnce(logger, errors, `log file ${file} was deleted while open; reopened it`);
    });

    it('moved away (default check interval): old and new file together hold every line once, in order', async () => {
      const { logger, file, errors } = make(strategy);
      await burst(logger, 0, 500);
      fs.renameSync(file, `${file}.1`);
      await burst(logger, 500, 1_000);
      // Past the check interval (250 ms): the next batch checks the file.
      await pause(300);
      await burst(logger, 1_000, 2_000);
      await logger.flush();
      expect([...seqsIn(`${file}.1`), ...seqsIn(file)]).toEqual(range(0, 2_000));
      expect(seqsIn(file).length).toBeGreaterThan(0);
      reopenedOnce(logger, errors, `log file ${file} was replaced or moved away while open`);
    });
  },
);
