import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-upd-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const fileConfig = (file: string, level = 'info') => ({
  defaultLevel: level as 'info',
  layers: { DEFAULT: { destinations: [{ type: 'file' as const, path: path.join(dir, file) }] } },
});
const readLines = (file: string) =>
  fs.existsSync(path.join(dir, file))
    ? fs
        .readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { seq: number })
    : [];

describe('updateConfig', () => {
  it('swaps while a loop logs: every record lands exactly once, old destinations are flushed and closed', async () => {
    const logger = new HydraLogger({ config: fileConfig('a.log') });
    let seq = 0;
    const files = ['a.log', 'b.log', 'c.log', 'a.log'];
    for (let round = 1; round < files.length; round++) {
      for (let i = 0; i < 500; i++) {
        logger.info('tick', { seq: seq++ });
        if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      }
      const swap = logger.updateConfig(fileConfig(files[round] as string));
      logger.info('tick', { seq: seq++ });
      await swap;
    }
    await logger.close();
    const all = ['a.log', 'b.log', 'c.log'].flatMap(readLines).map((r) => r.seq);
    expect(all.length).toBe(seq);
    expect(new Set(all).size).toBe(seq);
    expect(readLines('b.log').map((r) => r.seq)).toEqual(Array.from({ length: 501 }, (_, i) => 500 + i));
  });

  it('new levels apply to the logger, its children and its layer loggers; a closed child stays closed', async () => {
    const logger = new HydraLogger({ config: { ...fileConfig('x.log'), defaultLevel: 'warning' } });
    const child = logger.child({ c: 1 });
    const db = logger.layer('DB');
    const gone = logger.child({ gone: true });
    await gone.close();
    expect(logger.isLevelEnabled('info')).toBe(false);
    const noop = logger.info;
    expect(child.info).toBe(noop);
    await logger.updateConfig({ ...fileConfig('x.log'), defaultLevel: 'debug' });
    expect(logger.info).not.toBe(noop);
    logger.debug('root debug');
    child.debug('child debug');
    db.debug('layer debug');
    gone.error('still closed');
    await logger.close();
    expect(
      fs
        .readFileSync(path.join(dir, 'x.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).message),
    ).toEqual(['root debug', 'child debug', 'layer debug']);
    expect(logger.getPerformanceMetrics().dropped.closed).toBe(1);
  });

  it('an invalid config throws and keeps the current pipeline', async () => {
    const logger = new HydraLogger({ config: fileConfig('k.log') });
    await expect(
      logger.updateConfig({ layers: { A: { destinations: [{ type: 'file' } as never] } } }),
    ).rejects.toThrow(/path/);
    logger.info('still here', { seq: 1 });
    await logger.close();
    expect(readLines('k.log')).toHaveLength(1);
  });
});
