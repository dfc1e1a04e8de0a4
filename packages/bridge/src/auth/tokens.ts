import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a bridge token says: who (`sub`), with which role, until when (`exp`, seconds since the epoch). */
export interface TokenClaims {
  sub: string;
  role: string;
  /** Expiry, in seconds since 1970 (as in JWT); the token is refused from that second on. */
  exp: number;
  [claim: string]: unknown;
}

/** Longest token accepted (characters); longer ones are refused without being decoded. */
const MAX_TOKEN_CHARS = 4096;
/** Shortest secret accepted (bytes): HMAC-SHA256 with a shorter key is guessable. */
export const MIN_SECRET_BYTES = 16;

/** The secret as a key; throws a TypeError when it is too short. */
export function checkSecret(secret: string | Buffer): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret) : secret;
  if (!Buffer.isBuffer(key) || key.length < MIN_SECRET_BYTES)
    throw new TypeError(
      `a token secret must be a string or Buffer of at least ${MIN_SECRET_BYTES} bytes (32 random bytes recommended)`,
    );
  return key;
}

const sign = (key: Buffer, payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

/**
 * Signs `claims` into a bridge token: `base64url(JSON claims).base64url(HMAC-SHA256)`.
 * @throws TypeError when a claim is missing or the secret is too short.
 */
export function createToken(claims: TokenClaims, secret: string | Buffer): string {
  const key = checkSecret(secret);
  if (typeof claims?.sub !== 'string' || claims.sub === '')
    throw new TypeError('createToken: sub must be a non-empty string');
  if (typeof claims.role !== 'string' || claims.role === '')
    throw new TypeError('createToken: role must be a non-empty string');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    throw new TypeError(
      'createToken: exp must be a time in seconds since 1970 (e.g. Math.floor(Date.now() / 1000) + 3600)',
    );
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(key, payload).toString('base64url')}`;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'bad_signature' | 'expired';

/**
 * Checks a token's signature (constant-time compare) and expiry.
 * @returns the claims, or the problem.
 */
export function verifyToken(
  token: string,
  secret: string | Buffer,
  nowMs: number = Date.now(),
): { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem } {
  const key = checkSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return { ok: false, problem: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, problem: 'malformed' };
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = sign(key, payload);
  // The length of an HMAC-SHA256 is public; only equal-length digests are compared, in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad_signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const c = claims as Partial<TokenClaims> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.sub !== 'string' ||
    typeof c.role !== 'string' ||
    typeof c.exp !== 'number'
  )
    return { ok: false, problem: 'malformed' };
  if (c.exp * 1000 <= nowMs) return { ok: false, problem: 'expired' };
  return { ok: true, claims: c as TokenClaims };
}
