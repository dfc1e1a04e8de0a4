import { lazyCrypto, nodeRequire } from '../../internal/builtins.js';
import type { LogRecord } from '../../record/record.js';
import { withoutNewline } from './syslog.js';

/** GELF's chunk magic bytes. */
export const GELF_MAGIC = 0x1e0f;
/** Header of a GELF chunk: magic (2), message id (8), sequence number (1), sequence count (1). */
export const GELF_CHUNK_HEADER = 12;
/** GELF servers take at most 128 chunks of one message. */
export const GELF_MAX_CHUNKS = 128;
/** Default datagram size of GELF over UDP (fits a 1500-byte MTU with IP/UDP headers and room to spare). */
export const GELF_DEFAULT_CHUNK_SIZE = 1420;

/** One GELF message: the `gelf` formatter's JSON object, without its `\n` (framing or chunking is the transport's). */
export function encodeGelf(record: LogRecord, line: string): Buffer {
  return withoutNewline(record, line);
}

/** 8-byte message ids: a random prefix per process and a counter, so ids of one sender never repeat. */
let idPrefix: Buffer | undefined;
let idCounter = 0;
function nextMessageId(): Buffer {
  idPrefix ??= lazyCrypto().randomBytes(4);
  const id = Buffer.allocUnsafe(8);
  idPrefix.copy(id, 0);
  idCounter = (idCounter + 1) >>> 0;
  id.writeUInt32BE(idCounter, 4);
  return id;
}

/**
 * The datagrams of one GELF message over UDP: the payload alone when it fits in `chunkSize` bytes,
 * else chunks of `chunkSize` bytes (12 of header: 0x1e 0x0f, the 8-byte message id, sequence
 * number, sequence count); `'oversize'` when it needs more than 128 chunks (never sent).
 */
export function gelfChunks(
  payload: Buffer,
  chunkSize: number,
  id: Buffer = nextMessageId(),
): Buffer[] | 'oversize' {
  if (payload.length <= chunkSize) return [payload];
  const room = chunkSize - GELF_CHUNK_HEADER;
  const count = Math.ceil(payload.length / room);
  if (count > GELF_MAX_CHUNKS) return 'oversize';
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const part = payload.subarray(i * room, (i + 1) * room);
    const chunk = Buffer.allocUnsafe(GELF_CHUNK_HEADER + part.length);
    chunk.writeUInt16BE(GELF_MAGIC, 0);
    id.copy(chunk, 2);
    chunk[10] = i;
    chunk[11] = count;
    part.copy(chunk, GELF_CHUNK_HEADER);
    out.push(chunk);
  }
  return out;
}

const gzip = (b: Buffer) =>
  new Promise<Buffer>((res, rej) =>
    (nodeRequire('node:zlib') as typeof import('node:zlib')).gzip(b, (err, out) =>
      err ? rej(err) : res(out),
    ),
  );

/** GELF over UDP: each message (gzipped off the log call, in the transport, when asked) to its datagrams. */
export function gelfUdpDatagrams(
  chunkSize: number,
  compress: boolean,
): (message: Buffer) => Buffer[] | 'oversize' | Promise<Buffer[] | 'oversize'> {
  if (!compress) return (m) => gelfChunks(m, chunkSize);
  return async (m) => gelfChunks(await gzip(m), chunkSize);
}
