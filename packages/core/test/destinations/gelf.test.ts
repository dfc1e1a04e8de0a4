/**
 * `{ type: 'gelf' }` through the public API against graygelf's GELF server and our receivers
 * (test/helpers/gelf-server.ts): UDP (chunked, gzip), TCP (NUL-framed), HTTP (POST /gelf).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValidationError, HydraLogger } from '../../src/index.js';
import {
  type GelfHttp,
  type GelfTcp,
  type GraygelfServer,
  type RawGelfUdp,
  startGelfHttp,
  startGelfTcp,
  startGraygelf,
  startRawGelfUdp,
  until,
} from '../helpers/gelf-server.js';
import { makeTestCerts } from '../helpers/rsyslog-server.js';

let gray: GraygelfServer;
let raw: RawGelfUdp;
let tcp: GelfTcp;
let web: GelfHttp;
beforeAll(async () => {
  [gray, raw, tcp, web] = await Promise.all([
    startGraygelf(),
    startRawGelfUdp(),
    startGelfTcp(),
    startGelfHttp(),
  ]);
});
afterAll(async () => {
  await Promise.all([gray?.close(), raw?.close(), tcp?.close(), web?.close()]);
});

let seq = 0;
const unique = (what: string) => `${what}-${process.pid}-${++seq}`;

function logger(d: Record<string, unknown>) {
  const log = new HydraLogger({
    config: {
      layers: {
        APP: { destinations: [{ type: 'gelf', name: 'out', batch: { maxDelayMs: 5 }, ...d } as never] },
      },
    },
  });
  const errors: Error[] = [];
  log.on('error', (e: Error) => errors.push(e));
  const stats = () => log.getPerformanceMetrics().destinations.out;
  return { log, errors, stats };
}

type Msg = Record<string, unknown>;
const mine = (ms: Msg[], id: string) => ms.filter((m) => String(m.short_message).startsWith(id));

async function logThree(d: Record<string, unknown>, messages: () => Msg[]) {
  const { log, stats, errors } = logger(d);
  const id = unique(String(d.protocol ?? 'udp'));
  const before = Date.now() / 1000;
  log.info('APP', `${id} a`, { user: 'Jo', n: 42, id: 'x' });
  log.warn('APP', `${id} b`);
  log.error('APP', `${id} c`, { err: Object.assign(new Error('boom'), { code: 'E1' }) });
  await log.flush();
  await until(() => mine(messages(), id).length === 3, 30_000, `3 × ${id}`);
  const ms = mine(messages(), id);
  expect(ms.map((m) => [m.short_message, m.level, m._layer, m.host, m.version])).toEqual([
    [`${id} a`, 6, 'APP', os.hostname(), '1.1'],
    [`${id} b`, 4, 'APP', os.hostname(), '1.1'],
    [`${id} c`, 3, 'APP', os.hostname(), '1.1'],
  ]);
  expect(ms[0]).toMatchObject({ _user: 'Jo', _n: 42, __id: 'x' });
  expect(ms[0]).not.toHaveProperty('_id');
  expect(String(ms[2]?.full_message)).toMatch(/^Error: boom\n\s+at /);
  for (const m of ms) {
    expect(typeof m.timestamp).toBe('number');
    expect(Math.abs((m.timestamp as number) - before)).toBeLessThan(60);
  }
  expect(stats()).toMatchObject({
    type: 'gelf',
    produced: 3,
    delivered: 3,
    pending: 0,
    dropped: {},
    health: 'UP',
  });
  expect(errors).toEqual([]);
  await log.close();
}

describe('gelf destination', () => {
  it('over UDP (default protocol) to graygelf', () => logThree({ port: gray.port }, () => gray.messages));
  it('over UDP with gzip to graygelf', () =>
    logThree({ port: gray.port, compress: 'gzip' }, () => gray.messages));
  it('over TCP, NUL-framed', () => logThree({ port: tcp.port, protocol: 'tcp' }, () => tcp.messages));
  it('over HTTP, POST /gelf, one message per request', async () => {
    const before = web.requests.length;
    await logThree({ port: web.port, protocol: 'http' }, () => web.messages);
    expect(web.requests.slice(before).map((r) => [r.method, r.path, r.encoding])).toEqual([
      ['POST', '/gelf', undefined],
      ['POST', '/gelf', undefined],
      ['POST', '/gelf', undefined],
    ]);
    expect(web.violations).toEqual([]);
  });
  it('over HTTP with gzip', async () => {
    const before = web.requests.length;
    await logThree({ port: web.port, protocol: 'http', compress: 'gzip' }, () => web.messages);
    expect(web.requests.slice(before).every((r) => r.encoding === 'gzip')).toBe(true);
  });

  it('over TCP with TLS, the certificate verified', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-gelf-tls-'));
    const certs = makeTestCerts(dir);
    const got: Msg[] = [];
    const srv = tls.createServer(
      { cert: fs.readFileSync(certs.certFile), key: fs.readFileSync(certs.keyFile) },
      (s) => {
        let rest = '';
        s.setEncoding('utf8');
        s.on('data', (t: string) => {
          const parts = (rest + t).split('\0');
          rest = parts.pop() ?? '';
          for (const p of parts) got.push(JSON.parse(p) as Msg);
        });
        s.on('error', () => {});
      },
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as import('node:net').AddressInfo).port;
    try {
      await logThree({ port, protocol: 'tcp', tls: { ca: certs.ca } }, () => got);
      // Without the CA the server is not trusted: nothing is sent.
      const { log, stats } = logger({ port, protocol: 'tcp', tls: {}, retry: { maxAttempts: 1 } });
      log.info('APP', 'untrusted');
      await log.flush();
      expect(stats()).toMatchObject({ delivered: 0, dropped: { retries_exhausted: 1 } });
      expect(got.some((m) => m.short_message === 'untrusted')).toBe(false);
      await log.close();
    } finally {
      srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('chunks a large record over UDP (reassembled exactly) and counts one needing > 128 chunks as oversize', async () => {
    const { log, stats } = logger({ port: raw.port, chunkSize: 512 });
    const id = unique('chunks');
    const big = 'é'.repeat(20_000);
    log.info('APP', `${id} big`, { big });
    log.info('APP', `${id} huge`, { huge: 'z'.repeat(500 * 128) });
    log.info('APP', `${id} small`);
    await log.flush();
    await until(
      () =>
        mine(
          raw.messages.map((m) => m.message),
          id,
        ).length === 2,
      30_000,
      'big and small',
    );
    const got = raw.messages.filter((m) => String(m.message.short_message).startsWith(id));
    expect(got.map((m) => m.message.short_message)).toEqual([`${id} big`, `${id} small`]);
    expect(got[0]?.message._big).toBe(big);
    expect(got[0]?.chunks).toBe(Math.ceil((got[0]?.payload.length as number) / (512 - 12)));
    expect(raw.violations).toEqual([]);
    expect(stats()).toMatchObject({ produced: 3, delivered: 2, pending: 0, dropped: { oversize: 1 } });
    await log.close();
  });

  it('refuses bad options naming the field and what was expected', () => {
    const bad = (d: Record<string, unknown>) => {
      try {
        logger(d).log.close();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ protocol: 'tls' })).toMatch(
      /layers\.APP\.destinations\[0\]\.protocol.*"udp", "tcp", "http"/,
    );
    expect(bad({ compress: true })).toMatch(/compress.*"gzip", "none"/);
    expect(bad({ protocol: 'tcp', compress: 'gzip' })).toMatch(/compress.*not compressed/);
    expect(bad({ chunkSize: 10 })).toMatch(/chunkSize.*integer from 64 to 65507/);
    expect(bad({ protocol: 'tcp', chunkSize: 1000 })).toMatch(/chunkSize.*only with protocol "udp"/);
    expect(bad({ tls: {} })).toMatch(/tls.*GELF over UDP has no TLS/);
    expect(bad({ protocol: 'http', batch: { maxRecords: 10 } })).toMatch(
      /batch\.maxRecords.*one message per request/,
    );
    expect(bad({ format: 'syslog' })).toMatch(/format.*sends the gelf format/);
    expect(bad({ framing: 'lf' })).toMatch(/framing.*only "syslog"/);
    expect(bad({ port: 0 })).toMatch(/port.*1 to 65535/);
  });
});
