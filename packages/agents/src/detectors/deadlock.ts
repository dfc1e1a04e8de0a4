import type { AgentEntry } from '../analytics/entries.js';

/**
 * Deadlock: a cycle in the wait-for graph. Called when `from` starts waiting for `to`: looks for a
 * path of waits from `to` back to `from` (depth-first, each agent visited once). Returns the cycle
 * starting at `from` (`[from, to, …]`), or undefined.
 */
export function findWaitCycle(
  agents: ReadonlyMap<string, AgentEntry>,
  from: string,
  to: string,
): string[] | undefined {
  const path: string[] = [from];
  const seen = new Set<string>([from]);
  const walk = (id: string): boolean => {
    if (id === from) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    path.push(id);
    const waits = agents.get(id)?.waitingFor;
    if (waits !== undefined) for (const next of waits) if (walk(next)) return true;
    path.pop();
    return false;
  };
  return walk(to) ? path : undefined;
}
