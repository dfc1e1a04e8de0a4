/**
 * The syslog encoder and the UDP/TCP/TLS transports against a real rsyslogd (started here, see
 * test/helpers/rsyslog-server.ts), read back field by field from what rsyslog parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSyslog, syslogWireFormatter } from '../../src/delivery/encode/syslog.js';
import { TcpTransport } from '../../src/delivery/transport/tcp.js';
import { UdpTransport } from '../../src/delivery/transport/udp.js';
import { SendError, type Transport } from '../../src/delivery/types.js';
import type { FormatOptions } from '../../src/formats/formatter.js';
import { LEVELS, type LevelName } from '../../src/record/levels.js';
import type { Fields, LogRecord } from '../../src/record/record.js';
import { type RsyslogRecord, type RsyslogServer, startRsyslog } from '../helpers/rsyslog-server.js';

let server: RsyslogServer;
beforeAll(async () => {
  server = await startRsyslog({ tls: true });
});
afterAll(async () => {
  await server?.dispose();
});

let seq = 0;
const unique = (what: string) => `${what}-${process.pid}-${++seq}`;

function record(message: string, o: { level?: LevelName; layer?: string; fields?: Fields } = {}): LogRecord {
  const level = o.level ?? 'INFO';
  return {
    time: Date.UTC(2026, 10, 26, 21, 49, 12, 563),
    level: LEVELS[level],
    levelName: level,
    layer: o.layer ?? 'APP',
    message,
    fields: o.fields,
    bindings: undefined,
    context: undefined,
    error: undefined,
    caller: undefined,
  };
}

const OPTS: FormatOptions = { color: false, hostname: 'web-1', appName: 'shop' };

function encode(rs: LogRecord[], opts: FormatOptions = OPTS): Buffer[] {
  const f = syslogWireFormatter(opts, new Map());
  return rs.map((r) => encodeSyslog(r, f.format(r)));
}

async function send(t: Transport, batch: Buffer[]): Promise<void> {
  const r = await t.send(batch, new AbortController().signal);
  expect(r).toBeUndefined();
}

const byMsg = (rs: RsyslogRecord[], needle: string) => rs.filter((r) => r.msg.includes(needle));
async function received(needle: string, n = 1): Promise<RsyslogRecord[]> {
  const rs = await server.waitFor((all) => byMsg(all, needle).length >= n, 30_000, `${n} × ${needle}`);
  return byMsg(rs, needle);
}

const transports: [string, () => Transport][] = [
  ['udp', () => new UdpTransport({ host: '127.0.0.1', port: server.ports.udp })],
  [
    'tcp octet-counting',
    () => new TcpTransport({ host: '127.0.0.1', port: server.ports.tcp, framing: 'octet-counting' }),
  ],
  ['tcp lf', () => new TcpTransport({ host: '127.0.0.1', port: server.ports.tcp, framing: 'lf' })],
  [
    'tls (verified against the test CA)',
    () =>
      new TcpTransport({
        host: '127.0.0.1',
        port: server.ports.tls,
        framing: 'octet-counting',
        tls: { ca: server.certs?.ca },
      }),
  ],
];

describe.each(transports)('syslog RFC 5424 over %s', (_name, make) => {
  it('delivers every header field and the fields as STRUCTURED-DATA', async () => {
    const t = make();
    const id = unique('fields');
    await send(
      t,
      encode([
        record(id, {
          layer: 'ORDERS',
          fields: { user: 'John Smith', count: 42, ok: true, nested: { a: [1, 'x'] } },
        }),
      ]),
    );
    t.close();
    const [r] = await received(id);
    expect(r).toMatchObject({
      pri: '14',
      facility: '1',
      severity: '6',
      timestamp: '2026-11-26T21:49:12.563Z',
      hostname: 'web-1',
      appname: 'shop',
      procid: String(process.pid),
      msgid: 'ORDERS',
      sd: '[hydra@32473 user="John Smith" count="42" ok="true" nested="{\\"a\\":[1,\\"x\\"\\]}"]',
      msg: id,
    });
  });

  it('escapes ", \\ and ] in SD-PARAM values (§6.3.3) and names stay SD-NAMEs', async () => {
    const t = make();
    const id = unique('escape');
    await send(t, encode([record(id, { fields: { v: 'say "hi" \\ [x] done', 'a b=c"d]': 1 } })]));
    t.close();
    const [r] = await received(id);
    expect(r?.sd).toBe('[hydra@32473 v="say \\"hi\\" \\\\ [x\\] done" a_b_c_d_="1"]');
    // rsyslog's own parse of the element: the SD-ID and one PARAM per field.
    expect(r?.raw).toContain(` [hydra@32473 v="say \\"hi\\" \\\\ [x\\] done" a_b_c_d_="1"] ${id}`);
  });

  it('sends a non-ASCII MSG as UTF-8 after the BOM; an ASCII MSG without it', async () => {
    const t = make();
    const id = unique('utf8');
    await send(t, encode([record(`${id} héllo wörld ✓ 日本`), record(`${id} plain`)]));
    t.close();
    const rs = await received(id, 2);
    expect(rs.map((r) => r.msg).sort()).toEqual([`${id} plain`, `\ufeff${id} héllo wörld ✓ 日本`]);
  });

  it('keeps one record one message when the message holds a newline', async () => {
    const t = make();
    const id = unique('newline');
    await send(t, encode([record(`${id} line one\nline two\r\nthree`), record(`${id} after`)]));
    t.close();
    const rs = await received(id, 2);
    expect(rs.map((r) => r.msg)).toEqual([`${id} line one\\nline two\\r\\nthree`, `${id} after`]);
    expect(server.records().filter((r) => r.hostname === 'line' || r.msg.startsWith('line two'))).toEqual([]);
  });

  it('maps every level to its severity, and facility × 8 + severity to PRI', async () => {
    const t = make();
    const id = unique('levels');
    const levels: [LevelName, number][] = [
      ['TRACE', 7],
      ['DEBUG', 7],
      ['INFO', 6],
      ['WARNING', 4],
      ['ERROR', 3],
      ['CRITICAL', 2],
    ];
    for (const facility of [0, 1, 16, 23])
      await send(
        t,
        encode(
          levels.map(([level]) => record(`${id} f${facility} ${level}`, { level })),
          { ...OPTS, facility },
        ),
      );
    t.close();
    const rs = await received(id, 24);
    for (const facility of [0, 1, 16, 23])
      for (const [level, severity] of levels) {
        const r = rs.find((x) => x.msg === `${id} f${facility} ${level}`);
        expect({ level, facility, pri: r?.pri, f: r?.facility, s: r?.severity }).toEqual({
          level,
          facility,
          pri: String(facility * 8 + severity),
          f: String(facility),
          s: String(severity),
        });
      }
  });

  it('delivers a batch of 500 in order, each once', async () => {
    const t = make();
    const id = unique('batch');
    const batch = encode(Array.from({ length: 500 }, (_, i) => record(`${id} #${i}`)));
    await send(t, batch);
    t.close();
    const rs = await received(id, 500);
    expect(rs.map((r) => r.msg)).toEqual(Array.from({ length: 500 }, (_, i) => `${id} #${i}`));
  });
});

describe('syslog RFC 3164', () => {
  it.each([
    ['udp', () => new UdpTransport({ host: '127.0.0.1', port: server.ports.udp })],
    ['tcp', () => new TcpTransport({ host: '127.0.0.1', port: server.ports.tcp, framing: 'lf' })],
  ] as const)('is parsed by rsyslog over %s: PRI, host, tag, pid, message with fields', async (_n, make) => {
    const t = make();
    const id = unique('bsd');
    await send(
      t,
      encode([record(id, { level: 'WARNING', fields: { user_id: 42 } })], {
        ...OPTS,
        rfc: '3164',
        facility: 16,
      }),
    );
    t.close();
    const [r] = await received(id);
    expect(r).toMatchObject({
      pri: String(16 * 8 + 4),
      facility: '16',
      severity: '4',
      hostname: 'web-1',
      appname: 'shop',
      procid: String(process.pid),
      tag: `shop[${process.pid}]:`,
      msg: ` [APP] ${id} user_id=42`,
    });
  });

  it('cuts the TAG (APP-NAME) to 32 characters', async () => {
    const t = new UdpTransport({ host: '127.0.0.1', port: server.ports.udp });
    const id = unique('bsdtag');
    await send(t, encode([record(id)], { ...OPTS, rfc: '3164', appName: 'a'.repeat(40) }));
    t.close();
    const [r] = await received(id);
    expect(r?.appname).toBe('a'.repeat(32));
  });
});

describe('syslog over TLS', () => {
  it('refuses the server whose certificate is not trusted (rejectUnauthorized by default)', async () => {
    const t = new TcpTransport({
      host: '127.0.0.1',
      port: server.ports.tls,
      framing: 'octet-counting',
      tls: {},
    });
    const id = unique('untrusted');
    const err = await t.send(encode([record(id)]), new AbortController().signal).catch((e: unknown) => e);
    t.close();
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).code).toMatch(
      /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/,
    );
    expect((err as SendError).retryable).toBe(true);
    expect(byMsg(server.records(), id)).toEqual([]);
  });

  it('refuses a certificate for another name (servername)', async () => {
    const t = new TcpTransport({
      host: '127.0.0.1',
      port: server.ports.tls,
      framing: 'octet-counting',
      tls: { ca: server.certs?.ca, servername: 'elsewhere.example' },
    });
    const err = await t
      .send(encode([record(unique('name'))]), new AbortController().signal)
      .catch((e: unknown) => e);
    t.close();
    expect((err as SendError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('accepts any certificate with rejectUnauthorized: false', async () => {
    const t = new TcpTransport({
      host: '127.0.0.1',
      port: server.ports.tls,
      framing: 'lf',
      tls: { rejectUnauthorized: false },
    });
    const id = unique('insecure');
    await send(t, encode([record(id)]));
    t.close();
    expect(await received(id)).toHaveLength(1);
  });
});

describe('tcp transport', () => {
  it('rejects with a retryable ECONNREFUSED when nothing listens, then reconnects once the server is back', async () => {
    const { freePort } = await import('../helpers/rsyslog-server.js');
    const port = await freePort('tcp');
    const t = new TcpTransport({ host: '127.0.0.1', port, framing: 'lf' });
    const err = (await t
      .send([Buffer.from('x')], new AbortController().signal)
      .catch((e: unknown) => e)) as SendError;
    expect(err).toBeInstanceOf(SendError);
    expect({ retryable: err.retryable, code: err.code }).toEqual({ retryable: true, code: 'ECONNREFUSED' });
    t.close();
  });

  it('opens a new connection after the server closed the old one', async () => {
    const net = await import('node:net');
    const got: string[] = [];
    const sockets: import('node:net').Socket[] = [];
    const srv = net.createServer((s) => {
      sockets.push(s);
      s.on('data', (b) => got.push(...b.toString().split('\n').filter(Boolean)));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as import('node:net').AddressInfo).port;
    const t = new TcpTransport({ host: '127.0.0.1', port, framing: 'lf' });
    await send(t, [Buffer.from('one')]);
    await waitUntil(() => got.length === 1);
    const closed = new Promise((r) => sockets[0]?.once('close', r));
    sockets[0]?.end();
    await closed;
    // The FIN reached the transport before the next send (it waits for 'end'); no write is lost.
    await waitUntil(() => (t as unknown as { dead: boolean }).dead);
    await send(t, [Buffer.from('two')]);
    await waitUntil(() => got.length === 2);
    expect({ got, connections: sockets.length }).toEqual({ got: ['one', 'two'], connections: 2 });
    t.close();
    srv.close();
  });
});

async function waitUntil(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}
