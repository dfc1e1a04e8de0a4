import { AgentsView, type LiveFrame } from './agents-view.js';
import { RateChart } from './chart.js';
import { BridgeClient, type ConnectionState } from './connection.js';
import { EMPTY_FILTER, type Filter, parseFields, parseLayers, sameFilter, toWire } from './filter.js';
import { renderJson } from './json-view.js';
import { LEVELS, levelIndex, levelNumber } from './levels.js';
import { extrasOf, type GapItem, type Item, recordItem, Store } from './store.js';
import { VirtualList } from './virtual-list.js';

/** Items the page keeps (the oldest go first beyond this). */
const MAX_ITEMS = 200_000;
/** Height of one row (px); the stylesheet's `--row-h` must match. */
const ROW_HEIGHT = 20;
const TOKEN_KEY = 'hydra.token';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

const ui = {
  state: $('state'),
  server: $('server'),
  pause: $<HTMLButtonElement>('pause'),
  form: $<HTMLFormElement>('filters'),
  layer: $<HTMLInputElement>('filter-layer'),
  layerList: $('layer-list'),
  level: $<HTMLSelectElement>('filter-level'),
  text: $<HTMLInputElement>('filter-text'),
  field: $<HTMLInputElement>('filter-field'),
  clear: $<HTMLButtonElement>('clear'),
  chart: $<HTMLCanvasElement>('chart'),
  legend: $('legend'),
  list: $('list'),
  empty: $('empty'),
  detail: $('detail'),
  detailTitle: $('detail-title'),
  detailJson: $('detail-json'),
  detailCopy: $<HTMLButtonElement>('detail-copy'),
  detailClose: $<HTMLButtonElement>('detail-close'),
  tabLogs: $<HTMLButtonElement>('tab-logs'),
  tabAgents: $<HTMLButtonElement>('tab-agents'),
  viewLogs: $('view-logs'),
  viewAgents: $('view-agents'),
  counts: $('counts'),
  message: $('message'),
  auth: $('auth'),
  authForm: $<HTMLFormElement>('auth-form'),
  authReason: $('auth-reason'),
  authToken: $<HTMLInputElement>('auth-token'),
};

// --- where the bridge is, and the token -------------------------------------------------------

