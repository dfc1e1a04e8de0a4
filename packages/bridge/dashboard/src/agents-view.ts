/**
 * The Agents tab: the live graph of an `@hydra-logger/agents` tracker published on the bridge's
 * `agents` event topic (a `snapshot`, then `delta` frames once a second): a force-directed graph
 * (SVG, a small spring simulation of our own), a per-agent table and the alerts.
 */

interface LiveNode {
  id: string;
  name: string;
  role?: string;
  parentId?: string;
  state: string;
  stateAgeMs: number;
  messagesIn: number;
  messagesOut: number;
  errors: number;
  p95Ms: number;
  tokens: number;
  costUsd: number;
}
interface LiveEdge {
  from: string;
  to: string;
  count: number;
  rate: number;
  p95Ms: number;
  errors: number;
  tokens: number;
}
interface LiveAlert {
  kind: string;
  agents: string[];
  message: string;
  time: number;
}
export interface LiveFrame {
  kind: 'snapshot' | 'delta';
  time: number;
  nodes: LiveNode[];
  edges: LiveEdge[];
  alerts: LiveAlert[];
}

interface Pos {
  x: number;
  y: number;
  vx: number;
  vy: number;
  el: SVGGElement;
}

const SVG = 'http://www.w3.org/2000/svg';
const MAX_ALERTS = 100;
const STATE_CLASS: Record<string, string> = {
  working: 's-working',
  completed: 's-done',
  failed: 's-failed',
  canceled: 's-failed',
  rejected: 's-failed',
  'input-required': 's-wait',
  'auth-required': 's-wait',
};

export class AgentsView {
  readonly #nodes = new Map<string, LiveNode>();
  readonly #edges = new Map<string, LiveEdge>();
  readonly #pos = new Map<string, Pos>();
  readonly #lines = new Map<string, SVGLineElement>();
  readonly #alerts: LiveAlert[] = [];
  readonly #svg: SVGSVGElement;
  readonly #edgeLayer: SVGGElement;
  readonly #nodeLayer: SVGGElement;
  readonly #tbody: HTMLTableSectionElement;
  readonly #alertList: HTMLElement;
  readonly #summary: HTMLElement;
  #visible = false;
  #frame = 0;
  #heat = 1;

