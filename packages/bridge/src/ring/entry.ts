import type { RingEntry } from './store.js';

/**
 * `line` (`{…}`, a JSON object as the core's json format writes it, a trailing newline allowed)
 * with `"offset":N` added as its last key. A top-level `offset` the record already had (a field)
 * is renamed `_offset`, as the core renames fields that collide with its own keys. Inside JSON
 * text the characters `"offset":` can only be a key (a quote inside a string is always escaped),
 * so the common record is never parsed.
 */
export function withOffset(line: string, offset: number): string {
  const n = line.length;
  const newline = line.charCodeAt(n - 1) !== 10 ? 0 : line.charCodeAt(n - 2) === 13 ? 2 : 1;
  // Everything before the closing brace.
  let head = line.slice(0, n - newline - 1);
  if (head.includes('"offset":')) head = renameOffsetField(line.slice(0, n - newline)).slice(0, -1);
  return head === '{' ? `{"offset":${offset}}` : `${head},"offset":${offset}}`;
}

/**
 * A record held as its line (see {@link withOffset}) as an entry. Its size is counted in UTF-16
 * units, which is what it holds in memory (and a close bound of its UTF-8 bytes for the usual
 * ASCII record).
 */
export function makeEntry(layer: string, level: number, line: string, offset: number): RingEntry {
  const json = withOffset(line, offset);
  return { offset, layer, level, json, bytes: json.length };
}

/** The reverse of {@link withOffset} for a JSON text it made (a reloaded record): the line without its offset. */
export function withoutOffset(json: string, offset: number): string {
  const tail = `"offset":${offset}}`;
  if (!json.endsWith(tail)) return json;
  const head = json.slice(0, json.length - tail.length);
  return head.endsWith(',') ? `${head.slice(0, -1)}}` : `${head}}`;
}

function renameOffsetField(body: string): string {
  const obj = JSON.parse(body) as Record<string, unknown>;
  if (!Object.hasOwn(obj, 'offset')) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k === 'offset' ? '_offset' : k] = v;
  return JSON.stringify(out);
}
