import type { Destination, DestinationStats } from './destination.js';
import type { DestinationType } from './type.js';

/** `{ type: 'null' }` takes no options of its own. */
export type NullOptions = Record<never, never>;

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    null: NullOptions;
  }
}

/** Discards every record without formatting it; counts them. */
export class NullDestination implements Destination {
  readonly type = 'null';
  readonly formatter = undefined;
  #records = 0;
  constructor(
    readonly id: string,
    readonly minLevel: number,
  ) {}
  write(): void {
    this.#records++;
  }
  flushSync(): void {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  reopen(): void {}
  stats(): DestinationStats {
    const r = this.#records;
    return {
      type: this.type,
      records: r,
      pending: 0,
      bytesWritten: 0,
      writes: 0,
      flushes: 0,
      retries: 0,
      errors: 0,
      dropped: {},
    };
  }
}

/** `{ type: 'null' }`: records are accepted, counted and discarded (never formatted). */
export const nullType: DestinationType = {
  name: 'null',
  options: {},
  create: (_d, _ctx, id, minLevel) => new NullDestination(id, minLevel),
};
