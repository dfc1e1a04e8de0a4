import type { Fields } from 'hydra-logger';
import type { AgentModel } from './analytics/model.js';
import { ATTR, OPERATION } from './attributes.js';
import type { LamportClock } from './messages/clock.js';
import { readForeign } from './records.js';

/** What `ingest` counts. */
export interface IngestCounts {
  applied: number;
  own: number;
  unreadable: number;
}

/**
 * Applies a record another tracker wrote (a JSON line, its parsed object, or a `LogRecord`) to the
 * model, moving the Lamport clock past its time. Returns whether it was applied; counts why not.
 */
export function applyForeign(
  model: AgentModel,
  clock: LamportClock,
  self: string,
  counts: IngestCounts,
  input: unknown,
): boolean {
  const r = readForeign(input);
  const f = r?.fields;
  const origin = f?.[ATTR.origin];
  const op = f?.[ATTR.operation];
  if (r === undefined || f === undefined || typeof origin !== 'string' || typeof op !== 'string') {
    counts.unreadable++;
    return false;
  }
  if (origin === self) {
    counts.own++;
    return false;
  }
  const lam = typeof f[ATTR.lamport] === 'number' ? (f[ATTR.lamport] as number) : clock.time;
  clock.merge(lam);
  const t = r.time;
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : 0);
  const agentId = str(ATTR.agentId);
  const base = { time: t, lamport: lam, origin };
  const m = model;
  switch (op) {
    case OPERATION.register:
      if (agentId === undefined) break;
      m.register({
        ...base,
        id: agentId,
        name: str(ATTR.agentName),
        role: str(ATTR.role),
        version: str(ATTR.agentVersion),
        parentId: str(ATTR.parentId),
        metadata: f['hydra.agent.metadata'] as Fields | undefined,
        state: str(ATTR.state),
      });
      break;
    case OPERATION.state:
      if (agentId === undefined || str(ATTR.state) === undefined) break;
      m.setState(m.agent(agentId, t), str(ATTR.state) as string, t);
      break;
    case OPERATION.send: {
      const id = str(ATTR.messageId);
      const to = str(ATTR.destination);
      if (id === undefined || to === undefined || agentId === undefined) break;
      m.send(
        undefined,
        id,
        agentId,
        to,
        str(ATTR.conversationId),
        str(ATTR.messageType),
        num(ATTR.messageTokens),
        num(ATTR.bodySize),
        f[ATTR.awaitReply] === true,
        t,
        lam,
        origin,
        0,
      );
      break;
    }
    case OPERATION.receive:
    case OPERATION.process: {
      const id = str(ATTR.messageId);
      if (id === undefined) break;
      const conv = str(ATTR.conversationId);
      const p = m.message(id);
      if (op === OPERATION.receive) m.receive(p, id, agentId, conv, t, lam, origin);
      else m.process(p, id, agentId, conv, f[ATTR.ok] !== false, t, lam, origin);
      break;
    }
    case OPERATION.llm:
      if (agentId === undefined) break;
      m.llm({
        ...base,
        agentId,
        inputTokens: num(ATTR.inputTokens),
        outputTokens: num(ATTR.outputTokens),
        costUsd: num(ATTR.costUsd),
        ok: f[ATTR.ok] !== false,
        conv: str(ATTR.conversationId),
        model: str(ATTR.requestModel),
      });
      break;
    case OPERATION.tool:
      if (agentId === undefined) break;
      m.tool({
        ...base,
        agentId,
        name: str(ATTR.toolName) ?? '',
        ok: f[ATTR.ok] !== false,
        conv: str(ATTR.conversationId),
      });
      break;
    case OPERATION.wait:
      if (agentId === undefined) break;
      m.wait(m.agent(agentId, t), str(ATTR.destination) ?? '', t, f['hydra.wait'] !== false);
      break;
    default:
      // Alerts of another tracker: this one runs its own detectors on the whole graph.
      counts.own++;
      return false;
  }
  counts.applied++;
  return true;
}
