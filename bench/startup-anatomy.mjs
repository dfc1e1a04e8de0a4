/**
 * `npm run build && node bench/startup-anatomy.mjs [--runs 15]`: where the startup case's time
 * goes. Fresh processes, alternating, each timing `import` + a zero-config logger like the bench's
 * startup case, and noting whether a garbage collection ran inside that window:
 *
 *   hydra          as the bench measures it: hydra-logger is the first package the process resolves;
 *   hydra-warm     the same after `import.meta.resolve('yaml')` (a package with an `exports` map,
 *                  resolved but not loaded): Node's resolver pays a one-time cost (~2 ms here,
 *                  compiling the regular expressions that check `exports` targets) on the first
 *                  `exports` map of a process, and a program that imports any modern package
 *                  before hydra-logger has paid it already;
 *   pino           pino (its package.json has no `exports` map).
 *
 * Prints the median ms of each and how many runs had a GC inside the window.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);

const child = `
import { PerformanceObserver } from 'node:perf_hooks';
const gcs = [];
new PerformanceObserver((l) => gcs.push(...l.getEntries())).observe({ entryTypes: ['gc'] });
const which = process.argv[1];
if (which === 'hydra-warm') import.meta.resolve('yaml');
const t0 = performance.now();
if (which === 'pino') (await import('pino')).default();
else new (await import('hydra-logger')).HydraLogger();
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 20));
const gc = gcs.filter((e) => e.startTime >= t0 && e.startTime < t1).length;
process.stdout.write(JSON.stringify({ ms: t1 - t0, gc }));
`;

const kinds = ['hydra', 'hydra-warm', 'pino'];
const results = Object.fromEntries(kinds.map((k) => [k, []]));
for (let r = 0; r < RUNS; r++)
  for (const k of kinds) {
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', child, k], {
      cwd: new URL('.', import.meta.url),
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(`${k}: ${out.stderr}`);
    results[k].push(JSON.parse(out.stdout));
  }

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};
const ms = {};
for (const k of kinds) {
  ms[k] = median(results[k].map((x) => x.ms));
  const withGc = results[k].filter((x) => x.gc > 0).length;
  console.log(
    `${k.padEnd(11)} ${ms[k].toFixed(2)} ms (median of ${RUNS}); a GC inside the window in ${withGc}/${RUNS} runs`,
  );
}
console.log(
  `hydra ÷ pino ${(ms.hydra / ms.pino).toFixed(2)}×; hydra-warm ÷ pino ${(ms['hydra-warm'] / ms.pino).toFixed(2)}×`,
);
