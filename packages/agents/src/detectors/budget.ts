import type { AgentEntry } from '../analytics/entries.js';
import type { DetectorOptions } from '../limits.js';

export const BUDGET_TOKENS = 1;
export const BUDGET_COST = 2;

/** What one agent's LLM usage just went over (bits of BUDGET_TOKENS / BUDGET_COST not raised before). */
export function agentOverBudget(a: AgentEntry, o: DetectorOptions): number {
  let over = 0;
  if ((a.budgetAlerted & BUDGET_TOKENS) === 0 && a.inputTokens + a.outputTokens > o.tokensPerAgent)
    over |= BUDGET_TOKENS;
  if ((a.budgetAlerted & BUDGET_COST) === 0 && a.costUsd > o.costUsdPerAgent) over |= BUDGET_COST;
  a.budgetAlerted |= over;
  return over;
}
