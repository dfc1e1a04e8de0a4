/**
 * Markdown for the console and for docs/performance.md: one table per case, then the page
 * around them (how to rerun, machine, versions, method).
 */
import os from 'node:os';

const int = (x) => Math.round(x).toLocaleString('en-US');
const fixed = (x, d = 2) => x.toFixed(d);
const ratio = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
const dash = '—';

/** The verification cell: ok with what was checked, n/a with why, or FAIL with why. */
function verdict(row, runs) {
  if (row.status === 'n/a') return `n/a: ${row.reason}`;
  if (row.status === 'fail') return row.reason;
  return `ok ${row.runs.length}/${runs}: ${row.how}`;
}

function throughputTable(c) {
  const lines = [
    '| library | records/s (median) | min – max | peak RSS MiB | hydra/peer speed | hydra/peer RSS | verification |',
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
      `| ${row.label} | ${int(row.median)} | ${int(row.min)} – ${int(row.max)} | ${fixed(row.rssMiB, 1)} | ${ratio(row.speedRatio)} | ${ratio(row.rssRatio)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

function perCallTable(c) {
  const empty = c.rows.find((r) => r.name === 'floor' && r.status === 'ok');
  const lines = [
    '| library | ns/call (median) | min – max | × empty call | hydra/peer speed | verification |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const row of c.rows) {
    if (row.status !== 'ok') {
      lines.push(
        `| ${row.label} | ${row.status === 'n/a' ? 'n/a' : 'FAIL'} | ${dash} | ${dash} | ${dash} | ${verdict(row, c.runs)} |`,
      );
      continue;
    }
    const times = empty === undefined ? dash : ratio(row.median / empty.median);
    lines.push(
      `| ${row.label} | ${fixed(row.median)} | ${fixed(row.min)} – ${fixed(row.max)} | ${times} | ${ratio(row.speedRatio)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

function startupTable(c) {
  const lines = [
    '| library | import+create ms (median) | min – max | since process start ms | peak RSS MiB | hydra/peer speed | verification |',
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
      `| ${row.label} | ${fixed(row.median)} | ${fixed(row.min)} – ${fixed(row.max)} | ${fixed(row.sinceStartMs, 1)} | ${fixed(row.rssMiB, 1)} | ${ratio(row.speedRatio)} | ${verdict(row, c.runs)} |`,
    );
  }
  return lines;
}

const TABLES = { throughput: throughputTable, 'per-call': perCallTable, startup: startupTable };

const okRow = (c, name) => {
  const row = c?.rows.find((r) => r.name === name);
  return row?.status === 'ok' ? row : undefined;
};

/** Figures that compare two cases (SPEC §11 P5) or hydra's modes with its defaults. */
function crossCaseNotes(c, all) {
  const hydra = okRow(c, 'hydra');
  if (hydra === undefined) return [];
  if (c.name === 'security-defaults') {
    const base = okRow(
      all.find((x) => x.name === 'json-file'),
      'hydra',
    );
    return base === undefined
      ? []
      : ['', `hydra security-defaults ÷ hydra json-file (medians): ${ratio(hydra.median / base.median)}.`];
  }
  const modes = [
    ['hydra-fast', 'highPerformanceMode'],
    ['hydra-bare', 'bareMetalMode'],
  ]
    .map(([name, label]) => [okRow(c, name), label])
    .filter(([row]) => row !== undefined)
    .map(([row, label]) => `${label} ${ratio(row.median / hydra.median)}`);
  return modes.length === 0
    ? []
    : ['', `Modes ÷ hydra defaults (medians, > 1 = faster): ${modes.join(', ')}.`];
}

/**
 * The SPEC §11 scoreboard of one run: each target, the figure reached and whether it holds.
 * A target whose case was not run (or failed verification) shows as not measured.
 */
export function targetRows(result) {
  const kase = (name) => result.cases.find((c) => c.name === name);
  const speed = (caseName, peer) => okRow(kase(caseName), peer)?.speedRatio;
  const rows = [];
  const add = (id, target, figure, holds) =>
    rows.push(
      `| ${id} | ${target} | ${figure ?? 'not measured'} | ${figure === undefined ? dash : holds ? 'yes' : '**no**'} |`,
    );
  const p1a = speed('json-file', 'pino');
  const p1w = speed('json-file', 'pino-worker');
  const p1f = speed('json-file', 'floor');
  add('P1', '≥ 2.0× pino async', p1a && ratio(p1a), p1a >= 2);
  add('P1', '≥ 1.5× pino worker transport', p1w && ratio(p1w), p1w >= 1.5);
  add('P1', 'aim ≥ 0.7× the floor', p1f && ratio(p1f), p1f >= 0.7);
  const p2 = speed('json-file-sync', 'pino-sync');
  add('P2', '≥ 1.1× pino sync', p2 && ratio(p2), p2 >= 1.1);
  const text = kase('text-file');
  const peers = (text?.rows ?? []).filter(
    (r) => r.status === 'ok' && !r.name.startsWith('hydra') && r.name !== 'floor',
  );
  const fastest = peers.sort((x, y) => y.median - x.median)[0];
  add(
    'P3',
    '≥ 2× the fastest equivalent peer',
    fastest && `${ratio(fastest.speedRatio)} (${fastest.label})`,
    fastest?.speedRatio >= 2,
  );
  const p4 = speed('redact-2-keys', 'pino');
  add('P4', '≥ 1.5× pino with redact', p4 && ratio(p4), p4 >= 1.5);
  const sec = okRow(kase('security-defaults'), 'hydra');
  const base = okRow(kase('json-file'), 'hydra');
  add('P5', '≥ 150,000 records/s', sec && `${int(sec.median)}/s`, sec?.median >= 150_000);
  add(
    'P5',
    '≥ 0.5× P1',
    sec && base && ratio(sec.median / base.median),
    sec && base && sec.median / base.median >= 0.5,
  );
  const dis = kase('disabled-level');
  const call = okRow(dis, 'hydra');
  const empty = okRow(dis, 'floor');
  add(
    'P6',
    '≤ 1.5× an empty call',
    call && empty && ratio(call.median / empty.median),
    call && empty && call.median / empty.median <= 1.5,
  );
  const p7 = speed('startup', 'pino');
  add('P7', '≤ 0.7× pino (import + create)', p7 && ratio(1 / p7), p7 && 1 / p7 <= 0.7);
  const p8 = okRow(kase('json-file'), 'pino')?.rssRatio;
  add('P8', 'peak RSS ≤ 0.6× pino async', p8 && ratio(p8), p8 <= 0.6);
  const p9 = speed('async-awaited', 'pino');
  add('P9', '≥ 1.0× pino async, awaited', p9 && ratio(p9), p9 >= 1);
  return ['| id | target | this run | holds |', '|---|---|---:|---|', ...rows];
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
    `${size}, ${c.runs} run${c.runs === 1 ? '' : 's'}, each in a fresh process. Target (SPEC §11): ${c.def.target}`,
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

const METHOD = `- Every (library, case, run) runs in a fresh child process (\`bench/worker.mjs\`); within a case, each run goes through every library in turn, so hydra and each peer share the same stretch of machine noise.
- The clock starts after the logger is created and its file is open, and stops only when every line has been handed to the kernel: hydra \`close()\`, pino destination \`end()\` → \`'close'\`, pino transport \`end()\` (which blocks until the worker's destination has closed) → \`'finish'\`, winston transport \`'finish'\` (after its file stream finished), bunyan stream \`'finish'\`, log4js \`shutdown()\`, tslog \`flush()\` + dispose of its file transport.
- The parent then verifies the output: exact line count, a terminated last line, every line valid JSON (JSON cases) holding the message and the five fields, no secret (redact case), the caller's fields object deep-equal to its snapshot. A run that fails verification is reported as FAIL, never as a speed.
- Medians over the runs; ranges are min – max. hydra/peer speed is the median over runs of hydra's records/s ÷ the peer's in the same run, or of the peer's time ÷ hydra's for the disabled-level and startup cases: > 1 always means hydra is faster (so P7's "≤ 0.7× pino" is a speed ≥ 1.43×). hydra/peer RSS is hydra's peak RSS ÷ the peer's (< 1: hydra smaller). Peak RSS is the worker process's own high-water mark (Linux: \`VmHWM\` from /proc/self/status, because getrusage's \`maxRSS\` survives execve and would start at the parent's RSS; elsewhere \`process.resourceUsage().maxRSS\`), Node's own baseline included (see the floor row).
- Figures depend on the machine: read the ratios, not the absolute numbers.`;

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

Measured by \`bench/\` on ${result.startedAt.toISOString().slice(0, 10)} (${result.startedAt.toISOString()}), ${int(o.n)} records per throughput run, ${o.runs} run${o.runs === 1 ? '' : 's'} per (library, case)${startupNote(result)}. Targets are those of SPEC §11.

## Targets (SPEC §11), this run

${targetRows(result).join('\n')}

Time ratios (P6, P7) are hydra's time ÷ the reference's (< 1: hydra faster); every other ratio is hydra's speed ÷ the peer's.

## Durability and speed

What each write mode trades (docs/reliability.md has the whole table and the figures of the kill tests):

| mode | what a log call costs | what a SIGKILL can lose |
|---|---|---|
| \`buffered\` (default for files and piped stdout) | a copy into a 64 KiB batch; one write(2) per full batch, every 100 ms, and before every ERROR/CRITICAL | the lines since the last flush (< 64 KiB, ≤ 100 ms old); never an ERROR/CRITICAL nor anything before one |
| \`sync\` (default for a terminal) | one write(2) per record | nothing whose call returned (at most one torn final line) |
| \`worker\` | a copy into a batch; a worker thread does the write(2)s | the lines the worker had not written yet; never an ERROR or above nor anything before one |
| \`AsyncHydraLogger\` | a queue slot; the promise resolves after the line's write(2) | nothing whose promise resolved |

\`highPerformanceMode\` and \`bareMetalMode\` (docs/performance-modes.md) turn off PII scanning (and, for bare metal, key redaction of ordinary records); the \`hydra-logger (…Mode)\` rows and the "Modes ÷ hydra defaults" lines below show what that buys on this machine.

Startup (P7): \`import 'hydra-logger'\` compiles only the core bundle; the async logger and the worker-thread writer are chunks read on first use, and heavy Node built-ins (crypto, tty, stream, zlib, worker_threads) load only with the features that need them (ARCHITECTURE.md, "Published bundle and chunks").

## How to rerun

\`\`\`sh
npm run bench                                   # build, then every case, 5 runs; prints the tables
npm run bench -- --runs 3 --write               # … and rewrites this page
npm run build && node bench/run.mjs --n 20000 --runs 1 --cases json-file,text-file --libs hydra,pino
\`\`\`

Flags: \`--runs N\`, \`--n N\` (records per throughput run), \`--calls N\` (disabled-level calls), \`--cases a,b\`, \`--libs x,y\` (adapters such as \`pino\`, or single contenders such as \`pino-sync\`), \`--write\`.

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
