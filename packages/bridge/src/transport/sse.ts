import type { IncomingMessage, ServerResponse } from 'node:http';
import { originAllowed } from '../auth/origins.js';
import { resolveSince, startOf } from '../fanout/since.js';
import { type Gap, type SubscriberTarget, Subscription } from '../fanout/subscription.js';
import { compileView } from '../fanout/view.js';
import { PROTOCOL_VERSION, type Since, type SubscriptionFilter } from '../protocol/frames.js';
import { filterOf, sinceOf } from '../protocol/parse.js';
import type { BridgeContext } from './context.js';
import { replyError } from './http-reply.js';

/** The subscription id of an SSE stream (one per stream). */
export const SSE_SUB = 'sse';

/**
 * `GET <path>/stream`: one read-only subscription as Server-Sent Events, for networks that break
 * WebSockets. Query: `layers=A,B`, `minLevel=WARNING`, `text=…`, `since=latest|last:N`, `token=…`.
 * Each event's id is `<epoch>:<to>` (the hello's: where the stream starts, minus one), so the
 * browser's automatic reconnect (`Last-Event-ID`) resumes right after the last event it got:
 * nothing skipped, nothing repeated.
 */
export class SseStream implements SubscriberTarget {
  readonly #ctx: BridgeContext;
  readonly #res: ServerResponse;
  readonly #sub: Subscription;
  #closed = false;

  private constructor(
    ctx: BridgeContext,
    res: ServerResponse,
    filter: SubscriptionFilter,
    since: Since,
    role: Parameters<typeof compileView>[1],
  ) {
    this.#ctx = ctx;
    this.#res = res;
    const view = compileView(filter, role);
    const resolved = resolveSince(since, ctx.store, view);
    const { cursor, gap } = resolved;
    this.#sub = new Subscription(SSE_SUB, this, view, cursor);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const hello = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      serverId: ctx.serverId,
      epoch: ctx.store.epoch,
      limits: ctx.helloLimits,
    };
    // The hello's id is where the stream starts: a reconnect before the first records event
    // resumes from there (nothing logged meanwhile is lost).
    const start = startOf(resolved) - 1;
    res.write(
      `retry: 2000\nid: ${ctx.store.epoch}:${start}\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`,
    );
    res.on('drain', () => ctx.fanout.schedule());
    ctx.fanout.add(this.#sub, gap);
  }

  /** Serves one SSE request (authentication, origin and limits checked here); calls `onClose` when it ends. */
  static async serve(
    ctx: BridgeContext,
    req: IncomingMessage,
    res: ServerResponse,
    ip: string,
    track: (s: SseStream) => () => void,
  ): Promise<void> {
    if (!originAllowed(req.headers.origin, req.headers.host, ctx.origins)) {
      ctx.limited('origin');
      return replyError(res, 403, 'forbidden', 'origin not allowed');
    }
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    let filter: SubscriptionFilter;
    let since: Since;
    try {
      const layers = q.get('layers');
      filter = filterOf(
        {
          ...(layers !== null && layers !== '' && { layers: layers.split(',') }),
          ...(q.has('minLevel') && { minLevel: q.get('minLevel') }),
          ...(q.has('text') && { text: q.get('text') }),
        },
        ctx.limits,
      );
      since = sinceFromRequest(req, q.get('since'), ctx);
    } catch (err) {
      return replyError(res, 400, 'bad_request', (err as Error).message);
    }
    const outcome = await ctx.auth.request(req, false, true);
    if (outcome.kind !== 'ok') {
      ctx.limited('unauthorized');
      return replyError(
        res,
        401,
        'not_authenticated',
        outcome.kind === 'refused' ? outcome.reason : 'unauthorized',
      );
    }
    const role = ctx.role(outcome.principal);
    if (role === undefined || !role.subscribe) {
      ctx.limited('forbidden_subscribe');
      return replyError(res, 403, 'forbidden', 'this role may not subscribe');
    }
    if (res.destroyed) return;
    if (!ctx.openSlot(ip)) {
      ctx.limited('connections');
      return replyError(res, 503, 'rate_limited', 'too many connections', { 'retry-after': 5 });
    }
    const stream = new SseStream(ctx, res, filter, since, role);
    const untrack = track(stream);
    const done = () => {
      if (stream.#closed) return;
      stream.#closed = true;
      ctx.fanout.remove(stream.#sub);
      ctx.closeSlot(ip);
      untrack();
    };
    res.on('close', done);
    req.on('close', done);
  }

  writable(): boolean {
    return (
      !this.#closed &&
      !this.#res.destroyed &&
      !this.#res.writableEnded &&
      this.#res.writableLength < this.#ctx.limits.highWaterMark
    );
  }

  sendRecords(sub: Subscription, body: Buffer, to: number): void {
    const res = this.#res;
    if (res.writableEnded) return;
    res.cork();
    res.write(`id: ${this.#ctx.store.epoch}:${to}\nevent: records\ndata: `);
    res.write(sub.prefix);
    res.write(body);
    res.write('\n\n');
    res.uncork();
  }

  sendGap(sub: Subscription, gap: Gap): void {
    if (this.#res.writableEnded) return;
    const frame = JSON.stringify({ type: 'gap', sub: sub.id, ...gap });
    this.#res.write(`id: ${this.#ctx.store.epoch}:${gap.to}\nevent: gap\ndata: ${frame}\n\n`);
  }

  /** A comment line: keeps proxies from timing the stream out. */
  heartbeat(now: number): void {
    if (!this.#closed) this.#res.write(`: ping ${now}\n\n`);
  }

  end(): void {
    this.#res.end();
  }
}

/** `Last-Event-ID: <epoch>:<offset>` wins over the `since` query (`latest`, `last:N`). */
function sinceFromRequest(req: IncomingMessage, since: string | null, ctx: BridgeContext): Since {
  const last = req.headers['last-event-id'];
  if (typeof last === 'string' && last !== '') {
    const i = last.lastIndexOf(':');
    const offset = Number(last.slice(i + 1));
    return sinceOf({ epoch: last.slice(0, i), offset }, ctx.limits);
  }
  if (since === null || since === '' || since === 'latest') return 'latest';
  if (since.startsWith('last:')) return sinceOf({ last: Number(since.slice(5)) }, ctx.limits);
  return sinceOf(since, ctx.limits);
}
