import type { AuthenticateHook } from './auth/authenticator.js';
import type { RoleOptions } from './auth/roles.js';
import type { BackplaneOptions } from './backplane/redis-store.js';
import type { BridgeLimits } from './limits.js';

/** Options of {@link createBridge} and {@link WebSocketBridgePlugin}. */
export interface BridgeOptions {
  /**
   * Where the bridge serves (default `/hydra`): WebSocket at `<path>/ws` (also at `/logs`),
   * Server-Sent Events at `<path>/stream`, `POST <path>/ingest`, the dashboard at `<path>/`.
   */
  path?: string;
  /** With the plugin: listen on this port as soon as the plugin is added to a logger. */
  port?: number;
  /** With `port`: the address to listen on (default `127.0.0.1`). */
  host?: string;
  /**
   * Decides who a request is, at the HTTP upgrade (before any WebSocket exists) and for SSE and
   * ingest requests: return `{ sub, role }`, or `null` to refuse with HTTP 401.
   */
  authenticate?: AuthenticateHook;
  /**
   * Enables the bridge's signed tokens (`createToken(claims, secret)`), accepted from the `auth`
   * frame, the `hydra_token` cookie, a `Sec-WebSocket-Protocol` entry `hydra.token.<token>`,
   * `Authorization: Bearer`, and (SSE, ingest) a `token` query parameter.
   */
  tokenSecret?: string | Buffer;
  /** Without `authenticate` and `tokenSecret`, the role of every connection (default `admin`). */
  anonymousRole?: string;
  /** Without authentication, serve other machines too (default false: loopback clients only). */
  allowRemoteAnonymous?: boolean;
  /** Origins whose pages may connect: exact origins, or `['*']`. Default: the bridge's own origin only. */
  origins?: string[];
  /** Roles by name, over the built-in `admin`, `viewer` and `producer`. */
  roles?: Record<string, RoleOptions>;
  /** Browser logs: the layer of records that name none (default `BROWSER`), and the layers allowed (default: any but SECURITY, AUDIT, COMPLIANCE). */
  ingest?: { defaultLayer?: string; layers?: string[] };
  /** Keep the epoch and the ring's history in this directory across restarts. */
  persist?: { dir: string };
  /**
   * Several bridge processes sharing one stream through Redis Streams (needs the `ioredis`
   * package): records published on any node reach the subscribers of every node, with the same
   * offsets and epoch everywhere, so a client resumes on any node with its cursor. While Redis
   * cannot be reached, a node serves its own records alone (see the package README).
   * Not with `persist`.
   */
  backplane?: BackplaneOptions;
  /** Overrides of {@link BRIDGE_LIMITS}. */
  limits?: Partial<BridgeLimits>;
  /** This process's id in `hello` frames (default: random). */
  serverId?: string;
  /**
   * Serve the live dashboard at `<path>/` (default true). The page holds no data of its own: it
   * reads the stream over the WebSocket with the same authentication as any client. `false`:
   * those routes answer 404.
   */
  dashboard?: boolean;
  /** Where the dashboard's files are (default: this package's `dist/dashboard`). */
  dashboardDir?: string;
}
