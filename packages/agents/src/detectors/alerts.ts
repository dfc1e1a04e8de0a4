import type { Fields } from 'hydra-logger';
import { ATTR, OPERATION } from '../attributes.js';
import { type RecordWriter, WARNING } from '../records.js';
import type { AgentAlert, AlertKind } from '../types.js';

/**
 * What the detectors found, raised once per cooldown (same kind, agents and budget): kept (the
 * latest `maxAlerts`), written as a WARNING record, and emitted as `alert` and as its kind.
 */
export class AlertLog {
  readonly #recent: AgentAlert[] = [];
  readonly #cooldown = new Map<string, number>();
  readonly #cooldownMs: number;
  readonly #max: number;
  readonly #origin: string;
  readonly #out: RecordWriter;
  readonly #emit: (event: string, alert: AgentAlert) => void;
  count = 0;
  listenerErrors = 0;

  constructor(
    cooldownMs: number,
    max: number,
    origin: string,
    out: RecordWriter,
    emit: (event: string, alert: AgentAlert) => void,
  ) {
    this.#cooldownMs = cooldownMs;
    this.#max = max;
    this.#origin = origin;
    this.#out = out;
    this.#emit = emit;
  }

  /** The latest alerts, oldest first. */
  recent(): AgentAlert[] {
    return this.#recent.slice();
  }

  raise(
    kind: AlertKind,
    agents: string[],
    message: string,
    details: Record<string, unknown>,
    time: number,
    conv?: string,
  ): void {
    const key = `${kind}\u0000${agents.join('\u0000')}\u0000${String(details.budget ?? '')}`;
    const last = this.#cooldown.get(key);
    if (last !== undefined && time - last < this.#cooldownMs) return;
    if (this.#cooldown.size >= 10_000) this.#cooldown.clear();
    this.#cooldown.set(key, time);
    const alert: AgentAlert = {
      kind,
      agents,
      message,
      time,
      details,
      ...(conv === undefined ? {} : { conversationId: conv }),
    };
    this.count++;
    this.#recent.push(alert);
    if (this.#recent.length > this.#max) this.#recent.shift();
    const f: Fields = {
      [ATTR.operation]: OPERATION.alert,
      [ATTR.agentId]: agents[0] ?? '',
      [ATTR.alertKind]: kind,
      [ATTR.alertAgents]: agents,
      ...(conv === undefined ? {} : { [ATTR.conversationId]: conv }),
      'hydra.alert': details,
      [ATTR.origin]: this.#origin,
    };
    this.#out.log(WARNING, message, f);
    for (const ev of ['alert', kind])
      try {
        this.#emit(ev, alert);
      } catch {
        this.listenerErrors++;
      }
  }
}
