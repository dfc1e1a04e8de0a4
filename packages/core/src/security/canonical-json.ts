/**
 * Canonical JSON: the text `JSON.stringify` would write, with object keys sorted (by UTF-16 code
 * units, `Array.prototype.sort`'s default) at every level. Two values that are equal as JSON
 * data give the same text whatever their key order, and a value read back from a JSON line
 * (`JSON.parse`) gives the same text as the value it was written from: `undefined` members are
 * left out, `undefined` items and non-finite numbers become `null`, `toJSON` is honoured.
 * Used by the audit chain and the hasher, which must agree with what a formatter wrote.
 */
export function canonicalJson(value: unknown): string {
  return write(value, []) ?? 'null';
}

function write(value: unknown, ancestors: object[]): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    value = (value as { toJSON(): unknown }).toJSON();
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      // JSON.stringify throws on a BigInt; the normalizer writes it as a string, so do we.
      return JSON.stringify(value.toString());
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (ancestors.includes(value)) throw new TypeError('canonicalJson: cyclic value');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((v) => write(v, ancestors) ?? 'null').join(',')}]`;
  } else {
    const parts: string[] = [];
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj).sort()) {
      const v = write(obj[k], ancestors);
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
    }
    out = `{${parts.join(',')}}`;
  }
  ancestors.pop();
  return out;
}
