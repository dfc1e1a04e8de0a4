import { fs, lazyCrypto, lazyReadline } from '../internal/builtins.js';
import type { Processor } from '../pipeline/processor.js';
import type { Fields, LogRecord } from '../record/record.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A tamper-evident hash chain over the JSON lines of the AUDIT layer (docs/security.md).
 *
 * The rule (docs/security.md, "Audit chain"): each record carries two fields, `prevHash` (the
 * `hash` of the record before it; {@link GENESIS_HASH} for the first) and `hash`:
 *
 *     hash = hex( SHA-256( canonicalJson({ time, level, layer, message, caller?, fields }) ) )
 *
 * where `time` is the record's time in epoch milliseconds (`Date.parse` of the line's
 * `timestamp`), `level` the level name, `caller` present only when the line has one, and `fields`
 * every other key of the line except `hash` (so it includes `prevHash`, which links the chain).
 * With a `key`, HMAC-SHA-256 with that key replaces SHA-256. `canonicalJson` sorts object keys,
 * so the digest depends on the JSON data of the line, not on its spacing or key order.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** Keys the JSON format writes itself; every other key of a line is a field. */
const CORE_KEYS: ReadonlySet<string> = new Set(['timestamp', 'level', 'layer', 'message', 'caller']);

interface ChainBody {
  time: number;
  level: string;
  layer: string;
  message: string;
  caller?: unknown;
  fields: Fields;
}

function digest(body: ChainBody, key: string | undefined): string {
  const crypto = lazyCrypto();
  const h = key === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', key);
  return h.update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * The chain fields of one JSON line: `line` is the parsed line (`{timestamp, level, layer,
 * message, …fields}`) without `prevHash` and `hash`. The line written is `line` plus these two.
 */
export function chainFields(
  prevHash: string,
  line: Readonly<Record<string, unknown>>,
  key?: string,
): { prevHash: string; hash: string } {
  const fields: Fields = {};
  for (const k of Object.keys(line)) if (!CORE_KEYS.has(k) && k !== 'hash') define(fields, k, line[k]);
  fields.prevHash = prevHash;
  const ts = line.timestamp;
  const body: ChainBody = {
    time: typeof ts === 'number' ? ts : Date.parse(String(ts)),
    level: String(line.level),
    layer: String(line.layer),
    message: String(line.message),
    fields,
  };
  if (line.caller !== undefined) body.caller = line.caller;
  return { prevHash, hash: digest(body, key) };
}

export interface AuditChainOptions {
  /** The layer whose records are chained (default `AUDIT`). */
  layer?: string;
  /** The hash the first record links to: {@link GENESIS_HASH} (default), or the last hash of an existing file. */
  previousHash?: string;
  /** HMAC key: without it anyone who can edit the file can recompute every hash after an edit. */
  key?: string;
}

export interface AuditChainProcessor extends Processor {
  /** Never drops: returns the record, chained when it belongs to the audit layer. */
  process(record: LogRecord): LogRecord;
  /** The hash of the last chained record (the `prevHash` of the next one). */
  lastHash(): string;
}

/**
 * The `audit-chain` step: adds `prevHash` and `hash` to every record of the audit layer (in a new
 * fields object). Must run last, after every step that changes a record, and every record it
 * chains must reach the file: a record dropped afterwards is, rightly, reported as a break.
 * A user field named `prevHash` or `hash` is kept as `_prevHash` / `_hash`.
 */
export function createAuditChainProcessor(options: AuditChainOptions = {}): AuditChainProcessor {
  const layer = options.layer ?? 'AUDIT';
  const key = options.key;
  let prev = options.previousHash ?? GENESIS_HASH;
  return {
    name: 'audit-chain',
    process(record: LogRecord): LogRecord {
      if (record.layer !== layer) return record;
      const fields: Fields = {};
      const own = record.fields ?? {};
      for (const k of Object.keys(own)) {
        let name = k;
        if (k === 'prevHash' || k === 'hash')
          while (Object.hasOwn(own, name) || Object.hasOwn(fields, name)) name = `_${name}`;
        define(fields, name, own[k]);
      }
      fields.prevHash = prev;
      const body: ChainBody = {
        time: record.time,
        level: record.levelName,
        layer: record.layer,
        message: record.message,
        fields,
      };
      if (record.caller !== undefined) body.caller = record.caller;
      const hash = digest(body, key);
      fields.hash = hash;
      prev = hash;
      return { ...record, fields };
    },
    lastHash: () => prev,
  };
}

export type AuditChainResult =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; line: number; reason: string };

/**
 * Reads a JSON-lines audit file and checks every link; reports the first broken one (1-based
 * line number). Detects a changed, inserted, removed or reordered record anywhere but at the end:
 * removing the last records leaves a valid shorter chain, so keep `lastHash` somewhere else (or
 * pass `previousHash` to check a rotated file that continues another).
 */
export async function verifyAuditChain(
  path: string,
  options: { previousHash?: string; key?: string } = {},
): Promise<AuditChainResult> {
  const input = fs.createReadStream(path, { encoding: 'utf8' });
  const lines = lazyReadline().createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let expected = options.previousHash ?? GENESIS_HASH;
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      const broken = checkLine(text, expected, options.key);
      if (typeof broken === 'string') return { ok: false, line: n, reason: broken };
      expected = broken.hash;
    }
  } finally {
    lines.close();
    input.destroy();
  }
  return { ok: true, records: n, lastHash: expected };
}

/** The record's hash when the line is a valid link after `expected`, else why not. */
function checkLine(text: string, expected: string, key: string | undefined): { hash: string } | string {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return 'not a JSON line';
  }
  if (line === null || typeof line !== 'object' || Array.isArray(line)) return 'not a JSON object';
  const { prevHash, hash, ...rest } = line as Record<string, unknown>;
  if (typeof prevHash !== 'string' || typeof hash !== 'string') return 'no prevHash/hash fields';
  if (prevHash !== expected)
    return 'prevHash is not the hash of the previous record (a record was removed, inserted or reordered)';
  if (chainFields(prevHash, rest, key).hash !== hash)
    return 'hash does not match the record (it was changed)';
  return { hash };
}

/**
 * Tail read when resuming a chain; the window grows (×4) while it holds no complete chained
 * record, because one record may be longer than the first window (1,000 fields of 64 KiB each).
 */
const TAIL_BYTES = 1024 * 1024;
const MAX_TAIL_BYTES = 256 * 1024 * 1024;

/**
 * The `hash` of the last complete record of an existing audit file, to resume its chain after a
 * restart (`createAuditChainProcessor({ previousHash })`); `undefined` when the file is missing,
 * empty or holds no chained record in its last 256 MiB. Synchronous: meant for logger construction.
 */
export function readLastAuditHash(path: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    for (let window = TAIL_BYTES; ; window *= 4) {
      const length = Math.min(size, window, MAX_TAIL_BYTES);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      const lines = buf.toString('utf8').split('\n');
      // The first line of a window that starts inside the file may be the cut end of a record.
      const first = length < size ? 1 : 0;
      for (let i = lines.length - 1; i >= first; i--) {
        try {
          const hash = (JSON.parse(lines[i] as string) as { hash?: unknown }).hash;
          if (typeof hash === 'string') return hash;
        } catch {
          // a torn last line (crash mid-write)
        }
      }
      if (length === size || length === MAX_TAIL_BYTES) return undefined;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function define(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
