import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogRecord, PluginContext } from 'hydra-logger';
import { Bridge, type BridgeStats } from './bridge.js';
import { SET_INGEST_SINK } from './internal.js';
import type { BridgeOptions } from './options.js';

/**
 * Streams every record of the logger it is added to (after redaction, as the json format writes
 * it) to the bridge's subscribers, and logs what browsers send through that logger (so it is
 * validated, redacted and routed like any other record).
 *
 * ```ts
 * logger.addPlugin('bridge', new WebSocketBridgePlugin({ port: 8080 })); // listening at once
 * ```
 *
 * Without `port`, serve it with `await plugin.listen({ port, host })` or `plugin.attach(server)`.
 * It takes every record: a plugin hook that runs once per record after the record is written
 * (the logger's `onRecord`, with `sampleEvery` 1).
 */
export class WebSocketBridgePlugin {
  /** The name `loadPluginFromPath` and config `plugins` entries know it by. */
  static readonly pluginName = 'websocket_bridge';
  name = 'websocket_bridge';
  /** Every record, not a sample. */
  readonly sampleEvery = 1;
  readonly metricsIntervalMs = 0;
  /** The bridge this plugin feeds. */
  readonly bridge: Bridge;
  /** With `port`: settles when the bridge listens (rejects if it cannot; also emitted as `error` on the bridge). */
  listening: Promise<AddressInfo> | undefined;
  readonly #port: number | undefined;
  readonly #host: string | undefined;

  constructor(options: BridgeOptions = {}) {
    this.bridge = new Bridge(options);
    this.#port = options.port;
    this.#host = options.host;
  }

  /** Called by the logger when the plugin is added. */
  init(context: PluginContext): void {
    this.bridge[SET_INGEST_SINK]((level, layer, message, fields) =>
      context.log(level, layer, message, fields),
    );
    if (this.#port !== undefined && this.listening === undefined) {
      const opts = this.#host === undefined ? { port: this.#port } : { port: this.#port, host: this.#host };
      this.listening = this.bridge.listen(opts);
      this.listening.catch((err: Error) => {
        if (this.bridge.listenerCount('error') > 0) this.bridge.emit('error', err);
        else
          process.emitWarning(`@hydra-logger/bridge could not listen on port ${this.#port}: ${err.message}`);
      });
    }
  }

  /** Called by the logger for every record it wrote. */
  onRecord(record: LogRecord): void {
    this.bridge.publish(record);
  }

  /** See {@link Bridge.listen}. */
  listen(options?: { port?: number; host?: string }): Promise<AddressInfo> {
    return this.bridge.listen(options);
  }

  /** See {@link Bridge.attach}. */
  attach(server: Server): this {
    this.bridge.attach(server);
    return this;
  }

  /** Called by the logger on `removePlugin` and `close()`; closes the bridge. */
  close(): Promise<void> {
    return this.bridge.close();
  }

  getInsights(): BridgeStats {
    return this.bridge.stats();
  }
}
