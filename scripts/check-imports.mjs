#!/usr/bin/env node
// Fails on any import cycle among a package's source files (type-only imports included: a cycle of
// types is still two rooms that cannot be read apart) and prints each cycle as a path of files.
// In the core it also fails on an import against the data path's direction (DATA_PATH below).
// Usage: node scripts/check-imports.mjs [srcDir …]  (default: every packages/*/src)
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dirs =
  process.argv.length > 2
    ? process.argv.slice(2).map((d) => path.resolve(d))
    : fs
        .readdirSync(path.join(root, 'packages'))
        .map((p) => path.join(root, 'packages', p, 'src'))
        .filter((d) => fs.existsSync(d));

// The core's data path, upstream first: a log call enters the facades (async/, logger/), the pipeline
// runs the processors (security/, plugins/) and hands the record to the destinations, which format
// it and write it. A room may import its own stage and the stages after it, never one before it:
// writers/ and formats/ know nothing of destinations, destinations nothing of the pipeline, the
// pipeline nothing of the loggers. Rooms off the path (config/, record/, metrics/, internal/,
// errors.ts) are free; the entries (index.ts, chunks/, internal/load-*.ts, http/) wire everything.
// Type-only imports are exempt: a stage implements contracts the stage before it defines (a
// processor implements pipeline/processor.ts's Processor).
const DATA_PATH = [
  ['async', 'logger'],
  ['pipeline'],
  ['security', 'plugins'],
  ['destinations'],
  ['formats', 'writers'],
];
const stageOf = (rel) => DATA_PATH.findIndex((rooms) => rooms.includes(rel.split(path.sep)[0]));

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ])
    if (fs.existsSync(c)) return c;
  return undefined;
}

let failed = false;
for (const dir of dirs) {
  const files = walk(dir);
  const graph = new Map();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const deps = new Set();
    for (const re of [IMPORT, DYNAMIC])
      for (const m of text.matchAll(re)) {
        const r = resolve(f, m[1]);
        if (r === undefined) continue;
        deps.add(r);
        if (path.basename(path.dirname(dir)) !== 'core' || /^\s*(?:import|export)\s+type\b/.test(m[0]))
          continue;
        const from = stageOf(path.relative(dir, f));
        const to = stageOf(path.relative(dir, r));
        if (from >= 0 && to >= 0 && to < from) {
          failed = true;
          console.error(
            `import against the data path in ${path.relative(root, dir)}: ${path.relative(dir, f)} imports ${path.relative(dir, r)} (${DATA_PATH[from].join('/')} is downstream of ${DATA_PATH[to].join('/')})`,
          );
        }
      }
    graph.set(f, [...deps]);
  }
  // Tarjan's strongly connected components, iterative (no recursion limit on large trees).
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const sccs = [];
  for (const start of files) {
    if (idx.has(start)) continue;
    const work = [[start, 0]];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    on.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const deps = graph.get(v) ?? [];
      if (i < deps.length) {
        top[1]++;
        const w = deps[i];
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          on.add(w);
          work.push([w, 0]);
        } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const comp = [];
        let w;
        do {
          w = stack.pop();
          on.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) sccs.push(comp);
      }
    }
  }
  for (const comp of sccs) {
    failed = true;
    const rel = comp.map((f) => path.relative(dir, f)).sort();
    console.error(`import cycle in ${path.relative(root, dir)} (${comp.length} files): ${rel.join(', ')}`);
  }
}
if (failed) process.exit(1);
