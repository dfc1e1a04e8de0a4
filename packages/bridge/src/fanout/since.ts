import type { Since } from '../protocol/frames.js';
import type { RecordStore } from '../ring/store.js';
import type { Gap } from './subscription.js';
import type { View } from './view.js';

/**
 * Where a new subscription starts, and the gap to report first if part of what it asked for is
 * gone. `{ epoch, offset }` means "everything after `offset`" in that epoch; from another epoch,
 * everything the store holds follows an `epoch_changed` gap.
 */
export function resolveSince(since: Since, store: RecordStore, view: View): { cursor: number; gap?: Gap } {
  if (since === 'latest') return { cursor: store.next };
  if ('last' in since) {
    let found = 0;
    let cursor = store.next;
    for (let o = store.next - 1; o >= store.first && found < since.last; o--) {
      const e = store.get(o);
      if (e !== undefined && view.matches(e)) {
        found++;
        cursor = o;
      }
    }
    return { cursor };
  }
  if (since.epoch !== store.epoch) {
    const known = store.continueFrom?.(since.epoch);
    const cursor = known !== undefined && known >= store.first ? known : store.first;
    const gap: Gap = { from: 0, to: cursor - 1, count: cursor, reason: 'epoch_changed' };
    return { cursor, gap };
  }
  // A shared store (backplane) may not have read yet what another node already served: wait for it.
  const wanted = store.follower === true ? since.offset + 1 : Math.min(since.offset + 1, store.next);
  if (wanted >= store.first) return { cursor: wanted };
  return {
    cursor: store.first,
    gap: { from: wanted, to: store.first - 1, count: store.first - wanted, reason: 'evicted' },
  };
}

/**
 * The first offset a new subscription's frames cover (its gap's start, else its cursor): a client
 * cut off before its first frame resumes from just before it (the `subscribed` frame, the SSE
 * hello's id).
 */
export function startOf(resolved: { cursor: number; gap?: Gap }): number {
  return resolved.gap?.from ?? resolved.cursor;
}
