import type { HookCalls } from './hook-calls.js';
import { describeThrown } from './plugin-error.js';
import { hooks, type Slot } from './slot.js';
import type { PluginInsights } from './types.js';

/** `getPluginInsights()`: each plugin's counters and timing, and what its own `getInsights()` returns. */
export function insightsOf(slots: readonly Slot[], calls: HookCalls): Record<string, PluginInsights> {
  const out: Record<string, PluginInsights> = {};
  for (const s of slots) {
    let insights: unknown;
    const get = hooks(s).getInsights;
    if (typeof get === 'function') {
      try {
        insights = calls.inside(() => get.call(s.plugin));
      } catch (err) {
        insights = { error: describeThrown(err) };
        s.errors++;
        s.lastError = `getInsights: ${describeThrown(err)}`;
      }
    }
    out[s.name] = {
      type: s.type,
      events: s.events,
      errors: s.errors,
      dropped: s.dropped,
      redactions: s.redactions,
      timeMs: round(s.timeMs, 3),
      avgUs: s.events === 0 ? 0 : round((s.timeMs * 1000) / s.events, 1),
      maxUs: round(s.maxMs * 1000, 1),
      slowCalls: s.slowCalls,
      ...(s.lastError !== undefined && { lastError: s.lastError }),
      insights,
    };
  }
  return out;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
