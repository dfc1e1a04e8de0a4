// The async logger: every promise resolves once its line is written; the multi-fallback queue.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AsyncHydraLogger, MultiFallbackAsyncQueue } from 'hydra-logger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-example-'));
const file = path.join(dir, 'async.log');
const logger = new AsyncHydraLogger({
  queueClass: MultiFallbackAsyncQueue,
  primaryStrategy: 'async',
  fallbackStrategies: ['sync', 'direct', 'memory'],
  config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file }] } } },
});
await logger.initialize();
await logger.info('ASYNC', 'Async message');
// The line is on disk once the promise resolved.
if (!fs.readFileSync(file, 'utf8').includes('Async message'))
  throw new Error('not written when the promise resolved');
await Promise.all(Array.from({ length: 1000 }, (_, i) => logger.info('ASYNC', 'batch', { i })));
const q = logger.getQueuePerformanceMetrics();
if (q.health !== 'UP' || q.currentStrategy !== 'async') throw new Error(JSON.stringify(q));
await logger.close();
if (fs.readFileSync(file, 'utf8').trim().split('\n').length !== 1001) throw new Error('line count');
fs.rmSync(dir, { recursive: true });
console.log('example ok: async');
