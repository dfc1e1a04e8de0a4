import type { IncomingMessage } from 'node:http';
import { isLoopback, tokenFromRequest } from './credentials.js';
import { verifyToken } from './tokens.js';

/** Who is connected: an id, a role name, and anything else the authentication gave. */
export interface Principal {
  sub: string;
  role: string;
  /** Seconds since 1970 after which the connection is closed (4401); from a token's `exp`. */
  exp?: number;
  [key: string]: unknown;
}

/** Decides at the HTTP upgrade (and for SSE and ingest requests) who the request is; `null` refuses it (401). */
export type AuthenticateHook = (
  req: IncomingMessage,
) => Principal | null | undefined | Promise<Principal | null | undefined>;

export interface AuthenticatorOptions {
  authenticate?: AuthenticateHook | undefined;
  tokenSecret?: string | Buffer | undefined;
  anonymousRole: string;
  allowRemoteAnonymous: boolean;
}

/** What the authentication of a request decided. */
export type AuthOutcome =
  | { kind: 'ok'; principal: Principal }
  /** No credentials yet: a WebSocket may still send an `auth` frame. */
  | { kind: 'pending' }
  | { kind: 'refused'; reason: string };

/**
 * The authentication rules: the `authenticate` hook when given; else, when a token secret is set,
 * the bridge's signed tokens; else anonymous access with `anonymousRole`, from this machine only
 * unless `allowRemoteAnonymous`.
 */
export class Authenticator {
  readonly #o: AuthenticatorOptions;

  constructor(options: AuthenticatorOptions) {
    this.#o = options;
  }

  /** Whether connections without credentials at the upgrade may authenticate by an `auth` frame. */
  get acceptsAuthFrame(): boolean {
    return this.#o.authenticate === undefined && this.#o.tokenSecret !== undefined;
  }

  /** Authenticates a request; `allowPending` for WebSocket upgrades (an `auth` frame may follow). */
  async request(
    req: IncomingMessage,
    allowPending: boolean,
    query: boolean,
    bodyToken?: string,
  ): Promise<AuthOutcome> {
    const o = this.#o;
    if (o.authenticate !== undefined) {
      let p: Principal | null | undefined;
      try {
        p = await o.authenticate(req);
      } catch (err) {
        return { kind: 'refused', reason: `authenticate() threw: ${(err as Error)?.message ?? String(err)}` };
      }
      if (p === null || p === undefined)
        return { kind: 'refused', reason: 'authenticate() refused the request' };
      if (typeof p !== 'object' || typeof p.sub !== 'string' || typeof p.role !== 'string')
        return { kind: 'refused', reason: 'authenticate() must return { sub, role } or null' };
      return { kind: 'ok', principal: p };
    }
    if (o.tokenSecret !== undefined) {
      const token = tokenFromRequest(req, query) ?? bodyToken;
      if (token === undefined)
        return allowPending ? { kind: 'pending' } : { kind: 'refused', reason: 'no token' };
      return this.token(token);
    }
    if (o.allowRemoteAnonymous || isLoopback(req.socket.remoteAddress))
      return { kind: 'ok', principal: { sub: 'anonymous', role: o.anonymousRole } };
    return {
      kind: 'refused',
      reason: 'no authentication is configured, and anonymous access is allowed from this machine only',
    };
  }

  /** Checks a token (from an `auth` frame, or found in a request). */
  token(token: string): AuthOutcome {
    if (this.#o.tokenSecret === undefined) return { kind: 'refused', reason: 'tokens are not enabled' };
    const v = verifyToken(token, this.#o.tokenSecret);
    if (!v.ok) return { kind: 'refused', reason: `token ${v.problem.replace('_', ' ')}` };
    return { kind: 'ok', principal: { ...v.claims } };
  }
}
