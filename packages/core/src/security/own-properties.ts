/** Helpers that write own data properties, for the copies the sanitizer makes. */

/** A plain copy of the first `n` keys of `o`. */
export function copyKeys(
  o: Record<string, unknown>,
  keys: readonly string[],
  n: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const k = keys[i] as string;
    define(out, k, o[k]);
  }
  return out;
}

/** Own data property: a key named `__proto__` stays an ordinary key (no prototype change). */
export function define(o: object, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else (o as Record<string, unknown>)[k] = v;
}

/** Non-enumerable own data property, as native Errors hold `message`, `stack` and `cause`. */
export function hidden(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: false, writable: true, configurable: true });
}

/** Two keys redacted to the same placeholder must not overwrite each other. */
export function unique(o: object, k: string): string {
  if (!Object.hasOwn(o, k)) return k;
  let i = 2;
  while (Object.hasOwn(o, `${k} (${i})`)) i++;
  return `${k} (${i})`;
}
