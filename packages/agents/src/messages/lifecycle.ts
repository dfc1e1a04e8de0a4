import type { Fields } from 'hydra-logger';
import type { AgentEntry } from '../analytics/entries.js';
import { SEND } from '../analytics/messages.js';
import type { AgentModel } from '../analytics/model.js';
import { ATTR } from '../attributes.js';
import { DEBUG, ERROR, INFO, type RecordWriter } from '../records.js';
import type { ProcessOutcome, SendOptions } from '../types.js';
import { type LamportClock, lamportOf, MessageIds } from './clock.js';
import {
  messageFields,
  processedFieldsFull,
  receiveFieldsFull,
  sendFields,
  sendFieldsConv,
} from './fields.js';

const NO_OPTIONS: SendOptions = Object.freeze({});

/** What the message lifecycle shares with its tracker. */
export interface LifecycleContext {
  readonly model: AgentModel;
  readonly clock: LamportClock;
  readonly out: RecordWriter;
  readonly origin: string;
  readonly now: () => number;
  readonly captureContent: boolean;
}

/**
 * A message's life: sent (an id carrying the Lamport time), received, processed. Each step is one
 * record and one update of the model; nothing else is allocated per message but the id and the
 * records' fields.
 */
export class MessageLifecycle {
  readonly #c: LifecycleContext;
  readonly #model: AgentModel;
  readonly #clock: LamportClock;
  readonly #out: RecordWriter;
  readonly #origin: string;
  readonly #now: () => number;
  readonly #ids: MessageIds;

  constructor(c: LifecycleContext) {
    this.#c = c;
    this.#model = c.model;
    this.#clock = c.clock;
    this.#out = c.out;
    this.#origin = c.origin;
    this.#now = c.now;
    this.#ids = new MessageIds(c.origin);
  }

  /** `from`: the sender's entry when the caller holds it (an agent handle), else looked up by `fromId`. */
  send(from: AgentEntry | undefined, fromId: string, toId: string, message: SendOptions | undefined): string {
    const t = this.#now();
    const lamport = this.#clock.tick();
    const id = this.#ids.next(lamport);
    const m = message ?? NO_OPTIONS;
    const tokens = typeof m.tokens === 'number' && m.tokens > 0 ? m.tokens : 0;
    const bytes = typeof m.bytes === 'number' && m.bytes > 0 ? m.bytes : 0;
    const awaitReply = m.awaitReply === true;
    const conv = m.conversationId;
    const type = m.type;
    const origin = this.#origin;
    const e = this.#model.send(
      from,
      id,
      fromId,
      toId,
      conv,
      type,
      tokens,
      bytes,
      awaitReply,
      t,
      lamport,
      origin,
      this.#ids.seq,
    );
    const name = e.src.name;
    if (
      conv !== undefined &&
      type === undefined &&
      m.taskId === undefined &&
      bytes === 0 &&
      !awaitReply &&
      (!this.#c.captureContent || m.content === undefined)
    ) {
      // The common message: its fields in one object literal (no properties added after it).
      this.#out.log(
        INFO,
        'message sent',
        sendFieldsConv(fromId, name, id, toId, lamport, origin, conv, tokens),
      );
      return id;
    }
    const f = sendFields(fromId, name, id, toId, lamport, origin);
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    if (type !== undefined) f[ATTR.messageType] = type;
    if (m.taskId !== undefined) f[ATTR.taskId] = m.taskId;
    if (bytes > 0) f[ATTR.bodySize] = bytes;
    if (tokens > 0) f[ATTR.messageTokens] = tokens;
    if (awaitReply) f[ATTR.awaitReply] = true;
    if (this.#c.captureContent && m.content !== undefined) f[ATTR.content] = m.content;
    this.#out.log(INFO, 'message sent', f);
    return id;
  }

  received(messageId: string, agentHint: string | undefined): void {
    if (typeof messageId !== 'string') {
      this.#out.problem('received: messageId must be a string');
      return;
    }
    const model = this.#model;
    const p = model.message(messageId);
    const lamport = this.#clock.observe(
      p !== undefined && (p.seen & SEND) !== 0 ? p.sendLamport : lamportOf(messageId),
    );
    const t = this.#now();
    const agentId = p?.to ?? agentHint;
    const from = p?.from;
    const conv = p?.conv;
    const origin = this.#origin;
    const a = model.receive(p, messageId, agentId, conv, t, lamport, origin);
    if (from !== undefined && conv !== undefined) {
      const who = a?.id ?? agentId ?? '';
      this.#out.log(
        DEBUG,
        'message received',
        receiveFieldsFull(who, a?.name ?? who, messageId, lamport, origin, from, conv),
      );
      return;
    }
    const f = messageFields(
      'receive_message',
      'receive',
      a?.id ?? agentId ?? '',
      a?.name ?? agentId ?? '',
      messageId,
      lamport,
      origin,
    );
    if (from !== undefined) f[ATTR.from] = from;
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    this.#out.log(DEBUG, 'message received', f);
  }

  processed(messageId: string, outcome: (ProcessOutcome & { agentId?: string }) | undefined): void {
    if (typeof messageId !== 'string') {
      this.#out.problem('processed: messageId must be a string');
      return;
    }
    const model = this.#model;
    const p = model.message(messageId);
    const lamport = this.#clock.observe(
      p !== undefined && (p.seen & SEND) !== 0 ? p.sendLamport : lamportOf(messageId),
    );
    const t = this.#now();
    const agentId = p?.to ?? outcome?.agentId;
    const from = p?.from;
    const conv = p?.conv;
    const error = outcome?.error;
    const ok = outcome?.ok !== false && error === undefined;
    const origin = this.#origin;
    // (p may be reused once processed: everything needed is read above.)
    const a = model.process(p, messageId, agentId, conv, ok, t, lamport, origin);
    if (ok && from !== undefined && conv !== undefined) {
      const who = a?.id ?? agentId ?? '';
      this.#out.log(
        INFO,
        'message processed',
        processedFieldsFull(who, a?.name ?? who, messageId, lamport, origin, from, conv),
      );
      return;
    }
    const f = messageFields(
      'process_message',
      'process',
      a?.id ?? agentId ?? '',
      a?.name ?? agentId ?? '',
      messageId,
      lamport,
      origin,
    );
    if (from !== undefined) f[ATTR.from] = from;
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    f[ATTR.ok] = ok;
    if (!ok) errorFields(f, error);
    this.#out.log(ok ? INFO : ERROR, ok ? 'message processed' : 'message failed', f);
  }

  /** The one-call form: a message whose processing nobody will report (not kept in flight). */
  logCommunication(fromId: string, toId: string, message: unknown, meta: SendOptions | undefined): string {
    const bytes = typeof message === 'string' ? Buffer.byteLength(message) : (meta?.bytes ?? 0);
    const id = this.send(undefined, fromId, toId, { ...meta, bytes, content: message });
    this.#model.forget(id);
    return id;
  }
}

/** `error.type` and `error` of a failed call. */
export function errorFields(f: Fields, err: unknown): void {
  if (err === undefined) return;
  f[ATTR.errorType] = err instanceof Error ? err.name : typeof err === 'string' ? 'Error' : typeof err;
  f.error = err;
}
