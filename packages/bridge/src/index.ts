/**
 * @hydra-logger/bridge: live log streaming from hydra-logger loggers to browsers (WebSocket and
 * Server-Sent Events), and browser logs in. Everything public is exported here by name.
 */
export type { AuthenticateHook, Principal } from './auth/authenticator.js';
export { originAllowed } from './auth/origins.js';
export type { ResolvedRole, RoleOptions } from './auth/roles.js';
export { DEFAULT_ROLES } from './auth/roles.js';
export type { TokenClaims, TokenProblem } from './auth/tokens.js';
export { createToken, verifyToken } from './auth/tokens.js';
export type { BackplaneOptions, BackplaneStats } from './backplane/redis-store.js';
export type { BridgeStats } from './bridge.js';
export { Bridge, createBridge, LEGACY_WS_PATH } from './bridge.js';
export type { FanoutStats } from './fanout/fanout.js';
export type { IngestStats } from './ingest/ingestor.js';
export { INGEST_LAYER_PATTERN, RESERVED_INGEST_LAYERS } from './ingest/validate.js';
export type { BridgeLimits } from './limits.js';
export { BRIDGE_LIMITS } from './limits.js';
export type { BridgeOptions } from './options.js';
export { BridgeDestinationPlugin, WebSocketBridgePlugin } from './plugin.js';
export type {
  ClientFrame,
  ErrorCode,
  GapReason,
  HelloLimits,
  IngestRecord,
  RejectedRecord,
  ServerFrame,
  Since,
  SubscriptionFilter,
} from './protocol/frames.js';
export {
  CLOSE_CODES,
  ERROR_CODES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
} from './protocol/frames.js';
export type { RecordStore, RingEntry } from './ring/store.js';
export type { ConnectionInfo } from './transport/ws-connection.js';

declare module 'hydra-logger' {
  /** `{ type: 'bridge' }` destinations, provided by {@link BridgeDestinationPlugin} (they take no `options`). */
  interface HydraDestinationTypes {
    bridge: Record<string, never>;
  }
}
