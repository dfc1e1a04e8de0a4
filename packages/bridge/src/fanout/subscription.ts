import type { GapReason } from '../protocol/frames.js';
import type { View } from './view.js';

/** A gap to report to one subscription. */
export interface Gap {
  from: number;
  to: number;
  count: number;
  reason: GapReason;
}

/** Where a subscription's frames go: a WebSocket connection or an SSE response. */
export interface SubscriberTarget {
  /** Open, and not holding more unsent bytes than the high-water mark. */
  writable(): boolean;
  /** Sends a records frame: `{"type":"records","sub":…,` then `body` (shared by every subscriber of the batch). */
  sendRecords(sub: Subscription, body: Buffer, to: number): void;
  sendGap(sub: Subscription, gap: Gap): void;
}

/** One subscriber: a cursor into the stream (the next offset it has not been told about). */
export class Subscription {
  /** The next offset to deliver or report; every offset below it was sent, filtered out or reported in a gap. */
  cursor: number;
  /** It could not take data while it was behind (so a later eviction is its slowness). */
  stalled = false;
  /** `{"type":"records","sub":"<id>",` as bytes, made once. */
  readonly prefix: Buffer;

  constructor(
    readonly id: string,
    readonly target: SubscriberTarget,
    readonly view: View,
    cursor: number,
  ) {
    this.cursor = cursor;
    this.prefix = Buffer.from(`{"type":"records","sub":${JSON.stringify(id)},`);
  }
}
