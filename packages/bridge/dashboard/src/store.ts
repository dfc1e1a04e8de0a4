import type { GapReason } from '../../src/protocol/frames.js';
import { compile, EMPTY_FILTER, type Filter } from './filter.js';
import { levelNumber } from './levels.js';

/** One record in the page. */
export interface RecordItem {
  kind: 'record';
  /** Arrival order in this page. */
  seq: number;
  offset: number;
  epoch: string;
  level: number;
  levelName: string;
  layer: string;
  /** The record's `timestamp` as written (ISO 8601). */
  time: string;
  message: string;
  /** The record as the bridge sent it (the json format's keys, and `offset`). */
  rec: Record<string, unknown>;
  /** `key=value …` of the other keys, made when the row is first drawn. */
  extras?: string;
}

/** A `gap` frame: records this page will not get. */
export interface GapItem {
  kind: 'gap';
  seq: number;
  count: number;
  reason: GapReason | string;
  from: number;
  to: number;
  epoch: string;
  /** When it arrived (ms). */
  at: number;
}

export type Item = RecordItem | GapItem;

/** Keys every record has, shown in their own columns (not among the extras). */
const OWN_KEYS = new Set(['timestamp', 'level', 'layer', 'message', 'offset']);

/** `key=value` of a record's other keys, at most `max` characters. */
export function extrasOf(item: RecordItem, max = 400): string {
  if (item.extras !== undefined) return item.extras;
  let out = '';
  for (const [k, v] of Object.entries(item.rec)) {
    if (OWN_KEYS.has(k)) continue;
    const s =
      typeof v === 'string' ? (/[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v) : JSON.stringify(v);
    out += `${out === '' ? '' : ' '}${k}=${s}`;
    if (out.length > max) {
      out = `${out.slice(0, max)}…`;
      break;
    }
  }
  item.extras = out;
  return out;
}

/** A record from a `records` frame as a list item. */
export function recordItem(rec: Record<string, unknown>, epoch: string, seq: number): RecordItem {
  const level = levelNumber(rec.level);
  return {
    kind: 'record',
    seq,
    offset: typeof rec.offset === 'number' ? rec.offset : -1,
    epoch,
    level,
    levelName: typeof rec.level === 'string' ? rec.level : String(rec.level ?? ''),
    layer: typeof rec.layer === 'string' ? rec.layer : '',
    time: typeof rec.timestamp === 'string' ? rec.timestamp : '',
    message: typeof rec.message === 'string' ? rec.message : JSON.stringify(rec.message ?? ''),
    rec,
  };
}

/**
 * What the page holds: every item received (oldest dropped past `max`) and the ones the list
 * shows (the filter applied here too, so a filter changed while paused applies at once).
 */
export class Store {
  items: Item[] = [];
  view: Item[] = [];
  received = 0;
  gaps = 0;
  dropped = 0;
  readonly layers = new Set<string>();
  #filter: Filter = EMPTY_FILTER;
  #match = compile(EMPTY_FILTER);
  #seq = 0;

  constructor(readonly max: number) {}

  nextSeq(): number {
    return this.#seq++;
  }

  /** Appends items (records and gaps, in arrival order); returns how many the list shows. */
  append(items: Item[]): number {
    let shown = 0;
    for (const it of items) {
      this.items.push(it);
      if (it.kind === 'record') {
        this.received++;
        if (it.layer !== '') this.layers.add(it.layer);
      } else this.gaps++;
      if (this.#shows(it)) {
        this.view.push(it);
        shown++;
      }
    }
    if (this.items.length > this.max + Math.ceil(this.max / 10)) this.#trim();
    return shown;
  }

  setFilter(f: Filter): void {
    this.#filter = f;
    this.#match = compile(f);
    this.view = this.items.filter((it) => this.#shows(it));
  }

  get filter(): Filter {
    return this.#filter;
  }

  /** Empties the list, and its counters. */
  clear(): void {
    this.items = [];
    this.view = [];
    this.received = this.gaps = this.dropped = 0;
  }

  #shows(it: Item): boolean {
    return it.kind === 'gap' || this.#match(it);
  }

  #trim(): void {
    const drop = this.items.length - this.max;
    const firstKept = this.items[drop]?.seq ?? 0;
    this.items = this.items.slice(drop);
    this.dropped += drop;
    let i = 0;
    while (i < this.view.length && (this.view[i] as Item).seq < firstKept) i++;
    if (i > 0) this.view = this.view.slice(i);
  }
}
