import { LEVELS, levelIndex } from './levels.js';

/** Seconds the chart shows. */
export const WINDOW_S = 60;
const SLOTS = WINDOW_S + 2;

/**
 * Records per second by level over the last minute, by each record's own timestamp (so a
 * backfill lands in the seconds it was logged), drawn as stacked bars on a canvas.
 */
export class RateChart {
  readonly #canvas: HTMLCanvasElement;
  /** counts[slot * 6 + level] for the second stamps[slot]. */
  readonly #counts = new Float64Array(SLOTS * LEVELS.length);
  readonly #stamps = new Float64Array(SLOTS).fill(-1);
  readonly #legendCells: HTMLElement[] = [];

  constructor(canvas: HTMLCanvasElement, legend: HTMLElement) {
    this.#canvas = canvas;
    for (const l of LEVELS) {
      const cell = document.createElement('span');
      cell.className = `lg ${l.cls}`;
      legend.appendChild(cell);
      this.#legendCells.push(cell);
    }
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Counts one record logged at `timeMs` with level number `level`. */
  add(timeMs: number, level: number): void {
    if (!Number.isFinite(timeMs)) return;
    const sec = Math.floor(timeMs / 1000);
    const now = Math.floor(Date.now() / 1000);
    if (sec <= now - SLOTS || sec > now + 1) return;
    const slot = sec % SLOTS;
    if (this.#stamps[slot] !== sec) {
      this.#stamps[slot] = sec;
      this.#counts.fill(0, slot * LEVELS.length, (slot + 1) * LEVELS.length);
    }
    const i = slot * LEVELS.length + levelIndex(level);
    this.#counts[i] = (this.#counts[i] as number) + 1;
  }

  reset(): void {
    this.#stamps.fill(-1);
    this.#counts.fill(0);
  }

  #count(sec: number, level: number): number {
    const slot = sec % SLOTS;
    return this.#stamps[slot] === sec ? (this.#counts[slot * LEVELS.length + level] as number) : 0;
  }

  /** Records per second over the last `seconds` full seconds, all levels. */
  rate(seconds = 5): number {
    const now = Math.floor(Date.now() / 1000);
    let sum = 0;
    for (let s = now - seconds; s < now; s++)
      for (let l = 0; l < LEVELS.length; l++) sum += this.#count(s, l);
    return sum / seconds;
  }

  draw(): void {
    const c = this.#canvas;
    const dpr = window.devicePixelRatio || 1;
    const cssW = c.clientWidth;
    const cssH = c.clientHeight;
    if (cssW === 0 || cssH === 0) return;
    if (c.width !== Math.round(cssW * dpr) || c.height !== Math.round(cssH * dpr)) {
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
    }
    const g = c.getContext('2d');
    if (g === null) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cssW, cssH);
    const now = Math.floor(Date.now() / 1000);
    const first = now - WINDOW_S + 1;
    let max = 1;
    for (let s = first; s <= now; s++) {
      let t = 0;
      for (let l = 0; l < LEVELS.length; l++) t += this.#count(s, l);
      if (t > max) max = t;
    }
    const top = niceCeil(max);
    const padL = 44;
    const padB = 6;
    const plotW = cssW - padL - 4;
    const plotH = cssH - padB - 6;
    // Grid: 0, half, top.
    g.font = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const frac of [0, 0.5, 1]) {
      const y = Math.round(6 + plotH * (1 - frac)) + 0.5;
      g.strokeStyle = frac === 0 ? '#30363d' : '#21262d';
      g.beginPath();
      g.moveTo(padL, y);
      g.lineTo(padL + plotW, y);
      g.stroke();
      g.fillStyle = '#7d8590';
      g.fillText(formatRate(top * frac), padL - 6, y);
    }
    const bw = plotW / WINDOW_S;
    for (let s = first; s <= now; s++) {
      const x = padL + (s - first) * bw;
      let y = 6 + plotH;
      for (let l = 0; l < LEVELS.length; l++) {
        const n = this.#count(s, l);
        if (n === 0) continue;
        const h = Math.max(1, (n / top) * plotH);
        g.fillStyle = (LEVELS[l] as (typeof LEVELS)[number]).colour;
        g.fillRect(x + 1, y - h, Math.max(1, bw - 2), h);
        y -= h;
      }
    }
    // Legend: the last 5 s, per level.
    for (let l = 0; l < LEVELS.length; l++) {
      let sum = 0;
      for (let s = now - 5; s < now; s++) sum += this.#count(s, l);
      (this.#legendCells[l] as HTMLElement).textContent =
        `${(LEVELS[l] as (typeof LEVELS)[number]).name} ${formatRate(sum / 5)}/s`;
    }
  }
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

export function formatRate(v: number): string {
  if (v >= 10_000) return `${Math.round(v / 1000)}k`;
  if (v >= 1000) return `${(v / 1000).toFixed(1)}k`;
  if (v >= 10 || v === 0) return String(Math.round(v));
  return v.toFixed(1);
}
