import type { AgentEntry, Edge } from '../analytics/entries.js';
import type { DetectorOptions } from '../limits.js';

/**
 * Fan-out storm: one agent sending to `fanOutRecipients` distinct agents, or `fanOutMessages`
 * messages, within one window of `fanOutWindowMs` (windows aligned on the clock). Fires once per
 * window: returns what tripped, or undefined.
 */
export function checkFanOut(
  a: AgentEntry,
  e: Edge,
  t: number,
  o: DetectorOptions,
): { recipients: number; messages: number } | undefined {
  const w = Math.floor(t / o.fanOutWindowMs);
  if (w !== a.fanWindow) {
    a.fanWindow = w;
    a.fanMessages = 0;
    a.fanRecipients = 0;
  }
  a.fanMessages++;
  if (e.fanWindow !== w) {
    e.fanWindow = w;
    a.fanRecipients++;
    if (a.fanRecipients === o.fanOutRecipients && a.fanMessages < o.fanOutMessages)
      return { recipients: a.fanRecipients, messages: a.fanMessages };
  }
  if (a.fanMessages === o.fanOutMessages && a.fanRecipients < o.fanOutRecipients)
    return { recipients: a.fanRecipients, messages: a.fanMessages };
  return undefined;
}
