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

  constructor(origin: string) {
    this.#prefix = `${origin}.`;
  }

  next(lamport: number): string {
    return `${this.#prefix}${(++this.seq).toString(36)}.${lamport.toString(36)}`;
  }
}

/** The sender's Lamport time carried in a message id (NaN when the id is not one of a tracker's). */
export function lamportOf(messageId: string): number {
  const dot = messageId.lastIndexOf('.');
  return dot < 0 ? Number.NaN : Number.parseInt(messageId.slice(dot + 1), 36);
}
