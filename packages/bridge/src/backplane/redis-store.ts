import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { BridgeLimits } from '../limits.js';
import { newEpoch } from '../ring/epoch.js';
import { MemoryRing } from '../ring/memory-ring.js';
import { RingWrapper } from '../ring/ring-wrapper.js';

/** The `backplane` option: several bridge processes sharing one stream through Redis Streams. */
export interface BackplaneOptions {
  /** The Redis server, as a URL: `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  redis: string;
  /** Prefix of the Redis keys (default `hydra:bridge`): bridges with the same prefix share a stream. */
  key?: string;
}

/** What `bridge.stats().backplane` reports. */
export interface BackplaneStats {
  /** `redis`: serving the shared stream; `local`: Redis cannot be reached, serving this node's records alone; `joining`: reconnecting. */
  state: 'redis' | 'local' | 'joining' | 'closed';
  /** The shared stream's epoch (undefined before the first connection). */
  redisEpoch: string | undefined;
  /** Records this node appended to the Redis stream. */
  published: number;
  /** Records read from the Redis stream (this node's and other nodes'). */
  received: number;
  /** Records waiting to be appended to Redis. */
  outbox: number;
  /** Records never appended to Redis: the outbox was full while Redis was unreachable (this node's clients still got them). */
  outboxDropped: number;
  /** Offsets of the shared stream this node never read (trimmed by `MAXLEN` before it read them); its clients got a gap. */
  skipped: number;
  /** Times this node lost Redis and went on alone. */
  outages: number;
  /** Redis errors (failed calls, lost connections). */
  errors: number;
  /** The last Redis error's message. */
  lastError: string | undefined;
}

/** The part of an ioredis client this store uses. */
interface RedisClient {
  status: string;
  connect(): Promise<void>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void;
  hydraAppend(...args: (string | number)[]): Promise<[string, number | string, number]>;
  hget(key: string, field: string): Promise<string | null>;
  xrevrange(key: string, end: string, start: string, count: 'COUNT', n: number): Promise<StreamEntry[]>;
  xread(...args: (string | number)[]): Promise<[string, StreamEntry[]][] | null>;
}
type StreamEntry = [id: string, fields: string[]];
type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClient;

/**
 * Appends records to the stream atomically: creates the epoch when the stream has none (first use,
 * or Redis lost its data: the old stream is dropped), skips a batch this node already appended (a
 * retry after a lost reply), gives the records the next offsets, the entry id `<offset>-1`.
 * KEYS: stream, meta hash, this node's key. ARGV: new epoch, MAXLEN, batch number, then
 * layer, level, line per record. Returns { epoch, next offset, appended (1) or not (0) }.
 */
const APPEND_LUA = `
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if not epoch then
  redis.call('DEL', KEYS[1])
  epoch = ARGV[1]
  redis.call('HSET', KEYS[2], 'epoch', epoch, 'next', 0)
end
local nxt = tonumber(redis.call('HGET', KEYS[2], 'next') or '0')
local seq = tonumber(ARGV[3])
local seen = tonumber(redis.call('GET', KEYS[3]) or '-1')
if #ARGV < 4 or seq <= seen then return {epoch, nxt, 0} end
for i = 4, #ARGV, 3 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], string.format('%d-1', nxt), 'e', epoch, 'l', ARGV[i], 'v', ARGV[i + 1], 'r', ARGV[i + 2])
  nxt = nxt + 1
end
redis.call('HSET', KEYS[2], 'next', nxt)
redis.call('SET', KEYS[3], seq, 'EX', 86400)
return {epoch, nxt, 1}
`;

interface Pending {
  layer: string;
  level: number;
  line: string;
  /** Already served to this node's clients in a local epoch. */
  servedLocally: boolean;
}

