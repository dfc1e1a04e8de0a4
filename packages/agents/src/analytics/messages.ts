import type { ConversationEvent } from '../types.js';
import type { AgentEntry, Edge } from './entries.js';

/** Which events of a message were seen (`seen`) and which a conversation keeps (`kept`). */
export const SEND = 1;
export const RECEIVE = 2;
export const PROCESS = 4;

/**
 * One message: in flight (between its send and its processing) and/or as its conversation's
 * events. One object holds the send, receive and process events (no object per event), and
 * entries are reused once neither the in-flight table nor a conversation holds them, so tracking a
 * message allocates nothing after warm-up.
 */
export class MessageEntry {
  /** Its id while in flight; '' after for a message sent here (`seq` rebuilds it: no string kept). */
  id = '';
  /** This tracker's sequence number of a message sent here (0: sent elsewhere). */
  seq = 0;
  from: string | undefined = undefined;
  to: string | undefined = undefined;
  conv: string | undefined = undefined;
  type: string | undefined = undefined;
  /** The edge its send was counted on, and the receiver's entry (no look-ups when it arrives). */
  edge: Edge | null = null;
  toAgent: AgentEntry | null = null;
  /** The conversation holding it (while `inConv`). */
  convRef: Conversation | null = null;
  sentAt = 0;
  sendLamport = 0;
  sendOrigin = '';
  recvAt = 0;
  recvLamport = 0;
  recvOrigin = '';
  recvAgent = '';
  procAt = 0;
  procLamport = 0;
  procOrigin = '';
  procAgent = '';
  ok = true;
  /** SEND | RECEIVE | PROCESS: the events seen. */
  seen = 0;
  /** The events its conversation keeps. */
  kept = 0;
  /** In flight (in one of the in-flight tables: `where`). */
  pending = false;
  /** Which in-flight table holds it (NOWHERE, IN_RING, IN_OLD, IN_OTHER). */
  where = 0;
  /** When it was put in flight (the store's count of entries put in flight): the oldest is evicted first. */
  opened = 0;
  /** In a conversation's list. */
  inConv = false;

  reset(): void {
    this.id = '';
    this.seq = 0;
    this.from = this.to = this.conv = this.type = undefined;
    this.edge = null;
    this.toAgent = null;
    this.convRef = null;
    this.sentAt = this.sendLamport = this.recvAt = this.recvLamport = this.procAt = this.procLamport = 0;
    this.sendOrigin = this.recvOrigin = this.recvAgent = this.procOrigin = this.procAgent = '';
    this.ok = true;
    this.seen = this.kept = 0;
    this.pending = this.inConv = false;
    this.where = this.opened = 0;
  }
}

/** Placeholder keys of the in-flight tables (symbols: never a message id). */
const FLOOR_KEYS: readonly symbol[] = Array.from({ length: 16 }, (_, i) => Symbol(`floor-${i}`));

/**
 * Slots of the ring holding the messages sent here while in flight (a power of two). A message
 * still in flight when its slot comes round again (this many sends later) moves to a map.
 */
const RING = 4096;
const RING_MASK = RING - 1;

/** Where an entry in flight is kept. */
const NOWHERE = 0;
const IN_RING = 1;
const IN_OLD = 2;
const IN_OTHER = 3;

/** A conversation: its messages (entries) and its other events (LLM and tool calls). */
export class Conversation {
  /** Its id (the key it is kept under). */
  id = '';
  /** Its messages and events: the first `n` (the object and its array are reused once evicted). */
  readonly items: (MessageEntry | ConversationEvent | null)[] = [];
  n = 0;
  /** Events kept (a message counts once per kept event). */
  events = 0;

  push(it: MessageEntry | ConversationEvent): void {
    if (this.n < this.items.length) this.items[this.n] = it;
    else this.items.push(it);
    this.n++;
  }
}

