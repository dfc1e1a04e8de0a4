import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import {
  HydraLogger,
  type HydraLoggerOptions,
  type LoggingConfig,
  type PluginError,
} from '../../src/index.js';

/** A logger writing JSON lines to a memory destination named `out`, plus readers and the plugin errors it emitted. */
export function pluginLogger(config: LoggingConfig = {}, options: HydraLoggerOptions = {}) {
  const logger = new HydraLogger({
    ...options,
    config: {
      ...config,
      layers: {
        DEFAULT: { destinations: [{ type: 'memory', format: 'json', name: 'out' }] },
        ...config.layers,
      },
    },
  });
  const pluginErrors: PluginError[] = [];
  logger.on('pluginError', (e) => pluginErrors.push(e));
  const lines = () => logger.memory('out')?.lines() ?? [];
  const records = () => lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records, pluginErrors };
}

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Waits until `cond()` holds (or fails after `ms`). */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Spins for `ms` milliseconds (a slow plugin). */
export function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}
