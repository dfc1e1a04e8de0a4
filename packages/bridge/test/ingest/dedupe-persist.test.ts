import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from '../../src/index.js';

/** `(clientId, seq)` de-duplication across a bridge restart: journaled under `persist.dir`. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ingest(port: number, seq: number, n: number) {
  const records = Array.from({ length: n }, (_, i) => ({ level: 'INFO', message: `m${seq + i}` }));
  const res = await fetch(`http://127.0.0.1:${port}/hydra/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'page-1', seq, records }),
  });
  return (await res.json()) as { accepted: number; duplicates: number };
}

describe('ingest de-duplication with persist', () => {
  it('a resend to the restarted bridge is a duplicate; new records are accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-dedupe-'));
    dirs.push(dir);
    const a = createBridge({ persist: { dir }, dashboard: false });
    const { port } = await a.listen({ port: 0, host: '127.0.0.1' });
    expect(await ingest(port, 0, 10)).toMatchObject({ accepted: 10, duplicates: 0 });
    expect(await ingest(port, 20, 5)).toMatchObject({ accepted: 5, duplicates: 0 });
    await a.close();
    const b = createBridge({ persist: { dir }, dashboard: false });
    const { port: port2 } = await b.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await ingest(port2, 0, 10)).toMatchObject({ accepted: 0, duplicates: 10 });
      expect(await ingest(port2, 15, 10)).toMatchObject({ accepted: 5, duplicates: 5 });
      expect(await ingest(port2, 25, 5)).toMatchObject({ accepted: 5, duplicates: 0 });
    } finally {
      await b.close();
    }
  });

  it('without persist, a restarted bridge has forgotten (documented: at least once)', async () => {
    const a = createBridge({ dashboard: false });
    const { port } = await a.listen({ port: 0, host: '127.0.0.1' });
    expect(await ingest(port, 0, 3)).toMatchObject({ accepted: 3 });
    await a.close();
    const b = createBridge({ dashboard: false });
    const { port: port2 } = await b.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await ingest(port2, 0, 3)).toMatchObject({ accepted: 3, duplicates: 0 });
    } finally {
      await b.close();
    }
  });
});