/** The backplane needs ioredis, an optional peer dependency: loaded here, only when the option is used. */
function loadRedis(): RedisConstructor {
  try {
    const mod = createRequire(import.meta.url)('ioredis') as {
      Redis?: RedisConstructor;
      default?: RedisConstructor;
    };
    const Redis = mod.Redis ?? mod.default;
    if (typeof Redis !== 'function') throw new Error('ioredis exports no Redis class');
    return Redis;
  } catch (err) {
    throw new TypeError(
      `backplane: the Redis backplane needs the ioredis package (npm install ioredis): ${(err as Error).message}`,
    );
  }
}

export function checkBackplaneOptions(o: unknown): BackplaneOptions {
  if (typeof o !== 'object' || o === null) throw new TypeError('backplane must be an object: { redis: url }');
  const { redis, key } = o as { redis?: unknown; key?: unknown };
  if (typeof redis !== 'string' || !/^rediss?:\/\/./.test(redis))
    throw new TypeError(`backplane.redis must be a redis:// or rediss:// URL, got ${JSON.stringify(redis)}`);
  if (key !== undefined && (typeof key !== 'string' || !/^[A-Za-z0-9_:.{}-]{1,100}$/.test(key)))
    throw new TypeError(
      `backplane.key must be 1 to 100 of A-Z a-z 0-9 _ : . { } -, got ${JSON.stringify(key)}`,
    );
  return { redis, ...(key !== undefined && { key }) };
}

export interface RedisStoreHooks {
  /** The epoch is about to change: the bridge ends every connection (clients resume with their cursor). */
  onSwitch(): void;
  /** Records were added to the copy: time for a send round. */
  onRecords(): void;
  /** Redis was lost (once per outage) or an error the operator should see. */
  onError(err: Error): void;
}

/**
 * The stream shared through Redis Streams. Records published on any node are appended to one Redis
 * stream (offsets assigned there, atomically), and every node reads that stream into a local
 * {@link MemoryRing} (same offsets, same epoch on every node), which its subscribers are cursors
 * into: a client can resume on any node with its cursor.
 *
 * While Redis cannot be reached (at start, or an outage), the node serves its own records alone, in
 * an epoch of its own, and keeps them in a bounded outbox for Redis. Every switch of epoch ends the
 * node's connections (close 1012) so clients resume with the epoch of their last record: an
 * explicit `epoch_changed` gap, never a silent hole. When Redis is back, the outbox is appended
 * first, then the node serves the shared stream again; a client coming from the node's local epoch
 * continues right after the records it already got there.
 */
export class RedisStore extends RingWrapper {
  readonly #limits: BridgeLimits;
  readonly #hooks: RedisStoreHooks;
  readonly #key: string;
  readonly #nodeKey: string;
  readonly #pub: RedisClient;
  readonly #sub: RedisClient;
  #state: BackplaneStats['state'] = 'local';
  #redisEpoch: string | undefined;
  #outbox: Pending[] = [];
  /** Number of the next batch appended (a retried batch keeps its number, so Redis skips it if it has it). */
  #batchSeq = 0;
  #inflight: { seq: number; n: number } | undefined;
  #flushing = false;
  #flushQueued = false;
  /** Appends to Redis run one at a time, in order. */
  #chain: Promise<unknown> = Promise.resolve();
  #lastId = '0-0';
  /** Bumped whenever the read loop must stop (switch, close). */
  #generation = 0;
  #joining: Promise<void> | undefined;
  /** Local epochs this node served alone, and where in the shared stream (epoch, offset) their clients continue. */
  readonly #continueAt = new Map<string, { epoch: string; offset: number }>();
  #reported = false;
  #readyHook: () => void = () => {};
  /** Settles once this node serves the shared stream, or after `backplaneConnectMs` (it then serves alone and keeps trying). */
  readonly ready: Promise<void>;
  readonly stats: BackplaneStats = {
    state: 'local',
    redisEpoch: undefined,
    published: 0,
    received: 0,
    outbox: 0,
    outboxDropped: 0,
    skipped: 0,
    outages: 0,
    errors: 0,
    lastError: undefined,
  };

