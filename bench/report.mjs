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

/** Figures that compare two cases rather than two libraries (SPEC §11 P5). */
function crossCaseNotes(c, all) {
  if (c.name !== 'security-defaults') return [];
  const sec = c.rows.find((r) => r.name === 'hydra');
  const base = all.find((x) => x.name === 'json-file')?.rows.find((r) => r.name === 'hydra');
  if (sec?.status !== 'ok' || base?.status !== 'ok') return [];
  return ['', `hydra security-defaults ÷ hydra json-file (medians): ${ratio(sec.median / base.median)}.`];
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

Measured by \`bench/\` on ${result.startedAt.toISOString().slice(0, 10)} (${result.startedAt.toISOString()}), ${int(o.n)} records per throughput run, ${o.runs} run${o.runs === 1 ? '' : 's'} per (library, case). Targets are those of SPEC §11.

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
