import type { RingEntry } from './store.js';

/**
 * `{…}` (a JSON object as the core's json format writes it, a trailing newline allowed) with
 * `"offset":N` added as its last key. A top-level `offset` the record already had (a field) is
 * renamed `_offset`, as the core renames fields that collide with its own keys. Inside JSON text
 * the characters `"offset":` can only be a key (a quote inside a string is always escaped), so the
 * common record is never parsed.
 */
export function makeEntry(layer: string, level: number, line: string, offset: number): RingEntry {
  let body = line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line;
  if (body.includes('"offset":')) body = renameOffsetField(body);
  const json = body === '{}' ? `{"offset":${offset}}` : `${body.slice(0, -1)},"offset":${offset}}`;
  return { offset, layer, level, json, bytes: Buffer.byteLength(json) };
}

function renameOffsetField(body: string): string {
  const obj = JSON.parse(body) as Record<string, unknown>;
  if (!Object.hasOwn(obj, 'offset')) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k === 'offset' ? '_offset' : k] = v;
  return JSON.stringify(out);
}
