/** How a {@link VirtualList} draws its rows. */
export interface RowRenderer<T> {
  /** A new, empty row element (reused for many items). */
  create(): HTMLElement;
  /** Fills `el` for `item`; called only when the row shows another item than before. */
  fill(el: HTMLElement, item: T): void;
}

/** Rows drawn beyond each edge of the viewport. */
const OVERSCAN = 8;

/**
 * A list of fixed-height rows of which only the visible ones exist in the DOM: a sizer as tall
 * as every row together, and a small pool of absolutely positioned row elements moved into view
 * on scroll. Follows the end (a live tail) while scrolled to the bottom.
 */
export class VirtualList<T> {
  readonly #host: HTMLElement;
  readonly #sizer: HTMLElement;
  readonly #r: RowRenderer<T>;
  readonly #rowHeight: number;
  readonly #pool: HTMLElement[] = [];
  /** What each pooled element shows now. */
  readonly #shown = new WeakMap<HTMLElement, { item: T; index: number; selected: boolean }>();
  #items: readonly T[] = [];
  #frame = 0;
  #selected = -1;
  /** Scrolled to the end: new rows keep it there. */
  follow = true;
  onSelect: ((index: number, item: T) => void) | undefined;
  onFollowChange: ((follow: boolean) => void) | undefined;

  constructor(host: HTMLElement, rowHeight: number, renderer: RowRenderer<T>) {
    this.#host = host;
    this.#sizer = host.querySelector('.sizer') as HTMLElement;
    this.#rowHeight = rowHeight;
    this.#r = renderer;
    host.addEventListener('scroll', () => {
      const atEnd = host.scrollTop + host.clientHeight >= host.scrollHeight - this.#rowHeight / 2;
      if (atEnd !== this.follow) {
        this.follow = atEnd;
        this.onFollowChange?.(atEnd);
      }
      this.refresh();
    });
    new ResizeObserver(() => this.refresh()).observe(host);
    this.#sizer.addEventListener('click', (ev) => {
      const row = (ev.target as HTMLElement).closest('.row') as HTMLElement | null;
      const shown = row === null ? undefined : this.#shown.get(row);
      if (shown !== undefined) this.select(shown.index);
    });
  }

  get length(): number {
    return this.#items.length;
  }

  get selected(): number {
    return this.#selected;
  }

  /** The rows to show (the list keeps the array; call again after changing it). */
  setItems(items: readonly T[]): void {
    if (this.#selected >= items.length) this.#selected = -1;
    this.#items = items;
    this.refresh();
  }

  /** Selects row `index` (or none, -1), scrolls it into view, and tells `onSelect`. */
  select(index: number, notify = true): void {
    if (index >= this.#items.length) index = this.#items.length - 1;
    this.#selected = index;
    if (index >= 0) {
      this.scrollIntoView(index);
      if (notify) this.onSelect?.(index, this.#items[index] as T);
    }
    this.refresh();
  }

  scrollIntoView(index: number): void {
    const h = this.#host;
    const top = index * this.#rowHeight;
    if (top < h.scrollTop) h.scrollTop = top;
    else if (top + this.#rowHeight > h.scrollTop + h.clientHeight)
      h.scrollTop = top + this.#rowHeight - h.clientHeight;
  }

  /** `n` rows were removed above the current ones: keep the same rows on screen (unless following). */
  removedAbove(n: number): void {
    if (n <= 0 || this.follow) return;
    this.#host.scrollTop = Math.max(0, this.#host.scrollTop - n * this.#rowHeight);
    if (this.#selected >= 0) this.#selected = Math.max(-1, this.#selected - n);
  }

  /** Scrolls to the end and follows new rows again. */
  toEnd(): void {
    this.follow = true;
    this.onFollowChange?.(true);
    this.#host.scrollTop = this.#host.scrollHeight;
    this.refresh();
  }

  toStart(): void {
    this.follow = false;
    this.onFollowChange?.(false);
    this.#host.scrollTop = 0;
    this.refresh();
  }

  /** Rows that fit in the viewport. */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.#host.clientHeight / this.#rowHeight));
  }

  /** Redraws on the next animation frame (many calls, one draw). */
  refresh(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  #draw(): void {
    const h = this.#host;
    const rh = this.#rowHeight;
    const n = this.#items.length;
    const height = n * rh;
    if (this.#sizer.style.height !== `${height}px`) this.#sizer.style.height = `${height}px`;
    if (this.follow) h.scrollTop = Math.max(0, height - h.clientHeight);
    const first = Math.max(0, Math.floor(h.scrollTop / rh) - OVERSCAN);
    const last = Math.min(n, Math.ceil((h.scrollTop + h.clientHeight) / rh) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (this.#pool.length < count) {
      const el = this.#r.create();
      this.#pool.push(el);
      this.#sizer.appendChild(el);
    }
    for (let k = 0; k < this.#pool.length; k++) {
      const el = this.#pool[k] as HTMLElement;
      if (k >= count) {
        if (!el.hidden) el.hidden = true;
        this.#shown.delete(el);
        continue;
      }
      const index = first + k;
      const item = this.#items[index] as T;
      const selected = index === this.#selected;
      const was = this.#shown.get(el);
      const refill = was === undefined || was.item !== item;
      if (refill) this.#r.fill(el, item);
      if (was === undefined || was.index !== index) el.style.transform = `translateY(${index * rh}px)`;
      if (refill || was.selected !== selected) {
        el.classList.toggle('selected', selected);
        el.setAttribute('aria-selected', String(selected));
      }
      el.hidden = false;
      this.#shown.set(el, { item, index, selected });
    }
  }
}
