/**
 * @hydra-logger/frontend: the browser SDK of hydra-logger. Logs from a page reach the server logger
 * through the bridge (`@hydra-logger/bridge`) exactly once, survive being offline and reloads, and
 * have their secrets redacted in the page with the core's own rules.
 */
export type { ServerGap, ServerRecord } from './client.js';
export { BrowserLogger, HydraLoggerClient } from './client.js';
export { BEACON_BUDGET } from './delivery.js';
export type { ClientOptions, ClientStats, LevelName, WireRecord } from './types.js';
export { LEVELS } from './types.js';
