import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanEnv, LiveHydra, tempDir, waitFor } from './helpers.js';

const { dir, remove } = tempDir('hydra-serve-');
afterAll(remove);

const rec = (message: string, fields: Record<string, unknown> = {}) =>
  `${JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level: 'WARNING', layer: 'DB', message, ...fields })}\n`;

/** The port in `hydra serve`'s first line. */
function portOf(stdout: string): number {
  const m = stdout.match(/dashboard at http:\/\/127\.0\.0\.1:(\d+)\/hydra\//);
  if (m === null) throw new Error(`no address in ${stdout}`);
  return Number(m[1]);
}

interface RecordFrame {
  type: string;
  records?: Array<Record<string, unknown>>;
}

describe('hydra serve', () => {
  it('serves the dashboard, streams tailed lines (backfill and appended, redacted) over WebSocket, and stops with exit 0 on SIGTERM', async () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, rec('already there'));
    const live = new LiveHydra(['serve', '--port', '0', '--tail', file]);
    let ws: WebSocket | undefined;
    try {
      await live.waitFor((s) => s.includes('WebSocket at'), 'the address lines');
      const port = portOf(live.stdout);
      const page = await fetch(`http://127.0.0.1:${port}/hydra/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');

      const records: Array<Record<string, unknown>> = [];
      ws = new WebSocket(`ws://127.0.0.1:${port}/hydra/ws`, ['hydra.v1']);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as RecordFrame & { type: string };
        if (frame.type === 'hello')
          ws?.send(JSON.stringify({ type: 'subscribe', sub: 's', since: { last: 100 } }));
        if (frame.type === 'records') records.push(...(frame.records ?? []));
      });
      await waitFor(
        () => records.some((r) => r.message === 'already there'),
        () => JSON.stringify(records),
      );
      fs.appendFileSync(file, rec('appended', { password: 'hunter2' }));
      fs.appendFileSync(file, 'a plain line\n');
      await waitFor(
        () => records.some((r) => r.message === 'a plain line'),
        () => JSON.stringify(records),
      );
      const appended = records.find((r) => r.message === 'appended');
      expect(appended).toMatchObject({ level: 'WARNING', layer: 'DB', password: '[REDACTED]' });
      expect(records.find((r) => r.message === 'a plain line')).toMatchObject({
        level: 'INFO',
        file: 'app.log',
      });
    } finally {
      ws?.close();
      const { code, signal } = await live.stop('SIGTERM');
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    }
    expect(live.stderr).toContain('stopped (SIGTERM)');
  });

  it('publishes lines piped to stdin (hydra, pino and bunyan JSON lines, redacted; other lines as messages) and keeps serving after stdin ends', async () => {
    const live = new LiveHydra(['serve', '--port', '0']);
    let ws: WebSocket | undefined;
    try {
      await live.waitFor((s) => s.includes('WebSocket at'), 'the address lines');
      const port = portOf(live.stdout);
      const records: Array<Record<string, unknown>> = [];
      ws = new WebSocket(`ws://127.0.0.1:${port}/hydra/ws`, ['hydra.v1']);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as RecordFrame & { type: string };
        if (frame.type === 'hello')
          ws?.send(JSON.stringify({ type: 'subscribe', sub: 's', since: { last: 100 } }));
        if (frame.type === 'records') records.push(...(frame.records ?? []));
      });
      live.child.stdin.write(rec('from hydra', { password: 'hunter2' }));
      live.child.stdin.write(
        `${JSON.stringify({ level: 40, time: 1767225600000, pid: 1, hostname: 'h', msg: 'from pino', userId: 7 })}\n`,
      );
      // A line written in two parts is one record.
      const bunyan = `${JSON.stringify({ name: 'app', hostname: 'h', pid: 1, level: 50, msg: 'from bunyan', time: '2026-01-01T00:00:00.000Z', v: 0 })}\n`;
      live.child.stdin.write(bunyan.slice(0, 25));
      await waitFor(
        () => records.some((r) => r.message === 'from pino'),
        () => JSON.stringify(records),
      );
      live.child.stdin.write(bunyan.slice(25));
      live.child.stdin.end('not json at all\nlast line without newline');
      await waitFor(
        () => records.some((r) => r.message === 'last line without newline'),
        () => JSON.stringify(records),
      );
      await live.waitForStderr((s) => s.includes('stdin ended, still serving'), 'the end-of-stdin notice');
      expect(records.map((r) => r.message)).toEqual([
        'from hydra',
        'from pino',
        'from bunyan',
        'not json at all',
        'last line without newline',
      ]);
      expect(records[0]).toMatchObject({ level: 'WARNING', layer: 'DB', password: '[REDACTED]' });
      expect(records[1]).toMatchObject({ level: 'WARNING', userId: 7 });
      expect(records[2]).toMatchObject({ level: 'ERROR' });
      expect(records[3]).toMatchObject({ level: 'INFO', layer: 'DEFAULT' });
      expect(records[3]).not.toHaveProperty('file');
      // Still serving once stdin has ended.
      expect((await fetch(`http://127.0.0.1:${port}/hydra/health`)).status).toBe(200);
    } finally {
      ws?.close();
      const { code, signal } = await live.stop('SIGTERM');
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    }
  });

  it('with a token secret (HYDRA_BRIDGE_TOKEN_SECRET), prints an admin token that a WebSocket client is let in with', async () => {
    const live = new LiveHydra(
      ['serve', '--port', '0'],
      cleanEnv({ HYDRA_BRIDGE_TOKEN_SECRET: 'a'.repeat(32) }),
    );
    try {
      await live.waitFor((s) => s.includes('admin token'), 'the token line');
      const port = portOf(live.stdout);
      const token = (live.stdout.match(/\?token=(\S+)/) ?? [])[1] as string;
      const health = await fetch(`http://127.0.0.1:${port}/hydra/health`);
      expect(health.status).toBe(200);
      const withToken = new WebSocket(`ws://127.0.0.1:${port}/hydra/ws`, [
        'hydra.v1',
        `hydra.token.${token}`,
      ]);
      const hello = await new Promise<string>((resolve, reject) => {
        withToken.on('message', (d) => resolve(JSON.parse(String(d)).type));
        withToken.on('error', reject);
      });
      expect(hello).toBe('hello');
      withToken.close();
    } finally {
      expect((await live.stop('SIGINT')).code).toBe(0);
    }
  });

  it('exits 1 naming the address when the port is taken', async () => {
    const first = new LiveHydra(['serve', '--port', '0']);
    try {
      await first.waitFor((s) => s.includes('dashboard at'), 'the first server');
      const port = portOf(first.stdout);
      const second = new LiveHydra(['serve', '--port', String(port)]);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      await first.stop();
    }
  });
});
