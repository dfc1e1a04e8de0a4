/**
 * Markdown for the console and for docs/performance.md: one table per case, then the page
 * around them (how to rerun, machine, versions, method).
 */
import os from 'node:os';

const int = (x) => Math.round(x).toLocaleString('en-US');
const fixed = (x, d = 2) => x.toFixed(d);
const ratio = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
const dash = '—';

/** `1.13× (0.98–1.21)`: a median and its min–max over runs (the range only when they differ). */
function ranged(med, min, max, fmt = ratio) {
  if (med === undefined) return dash;
  if (min === undefined || max === undefined || fmt(min) === fmt(max)) return fmt(med);
  const bare = (x) => fmt(x).replace(/(×|\/s)$/, '');
  return `${fmt(med)} (${bare(min)}–${bare(max)})`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median, min and max of per-run values; undefined when there are none. */
function spread(values) {
  if (values === undefined || values.length === 0) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

const fmtSpread = (x, fmt = ratio) => x && ranged(x.median, x.min, x.max, fmt);

/**
 * `f(runOfA, runOfB)` for every run index where both rows ran: the per-run comparisons whose
 * median and range the scoreboard reports (rows of one case share each run's stretch of noise).
 */
function perRun(a, b, f) {
  if (a === undefined || b === undefined) return undefined;
  const out = [];
  for (let i = 0; i < Math.min(a.runs.length, b.runs.length); i++) {
    if (a.runs[i]?.status === 'ok' && b.runs[i]?.status === 'ok') out.push(f(a.runs[i], b.runs[i]));
  }
  return out;
}

/** The verification cell: ok with what was checked, n/a with why, or FAIL with why. */
function verdict(row, runs) {
  if (row.status === 'n/a') return `n/a: ${row.reason}`;
  if (row.status === 'fail') return row.reason;
  return `ok ${row.runs.length}/${runs}: ${row.how}`;
}

function throughputTable(c) {
  const lines = [
    '| library | records/s (median) | min – max | peak RSS MiB (median) | hydra/peer speed, median (min–max) | hydra/peer RSS, median (min–max) | verification |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of c.rows) {
    if (row.status !== 'ok') {
      lines.push(
        `| ${row.label} | ${row.status === 'n/a' ? 'n/a' : 'FAIL'} | ${dash} | ${dash} | ${dash} | ${dash} | ${verdict(row, c.runs)} |`,
      );
      continue;
    }
    lines.push(
      `| ${row.label} | ${int(row.median)} | ${int(row.min)} – ${int(row.max)} | ${fixed(row.rssMiB, 1)} | ${ranged(row.speedRatio, row.speedMin, row.speedMax)} | ${ranged(row.rssRatio, row.rssMin, row.rssMax)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

function perCallTable(c) {
  const empty = c.rows.find((r) => r.name === 'baseline' && r.status === 'ok');
  const lines = [
    '| library | ns/call (median) | min – max | × empty call, median (min–max) | hydra/peer speed, median (min–max) | verification |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const row of c.rows) {
    if (row.status !== 'ok') {
      lines.push(
        `| ${row.label} | ${row.status === 'n/a' ? 'n/a' : 'FAIL'} | ${dash} | ${dash} | ${dash} | ${verdict(row, c.runs)} |`,
      );
      continue;
    }
    const times = fmtSpread(spread(perRun(row, empty, (r, e) => r.value / e.value))) ?? dash;
    lines.push(
      `| ${row.label} | ${fixed(row.median)} | ${fixed(row.min)} – ${fixed(row.max)} | ${times} | ${ranged(row.speedRatio, row.speedMin, row.speedMax)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

function startupTable(c) {
  const lines = [
    '| library | import+create ms (median) | min – max | since process start ms | peak RSS MiB | hydra/peer speed, median (min–max) | verification |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of c.rows) {
    if (row.status !== 'ok') {
      lines.push(
        `| ${row.label} | ${row.status === 'n/a' ? 'n/a' : 'FAIL'} | ${dash} | ${dash} | ${dash} | ${dash} | ${verdict(row, c.runs)} |`,
      );
      continue;
    }
    lines.push(
      `| ${row.label} | ${fixed(row.median)} | ${fixed(row.min)} – ${fixed(row.max)} | ${fixed(row.sinceStartMs, 1)} | ${fixed(row.rssMiB, 1)} | ${ranged(row.speedRatio, row.speedMin, row.speedMax)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

const TABLES = { throughput: throughputTable, 'per-call': perCallTable, startup: startupTable };

const okRow = (c, name) => {
  const row = c?.rows.find((r) => r.name === name);
  return row?.status === 'ok' ? row : undefined;
};

const speedOf = (x, y) => x.value / y.value;
const rssOf = (x, y) => x.rssKiB / y.rssKiB;

/** Figures that compare two cases (P5), hydra's modes with its defaults, and like-for-like rows. */
function crossCaseNotes(c, all) {
  const hydra = okRow(c, 'hydra');
  if (hydra === undefined) return [];
  if (c.name === 'security-defaults') {
    const base = okRow(
      all.find((x) => x.name === 'json-file'),
      'hydra',
    );
    const r = spread(perRun(hydra, base, speedOf));
    return r === undefined
      ? []
      : ['', `hydra security-defaults ÷ hydra json-file (run by run): ${fmtSpread(r)}.`];
  }
  const notes = [];
  const modes = [
    ['hydra-fast', 'highPerformanceMode'],
    ['hydra-bare', 'bareMetalMode'],
  ]
    .map(([name, label]) => [spread(perRun(okRow(c, name), hydra, speedOf)), label])
    .filter(([r]) => r !== undefined)
    .map(([r, label]) => `${label} ${fmtSpread(r)}`);
  if (modes.length > 0)
    notes.push('', `Modes ÷ hydra defaults (speed, run by run, > 1 = faster): ${modes.join(', ')}.`);
  const worker = okRow(c, 'hydra-worker');
  const pinoWorker = okRow(c, 'pino-worker');
  if (worker !== undefined && pinoWorker !== undefined)
    notes.push(
      '',
      `Like for like, hydra worker mode ÷ pino worker transport (run by run): speed ${fmtSpread(spread(perRun(worker, pinoWorker, speedOf)))}, peak RSS ${fmtSpread(spread(perRun(worker, pinoWorker, rssOf)))}.`,
    );
  const pinoSync = okRow(c, 'pino-sync');
  if (c.name === 'json-file' && pinoSync !== undefined && okRow(c, 'pino') !== undefined)
    notes.push(
      '',
      `Peak RSS, hydra ÷ pino (run by run): ${fmtSpread(spread(perRun(hydra, okRow(c, 'pino'), rssOf)))} against the async destination (P8), ${fmtSpread(spread(perRun(hydra, pinoSync, rssOf)))} against the sync destination. The async destination holds the burst in memory (see "Reading the figures"), the sync one holds nothing.`,
    );
  return notes;
}

/**
 * The scoreboard of the targets for one run: each target, its figure as median (min–max) over
 * the runs, and whether it holds (judged on the median; the count of runs that hold follows when
 * not all do). A target whose case was not run (or failed verification) shows as not measured.
 * Rows without a target are comparisons the targets alone would hide.
 */
export function targetRows(result) {
  const kase = (name) => result.cases.find((c) => c.name === name);
  const row = (caseName, name) => okRow(kase(caseName), name);
  /** hydra's speed ÷ the peer's, run by run (time cases: the peer's time ÷ hydra's). */
  const speed = (caseName, peer, hydraName = 'hydra') =>
    perRun(row(caseName, hydraName), row(caseName, peer), speedOf);
  const rows = [];
  const add = (id, target, values, test, fmt = ratio) => {
    const x = spread(values);
    let holds = dash;
    if (x !== undefined && test !== undefined) {
      const good = x.values.filter(test).length;
      holds = test(x.median) ? 'yes' : '**no**';
      if (good !== x.values.length) holds += `, ${good}/${x.values.length} runs`;
    } else if (x !== undefined) holds = 'no target';
    rows.push(`| ${id} | ${target} | ${x === undefined ? 'not measured' : fmtSpread(x, fmt)} | ${holds} |`);
  };
  add('P1', '≥ 2.0× pino async destination', speed('json-file', 'pino'), (v) => v >= 2);
  add('P1', '≥ 1.5× pino worker transport', speed('json-file', 'pino-worker'), (v) => v >= 1.5);
  add(
    'P1',
    'aim ≥ 0.7× the naive batched reference (JSON.stringify + 64 KiB writeSync baseline)',
    speed('json-file', 'baseline'),
    (v) => v >= 0.7,
  );
  add(
    '(P1)',
    'like for like: hydra `worker` mode ÷ pino worker transport',
    speed('json-file', 'pino-worker', 'hydra-worker'),
  );
  add(
    'P2',
    '≥ 1.1× pino sync destination (one write(2) per record)',
    speed('json-file-sync', 'pino-sync'),
    (v) => v >= 1.1,
  );
  const text = kase('text-file');
  const peers = (text?.rows ?? []).filter(
    (r) => r.status === 'ok' && !r.name.startsWith('hydra') && r.name !== 'baseline',
  );
  const fastest = peers.sort((x, y) => y.median - x.median)[0];
  add(
    'P3',
    `≥ 2× the fastest equivalent peer${fastest ? ` (${fastest.label})` : ''}`,
    fastest && speed('text-file', fastest.name),
    (v) => v >= 2,
  );
  add('P4', '≥ 1.5× pino with redact', speed('redact-2-keys', 'pino'), (v) => v >= 1.5);
  const sec = row('security-defaults', 'hydra');
  add(
    'P5',
    '≥ 150,000 records/s',
    sec?.runs.map((r) => r.value),
    (v) => v >= 150_000,
    (v) => `${int(v)}/s`,
  );
  add('P5', '≥ 0.5× P1 (hydra json-file)', perRun(sec, row('json-file', 'hydra'), speedOf), (v) => v >= 0.5);
  add(
    'P6',
    '≤ 1.5× an empty function call (time)',
    perRun(row('disabled-level', 'hydra'), row('disabled-level', 'baseline'), (h, e) => h.value / e.value),
    (v) => v <= 1.5,
  );
  add(
    'P7',
    '≤ 0.7× pino (import + create, time)',
    perRun(row('startup', 'hydra'), row('startup', 'pino'), (h, p) => h.value / p.value),
    (v) => v <= 0.7,
  );
  add(
    'P8',
    'peak RSS during P1 ≤ 0.6× pino async destination',
    perRun(row('json-file', 'hydra'), row('json-file', 'pino'), rssOf),
    (v) => v <= 0.6,
  );
  add(
    '(P8)',
    'peak RSS during P1 ÷ pino sync destination',
    perRun(row('json-file', 'hydra'), row('json-file', 'pino-sync'), rssOf),
  );
  add('P9', '≥ 1.0× pino async, awaited', speed('async-awaited', 'pino'), (v) => v >= 1);
  return [
    '| id | target | this run: median (min–max over runs) | holds (on the median) |',
    '|---|---|---:|---|',
    ...rows,
  ];
}

/**
 * The speed summary of README.md (between its `bench:summary` markers), from the same run as
 * docs/performance.md: each figure is the median of the run-by-run ratios, with its min–max.
 */
export function readmeSummary(result) {
  const o = result.options;
  const kase = (name) => result.cases.find((c) => c.name === name);
  const row = (caseName, name) => okRow(kase(caseName), name);
  const fig = (values, fmt) => fmtSpread(spread(values), fmt) ?? 'not measured';
  const speed = (caseName, peer, hydraName = 'hydra') =>
    fig(perRun(row(caseName, hydraName), row(caseName, peer), speedOf));
  const text = (kase('text-file')?.rows ?? []).filter(
    (r) => r.status === 'ok' && !r.name.startsWith('hydra') && r.name !== 'baseline',
  );
  const fastest = text.sort((x, y) => y.median - x.median)[0];
  const rss = (peer) => fig(perRun(row('json-file', 'hydra'), row('json-file', peer), rssOf));
  const startupTime = fig(
    perRun(row('startup', 'hydra'), row('startup', 'pino'), (h, p) => h.value / p.value),
  );
  return `Measured by the repo's own benchmark against pino, winston, bunyan, log4js and tslog in the same run,
every line verified on disk (\`npm run bench\`; the full tables, machine, method and what makes the
comparisons fair are in [docs/performance.md](docs/performance.md)).
${o.runs} runs on a ${machineInfo().cores}-core machine, Node ${process.versions.node.split('.')[0]}, ${int(o.n)} JSON records with five fields, default settings
(secrets redaction and PII scanning on); each figure is the median of the run-by-run ratios, with their min–max:

| workload | hydra-logger vs the peer |
|---|---|
| JSON lines to a file (default \`buffered\` mode) | ${speed('json-file', 'pino')} pino async destination, ${speed('json-file', 'pino-worker')} pino worker transport |
| the same with \`mode: 'worker'\` (writes on a worker thread) | ${speed('json-file', 'pino-worker', 'hydra-worker')} pino worker transport |
| JSON lines to a file, one write per call (\`mode: 'sync'\`) | ${speed('json-file-sync', 'pino-sync')} pino sync destination |
| plain-text layered line | ${fastest === undefined ? 'not measured' : `${speed('text-file', fastest.name)} ${fastest.label} (fastest peer with such a line)`} |
| two keys redacted | ${speed('redact-2-keys', 'pino')} pino with \`redact\` |
| \`await logger.info()\` (\`AsyncHydraLogger\`) | ${speed('async-awaited', 'pino')} pino async |
| \`import\` + create a logger | ${startupTime} pino's time |
| peak memory while logging | ${rss('pino')} pino async destination (which queues the whole burst), ${rss('pino-sync')} pino sync destination |

Figures move with the machine; read the ratios. Durability is a choice per destination (\`mode\`): the
table in docs/performance.md says what each mode costs and what a crash can lose.`;
}

/** The markdown of one case: heading, workload, table, target and notes. */
export function formatCase(c, result) {
  const { options: o } = result;
  const size =
    c.def.measure === 'throughput'
      ? `${int(o.n)} records`
      : c.def.measure === 'per-call'
        ? `${int(o.calls)} calls`
        : 'zero-config logger';
  const lines = [
    `### ${c.name}: ${c.def.title}`,
    '',
    `${size}, ${c.runs} run${c.runs === 1 ? '' : 's'}, each in a fresh process. Target: ${c.def.target}`,
    '',
    ...TABLES[c.def.measure](c),
    ...crossCaseNotes(c, result.cases),
  ];
  if (c.def.note !== undefined) lines.push('', c.def.note);
  return lines.join('\n');
}

export function formatTables(result) {
  return result.cases.map((c) => formatCase(c, result)).join('\n\n');
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** The targets, defined here so that the page stands alone. */
const TARGETS = `The targets are set for throughput workloads of 200,000 records, every library logging the same five-field object (\`userId\`, \`requestId\`, \`path\`, \`status\`, \`durationMs\`), each run in a fresh process; the case names are those of the result tables below.

| id | workload (case) | target |
|---|---|---|
| P1 | JSON lines to a file, default (buffered) mode (\`json-file\`) | ≥ 2.0× pino's async destination and ≥ 1.5× pino's worker transport; aim ≥ 0.7× the naive batched reference (JSON.stringify + 64 KiB batched writeSync, the \`baseline\` row) |
| P2 | JSON lines to a file, \`mode: 'sync'\`, one write(2) per record (\`json-file-sync\`) | ≥ 1.1× pino's sync destination |
| P3 | plain-text layered line to a file (\`text-file\`) | ≥ 2× the fastest peer producing an equivalent line |
| P4 | P1 with two sensitive keys redacted (\`redact-2-keys\`) | ≥ 1.5× pino with \`redact\` |
| P5 | P1 with default security on: PII patterns over message and fields (\`security-defaults\`) | ≥ 150,000 records/s and ≥ 0.5× P1 |
| P6 | a call at a disabled level (\`disabled-level\`) | ≤ 1.5× the time of an empty function call |
| P7 | import + create a zero-config logger (\`startup\`) | ≤ 0.7× pino's time |
| P8 | peak RSS during P1 (\`json-file\`) | ≤ 0.6× pino's async destination |
| P9 | \`AsyncHydraLogger\`, 1,000 concurrent \`await info()\` in a loop (\`async-awaited\`) | ≥ pino async throughput, every promise resolved after its line is written |

Rows in parentheses in the scoreboard, \`(P1)\` and \`(P8)\`, have no target: they are the like-for-like comparisons the targets alone would hide (see "Reading the figures").`;

const METHOD = `- Every (library, case, run) runs in a fresh child process (\`bench/worker.mjs\`); within a case, each run goes through every library in turn, so hydra and each peer share the same stretch of machine noise.
- The clock starts after the logger is created and its file is open, and stops only when every line has been handed to the kernel (write(2) returned): hydra \`close()\` (in \`worker\` mode: after the worker thread has written every line, closed the file and ended), pino destination \`end()\` until its last write (sonic-boom then starts its close), pino transport \`end()\` (which blocks until the worker's destination has closed) → \`'finish'\`, winston transport \`'finish'\` (after its file stream finished), bunyan stream \`'finish'\`, log4js \`shutdown()\`, tslog \`flush()\` + dispose of its file transport. No contender's clock includes an fsync except pino's worker transport, whose fsync runs inside the worker's close and cannot be separated (below).
- The parent then verifies the output: the file's size when the clock stopped (read by the worker right after) equal to its final size, so no clock stops before the last line is written; exact line count, a terminated last line, every line valid JSON (JSON cases) holding the message and the five fields, no secret (redact case), the caller's fields object deep-equal to its snapshot. A run that fails verification is reported as FAIL, never as a speed.
- Every ratio is computed run by run (hydra and the peer in the same run) and reported as the median over runs with its min–max in parentheses. hydra/peer speed is hydra's records/s ÷ the peer's, or the peer's time ÷ hydra's for the disabled-level and startup cases: > 1 always means hydra is faster (so P7's "≤ 0.7× pino" is a speed ≥ 1.43×). hydra/peer RSS is hydra's peak RSS ÷ the peer's (< 1: hydra smaller). A target holds when its median does; when some runs miss it, the scoreboard says how many held. Peak RSS is the worker process's own high-water mark (Linux: \`VmHWM\` from /proc/self/status, because getrusage's \`maxRSS\` survives execve and would start at the parent's RSS; elsewhere \`process.resourceUsage().maxRSS\`), Node's own baseline included (see the baseline row).
- Figures depend on the machine: read the ratios, not the absolute numbers.`;

/** What a reader needs to compare the rows fairly; the findings of the review of the benchmark. */
const READING = `- **The baseline is not a floor.** The \`baseline\` row is the naive way to write these lines with no logger: \`JSON.stringify\` of the record, appended to a string, one \`fs.writeSync\` per 64 KiB (per line in \`json-file-sync\`). hydra's formatter builds the line without \`JSON.stringify\` and beats it; the row is a yardstick for "how close to hand-written code", not a lower bound.
- **Peak RSS (P8) against pino's async and sync destinations.** The benchmark's burst never yields to the event loop. pino's async destination (sonic-boom, \`sync: false\`) queues each line and writes it with \`fs.write\` callbacks, which cannot run until the loop yields: it holds the whole burst in memory and its peak RSS grows with the burst. pino's sync destination writes every line before the call returns and holds nothing. hydra's default mode holds at most one 64 KiB batch. So P8 (against the async destination) mostly measures the async destination's queue; the \`(P8)\` row against the sync destination compares what the loggers themselves hold. There hydra's default mode peaks about 10 MiB higher: V8's young generation grows with the rate of allocation, which is higher when the lines come faster (run with \`node --max-semi-space-size=1\`, hydra's peak falls to the sync destination's), not data hydra keeps; its \`sync\` mode peaks where pino's sync destination does (\`json-file-sync\` table).
- **Worker threads, like for like.** P1 compares hydra's default (\`buffered\`) mode with pino's worker transport. The \`hydra-logger (worker mode)\` row is the like-for-like one: both format on the calling thread and write on a worker thread; the \`(P1)\` scoreboard row is its ratio. pino's transport clock includes the fsync sonic-boom runs when it closes (in the worker; 40–70 ms for 200,000 lines on the reference machine), which the other rows do not pay; hydra's worker row includes starting and ending its worker thread.
- **P2: what a write per record leaves to compare.** With one write(2) per record, hydra, pino's sync destination and the baseline all make exactly 200,000 write(2) calls (counted with \`strace -c\`), and neither hydra nor pino fsyncs per record. The lines differ a little: hydra writes 193 bytes (ISO timestamp, level name, layer), pino 176 (epoch milliseconds, pid, hostname). A CPU profile (\`node --cpu-prof bench/worker.mjs …\`) of either logger shows the write(2) itself taking about 90 % of the loop (hydra: 1,065 of 1,114 ms; pino: 1,168 of 1,227 ms, plus 50 ms of garbage collection against hydra's 20), so formatting, where the loggers differ, is what is left to gain: the ratio sits a few percent above 1 and moves with the machine's syscall cost. (Earlier versions of this benchmark stopped pino's destination clocks at its \`'close'\` event, after its close-time fsync: their pino ratios, P2 among them, were high by 5–8 %.)`;

/** How many runs the startup case had, when it differs from the others (its figures scatter most). */
function startupNote(result) {
  const startup = result.cases.find((c) => c.name === 'startup');
  return startup === undefined || startup.runs === result.options.runs ? '' : `, ${startup.runs} for startup`;
}

/** The whole of docs/performance.md. */
export function formatPage(result) {
  const m = machineInfo();
  const o = result.options;
  const versions = result.contenders
    .filter(
      (c, i, all) =>
        c.packageName !== undefined && all.findIndex((x) => x.packageName === c.packageName) === i,
    )
    .map((c) => `| ${c.packageName} | ${c.version} |`);
  return `# Performance

Measured by \`bench/\` on ${result.startedAt.toISOString().slice(0, 10)} (${result.startedAt.toISOString()}), ${int(o.n)} records per throughput run, ${o.runs} run${o.runs === 1 ? '' : 's'} per (library, case)${startupNote(result)}.

## Targets

${TARGETS}

## Scoreboard of the targets, this run

${targetRows(result).join('\n')}

Time ratios (P6, P7) are hydra's time ÷ the reference's (< 1: hydra faster); every other ratio is hydra's speed ÷ the peer's, or hydra's peak RSS ÷ the peer's (P8). Each figure is the median of the run-by-run ratios, with their min–max.

## Reading the figures

${READING}

## Durability and speed

What each write mode trades (docs/reliability.md has the whole table and the figures of the kill tests):

| mode | what a log call costs | what a SIGKILL can lose |
|---|---|---|
| \`buffered\` (default for files and piped stdout) | a copy into a 64 KiB batch; one write(2) per full batch, every 100 ms, and before every ERROR/CRITICAL | the lines since the last flush (< 64 KiB, ≤ 100 ms old); never an ERROR/CRITICAL nor anything before one |
| \`sync\` (default for a terminal) | one write(2) per record | nothing whose call returned (at most one torn final line) |
| \`worker\` | a copy into a batch; a worker thread does the write(2)s | the lines the worker had not written yet; never an ERROR or above nor anything before one |
| \`AsyncHydraLogger\` | a queue slot; the promise resolves after the line's write(2) | nothing whose promise resolved |

\`highPerformanceMode\` and \`bareMetalMode\` (docs/performance-modes.md) turn off PII scanning (and, for bare metal, key redaction of ordinary records); the \`hydra-logger (…Mode)\` rows and the "Modes ÷ hydra defaults" lines below show what that buys on this machine.

Startup (P7): \`import 'hydra-logger'\` compiles only the core bundle (its JavaScript carries no comments); the async logger, the worker-thread writer, configuration validation, network and stream destinations, plugins, the audit chain, pseudonymization and threat detection are chunks read on first use, heavy Node built-ins (crypto, tty, stream, zlib, worker_threads) load only with the features that need them, and the others are taken with \`process.getBuiltinModule\` rather than \`import\` (an \`import\` of a built-in builds an ES-module facade; five of them cost about 1 ms) (ARCHITECTURE.md, "Published bundle and chunks"). \`node bench/startup-anatomy.mjs\` shows two things this case does not: about 1.5 to 2.5 ms of hydra's time is Node's one-time cost of the first package \`exports\` map a process resolves (pino's package.json has none; a program that imports any package with one before hydra-logger has paid it already), and pino's startup includes a garbage collection in every run, hydra's in none.

## How to rerun

\`\`\`sh
npm run bench                                   # build, then every case, 5 runs; prints the tables
npm run bench -- --runs 3 --write               # … and rewrites this page
npm run build && node bench/run.mjs --n 20000 --runs 1 --cases json-file,text-file --libs hydra,pino
\`\`\`

Flags: \`--runs N\`, \`--n N\` (records per throughput run), \`--calls N\` (disabled-level calls), \`--cases a,b\`, \`--libs x,y\` (adapters such as \`pino\`, or single contenders: \`hydra\`, \`hydra-fast\`, \`hydra-bare\`, \`hydra-worker\`, \`pino\`, \`pino-sync\`, \`pino-worker\`, \`baseline\`, …), \`--write\` (rewrites this page and the speed summary of README.md).

## Machine

| CPU | cores | RAM | OS | Node |
|---|---:|---:|---|---|
| ${m.cpu} | ${m.cores} | ${m.ramGiB.toFixed(1)} GiB | ${m.os} | ${m.node} |

## Packages

| package | version |
|---|---|
${versions.join('\n')}

## Method

${METHOD}

## Results

${formatTables(result)}
`;
}
