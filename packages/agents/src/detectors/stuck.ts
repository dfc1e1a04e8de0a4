import type { AgentEntry } from '../analytics/entries.js';
import { TERMINAL_STATES } from '../attributes.js';
import type { DetectorOptions } from '../limits.js';

/**
 * Stuck in a state: agents in one non-terminal, non-resting state for `stuckAfterMs` or more.
 * One alert per stay in a state (a new state, or the same state entered again, re-arms it).
 */
export function findStuck(
  agents: Iterable<AgentEntry>,
  now: number,
  o: DetectorOptions,
  resting: ReadonlySet<string>,
): AgentEntry[] {
  const out: AgentEntry[] = [];
  for (const a of agents) {
    if (a.implicit || TERMINAL_STATES.has(a.state) || resting.has(a.state)) continue;
    if (a.stuckAlerted === a.stateSince || now - a.stateSince < o.stuckAfterMs) continue;
    a.stuckAlerted = a.stateSince;
    out.push(a);
  }
  return out;
}
