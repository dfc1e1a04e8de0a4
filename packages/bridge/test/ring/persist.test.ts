import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../src/index.js';
import { ready, record, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hydra-bridge-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('persist: { dir }', () => {
  it('keeps the epoch and the recent history across a restart; a client resumes with no gap and no repeat', async () => {
    const dir = tempDir();
    const first = await standalone({ persist: { dir } });
    for (let i = 0; i < 10; i++) first.bridge.publish(record(i));
    const c = await ready(first.port);
    c.send({ type: 'subscribe', sub: 's', since: { last: 10 } });
    await waitFor(() => c.records().length === 10, 'ten records');
    const epoch = first.bridge.epoch;
    await first.bridge.close();
    const second = await standalone({ persist: { dir } });
    cleanups.push(() => second.bridge.close());
    expect(second.bridge.epoch).toBe(epoch);
    expect(second.bridge.stats().ring).toMatchObject({ first: 0, next: 10, records: 10 });
    for (let i = 10; i < 13; i++) second.bridge.publish(record(i));
    const d = await ready(second.port);
    d.send({ type: 'subscribe', sub: 's', since: { epoch, offset: 7 } });
    await waitFor(() => d.records().length === 5, 'the resumed records');
    expect(d.records().map((r) => r.offset)).toEqual([8, 9, 10, 11, 12]);
    expect(d.records()[0]).toEqual(c.records()[8]);
    expect(d.of('gap')).toEqual([]);
  });

  it('keeps only the ring limits on disk (the file is rewritten when it holds twice the ring)', async () => {
    const dir = tempDir();
    const b = createBridge({ persist: { dir }, limits: { ringMaxRecords: 50 } });
    for (let i = 0; i < 500; i++) {
      b.publish(record(i));
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    await b.close();
    const lines = readFileSync(join(dir, 'ring.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(100);
    const again = createBridge({ persist: { dir }, limits: { ringMaxRecords: 50 } });
    cleanups.push(() => again.close());
    expect(again.stats().ring).toMatchObject({ first: 450, next: 500, records: 50 });
  });

  it('drops a torn last line; any other damage starts a new epoch', async () => {
    const dir = tempDir();
    const b = createBridge({ persist: { dir } });
    for (let i = 0; i < 3; i++) b.publish(record(i));
    const epoch = b.epoch;
    await b.close();
    appendFileSync(join(dir, 'ring.ndjson'), '{"timestamp":"2026-01-01T00:00:00.000Z","level":"IN');
    const torn = createBridge({ persist: { dir } });
    expect([torn.epoch, torn.stats().ring.next]).toEqual([epoch, 3]);
    await torn.close();
    const text = readFileSync(join(dir, 'ring.ndjson'), 'utf8');
    writeFileSync(join(dir, 'ring.ndjson'), text.replace('"offset":1}', '"offset":7}'));
    const damaged = createBridge({ persist: { dir } });
    cleanups.push(() => damaged.close());
    expect(damaged.epoch).not.toBe(epoch);
    expect(damaged.stats().ring.next).toBe(0);
  });

  it('after a SIGKILL, every offset a client saw is still there with the same record: no offset is reused', async () => {
    const dir = tempDir();
    const fixture = fileURLToPath(new URL('../fixtures/persist-child.mjs', import.meta.url));
    const child = spawn(process.execPath, [fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const info = await waitFor(
      () =>
        out.includes('\n')
          ? (JSON.parse(out.split('\n')[0] as string) as { port: number; epoch: string })
          : undefined,
      'the child',
    );
    const c = await ready(info.port);
    c.send({ type: 'subscribe', sub: 's', since: { epoch: info.epoch, offset: -1 } });
    await waitFor(() => c.records().length >= 1000, '1000 records');
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;
    const seen = c.records();
    const again = await standalone({ persist: { dir } });
    cleanups.push(() => again.bridge.close());
    expect(again.bridge.epoch).toBe(info.epoch);
    const last = seen.at(-1)?.offset as number;
    expect(again.bridge.stats().ring.next).toBeGreaterThan(last);
    const d = await ready(again.port);
    d.send({
      type: 'subscribe',
      sub: 's',
      since: { epoch: info.epoch, offset: (seen[0]?.offset as number) - 1 },
    });
    await waitFor(() => d.records().length >= seen.length, 'the history');
    expect(d.records().slice(0, seen.length)).toEqual(seen);
  });
});
