import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncHydraLogger, DestinationStats, StrategyName } from '../../src/index.js';
import { fileLogger, makeTempDir, range, removeDir, seqsIn } from './helpers.js';

// The async logger's file deleted (`rm`) or moved away (logrotate without copytruncate) mid-run:
// every strategy writes through the one write engine, which notices within fileCheckInterval that
// the path no longer leads to its file, opens the path again (counted in `reopened`) and counts
// as `file_deleted` what it wrote into a deleted file. Real files, bytes read back.

let dir: string;
let file: string;
const open: AsyncHydraLogger[] = [];
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'out.log');
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  removeDir(dir);
});

function make(
  primaryStrategy: StrategyName,
  fileCheckInterval?: number,
): { logger: AsyncHydraLogger; errors: string[] } {
  const limits = fileCheckInterval === undefined ? {} : { fileCheckInterval };
  const logger = fileLogger(dir, file, { primaryStrategy, fallbackStrategies: [], limits });
  open.push(logger);
  const errors: string[] = [];
  logger.on('error', (e: Error) => errors.push(e.message));
  return { logger, errors };
}

async function burst(logger: AsyncHydraLogger, from: number, to: number): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let i = from; i < to; i++) calls.push(logger.info('line', { seq: i }));
  await Promise.all(calls);
}

const statsOf = (l: AsyncHydraLogger): DestinationStats =>
  l.getPerformanceMetrics().destinations.out as DestinationStats;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['async', 'sync', 'direct', 'worker'] as const)(
  'strategy %s: the file is deleted or moved away mid-run',
  (strategy) => {
    it('deleted: every later line lands in a new file at the path, nothing dropped (check before each batch)', async () => {
      const { logger, errors } = make(strategy, 0);
      await burst(logger, 0, 500);
      expect(seqsIn(file)).toEqual(range(0, 500));
      fs.rmSync(file);
      await burst(logger, 500, 2_000);
      await logger.flush();
      expect(seqsIn(file)).toEqual(range(500, 2_000));
      const s = statsOf(logger);
      expect(s.reopened).toBe(1);
      expect(s.dropped).toEqual({});
      expect(errors.join('\n')).toContain(`log file ${file} was deleted while open; reopened it`);
    });

    it('moved away (default check interval): old and new file together hold every line once, in order', async () => {
      const { logger, errors } = make(strategy);
      await burst(logger, 0, 500);
      fs.renameSync(file, `${file}.1`);
      await burst(logger, 500, 1_000);
      // Past the check interval (250 ms): the next batch checks the file.
      await pause(300);
      await burst(logger, 1_000, 2_000);
      await logger.flush();
      const s = statsOf(logger);
      expect(s.reopened).toBe(1);
      expect(s.dropped).toEqual({});
      expect([...seqsIn(`${file}.1`), ...seqsIn(file)]).toEqual(range(0, 2_000));
      expect(seqsIn(file).length).toBeGreaterThan(0);
      expect(errors.join('\n')).toContain(`log file ${file} was replaced or moved away while open`);
    });
  },
);