/**
 * Messages in flight (sent, not yet processed; or seen by their receiver before their send) and
 * the conversations, both bounded, with the entries' pool.
 *
 * A message sent here is found by the sequence number its id carries (`<origin>.<seq>.<lamport>`):
 * in a ring indexed by it, so sending, receiving and processing one does not hash its id or touch a
 * map. Messages sent elsewhere, or here but still in flight a ring's turn later, are kept by id.
 */
export class MessageStore {
  readonly #ring: (MessageEntry | null)[] = new Array<MessageEntry | null>(RING).fill(null);
  /** The lowest sequence number that may still be in flight in the ring, and the highest put there. */
  #low = 1;
  #top = 0;
  /**
   * Messages sent here still in flight when their ring slot came round (by id, oldest first), and
   * messages sent elsewhere (by id). Both hold FLOOR placeholder keys besides: V8 shrinks
   * (reallocates) a Map on a delete that leaves it under a quarter full, so a table going from 0 to
   * 1 to 0 entries with every message would reallocate on every message.
   */
  readonly #old = new Map<string | symbol, MessageEntry | null>(FLOOR_KEYS.map((k) => [k, null]));
  readonly #other = new Map<string | symbol, MessageEntry | null>(FLOOR_KEYS.map((k) => [k, null]));
  /** Entries in flight in all three tables; in the two maps. */
  #count = 0;
  #mapped = 0;
  /** The entry last put in flight or found (see `get`). */
  #lastEntry: MessageEntry | null = null;
  #opened = 0;
  /** `<origin>.`: the ids of messages sent here start with it. */
  readonly #prefix: string;
  readonly conversations = new Map<string, Conversation>();
  readonly #free: MessageEntry[] = [];
  readonly #maxPending: number;
  readonly #maxConversations: number;
  readonly #maxEvents: number;
  readonly #evicted: { pendingMessages: number; conversations: number; conversationEvents: number };
  /**
   * Conversations in order of arrival (a ring): the oldest is found without iterating the map,
   * which walks over the holes its deletions leave until it is rehashed.
   */
  readonly #arrival: Conversation[] = [];
  #oldest = 0;
  #lastId = '';
  #last: Conversation | null = null;

  constructor(
    origin: string,
    limits: { maxPendingMessages: number; maxConversations: number; maxConversationEvents: number },
    evicted: { pendingMessages: number; conversations: number; conversationEvents: number },
  ) {
    this.#prefix = `${origin}.`;
    this.#maxPending = limits.maxPendingMessages;
    this.#maxConversations = Math.ceil(limits.maxConversations);
    this.#maxEvents = limits.maxConversationEvents;
    this.#evicted = evicted;
  }

  /** Messages in flight. */
  get pendingCount(): number {
    return this.#count;
  }

