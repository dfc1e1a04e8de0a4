// The spool across processes: a process that ends while the receiver is down leaves its batches in
// the spool; the next process with the same spool dir sends them first, in order, exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { Intake } from './http-intake.js';

const dirs: string[] = [];
const intakes: Intake[] = [];
afterEach(async () => {
  await Promise.all(intakes.splice(0).map((i) => i.kill()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function deadPort(): Promise<number> {
  const i = await new Intake().start();
  const p = i.port;
  await i.kill();
  return p;
}

describe('spool across processes', () => {
  it('a new process replays the spool an exited one left, before its own records: 0 lost, 0 duplicated', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-spool-proc-'));
    dirs.push(dir);
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}/ingest`;
    const first = await runFixture('network-spool.mjs', { url, dir, from: 0, to: 250, mode: 'exit' });
    expect(first.code, first.stderr).toBe(0);
    const m1 = first.metrics?.destinations.out as Record<string, number>;
    expect(m1).toMatchObject({ produced: 250, delivered: 0, pending: 250, spooled: 250 });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.batch')).length).toBeGreaterThan(0);

    const intake = await new Intake().start(port);
    intakes.push(intake);
    const second = await runFixture('network-spool.mjs', { url, dir, from: 250, to: 300, mode: 'deliver' });
    expect(second.code, second.stderr).toBe(0);
    const m2 = second.metrics?.destinations.out as Record<string, number>;
    expect(m2).toMatchObject({ records: 50, recovered: 250, produced: 300, delivered: 300, pending: 0 });
    expect(intake.records.map((r) => r.seq)).toEqual([...Array(300).keys()]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('without a spool, records left at exit are counted and reported on stderr', async () => {
    const port = await deadPort();
    const r = await runFixture('network-spool.mjs', {
      url: `http://127.0.0.1:${port}/ingest`,
      from: 0,
      to: 40,
      mode: 'exit',
      maxAttempts: 1000,
    });
    expect(r.code).toBe(0);
    const m = r.metrics?.destinations.out as Record<string, unknown>;
    const dropped = m.dropped as Record<string, number>;
    expect(m).toMatchObject({ produced: 40, delivered: 0, pending: 0 });
    expect(dropped).toEqual({ exit: 40 });
    expect(r.otherStderr.join('\n')).toMatch(/40 records not delivered when the process exited/);
  });
});
