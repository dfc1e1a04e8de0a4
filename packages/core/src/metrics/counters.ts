import { levelName } from '../record/levels.js';

/** Layers tracked by name in `byLayer`; the rest are summed under `(other)` so a flood of names stays bounded. */
const MAX_LAYERS_TRACKED = 1000;

/** Per-record counters: cheap increments on the hot path, shaped into objects only when read. */
export class LogCounters {
  total = 0;
  readonly #byLevel = new Map<number, number>();
  readonly #byLayer = new Map<string, number>();
  readonly dropped: Record<string, number> = {};

  count(level: number, layer: string): void {
    this.total++;
    this.#byLevel.set(level, (this.#byLevel.get(level) ?? 0) + 1);
    const n = this.#byLayer.get(layer);
    if (n !== undefined) this.#byLayer.set(layer, n + 1);
    else if (this.#byLayer.size < MAX_LAYERS_TRACKED) this.#byLayer.set(layer, 1);
    else this.#byLayer.set('(other)', (this.#byLayer.get('(other)') ?? 0) + 1);
  }

  drop(reason: string, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  byLevel(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [lv, n] of this.#byLevel) out[levelName(lv)] = (out[levelName(lv)] ?? 0) + n;
    return out;
  }

  byLayer(): Record<string, number> {
    return Object.fromEntries(this.#byLayer);
  }
}