  /** The sequence number of a message id made here (`<origin>.<seq>.<lamport>`), else 0. */
  seqOf(id: string): number {
    const prefix = this.#prefix;
    const n = prefix.length;
    if (id.length <= n || !id.startsWith(prefix)) return 0;
    let s = 0;
    for (let i = n; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c === 46) return s; // '.'
      if (c >= 48 && c <= 57) s = s * 36 + c - 48;
      else if (c >= 97 && c <= 122) s = s * 36 + c - 87;
      else return 0;
    }
    return 0;
  }

  /** The entry of a message in flight. */
  get(id: string): MessageEntry | undefined {
    // The message last put in flight or found is usually the one asked for next (its receive and
    // process follow its send): a comparison with the very string send returned.
    const l = this.#lastEntry;
    if (l?.pending && l.id === id) return l;
    const s = this.seqOf(id);
    if (s > 0) {
      const e = this.#ring[s & RING_MASK] as MessageEntry | null;
      if (e !== null && e.seq === s && e.id === id) return (this.#lastEntry = e);
    }
    if (this.#mapped === 0) return undefined;
    const e = this.#old.get(id) ?? this.#other.get(id) ?? undefined;
    if (e !== undefined) this.#lastEntry = e;
    return e;
  }

  /** The entry of a message sent here (`seq`: its sequence number, increasing with every send), put in flight. */
  openSent(id: string, seq: number): MessageEntry {
    if (this.#count >= this.#maxPending) this.#evictOldest();
    const slot = seq & RING_MASK;
    const ring = this.#ring;
    const prev = ring[slot] as MessageEntry | null;
    if (prev !== null) {
      // Still in flight a ring's turn later: kept by id from now on.
      prev.where = IN_OLD;
      this.#old.set(prev.id, prev);
      this.#mapped++;
    }
    const p = this.#free.pop() ?? new MessageEntry();
    p.id = id;
    p.seq = seq;
    p.pending = true;
    p.where = IN_RING;
    p.opened = ++this.#opened;
    ring[slot] = p;
    this.#lastEntry = p;
    if (seq > this.#top) this.#top = seq;
    this.#count++;
    return p;
  }

  /** The message's entry, made (in flight) if this is the first event of it seen here. */
  open(id: string): MessageEntry {
    const known = this.get(id);
    if (known !== undefined) return known;
    if (this.#count >= this.#maxPending) this.#evictOldest();
    const p = this.#free.pop() ?? new MessageEntry();
    p.id = id;
    p.pending = true;
    p.where = IN_OTHER;
    p.opened = ++this.#opened;
    this.#other.set(id, p);
    this.#mapped++;
    this.#count++;
    return p;
  }

  /** No longer in flight (processed, forgotten, or evicted). */
  close(p: MessageEntry): void {
    if (!p.pending) return;
    const w = p.where;
    if (w === IN_RING) {
      const slot = p.seq & RING_MASK;
      if (this.#ring[slot] === p) this.#ring[slot] = null;
    } else {
      (w === IN_OLD ? this.#old : this.#other).delete(p.id);
      this.#mapped--;
    }
    this.#count--;
    p.pending = false;
    p.where = NOWHERE;
    // A message sent here needs no id string kept: its conversation rebuilds it from `seq`.
    if (p.seq > 0) p.id = '';
    if (!p.inConv) this.#release(p);
  }

  /** Forgets the message in flight the longest (the bound was reached), counted. */
  #evictOldest(): void {
    let oldest: MessageEntry | null = null;
    const ring = this.#ring;
    while (this.#low <= this.#top) {
      const e = ring[this.#low & RING_MASK] as MessageEntry | null;
      if (e !== null && e.seq === this.#low) {
        oldest = e;
        break;
      }
      this.#low++;
    }
    // Each map keeps its entries in the order they were put in flight: its first is its oldest.
    for (const m of [this.#old, this.#other])
      for (const e of m.values())
        if (e !== null) {
          if (oldest === null || e.opened < oldest.opened) oldest = e;
          break;
        }
    if (oldest === null) return;
    this.close(oldest);
    this.#evicted.pendingMessages++;
  }

  /** Adds the message's events `bits` (not yet kept) to its conversation `conv`, as far as the bound allows. */
  keep(conv: string, p: MessageEntry, bits: number): void {
    const add = bits & ~p.kept;
    if (add === 0) return;
    // A message belongs to the first conversation it joined (its records agree on it anyway).
    const c = p.convRef ?? this.#conversation(conv);
    const n =
      ((add & SEND) === 0 ? 0 : 1) + ((add & RECEIVE) === 0 ? 0 : 1) + ((add & PROCESS) === 0 ? 0 : 1);
    const room = this.#maxEvents - c.events;
    if (room < n) {
      this.#evicted.conversationEvents += n - Math.max(0, room);
      if (room <= 0) return;
      // Keep the first events (send, receive, process order) that fit.
      let kept = 0;
      for (const b of [SEND, RECEIVE, PROCESS])
        if ((add & b) !== 0 && kept < room) {
          p.kept |= b;
          kept++;
        }
      c.events += kept;
    } else {
      p.kept |= add;
      c.events += n;
    }
    if (!p.inConv) {
      p.inConv = true;
      p.convRef = c;
      c.push(p);
    }
  }

  /** Adds an event that is not a message's (an LLM or tool call) to conversation `conv`. */
  keepEvent(conv: string, ev: ConversationEvent): void {
    const c = this.#conversation(conv);
    if (c.events >= this.#maxEvents) {
      this.#evicted.conversationEvents++;
      return;
    }
    c.events++;
    c.push(ev);
  }

  #conversation(id: string): Conversation {
    // The messages of a conversation come in runs: the last one found is checked first.
    if (id === this.#lastId && this.#last !== null) return this.#last;
    let c = this.conversations.get(id);
    if (c !== undefined) {
      this.#lastId = id;
      this.#last = c;
      return c;
    }
    this.#last = null;
    let slot = this.#arrival.length;
    if (this.conversations.size >= this.#maxConversations) {
      slot = this.#oldest;
      this.#oldest = (slot + 1) % this.#maxConversations;
      const old = this.#arrival[slot] as Conversation;
      this.conversations.delete(old.id);
      this.#evicted.conversations++;
      for (let i = 0; i < old.n; i++) {
        const it = old.items[i];
        old.items[i] = null;
        if (it instanceof MessageEntry) {
          it.inConv = false;
          it.convRef = null;
          it.kept = 0;
          if (!it.pending) this.#release(it);
        }
      }
      old.n = old.events = 0;
      c = old;
    }
    c ??= new Conversation();
    c.id = id;
    this.#arrival[slot] = c;
    this.conversations.set(id, c);
    this.#lastId = id;
    this.#last = c;
    return c;
  }

  #release(p: MessageEntry): void {
    p.reset();
    this.#free.push(p);
  }
}

/** A conversation's events in causal order (Lamport time; ties in the order they were recorded). */
export function conversationEvents(c: Conversation): ConversationEvent[] {
  const out: { ev: ConversationEvent; order: number }[] = [];
  let i = 0;
  for (let k = 0; k < c.n; k++) {
    const it = c.items[k] as MessageEntry | ConversationEvent;
    if (!(it instanceof MessageEntry)) {
      out.push({ ev: { ...it }, order: i++ });
      continue;
    }
    const base = { messageId: messageIdOf(it) };
    if (it.kept & SEND) {
      const ev: ConversationEvent = {
        lamport: it.sendLamport,
        time: it.sentAt,
        origin: it.sendOrigin,
        kind: 'send',
        agentId: it.from ?? '',
        ...base,
      };
      if (it.from !== undefined) ev.from = it.from;
      if (it.to !== undefined) ev.to = it.to;
      if (it.type !== undefined) ev.type = it.type;
      out.push({ ev, order: i++ });
    }
    if (it.kept & RECEIVE)
      out.push({
        ev: messageEvent(it, 'receive', it.recvLamport, it.recvAt, it.recvOrigin, it.recvAgent),
        order: i++,
      });
    if (it.kept & PROCESS) {
      const ev = messageEvent(it, 'process', it.procLamport, it.procAt, it.procOrigin, it.procAgent);
      ev.ok = it.ok;
      out.push({ ev, order: i++ });
    }
  }
  return out.sort((a, b) => a.ev.lamport - b.ev.lamport || a.order - b.order).map((x) => x.ev);
}

/** The message's id: kept while in flight, else rebuilt (`<origin>.<seq>.<lamport>`, as MessageIds makes it). */
function messageIdOf(p: MessageEntry): string {
  return p.id !== '' || p.seq === 0
    ? p.id
    : `${p.sendOrigin}.${p.seq.toString(36)}.${p.sendLamport.toString(36)}`;
}

function messageEvent(
  p: MessageEntry,
  kind: 'receive' | 'process',
  lamport: number,
  time: number,
  origin: string,
  agentId: string,
): ConversationEvent {
  const ev: ConversationEvent = { lamport, time, origin, kind, agentId, messageId: messageIdOf(p) };
  if (p.from !== undefined) ev.from = p.from;
  if (p.to !== undefined) ev.to = p.to;
  return ev;
}
