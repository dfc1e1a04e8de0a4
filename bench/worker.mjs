/**
 * One (contender, case, run) in a fresh process. Usage: node bench/worker.mjs '<json spec>'.
 * Prints one `BENCH_RESULT {...}` line on stdout; the parent verifies the output file.
 * Only node: built-ins and the tiny shared cases module are imported statically, so the startup
 * case's clock (started on the first line of the body) covers the adapter's import of its
 * library and nothing of ours.
 */
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { LAYER, MESSAGE, makeFields } from './cases.mjs';

const t0 = performance.now();
const spec = JSON.parse(process.argv[2]);

/**
 * Peak RSS in KiB. On Linux, getrusage's maxRSS (`process.resourceUsage().maxRSS`) survives
 * execve, so a worker's figure starts at the parent's RSS when it was spawned; /proc's VmHWM
 * is the high-water mark of this process's own memory. Elsewhere maxRSS is all there is.
 */
function peakRssKiB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]);
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS;
}

function fileSize(path) {
  try {
    return fs.statSync(path).size;
  } catch (err) {
    if (err.code === 'ENOENT') return 0;
    throw err;
  }
}

function report(result) {
  const memory = { peakRssKiB: peakRssKiB(), maxRssKiB: process.resourceUsage().maxRSS };
  // Synchronous, then exit: no library's lingering handle or exit hook can hold the result back.
  fs.writeSync(1, `BENCH_RESULT ${JSON.stringify({ ...result, ...memory })}\n`);
  process.exit(0);
}

try {
  const { contenders } = await import(`./adapters/${spec.adapter}.mjs`);
  const caseFn = contenders.find((c) => c.name === spec.contender).cases[spec.case];
  if (spec.case === 'startup') {
    const logger = await caseFn();
    const t1 = performance.now();
    report({
      status: 'done',
      elapsedMs: t1 - t0,
      sinceStartMs: t1,
      ready: typeof logger?.info === 'function',
    });
  }
  const fields = makeFields(spec.case);
  const snapshot = structuredClone(fields);
  const handle = await caseFn({
    path: spec.path,
    n: spec.n,
    calls: spec.calls,
    fields,
    message: MESSAGE,
    layer: LAYER,
  });
  if (handle.na !== undefined) report({ status: 'n/a', reason: handle.na });
  // A disabled call costs about a nanosecond: one untimed pass first, so every library is timed
  // in its optimized steady state rather than partly while V8 is still compiling the loop.
  if (spec.case === 'disabled-level') await handle.run();
  const start = performance.now();
  await handle.run();
  const ran = performance.now();
  await handle.end();
  const ended = performance.now();
  // What the file held when the clock stopped: the parent checks it is the whole output, so no
  // contender's clock can stop before its last line reached the kernel.
  const bytesAtStop = spec.path === '/dev/null' ? undefined : fileSize(spec.path);
  // Work a library does after every line is handed to the kernel (pino's close-time fsync) is
  // not part of anyone's throughput: no other contender does it, and the output is verified after
  // this process exits anyway.
  await handle.dispose?.();
  report({
    status: 'done',
    // A disabled call writes nothing, so only the loop is timed; everywhere else the clock stops after end().
    elapsedMs: spec.case === 'disabled-level' ? ran - start : ended - start,
    counters: handle.counters?.(),
    bytesAtStop,
    callerObjectUnchanged: isDeepStrictEqual(fields, snapshot),
  });
} catch (err) {
  fs.writeSync(1, `BENCH_RESULT ${JSON.stringify({ status: 'error', error: String(err?.stack ?? err) })}\n`);
  process.exit(1);
}
