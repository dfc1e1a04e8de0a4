/**
 * The workloads and the targets (P1–P9) of the benchmark, shared by the parent (what to verify,
 * how to report) and the worker (what to log). One record shape for every library, so the lines
 * are comparable.
 */

export const MESSAGE = 'request handled';
export const LAYER = 'APP';

/** Secret values of the redact case: distinctive strings, so a substring search of the output is a sound oracle. */
export const SECRETS = Object.freeze({
  password: 'hunter2-bench-pw-9f8e7d',
  token: 'tok_live_bench_4c3b2a1f',
});

/** A fresh copy per process: the worker snapshots it to prove the logger left the caller's object alone. */
export function makeFields(caseName) {
  const fields = {
    userId: 42,
    requestId: 'req-abc123',
    path: '/api/v1/items',
    status: 200,
    durationMs: 12.5,
  };
  return caseName === 'redact-2-keys' ? { ...fields, ...SECRETS } : fields;
}

/** Non-secret fields every JSON line must carry unchanged. */
export const EXPECTED_FIELDS = Object.freeze(makeFields('json-file'));

/**
 * `measure`: `throughput` (records/s, the clock stops when every line is written), `per-call`
 * (ns per disabled call), `startup` (ms to a ready logger in a fresh process).
 * `output`: what the parent verifies (`json`/`text` file, `devnull` counters, `empty` file, `ready`).
 */
export const CASES = Object.freeze({
  'json-file': {
    title: 'JSON lines to a file, default (buffered) mode',
    measure: 'throughput',
    output: 'json',
    target:
      'P1: ≥ 2.0× pino async destination and ≥ 1.5× pino worker transport; aim ≥ 0.7× the naive batched reference (JSON.stringify + 64 KiB batched writeSync). P8: peak RSS ≤ 0.6× pino async.',
    note: 'The `hydra-logger (worker mode)` row is the like-for-like comparison with pino’s worker transport: both format on the calling thread and write on a worker thread. pino’s transport clock includes sonic-boom’s close-time fsync (run in its worker, it cannot be left out); the destinations’ clocks stop at their last write.',
  },
  'json-file-sync': {
    title: 'JSON lines to a file, one write(2) per call',
    measure: 'throughput',
    output: 'json',
    target: 'P2: ≥ 1.1× pino sync destination.',
    note: 'Every row makes one write(2) per record and none fsyncs per record; the write(2) takes most of each row’s time, so the rows differ by their formatting only (see “Reading the figures”, P2).',
  },
  'json-devnull': {
    title: 'JSON lines to /dev/null, default mode',
    measure: 'throughput',
    output: 'devnull',
    target: 'none (shows the cost of formatting without the disk).',
    note: '/dev/null keeps nothing to count, so a run is verified by the library’s own counters where it has them (hydra: records logged, written, dropped; the baseline: its own count) and otherwise only by finishing without an exception.',
  },
  'text-file': {
    title: 'human-readable layered line to a file',
    measure: 'throughput',
    output: 'text',
    target: 'P3: ≥ 2× the fastest peer producing an equivalent line.',
    note: 'Every line must hold the layer `APP`, the message and every field value; peers use their closest plain layout (tslog prints the fields with util.inspect, not key=value).',
  },
  'redact-2-keys': {
    title: 'case json-file with two sensitive keys (password, token) masked',
    measure: 'throughput',
    output: 'json',
    secrets: true,
    target: 'P4: ≥ 1.5× pino with `redact`.',
    note: 'A run whose output contains either secret value fails. hydra first logs one probe record to a memory destination; if the probe leaks, redaction is not implemented and the row says so.',
  },
  'security-defaults': {
    title: 'case json-file with default security on (PII patterns over message and fields)',
    measure: 'throughput',
    output: 'json',
    target: 'P5: ≥ 150,000 records/s and ≥ 0.5× hydra json-file.',
    note: 'No peer scans for PII patterns by default. hydra first logs a probe record holding an e-mail address to a memory destination; if it comes out unmasked, the feature is not implemented and the row says so.',
  },
  'disabled-level': {
    title: '`debug` calls on an INFO logger',
    measure: 'per-call',
    output: 'empty',
    target: 'P6: ≤ 1.5× an empty function call.',
    note: 'The baseline row is an empty function called with the same arguments in the same loop shape. Each run makes one untimed pass of the loop first, then times a second one (steady state, after V8 has optimized the loop). The output file must stay empty.',
  },
  startup: {
    title: 'import + create a zero-config logger, in a fresh process',
    measure: 'startup',
    output: 'ready',
    target: 'P7: ≤ 0.7× pino.',
    note: '“import+create” runs from the top of the worker script (before the dynamic import of the adapter, which imports the library) to the logger being constructed; “since process start” adds Node’s own bootstrap (performance.now() is relative to timeOrigin). hydra/peer speed is the peer’s ms ÷ hydra’s, so P7 holds at ≥ 1.43×.',
  },
  'async-awaited': {
    title: '`await Promise.all(1,000 log calls)` in a loop, to a file',
    measure: 'throughput',
    output: 'json',
    target:
      'P9: hydra AsyncHydraLogger ≥ pino async throughput, every promise resolved after its line is written.',
    note: 'pino returns nothing to await: the same loop awaits its undefined results, and the clock stops when its destination has written its last byte.',
  },
});

export const CASE_NAMES = Object.freeze(Object.keys(CASES));
