import { createRequire } from 'node:module';

/**
 * Node built-ins that only some features need, loaded on first use: every module imported at the
 * top costs every user startup time (SPEC §11 P7), and crypto, readline and stream alone cost
 * several milliseconds. `createRequire` keeps the load synchronous.
 */
const require = createRequire(import.meta.url);

export const lazyCrypto = (): typeof import('node:crypto') =>
  require('node:crypto') as typeof import('node:crypto');
export const lazyReadline = (): typeof import('node:readline') =>
  require('node:readline') as typeof import('node:readline');
export const lazyWorkerThreads = (): typeof import('node:worker_threads') =>
  require('node:worker_threads') as typeof import('node:worker_threads');
export const lazyStream = (): typeof import('node:stream') =>
  require('node:stream') as typeof import('node:stream');
