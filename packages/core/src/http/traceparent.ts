/** The fields a W3C `traceparent` header adds to a request's context. */
export interface TraceFields {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** The caller's span id (the header's parent-id): 16 lowercase hex digits. */
  spanId: string;
  /** The trace flags, 2 hex digits (`01` = sampled). */
  traceFlags: string;
}

function isLowerHex(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function isZeros(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 0x30) return false;
  return true;
}

/**
 * Parses `version-traceid-parentid-flags` (https://www.w3.org/TR/trace-context/#traceparent-header):
 * undefined for anything invalid (version `ff`, all-zero ids, wrong lengths, upper-case hex). A
 * version above 00 may carry more fields after the flags, which are ignored, as the spec asks.
 */
export function parseTraceparent(header: string | undefined): TraceFields | undefined {
  if (header === undefined) return undefined;
  const h = header.trim();
  if (h.length < 55 || h[2] !== '-' || h[35] !== '-' || h[52] !== '-') return undefined;
  if (!isLowerHex(h, 0, 2) || h.startsWith('ff')) return undefined;
  if (h.startsWith('00') ? h.length !== 55 : h.length > 55 && h[55] !== '-') return undefined;
  if (!isLowerHex(h, 3, 35) || isZeros(h, 3, 35)) return undefined;
  if (!isLowerHex(h, 36, 52) || isZeros(h, 36, 52)) return undefined;
  if (!isLowerHex(h, 53, 55)) return undefined;
  return { traceId: h.slice(3, 35), spanId: h.slice(36, 52), traceFlags: h.slice(53, 55) };
}
