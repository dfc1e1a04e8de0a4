/**
 * The tracker's Lamport clock: every event it records ticks it, a message's receiver moves it past
 * the sender's time (carried in the message id), and records of other processes move it past
 * theirs. So the events of a conversation sort in causal order whatever the wall clocks say.
 */
export class LamportClock {
  time = 0;

  /** A local event: the next time. */
  tick(): number {
    return ++this.time;
  }

  /** A message sent at Lamport time `sent` (NaN: unknown) arrives: the time after both. */
  observe(sent: number): number {
    // biome-ignore lint/complexity/useMathMinMax: Math.max would make the clock NaN for an unknown time
    this.time = (sent > this.time ? sent : this.time) + 1;
    return this.time;
  }

  /** A record of another process at time `t`: the clock is at least `t`. */
  merge(t: number): void {
    if (t > this.time) this.time = t;
  }
}

/** Message ids: `<origin>.<seq>.<lamport>` (base 36), made per tracker. */
export class MessageIds {
  readonly #prefix: string;
  /** The sequence number of the last id made. */
  seq = 0;
  /** The last character of the last id made: reading it makes the id one flat string (see {@link next}). */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the store keeps the read (which flattens the id) from being optimized away
  #last = 0;

  constructor(origin: string) {
    this.#prefix = `${origin}.`;
  }

  next(lamport: number): string {
    const id = `${this.#prefix}${(++this.seq).toString(36)}.${lamport.toString(36)}`;
    // Reading a character makes the id one flat string instead of a string made of four parts:
    // it is a key of the in-flight table and a field of three records, and each of those uses
    // would otherwise walk the parts again (about 4 % of a tracked message's cost in bench/agents).
    this.#last = id.charCodeAt(id.length - 1);
    return id;
  }
}

/** The sender's Lamport time carried in a message id (NaN when the id is not one of a tracker's). */
export function lamportOf(messageId: string): number {
  const dot = messageId.lastIndexOf('.');
  return dot < 0 ? Number.NaN : Number.parseInt(messageId.slice(dot + 1), 36);
}
