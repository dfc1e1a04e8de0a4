/**
 * Strict, independent readers of the line formats, written from the RFCs (not from our
 * formatters): a line they accept is well-formed, and what they return is what a consumer sees.
 * Each takes one line without its final `\n` and throws on anything malformed.
 */

/** RFC 4180 record: comma-separated fields, quoted fields with `""` for a quote, no quote in a bare field. */
export function parseCsvRow(row: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (row[i] === '"') {
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quoted field in ${JSON.stringify(row)}`);
        field += row.slice(i, q);
        if (row[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < row.length && row[i] !== ',')
        throw new Error(`text after a closing quote at ${i} in ${JSON.stringify(row)}`);
    } else {
      const comma = row.indexOf(',', i);
      const end = comma < 0 ? row.length : comma;
      field = row.slice(i, end);
      if (field.includes('"')) throw new Error(`quote in a bare field: ${JSON.stringify(field)}`);
      if (/[\r\n]/.test(field)) throw new Error(`line break in a bare field: ${JSON.stringify(field)}`);
      i = end;
    }
    out.push(field);
    if (i >= row.length) return out;
    i++; // the comma
  }
}

/** Decodes one backslash escape at `line[i]` (`\"`, `\\`, `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`); returns [text, length]. */
function unescapeAt(line: string, i: number): [string, number] {
  const c = line[i + 1];
  switch (c) {
    case '"':
    case '\\':
      return [c, 2];
    case 'n':
      return ['\n', 2];
    case 'r':
      return ['\r', 2];
    case 't':
      return ['\t', 2];
    case 'x': {
      const hex = line.slice(i + 2, i + 4);
      if (!/^[0-9a-f]{2}$/.test(hex)) throw new Error(`bad \\x escape at ${i}`);
      return [String.fromCharCode(Number.parseInt(hex, 16)), 4];
    }
    case 'u': {
      const hex = line.slice(i + 2, i + 6);
      if (!/^[0-9a-f]{4}$/.test(hex)) throw new Error(`bad \\u escape at ${i}`);
      return [String.fromCharCode(Number.parseInt(hex, 16)), 6];
    }
    default:
      throw new Error(`unknown escape \\${c} at ${i} in ${JSON.stringify(line)}`);
  }
}

/**
 * logfmt: `key=value` pairs separated by one space; a value is bare (no space, quote, `=` or
 * backslash) or double-quoted with backslash escapes. Returns the pairs in order, values decoded.
 */
export function parseLogfmt(line: string): [string, string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < line.length) {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`no "=" after ${i} in ${JSON.stringify(line)}`);
    const key = line.slice(i, eq);
    if (key === '' || /[\s"]/.test(key)) throw new Error(`bad key ${JSON.stringify(key)}`);
    i = eq + 1;
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`unterminated value in ${JSON.stringify(line)}`);
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const [text, n] = unescapeAt(line, i);
          value += text;
          i += n;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      const space = line.indexOf(' ', i);
      const end = space < 0 ? line.length : space;
      value = line.slice(i, end);
      if (/["\\=]/.test(value)) throw new Error(`bad bare value ${JSON.stringify(value)}`);
      i = end;
    }
    pairs.push([key, value]);
    if (i < line.length) {
      if (line[i] !== ' ') throw new Error(`expected a space at ${i} in ${JSON.stringify(line)}`);
      i++;
    }
  }
  return pairs;
}

/** The value of the first pair named `key` (throws when there is none). */
export function logfmtValue(pairs: readonly [string, string][], key: string): string {
  const pair = pairs.find(([k]) => k === key);
  if (pair === undefined) throw new Error(`no key ${JSON.stringify(key)} in ${JSON.stringify(pairs)}`);
  return pair[1];
}

export interface Syslog5424 {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID and decoded PARAM-VALUEs of the single SD-ELEMENT, or `undefined` for NILVALUE. */
  sd: { id: string; params: [string, string][] } | undefined;
  msg: string;
}

/**
 * RFC 5424 §6: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [SP MSG]`, one
 * SD-ELEMENT at most (all we write). PARAM-VALUE escapes (`\"`, `\\`, `\]`) are decoded; any
 * other backslash is kept, as §6.3.3 says.
 */
export function parseSyslog5424(line: string): Syslog5424 {
  const head =
    /^<(\d{1,3})>1 (\S{1,255}) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) /.exec(
      line,
    );
  if (head === null) throw new Error(`bad RFC 5424 header: ${JSON.stringify(line)}`);
  const [, pri, timestamp, hostname, appName, procId, msgId] = head as unknown as [string, ...string[]];
  let i = head[0].length;
  let sd: Syslog5424['sd'];
  if (line[i] === '-') i++;
  else {
    if (line[i] !== '[') throw new Error(`bad STRUCTURED-DATA at ${i}: ${JSON.stringify(line)}`);
    const idMatch = /^[^\s=\]"]{1,32}/.exec(line.slice(i + 1));
    if (idMatch === null) throw new Error('bad SD-ID');
    i += 1 + idMatch[0].length;
    const params: [string, string][] = [];
    while (line[i] === ' ') {
      const nameMatch = /^[\x21-\x7e]{1,32}?(?==)/.exec(line.slice(i + 1));
      if (nameMatch === null || /[\s="\]]/.test(nameMatch[0])) throw new Error(`bad SD-NAME at ${i}`);
      i += 1 + nameMatch[0].length;
      if (line.slice(i, i + 2) !== '="') throw new Error(`expected =" at ${i}`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error('unterminated PARAM-VALUE');
        if (c === '"') break;
        if (c === ']') throw new Error(`unescaped ] in PARAM-VALUE at ${i}`);
        if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === ']')) {
          value += line[i + 1];
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++; // closing quote
      params.push([nameMatch[0], value]);
    }
    if (line[i] !== ']') throw new Error(`expected ] at ${i}: ${JSON.stringify(line)}`);
    i++;
    sd = { id: idMatch[0], params };
  }
  let msg = '';
  if (i < line.length) {
    if (line[i] !== ' ') throw new Error(`expected SP before MSG at ${i}`);
    msg = line.slice(i + 1);
  }
  return {
    pri: Number(pri),
    timestamp: timestamp as string,
    hostname: hostname as string,
    appName: appName as string,
    procId: procId as string,
    msgId: msgId as string,
    sd,
    msg,
  };
}
