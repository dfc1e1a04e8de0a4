import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { httpLogger } from '../../src/http/index.js';
import { AsyncHydraLogger, type HydraLogger } from '../../src/index.js';
import { memoryLogger } from '../helpers.js';

/** A node:http server whose handler answers `status` after logging one record. */
async function serve(
  logger: HydraLogger | AsyncHydraLogger,
  options: Parameters<typeof httpLogger>[1],
  status = 200,
) {
  const log = httpLogger(logger, options);
  const server = http.createServer((req, res) =>
    log(req, res, async () => {
      await sleep(1);
      await logger.info('APP', 'in handler');
      res.statusCode = status;
      res.end('hello');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await sleep(10);
  }
  throw new Error('timed out waiting for a record');
}

describe('httpLogger options', () => {
  it('by default logs no headers, only userAgent', async () => {
    const { logger, records } = memoryLogger();
    const url = await serve(logger, {});
    await (await fetch(url, { headers: { authorization: 'Bearer zz-secret-1' } })).text();
    const rec = await until(() => records().find((r) => r.layer === 'HTTP'));
    expect(rec).not.toHaveProperty('requestHeaders');
    expect(rec).not.toHaveProperty('responseHeaders');
    expect(rec.userAgent).toBe('node');
  });

  it("query redaction follows the logger's sensitive keys as they change, also for names already seen", async () => {
    const { logger, records } = memoryLogger({ enableSanitization: false });
    const url = await serve(logger, {});
    const pathOf = async (query: string) => {
      const res = await fetch(`${url}/p?${query}`);
      await res.text();
      const id = res.headers.get('x-request-id');
      return (await until(() => records().find((r) => r.layer === 'HTTP' && r.requestId === id))).path;
    };
    expect(await pathOf('ticket=t-1&page=2')).toBe('/p?ticket=t-1&page=2');
    logger.sanitizer.addSensitiveKey('ticket');
    expect(await pathOf('ticket=t-2&page=2')).toBe('/p?ticket=[REDACTED]&page=2');
    logger.sanitizer.removeSensitiveKey('ticket');
    expect(await pathOf('ticket=t-3&page=2')).toBe('/p?ticket=t-3&page=2');
  });

  it('two middlewares on one response (two loggers) each write their completion record with the bytes written', async () => {
    const first = memoryLogger({ enableSanitization: false });
    const second = memoryLogger({ enableSanitization: false });
    const outer = httpLogger(first.logger, { requestIdHeader: 'x-first-id' });
    const inner = httpLogger(second.logger, { requestIdHeader: 'x-second-id' });
    const server = http.createServer((req, res) =>
      outer(req, res, () =>
        inner(req, res, () => {
          res.write('hello ');
          res.end('world');
        }),
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/two`);
    expect(await res.text()).toBe('hello world');
    for (const { records } of [first, second]) {
      const rec = await until(() => records().find((r) => r.layer === 'HTTP'));
      expect(rec).toMatchObject({ path: '/two', status: 200, responseBytes: 11 });
    }
    await first.logger.close();
    await second.logger.close();
  });

  it('layer, levels, custom fields and context, and a list of headers', async () => {
    const { logger, records } = memoryLogger();
    const url = await serve(
      logger,
      {
        layer: 'WEB',
        levels: { clientError: 'ERROR' },
        requestHeaders: ['Accept'],
        context: (req) => ({ tenant: req.headers['x-tenant'] }),
        fields: (_req, res) => ({ cache: res.getHeader('x-cache') ?? 'none' }),
      },
      404,
    );
    await (await fetch(url, { headers: { 'x-tenant': 't1', accept: 'text/plain', 'x-other': '1' } })).text();
    const rec = await until(() => records().find((r) => r.layer === 'WEB'));
    expect(rec).toMatchObject({ level: 'ERROR', status: 404, tenant: 't1', cache: 'none' });
    expect(rec.requestHeaders).toEqual({ accept: 'text/plain' });
    expect(records().find((r) => r.message === 'in handler')).toMatchObject({ tenant: 't1' });
  });

  it('a throwing custom callback costs its fields, never the response', async () => {
    const { logger, records } = memoryLogger();
    const url = await serve(logger, {
      fields: () => {
        throw new Error('bad callback');
      },
    });
    const res = await fetch(url);
    expect(await res.text()).toBe('hello');
    expect(await until(() => records().find((r) => r.layer === 'HTTP'))).toMatchObject({ status: 200 });
  });

  it('a generator returning an invalid id is replaced by a random one; trustRequestId: false ignores the header', async () => {
    const { logger } = memoryLogger();
    const url = await serve(logger, { trustRequestId: false, generateRequestId: () => 'bad id\n' });
    const res = await fetch(url, { headers: { 'x-request-id': 'mine' } });
    await res.text();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('works with AsyncHydraLogger: records of the handler and the completion record carry the id (file output)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-http-'));
    const file = path.join(dir, 'app.log');
    const logger = new AsyncHydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json' }] } } },
    });
    const url = await serve(logger, {});
    const res = await fetch(`${url}/x?password=hunter2`);
    await res.text();
    const id = res.headers.get('x-request-id');
    const read = () =>
      fs.existsSync(file)
        ? fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
    const done = await until(() => read().find((r) => r.layer === 'HTTP'));
    expect(done).toMatchObject({ requestId: id, status: 200, path: '/x?password=[REDACTED]' });
    expect(read().find((r) => r.message === 'in handler')).toMatchObject({ requestId: id });
    await logger.close();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