const base = location.pathname.replace(/[^/]*$/, '');
const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${base}ws`;
const params = new URLSearchParams(location.search);
let token = params.get('token') ?? sessionStorage.getItem(TOKEN_KEY) ?? undefined;
if (params.has('token')) {
  // Keep the token out of the address bar, the history and screenshots.
  if (token !== undefined && token !== '') sessionStorage.setItem(TOKEN_KEY, token);
  params.delete('token');
  const q = params.toString();
  history.replaceState(null, '', `${location.pathname}${q === '' ? '' : `?${q}`}${location.hash}`);
}
if (token === '') token = undefined;

// --- state -------------------------------------------------------------------------------------

const store = new Store(MAX_ITEMS);
const chart = new RateChart(ui.chart, ui.legend);
let selectedItem: Item | undefined;
let detailItem: Item | undefined;
let connState: ConnectionState = { kind: 'connecting', attempt: 0 };

const list = new VirtualList<Item>(ui.list, ROW_HEIGHT, {
  create() {
    const row = document.createElement('div');
    row.className = 'row';
    row.setAttribute('role', 'option');
    for (const cls of ['t', 'lv', 'ly', 'm', 'x']) {
      const s = document.createElement('span');
      s.className = cls;
      row.appendChild(s);
    }
    return row;
  },
  fill(el, item) {
    const [t, lv, ly, m, x] = el.children as unknown as HTMLElement[];
    if (item.kind === 'record') {
      el.className = `row ${(LEVELS[levelIndex(item.level)] as (typeof LEVELS)[number]).cls}`;
      el.dataset.offset = String(item.offset);
      (t as HTMLElement).textContent = shortTime(item.time);
      (lv as HTMLElement).textContent = item.levelName;
      (ly as HTMLElement).textContent = item.layer;
      (m as HTMLElement).textContent = item.message.includes('\n')
        ? item.message.replace(/\r?\n/g, ' ⏎ ')
        : item.message;
      (x as HTMLElement).textContent = extrasOf(item);
    } else {
      el.className = 'row gap';
      el.dataset.offset = '';
      (t as HTMLElement).textContent = shortTime(new Date(item.at).toISOString());
      (lv as HTMLElement).textContent = 'GAP';
      (ly as HTMLElement).textContent = '';
      (m as HTMLElement).textContent = gapText(item);
      (x as HTMLElement).textContent =
        item.count > 0 && item.to >= item.from ? `offsets ${item.from}–${item.to}` : '';
    }
  },
});

list.onSelect = (_i, item) => {
  selectedItem = item;
  openDetail(item);
};
list.onFollowChange = () => scheduleUi();

function shortTime(iso: string): string {
  // 2026-01-02T03:04:05.678Z → 03:04:05.678
  return iso.length >= 23 && iso[10] === 'T' ? iso.slice(11, 23) : iso;
}

function gapText(g: GapItem): string {
  if (g.reason === 'epoch_changed')
    return g.count > 0
      ? `${g.count.toLocaleString('en-US')} records missed (epoch_changed: the bridge restarted)`
      : 'the bridge restarted with a new stream; records logged meanwhile may be missing (epoch_changed)';
  return `${g.count.toLocaleString('en-US')} records missed (${g.reason})`;
}

// --- the connection ----------------------------------------------------------------------------

const client = new BridgeClient(
  wsUrl,
  {
    state(s) {
      connState = s;
      showState();
      if (s.kind === 'auth') showAuth(s.reason);
      else if (s.kind === 'live' || s.kind === 'paused') ui.auth.hidden = true;
    },
    hello(h) {
      ui.server.textContent = `${h.serverId} · ${h.principal.role}`;
      ui.server.title = `server ${h.serverId}, epoch ${h.epoch}, signed in as ${h.principal.sub} (${h.principal.role})`;
    },
    records(records, epoch) {
      const items: Item[] = [];
      for (const r of records) {
        const it = recordItem(r, epoch, store.nextSeq());
        items.push(it);
        chart.add(Date.parse(it.time), it.level);
      }
      added(items);
    },
    gap(g, epoch) {
      const item: GapItem = {
        kind: 'gap',
        seq: store.nextSeq(),
        count: g.count,
        reason: g.reason,
        from: g.from,
        to: g.to,
        epoch,
        at: Date.now(),
      };
      added([item]);
    },
    problem(message) {
      say(message);
    },
    event(topic, data) {
      if (topic === 'agents') agentsView.apply(data as LiveFrame);
    },
  },
  token,
);
const agentsView = new AgentsView(ui.viewAgents);
client.watch(['agents']);

function added(items: Item[]): void {
  const beforeLayers = store.layers.size;
  const before = store.view.length;
  const shownNow = store.append(items);
  // The store dropped its oldest items: keep the rows on screen, and the selection, where they were.
  const removed = before + shownNow - store.view.length;
  if (removed > 0) {
    list.setItems(store.view);
    list.removedAbove(removed);
  }
  list.setItems(store.view);
  if (store.layers.size !== beforeLayers) updateLayerList();
  scheduleUi();
}

// --- header: state, pause, filters -------------------------------------------------------------

let countdown: ReturnType<typeof setInterval> | undefined;

function showState(): void {
  const s = connState;
  let text: string;
  let title = '';
  switch (s.kind) {
    case 'connecting':
      text = s.attempt > 0 ? `connecting… (attempt ${s.attempt + 1})` : 'connecting…';
      break;
    case 'live':
      text = 'live';
      break;
    case 'paused':
      text = s.connected ? 'paused' : 'paused · offline';
      break;
    case 'reconnecting':
      text = `reconnecting in ${Math.max(0, (s.at - Date.now()) / 1000).toFixed(1)} s (attempt ${s.attempt})`;
      title = s.reason;
      break;
    case 'auth':
      text = 'token needed';
      title = s.reason;
      break;
  }
  ui.state.textContent = text;
  ui.state.title = title;
  ui.state.dataset.state = s.kind;
  if (s.kind === 'reconnecting') countdown ??= setInterval(showState, 200);
  else if (countdown !== undefined) {
    clearInterval(countdown);
    countdown = undefined;
  }
  ui.pause.textContent = client.paused ? 'Resume' : 'Pause';
  ui.pause.setAttribute('aria-pressed', String(client.paused));
  ui.pause.classList.toggle('active', client.paused);
}

function togglePause(): void {
  if (client.paused) {
    client.resume();
    if (list.length > 0) list.toEnd();
  } else client.pause();
  showState();
}

function readFilter(): Filter | undefined {
  const fields = parseFields(ui.field.value);
  ui.field.classList.toggle('invalid', 'error' in fields);
  if ('error' in fields) {
    say(`field filter: ${fields.error}`);
    return undefined;
  }
  return {
    layers: parseLayers(ui.layer.value),
    minLevel: Number(ui.level.value) || 0,
    text: ui.text.value.trim(),
    fields: fields.fields,
  };
}

function applyFilter(): void {
  const f = readFilter();
  if (f === undefined || sameFilter(f, store.filter)) return;
  // Live: ask the bridge again (it filters, and backfills the last records that match).
  // Paused: narrow what is on screen now; the bridge gets the filter on resume, from the cursor.
  const fresh = !client.paused;
  store.setFilter(f);
  if (fresh) {
    store.clear();
    chart.reset();
    selectedItem = undefined;
    list.select(-1, false);
  } else if (selectedItem !== undefined) list.select(store.view.indexOf(selectedItem), false);
  list.setItems(store.view);
  if (fresh) list.toEnd();
  client.setFilter(toWire(f), fresh);
  say('');
  scheduleUi();
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;
function applyFilterSoon(): void {
  if (filterTimer !== undefined) clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 250);
}

for (const input of [ui.layer, ui.text, ui.field]) input.addEventListener('input', applyFilterSoon);
ui.level.addEventListener('change', applyFilter);
ui.form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (filterTimer !== undefined) clearTimeout(filterTimer);
  applyFilter();
});
ui.pause.addEventListener('click', togglePause);
ui.clear.addEventListener('click', clearList);

function clearList(): void {
  store.clear();
  selectedItem = undefined;
  list.select(-1, false);
  list.setItems(store.view);
  list.toEnd();
  scheduleUi();
}

function updateLayerList(): void {
  const opts = [...store.layers].sort().map((l) => {
    const o = document.createElement('option');
    o.value = l;
    return o;
  });
  ui.layerList.replaceChildren(...opts);
}

// --- detail ------------------------------------------------------------------------------------

function openDetail(item: Item): void {
  detailItem = item;
  ui.detail.hidden = false;
  ui.viewLogs.classList.add('with-detail');
  if (item.kind === 'record') {
    ui.detailTitle.textContent = `${item.levelName} · ${item.layer} · offset ${item.offset}`;
    renderJson(ui.detailJson, item.rec);
  } else {
    ui.detailTitle.textContent = `gap · ${item.reason}`;
    renderJson(ui.detailJson, {
      type: 'gap',
      count: item.count,
      reason: item.reason,
      from: item.from,
      to: item.to,
      epoch: item.epoch,
    });
  }
}

function closeDetail(): void {
  detailItem = undefined;
  ui.detail.hidden = true;
  ui.viewLogs.classList.remove('with-detail');
  ui.list.focus({ preventScroll: true });
}

ui.detailClose.addEventListener('click', closeDetail);
ui.detailCopy.addEventListener('click', () => {
  const it = detailItem;
  if (it === undefined) return;
  const text = JSON.stringify(it.kind === 'record' ? it.rec : it, null, 2);
  navigator.clipboard.writeText(text).then(
    () => say('copied'),
    () => {
      const range = document.createRange();
      range.selectNodeContents(ui.detailJson);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      say('selected: press Ctrl+C to copy');
    },
  );
});

// --- tabs --------------------------------------------------------------------------------------

function showTab(which: 'logs' | 'agents'): void {
  const logs = which === 'logs';
  ui.tabLogs.setAttribute('aria-selected', String(logs));
  ui.tabAgents.setAttribute('aria-selected', String(!logs));
  ui.viewLogs.hidden = !logs;
  ui.viewAgents.hidden = logs;
  document.body.classList.toggle('agents-tab', !logs);
  agentsView.setVisible(!logs);
  if (logs) list.refresh();
}
ui.tabLogs.addEventListener('click', () => showTab('logs'));
ui.tabAgents.addEventListener('click', () => showTab('agents'));

// --- auth --------------------------------------------------------------------------------------

function showAuth(reason: string): void {
  ui.authReason.textContent = reason;
  if (ui.auth.hidden) {
    ui.auth.hidden = false;
    ui.authToken.value = '';
    ui.authToken.focus();
  }
}

ui.authForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const t = ui.authToken.value.trim();
  if (t === '') return;
  sessionStorage.setItem(TOKEN_KEY, t);
  ui.auth.hidden = true;
  client.setToken(t);
});

// --- status bar --------------------------------------------------------------------------------

let uiFrame = 0;
function scheduleUi(): void {
  if (uiFrame !== 0) return;
  uiFrame = requestAnimationFrame(() => {
    uiFrame = 0;
    const n = (v: number) => v.toLocaleString('en-US');
    const parts = [`${n(store.received)} received`, `${n(store.view.length)} shown`];
    if (store.gaps > 0) parts.push(`${n(store.gaps)} ${store.gaps === 1 ? 'gap' : 'gaps'}`);
    if (store.dropped > 0) parts.push(`${n(store.dropped)} dropped (page keeps ${n(MAX_ITEMS)})`);
    if (!list.follow && list.length > 0) parts.push('scrolled · G to follow');
    ui.counts.textContent = parts.join(' · ');
    ui.counts.dataset.received = String(store.received);
    ui.counts.dataset.shown = String(store.view.length);
    ui.counts.dataset.gaps = String(store.gaps);
    ui.empty.hidden = store.view.length > 0;
    ui.empty.textContent = store.received > 0 ? 'No records match the filters.' : 'Waiting for records…';
  });
}

let messageTimer: ReturnType<typeof setTimeout> | undefined;
function say(text: string): void {
  ui.message.textContent = text;
  if (messageTimer !== undefined) clearTimeout(messageTimer);
  if (text !== '') messageTimer = setTimeout(() => (ui.message.textContent = ''), 8000);
}

// --- keyboard ----------------------------------------------------------------------------------

document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const target = ev.target as HTMLElement;
  const typing = target.matches('input, select, textarea');
  if (!ui.auth.hidden) return;
  if (typing) {
    if (ev.key === 'Escape') {
      target.blur();
      ui.list.focus({ preventScroll: true });
    }
    return;
  }
  const step = (d: number) => {
    const from = list.selected >= 0 ? list.selected : d > 0 ? -1 : list.length;
    const to = Math.max(0, Math.min(list.length - 1, from + d));
    if (list.length > 0) list.select(to);
  };
  switch (ev.key) {
    case '/':
      ui.text.focus();
      ui.text.select();
      break;
    case 'p':
      togglePause();
      break;
    case ' ':
      if (target.matches('button')) return;
      togglePause();
      break;
    case 'j':
    case 'ArrowDown':
      step(1);
      break;
    case 'k':
    case 'ArrowUp':
      step(-1);
      break;
    case 'PageDown':
      step(list.pageRows);
      break;
    case 'PageUp':
      step(-list.pageRows);
      break;
    case 'Enter':
      if (target.matches('button')) return;
      if (selectedItem !== undefined) openDetail(selectedItem);
      break;
    case 'Escape':
      if (detailItem !== undefined) closeDetail();
      else list.select(-1, false);
      break;
    case 'G':
    case 'End':
      list.toEnd();
      break;
    case 'g':
    case 'Home':
      list.toStart();
      break;
    case 'c':
      clearList();
      break;
    case '1':
      showTab('logs');
      break;
    case '2':
      showTab('agents');
      break;
    default:
      return;
  }
  ev.preventDefault();
});

// --- start -------------------------------------------------------------------------------------

const initial: Filter = {
  ...EMPTY_FILTER,
  layers: parseLayers(params.get('layer') ?? ''),
  minLevel: Number(params.get('level')) || levelNumber(params.get('level')),
  text: params.get('text') ?? '',
};
ui.layer.value = initial.layers.join(', ');
ui.level.value = String(initial.minLevel);
ui.text.value = initial.text;
if (!sameFilter(initial, EMPTY_FILTER)) {
  store.setFilter(initial);
  client.setFilter(toWire(initial), true);
}
setInterval(() => {
  chart.draw();
  scheduleUi();
}, 500);
showState();
scheduleUi();
client.start();
ui.list.focus({ preventScroll: true });

declare global {
  interface Window {
    /** For tests and the console: the page's store and list. */
    hydraDashboard?: { store: Store; list: VirtualList<Item>; client: BridgeClient };
  }
}
window.hydraDashboard = { store, list, client };
