import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { ResolvedRole } from '../auth/roles.js';
import type { EventHub } from '../events/hub.js';
import type { Fanout } from '../fanout/fanout.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { BridgeLimits } from '../limits.js';
import type { HelloLimits } from '../protocol/frames.js';
import type { RecordStore } from '../ring/store.js';

/** Counters of refusals and limits that tripped (`bridge.stats().limited`), by reason. */
export type LimitCounters = Record<string, number>;

/** What the transports share: the bridge's parts, as one object. */
export interface BridgeContext {
  readonly serverId: string;
  readonly limits: BridgeLimits;
  readonly helloLimits: HelloLimits;
  readonly store: RecordStore;
  readonly fanout: Fanout;
  readonly auth: Authenticator;
  readonly ingestor: Ingestor;
  readonly events: EventHub;
  readonly origins: readonly string[] | undefined;
  /** The role of a principal, or undefined when its role does not exist. */
  role(principal: Principal): ResolvedRole | undefined;
  /** Counts one refusal or tripped limit. */
  limited(reason: string): void;
  /** Reserves a connection slot for `ip`; false when the bridge or the IP is full. */
  openSlot(ip: string): boolean;
  closeSlot(ip: string): void;
}