  constructor(options: BackplaneOptions, limits: BridgeLimits, hooks: RedisStoreHooks) {
    super();
    const Redis = loadRedis();
    this.#limits = limits;
    this.#hooks = hooks;
    const prefix = options.key ?? 'hydra:bridge';
    this.#key = `${prefix}:stream`;
    this.#nodeKey = `${prefix}:node:${randomBytes(9).toString('base64url')}`;
    this.ring = this.#localRing();
    const common = {
      lazyConnect: true,
      // A call while disconnected fails at once: the record goes to this node's clients and the outbox.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: limits.backplaneConnectMs,
      retryStrategy: (times: number) => Math.min(100 * times, 1_000),
    };
    this.#pub = new Redis(options.redis, common);
    this.#sub = new Redis(options.redis, common);
    this.#pub.defineCommand('hydraAppend', { numberOfKeys: 3, lua: APPEND_LUA });
    for (const c of [this.#pub, this.#sub]) {
      c.on('error', (err) => this.#count(err as Error));
      c.on('close', () => this.#lost(new Error('connection to Redis lost')));
      c.on('ready', () => this.#join());
    }
    let settle: () => void = () => {};
    this.ready = new Promise<void>((ok) => {
      settle = ok;
    });
    const timer = setTimeout(settle, limits.backplaneConnectMs);
    timer.unref();
    this.#readyHook = () => {
      clearTimeout(timer);
      settle();
    };
    for (const c of [this.#pub, this.#sub]) c.connect().catch((err: Error) => this.#count(err));
  }

  get follower(): boolean {
    return this.#state === 'redis';
  }

  append(layer: string, level: number, line: string, clean?: boolean): void {
    if (this.#state === 'closed') return;
    const local = this.#state === 'local';
    this.#hold({ layer, level, line, servedLocally: local });
    if (local) this.ring.append(layer, level, line, clean);
    else this.#queueFlush();
  }

  continueFrom(epoch: string): number | undefined {
    const c = this.#continueAt.get(epoch);
    return this.#state === 'redis' && c !== undefined && c.epoch === this.ring.epoch ? c.offset : undefined;
  }

  snapshot(): BackplaneStats {
    return { ...this.stats, state: this.#state, redisEpoch: this.#redisEpoch, outbox: this.#outbox.length };
  }

  /** Appends what is still held (for at most `backplaneConnectMs`) and disconnects. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const deadline = Date.now() + this.#limits.backplaneConnectMs;
    while (this.#state === 'redis' && this.#outbox.length > 0 && Date.now() < deadline) {
      void this.#flush();
      await new Promise((ok) => setTimeout(ok, 5));
    }
    this.#state = 'closed';
    this.#generation++;
    this.#pub.disconnect();
    this.#sub.disconnect();
  }

  #localRing(): MemoryRing {
    return new MemoryRing({ maxRecords: this.#limits.ringMaxRecords, maxBytes: this.#limits.ringMaxBytes });
  }

  #hold(p: Pending): void {
    this.#outbox.push(p);
    const excess = this.#outbox.length - this.#limits.backplaneOutboxRecords;
    if (excess > 0 && this.#inflight === undefined) {
      this.#outbox.splice(0, excess);
      this.stats.outboxDropped += excess;
    } else if (excess > 0) {
      // The batch being appended stays; drop the oldest after it.
      const n = this.#inflight?.n ?? 0;
      this.#outbox.splice(n, excess);
      this.stats.outboxDropped += excess;
    }
  }

  #count(err: Error): void {
    if (this.#state === 'closed') return;
    this.stats.errors++;
    this.stats.lastError = err.message;
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    process.nextTick(() => {
      this.#flushQueued = false;
      void this.#flush();
    });
  }

  /** Appends the outbox to Redis, batch by batch, in order. */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#outbox.length > 0 && this.#state === 'redis') {
        const r = await this.#appendBatch();
        if (r === undefined) return;
        if (r.epoch !== this.#redisEpoch && this.#state === 'redis') {
          // Redis lost its data and a new stream began: serve that one.
          void this.#join();
          return;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Appends the head of the outbox (or probes, when empty); undefined when Redis failed. One at a time. */
  #appendBatch(): Promise<{ epoch: string; next: number; firstLocal: number } | undefined> {
    const run = this.#chain.then(() => this.#appendOnce());
    this.#chain = run;
    return run;
  }

  async #appendOnce(): Promise<{ epoch: string; next: number; firstLocal: number } | undefined> {
    if (this.#state === 'closed') return undefined;
    const n = Math.min(this.#outbox.length, this.#limits.backplaneBatchRecords);
    this.#inflight ??= { seq: n === 0 ? -1 : this.#batchSeq++, n };
    const batch = this.#outbox.slice(0, this.#inflight.n);
    const args: (string | number)[] = [
      this.#key,
      `${this.#key}:meta`,
      this.#nodeKey,
      newEpoch(),
      this.#limits.backplaneStreamMaxLen,
      this.#inflight.seq,
    ];
    for (const p of batch) args.push(p.layer, p.level, p.line);
    let reply: [string, number | string, number];
    try {
      reply = await this.#pub.hydraAppend(...args);
    } catch (err) {
      this.#lost(err as Error);
      return undefined;
    }
    const next = Number(reply[1]);
    // Offset of the first record of this batch not served locally (the end if none).
    let firstLocal = next;
    if (reply[2] === 1) {
      const start = next - batch.length;
      const i = batch.findIndex((p) => !p.servedLocally);
      firstLocal = i < 0 ? next : start + i;
      this.stats.published += batch.length;
    }
    this.#outbox.splice(0, batch.length);
    this.#inflight = undefined;
    return { epoch: String(reply[0]), next, firstLocal };
  }

  /** Redis cannot be reached: this node goes on alone, in an epoch of its own. */
  #lost(err: Error): void {
    this.#count(err);
    if (this.#state !== 'redis' && this.#state !== 'joining') return;
    this.#state = 'local';
    this.#generation++;
    this.stats.outages++;
    if (!this.#reported) {
      this.#reported = true;
      this.#hooks.onError(
        new Error(
          `backplane: Redis cannot be reached (${err.message}); serving this node's records alone until it is back`,
        ),
      );
    }
    this.#hooks.onSwitch();
    this.ring = this.#localRing();
    // What waits for Redis was not served yet (it was meant to come back from the stream): serve it here.
    for (const p of this.#outbox) {
      if (p.servedLocally) continue;
      this.ring.append(p.layer, p.level, p.line);
      p.servedLocally = true;
    }
    this.#hooks.onRecords();
  }

  /** Both connections are ready: append the outbox, load the stream's recent records, serve it. */
  #join(): Promise<void> {
    if (this.#state === 'closed' || this.#pub.status !== 'ready' || this.#sub.status !== 'ready')
      return Promise.resolve();
    this.#joining ??= this.#doJoin().finally(() => {
      this.#joining = undefined;
    });
    return this.#joining;
  }

  async #doJoin(): Promise<void> {
    const localEpoch = this.ring.epoch;
    const from = this.#state;
    this.#state = 'joining';
    // Records published from now on wait for the shared stream (not served in the local epoch).
    let continueAt: number | undefined;
    let epoch: string | undefined;
    let next = 0;
    for (;;) {
      const r = await this.#appendBatch();
      if (r === undefined) return;
      if (this.#state !== 'joining') return;
      epoch = r.epoch;
      next = r.next;
      if (continueAt === undefined && r.firstLocal < r.next) continueAt = r.firstLocal;
      if (this.#outbox.length === 0) break;
    }

    let recent: StreamEntry[];
    try {
      recent = await this.#pub.xrevrange(this.#key, '+', '-', 'COUNT', this.#limits.ringMaxRecords);
    } catch (err) {
      this.#lost(err as Error);
      return;
    }
    if (this.#state !== 'joining') return;
    recent.reverse();
    const oldest = recent[0] === undefined ? next : offsetOf(recent[0][0]);
    const ring = new MemoryRing({
      maxRecords: this.#limits.ringMaxRecords,
      maxBytes: this.#limits.ringMaxBytes,
      epoch,
      firstOffset: oldest,
    });
    this.#lastId = next > 0 ? `${next - 1}-1` : '0-0';
    for (const [id, fields] of recent) this.#mirror(ring, id, fields, epoch as string);
    if (from === 'local') {
      this.#continueAt.set(localEpoch, { epoch: epoch as string, offset: continueAt ?? next });
      if (this.#continueAt.size > 16) this.#continueAt.delete(this.#continueAt.keys().next().value as string);
    }
    this.#redisEpoch = epoch;
    this.#hooks.onSwitch();
    this.ring = ring;
    this.#state = 'redis';
    this.#reported = false;
    this.#readyHook();
    this.#hooks.onRecords();
    void this.#read(++this.#generation);
    if (this.#outbox.length > 0) this.#queueFlush();
  }

  /** Adds a stream entry to the copy; false when it belongs to another epoch. */
  #mirror(ring: MemoryRing, id: string, fields: string[], epoch: string): boolean {
    let e: string | undefined;
    let layer = 'DEFAULT';
    let level = 0;
    let line = '{}';
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const v = fields[i + 1] as string;
      switch (fields[i]) {
        case 'e':
          e = v;
          break;
        case 'l':
          layer = v;
          break;
        case 'v':
          level = Number(v);
          break;
        case 'r':
          line = v;
          break;
      }
    }
    if (e !== epoch) return false;
    const offset = offsetOf(id);
    if (offset >= ring.next) {
      if (offset > ring.next) {
        this.stats.skipped += offset - ring.next;
        ring.skipTo(offset);
      }
      ring.append(layer, level, line);
      this.stats.received++;
    }
    if (compareIds(id, this.#lastId) > 0) this.#lastId = id;
    return true;
  }

  /** Reads the stream into the copy until the generation changes. */
  async #read(generation: number): Promise<void> {
    while (generation === this.#generation) {
      let res: [string, StreamEntry[]][] | null;
      try {
        res = await this.#sub.xread(
          'COUNT',
          this.#limits.backplaneBatchRecords,
          'BLOCK',
          1_000,
          'STREAMS',
          this.#key,
          this.#lastId,
        );
      } catch (err) {
        if (generation === this.#generation) this.#lost(err as Error);
        return;
      }
      if (generation !== this.#generation) return;
      if (res === null) {
        // Quiet: is it still the same stream (Redis may have lost its data and another node began anew)?
        let epoch: string | null;
        try {
          epoch = await this.#pub.hget(`${this.#key}:meta`, 'epoch');
        } catch (err) {
          if (generation === this.#generation) this.#lost(err as Error);
          return;
        }
        if (generation === this.#generation && epoch !== this.#redisEpoch) {
          this.#generation++;
          void this.#join();
          return;
        }
        continue;
      }
      let added = false;
      for (const [, entries] of res)
        for (const [id, fields] of entries) {
          if (!this.#mirror(this.ring, id, fields, this.#redisEpoch as string)) {
            this.#generation++;
            void this.#join();
            return;
          }
          added = true;
        }
      if (added) this.#hooks.onRecords();
    }
  }
}

function offsetOf(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

function compareIds(a: string, b: string): number {
  return (
    offsetOf(a) - offsetOf(b) || Number(a.slice(a.indexOf('-') + 1)) - Number(b.slice(b.indexOf('-') + 1))
  );
}
