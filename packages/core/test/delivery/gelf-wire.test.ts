/**
 * The GELF encoder and the UDP (chunked, gzip) and NUL-framed TCP transports against graygelf's
 * GELF server and receivers of our own (test/helpers/gelf-server.ts).
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGelf, GELF_MAX_CHUNKS, gelfChunks, gelfUdpDatagrams } from '../../src/delivery/encode/gelf.js';
import { TcpTransport } from '../../src/delivery/transport/tcp.js';
import { UdpTransport } from '../../src/delivery/transport/udp.js';
import { createGelfFormatter } from '../../src/formats/gelf.js';
import { LEVELS, type LevelName } from '../../src/record/levels.js';
import type { Fields, LogRecord, SerializedError } from '../../src/record/record.js';
import {
  type GelfTcp,
  type GraygelfServer,
  type RawGelfUdp,
  startGelfTcp,
  startGraygelf,
  startRawGelfUdp,
  until,
} from '../helpers/gelf-server.js';

let gray: GraygelfServer;
let raw: RawGelfUdp;
let tcp: GelfTcp;
beforeAll(async () => {
  [gray, raw, tcp] = await Promise.all([startGraygelf(), startRawGelfUdp(), startGelfTcp()]);
});
afterAll(async () => {
  await Promise.all([gray?.close(), raw?.close(), tcp?.close()]);
});

let seq = 0;
const unique = (what: string) => `${what}-${process.pid}-${++seq}`;
const TIME = Date.UTC(2026, 10, 26, 21, 49, 12, 563);

function record(
  message: string,
  o: { level?: LevelName; layer?: string; fields?: Fields; error?: SerializedError } = {},
): LogRecord {
  const level = o.level ?? 'INFO';
  return {
    time: TIME,
    level: LEVELS[level],
    levelName: level,
    layer: o.layer ?? 'APP',
    message,
    fields: o.fields,
    bindings: undefined,
    context: undefined,
    error: o.error,
    caller: undefined,
  };
}

const formatter = createGelfFormatter({ color: false, hostname: 'web-1' });
const encode = (r: LogRecord) => encodeGelf(r, formatter.format(r));
const signal = () => new AbortController().signal;
const udp = (port: number, chunkSize = 1420, gzip = false) =>
  new UdpTransport({ host: '127.0.0.1', port, toDatagrams: gelfUdpDatagrams(chunkSize, gzip) });
const find = (ms: Record<string, unknown>[], id: string) => ms.filter((m) => m.short_message === id);

describe('GELF over UDP', () => {
  it('sends GELF 1.1 fields that graygelf reads: version, host, short/full message, timestamp, level, _fields', async () => {
    const t = udp(gray.port);
    const id = unique('fields');
    const stack = 'Error: boom\n    at f (/srv/a.js:1:2)';
    const levels: [LevelName, number][] = [
      ['TRACE', 7],
      ['DEBUG', 7],
      ['INFO', 6],
      ['WARNING', 4],
      ['ERROR', 3],
      ['CRITICAL', 2],
    ];
    expect(
      await t.send(
        [
          encode(
            record(id, {
              level: 'ERROR',
              layer: 'DB',
              fields: { user: 'John', count: 42, ok: true, id: 7, 'a b': 'x', nested: { k: [1] } },
              error: { type: 'Error', message: 'boom', stack },
            }),
          ),
          ...levels.map(([level]) => encode(record(`${id} ${level}`, { level }))),
        ],
        signal(),
      ),
    ).toBeUndefined();
    t.close();
    await until(() => gray.messages.filter((m) => String(m.short_message).startsWith(id)).length === 7);
    expect(find(gray.messages, id)).toEqual([
      {
        version: '1.1',
        host: 'web-1',
        short_message: id,
        full_message: stack,
        timestamp: 1795729752.563,
        level: 3,
        _layer: 'DB',
        _user: 'John',
        _count: 42,
        _ok: 'true',
        __id: 7,
        _a_b: 'x',
        _nested: '{"k":[1]}',
      },
    ]);
    for (const [level, severity] of levels)
      expect(find(gray.messages, `${id} ${level}`)[0]?.level).toBe(severity);
  });

  it('gzips each message when asked (graygelf and the raw listener gunzip it)', async () => {
    const t = udp(raw.port, 1420, true);
    const id = unique('gzip');
    await t.send([encode(record(id, { fields: { k: 'v' } }))], signal());
    t.close();
    await until(() => raw.messages.some((m) => m.message.short_message === id));
    const m = raw.messages.find((x) => x.message.short_message === id);
    expect(m?.payload.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(m?.message).toMatchObject({ version: '1.1', _k: 'v' });
    const g = udp(gray.port, 1420, true);
    await g.send([encode(record(`${id} gray`))], signal());
    g.close();
    await until(() => gray.messages.some((x) => x.short_message === `${id} gray`));
  });

  it('chunks a large message (magic, one 8-byte id, seq/count, ≤ chunkSize) and it is reassembled exactly', async () => {
    const t = udp(raw.port);
    const id = unique('large');
    const big = 'x'.repeat(60_000) + 'é'.repeat(20_000);
    const msg = encode(record(id, { fields: { big } }));
    const before = raw.datagrams.length;
    await t.send([msg], signal());
    t.close();
    await until(() => raw.messages.some((m) => m.message.short_message === id));
    const m = raw.messages.find((x) => x.message.short_message === id);
    const count = Math.ceil(msg.length / (1420 - 12));
    expect({ chunks: m?.chunks, same: m?.payload.equals(msg), big: m?.message._big === big }).toEqual({
      chunks: count,
      same: true,
      big: true,
    });
    const grams = raw.datagrams.slice(before).filter((d) => d[0] === 0x1e);
    expect(grams).toHaveLength(count);
    expect(new Set(grams.map((d) => d.subarray(2, 10).toString('hex'))).size).toBe(1);
    expect(grams.every((d) => d[1] === 0x0f && d.length <= 1420 && d[11] === count)).toBe(true);
    expect(grams.map((d) => d[10]).sort((a, b) => (a as number) - (b as number))).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
    expect(raw.violations).toEqual([]);
    // graygelf reassembles it too.
    const g = udp(gray.port);
    await g.send([msg], signal());
    g.close();
    await until(() => gray.messages.some((x) => x.short_message === id));
  });

  it('chunks a gzipped large message with a small chunkSize', async () => {
    const t = udp(raw.port, 200, true);
    const id = unique('gzchunks');
    const fields = { data: Array.from({ length: 3000 }, (_, i) => `${i}:${(i * 7919) % 10007}`).join(',') };
    const msg = encode(record(id, { fields }));
    await t.send([msg], signal());
    t.close();
    await until(() => raw.messages.some((m) => m.message.short_message === id));
    const m = raw.messages.find((x) => x.message.short_message === id);
    expect(m?.chunks).toBeGreaterThan(1);
    expect(zlib.gunzipSync(m?.payload as Buffer).equals(msg)).toBe(true);
  });

  it('drops a message needing more than 128 chunks as oversize; the rest of the batch goes out', async () => {
    const t = udp(raw.port, 200);
    const id = unique('oversize');
    const room = 200 - 12;
    const fits = encode(record(`${id} fits`, { fields: { p: 'y'.repeat(room * GELF_MAX_CHUNKS - 400) } }));
    const tooBig = encode(record(`${id} big`, { fields: { p: 'z'.repeat(room * GELF_MAX_CHUNKS) } }));
    expect(gelfChunks(fits, 200)).toHaveLength(Math.ceil(fits.length / room));
    expect(Math.ceil(fits.length / room)).toBeLessThanOrEqual(128);
    expect(gelfChunks(tooBig, 200)).toBe('oversize');
    const r = await t.send([encode(record(`${id} a`)), tooBig, fits], signal());
    t.close();
    expect(r).toEqual({ dropped: { oversize: 1 } });
    await until(
      () => raw.messages.filter((m) => String(m.message.short_message).startsWith(id)).length === 2,
    );
    expect(raw.messages.map((m) => String(m.message.short_message)).filter((s) => s.startsWith(id))).toEqual([
      `${id} a`,
      `${id} fits`,
    ]);
    expect(raw.violations).toEqual([]);
  });

  it('sends a message of exactly chunkSize bytes unchunked, one byte more in 2 chunks', () => {
    const p = Buffer.alloc(1420, 0x7b);
    expect(gelfChunks(p, 1420)).toEqual([p]);
    const q = Buffer.alloc(1421, 0x7b);
    const c = gelfChunks(q, 1420) as Buffer[];
    expect(c.map((x) => [x.length, x[10], x[11]])).toEqual([
      [1420, 0, 2],
      [12 + 1421 - 1408, 1, 2],
    ]);
  });
});

describe('GELF over TCP', () => {
  it('sends each message NUL-terminated, uncompressed, on one connection', async () => {
    const t = new TcpTransport({ host: '127.0.0.1', port: tcp.port, framing: 'nul' });
    const id = unique('tcp');
    const msgs = Array.from({ length: 300 }, (_, i) =>
      encode(record(`${id} #${i}`, { fields: { i, s: 'é\n"' } })),
    );
    await t.send(msgs.slice(0, 100), signal());
    await t.send(msgs.slice(100), signal());
    t.close();
    await until(() => tcp.messages.filter((m) => String(m.short_message).startsWith(id)).length === 300);
    const frames = tcp.frames.filter((f) => f.includes(id));
    expect(frames.every((f, i) => f.equals(msgs[i] as Buffer))).toBe(true);
    expect(tcp.messages.filter((m) => String(m.short_message).startsWith(id)).map((m) => m._i)).toEqual(
      Array.from({ length: 300 }, (_, i) => i),
    );
    expect(tcp.violations).toEqual([]);
  });
});
