import type { Edge } from '../analytics/entries.js';
import type { DetectorOptions } from '../limits.js';

/**
 * Ping-pong loop: two agents sending messages back and forth (A→B, B→A, A→B …) in one
 * conversation, `pingPongMessages` alternations within `pingPongWindowMs`. Called before the
 * edge's own counters are updated for this message. Returns the alternations counted when the
 * threshold is reached (then counting starts over), else 0.
 *
 * The state lives on one edge of the pair (the one whose sender sorts first), so the check is a
 * few field reads per message and no look-up.
 */
export function checkPingPong(e: Edge, conv: string | undefined, t: number, o: DetectorOptions): number {
  const r = e.reverse;
  const s = r !== null && r.from < e.from ? r : e;
  if (s.ppTurns === 0 || s.ppConv !== conv || t - s.ppStart > o.pingPongWindowMs) {
    // A new conversation on this pair, or the window ran out: count from this message.
    s.ppConv = conv;
    s.ppTurns = 1;
    s.ppStart = t;
    return 0;
  }
  // Only a message answering the previous one (the pair's last message went the other way) counts.
  if (r === null || r.lastSeq < e.lastSeq) return 0;
  if (++s.ppTurns < o.pingPongMessages) return 0;
  const n = s.ppTurns;
  s.ppTurns = 0;
  s.ppStart = t;
  return n;
}
