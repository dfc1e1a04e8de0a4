/**
 * `npm run bench` (builds first) or `node bench/run.mjs [flags]`: runs the benchmark, prints one
 * markdown table per case, and with `--write` rewrites docs/performance.md and the speed summary
 * of README.md (between its `bench:summary` markers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './harness.mjs';
import { formatPage, formatTables, machineInfo, readmeSummary, targetRows } from './report.mjs';

const USAGE = `usage: node bench/run.mjs [--runs N] [--n N] [--calls N] [--cases a,b] [--libs x,y] [--write]`;

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    n: { type: 'string' },
    calls: { type: 'string' },
    cases: { type: 'string' },
    libs: { type: 'string' },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function count(name) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const x = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(x) || x < 1) {
    console.error(`--${name} expects a positive integer, got ${JSON.stringify(raw)}\n${USAGE}`);
    process.exit(2);
  }
  return x;
}

const list = (raw) =>
  raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const m = machineInfo();
console.error(`${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB, Node ${m.node}`);
let result;
try {
  result = await runBench({
    runs: count('runs'),
    n: count('n'),
    calls: count('calls'),
    cases: list(values.cases),
    libs: list(values.libs),
    onProgress: (line) => console.error(line),
  });
} catch (err) {
  // Unknown case or library names: say which, without a stack trace.
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
console.log(
  '\nhydra/peer speed > 1: hydra faster (time ratios are inverted so this always holds); hydra/peer RSS < 1: hydra smaller.',
);
console.log(
  `\n${formatTables(result)}\n\nScoreboard of the targets (P1–P9, defined in docs/performance.md), this run:\n\n${targetRows(result).join('\n')}\n`,
);

if (values.write) {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = path.join(root, 'docs', 'performance.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The hand-written sections after the generated page (the live bridge's figures from
  // bench/bridge.mjs, multi-agent tracking from bench/agents.mjs …), from this marker to the end, are kept.
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const KEEP_START = '<!-- bench:bridge:start -->';
  const k0 = old.indexOf(KEEP_START);
  const kept = k0 !== -1 ? `\n${old.slice(k0).trimEnd()}\n` : '';
  fs.writeFileSync(file, `${formatPage(result).trimEnd()}\n${kept}`);
  console.error(`wrote ${path.relative(process.cwd(), file)}`);
  const readme = path.join(root, 'README.md');
  const START = '<!-- bench:summary:start -->';
  const END = '<!-- bench:summary:end -->';
  const text = fs.readFileSync(readme, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a === -1 || b < a) console.error(`README.md: no ${START} … ${END} markers, speed summary not updated`);
  else {
    fs.writeFileSync(
      readme,
      `${text.slice(0, a + START.length)}\n${readmeSummary(result)}\n${text.slice(b)}`,
    );
    console.error('wrote the speed summary of README.md');
  }
}
