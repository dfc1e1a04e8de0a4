/**
 * Timestamp text, cached: formatting a Date costs far more than a comparison, and most records
 * in a burst share the millisecond (ISO) or the second (local).
 */
export class IsoClock {
  #ms = Number.NaN;
  #text = '';
  /** `2026-11-26T21:49:12.563Z` */
  iso(ms: number): string {
    if (ms !== this.#ms) {
      this.#ms = ms;
      this.#text = new Date(ms).toISOString();
    }
    return this.#text;
  }
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

export class LocalClock {
  #second = Number.NaN;
  #prefix = '';
  /** `2026-11-26 21:49:12.563` in the process's local time zone. */
  local(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) {
      this.#second = second;
      const d = new Date(ms);
      this.#prefix = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
    }
    return this.#prefix + pad3(ms - second * 1000);
  }
}