  constructor(root: HTMLElement) {
    root.classList.add('agents-live');
    const graph = el('div', 'ag-graph');
    this.#svg = document.createElementNS(SVG, 'svg');
    this.#svg.setAttribute('id', 'agents-graph');
    this.#svg.setAttribute('viewBox', '-500 -350 1000 700');
    this.#edgeLayer = document.createElementNS(SVG, 'g');
    this.#nodeLayer = document.createElementNS(SVG, 'g');
    this.#svg.append(this.#edgeLayer, this.#nodeLayer);
    this.#summary = el('div', 'ag-summary');
    this.#summary.id = 'agents-summary';
    this.#summary.textContent = 'Agents: none yet (a tracker publishes them with tracker.publishTo(bridge))';
    graph.append(this.#svg, this.#summary);
    const side = el('div', 'ag-side');
    const table = el('table', 'ag-table') as HTMLTableElement;
    table.id = 'agents-table';
    const head = table.createTHead().insertRow();
    for (const h of ['agent', 'state', 'in state', 'in', 'out', 'errors', 'p95 ms', 'tokens', 'cost $']) {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    }
    this.#tbody = table.createTBody();
    const tableBox = el('div', 'ag-table-box');
    tableBox.appendChild(table);
    const alertsBox = el('div', 'ag-alerts');
    const h = el('h3', '');
    h.textContent = 'Alerts';
    this.#alertList = el('ol', 'ag-alert-list');
    this.#alertList.id = 'agents-alerts';
    alertsBox.append(h, this.#alertList);
    side.append(tableBox, alertsBox);
    root.replaceChildren(graph, side);
  }

  /** Shown or hidden (the simulation and the table only run while shown). */
  setVisible(v: boolean): void {
    this.#visible = v;
    if (v) {
      this.#renderTable();
      this.#kick();
    }
  }

  apply(frame: LiveFrame): void {
    if (frame.kind === 'snapshot') {
      this.#nodes.clear();
      this.#edges.clear();
    }
    for (const n of frame.nodes) this.#nodes.set(n.id, n);
    for (const e of frame.edges) this.#edges.set(`${e.from}\u0000${e.to}`, e);
    for (const a of frame.alerts) {
      if (this.#alerts.some((x) => x.time === a.time && x.kind === a.kind && x.message === a.message))
        continue;
      this.#alerts.push(a);
      if (this.#alerts.length > MAX_ALERTS) this.#alerts.shift();
    }
    this.#sync();
    this.#renderAlerts();
    if (this.#visible) this.#renderTable();
    this.#heat = Math.max(this.#heat, frame.kind === 'snapshot' ? 1 : 0.3);
    this.#kick();
  }

  #sync(): void {
    for (const [id, n] of this.#nodes) {
      let p = this.#pos.get(id);
      if (p === undefined) {
        const g = document.createElementNS(SVG, 'g');
        g.setAttribute('class', 'ag-node');
        g.dataset.id = id;
        const c = document.createElementNS(SVG, 'circle');
        c.setAttribute('r', '9');
        const t = document.createElementNS(SVG, 'text');
        t.setAttribute('y', '-13');
        t.setAttribute('text-anchor', 'middle');
        g.append(c, t);
        const title = document.createElementNS(SVG, 'title');
        g.appendChild(title);
        this.#nodeLayer.appendChild(g);
        const a = Math.random() * Math.PI * 2;
        const r = 50 + Math.random() * 200;
        p = { x: Math.cos(a) * r, y: Math.sin(a) * r, vx: 0, vy: 0, el: g };
        this.#pos.set(id, p);
      }
      const [c, t, title] = p.el.children as unknown as [SVGCircleElement, SVGTextElement, SVGTitleElement];
      c.setAttribute('class', `${STATE_CLASS[n.state] ?? 's-other'}${n.errors > 0 ? ' has-errors' : ''}`);
      t.textContent = n.name;
      title.textContent = `${n.name} (${n.role ?? 'agent'}) · ${n.state} · in ${n.messagesIn} out ${n.messagesOut} · errors ${n.errors}`;
    }
    for (const [k, e] of this.#edges) {
      if (this.#lines.has(k)) continue;
      const l = document.createElementNS(SVG, 'line');
      l.setAttribute('class', 'ag-edge');
      this.#edgeLayer.appendChild(l);
      this.#lines.set(k, l);
      l.dataset.edge = `${e.from}>${e.to}`;
    }
    for (const [k, e] of this.#edges) {
      const l = this.#lines.get(k) as SVGLineElement;
      l.setAttribute('stroke-width', String(Math.min(6, 1 + Math.log10(1 + e.count))));
      l.classList.toggle('has-errors', e.errors > 0);
    }
    this.#summary.textContent = `${this.#nodes.size} agents · ${this.#edges.size} edges · ${this.#alerts.length} alerts`;
    this.#summary.dataset.nodes = String(this.#nodes.size);
  }

  #kick(): void {
    if (this.#frame !== 0 || !this.#visible) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#step();
      this.#draw();
      if (this.#heat > 0.02 && this.#visible) this.#kick();
    });
  }

  /** One step of the simulation: repulsion between nodes, springs along edges, a pull to the centre. */
  #step(): void {
    const ps = [...this.#pos.values()];
    const n = ps.length;
    // Past a few hundred nodes, repel only a sample of pairs per step (the layout settles slower).
    const stride = n > 300 ? Math.ceil(n / 300) : 1;
    for (let i = 0; i < n; i++) {
      const a = ps[i] as Pos;
      for (let j = i + 1 + ((i * 7) % stride); j < n; j += stride) {
        const b = ps[j] as Pos;
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 1) {
          dx = Math.random() - 0.5;
          dy = Math.random() - 0.5;
          d2 = 1;
        }
        const f = (500 * stride) / d2;
        a.vx += dx * f;
        a.vy += dy * f;
        b.vx -= dx * f;
        b.vy -= dy * f;
      }
    }
    for (const e of this.#edges.values()) {
      const a = this.#pos.get(e.from);
      const b = this.#pos.get(e.to);
      if (a === undefined || b === undefined) continue;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = ((d - 90) / d) * 0.02;
      a.vx += dx * f;
      a.vy += dy * f;
      b.vx -= dx * f;
      b.vy -= dy * f;
    }
    for (const p of ps) {
      p.vx -= p.x * 0.01;
      p.vy -= p.y * 0.014;
      p.x += Math.max(-20, Math.min(20, p.vx * this.#heat));
      p.y += Math.max(-20, Math.min(20, p.vy * this.#heat));
      p.x = Math.max(-480, Math.min(480, p.x));
      p.y = Math.max(-330, Math.min(330, p.y));
      p.vx *= 0.5;
      p.vy *= 0.5;
    }
    this.#heat *= 0.985;
  }

  #draw(): void {
    for (const [id, p] of this.#pos)
      if (this.#nodes.has(id))
        p.el.setAttribute('transform', `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
    for (const [k, l] of this.#lines) {
      const e = this.#edges.get(k);
      const a = e && this.#pos.get(e.from);
      const b = e && this.#pos.get(e.to);
      if (a === undefined || b === undefined) continue;
      l.setAttribute('x1', a.x.toFixed(1));
      l.setAttribute('y1', a.y.toFixed(1));
      l.setAttribute('x2', b.x.toFixed(1));
      l.setAttribute('y2', b.y.toFixed(1));
    }
  }

  #renderTable(): void {
    const rows = [...this.#nodes.values()].sort(
      (a, b) => b.messagesIn + b.messagesOut - (a.messagesIn + a.messagesOut),
    );
    const fmt = (v: number) => v.toLocaleString('en-US');
    const out = rows.slice(0, 500).map((n) => {
      const tr = document.createElement('tr');
      tr.dataset.id = n.id;
      const cells = [
        n.name,
        n.state,
        `${(n.stateAgeMs / 1000).toFixed(0)} s`,
        fmt(n.messagesIn),
        fmt(n.messagesOut),
        fmt(n.errors),
        n.p95Ms.toFixed(1),
        fmt(n.tokens),
        n.costUsd.toFixed(4),
      ];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.appendChild(td);
      }
      return tr;
    });
    this.#tbody.replaceChildren(...out);
  }

  #renderAlerts(): void {
    const items = this.#alerts
      .slice()
      .reverse()
      .map((a) => {
        const li = document.createElement('li');
        li.className = `ag-alert k-${a.kind}`;
        li.dataset.kind = a.kind;
        const t = el('span', 'ag-alert-time');
        t.textContent = new Date(a.time).toISOString().slice(11, 19);
        const m = el('span', 'ag-alert-msg');
        m.textContent = a.message;
        li.append(t, m);
        return li;
      });
    this.#alertList.replaceChildren(...items);
  }
}

function el(tag: string, cls: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls !== '') e.className = cls;
  return e;
}
