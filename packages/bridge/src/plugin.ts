import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HandlerDestination, LogRecord, PluginContext, PluginHandler } from 'hydra-logger';
import { Bridge, type BridgeStats } from './bridge.js';
import { PUBLISH_LINE, SET_INGEST_SINK } from './internal.js';
import type { BridgeOptions } from './options.js';

/**
 * What both bridge plugins share: the bridge, listening at once with `port`, ingest through the
 * logger, `listen`/`attach`/`close`. Not a plugin by itself (it has no hook that takes records).
 */
abstract class BridgePluginBase {
  abstract name: string;
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
 * It takes every record through the logger's tap (a handler plugin with `tap: true`: a destination
 * on every layer): when the logger already writes the record as json, the bridge gets that same
 * line (no second formatting). To stream only some layers, use {@link BridgeDestinationPlugin}
 * and `{ type: 'bridge' }` destinations instead.
 */
export class WebSocketBridgePlugin extends BridgePluginBase {
  /** The name `loadPluginFromPath` and config `plugins` entries know it by. */
  static readonly pluginName = 'websocket_bridge';
  name = 'websocket_bridge';
  /** Every record of every layer, through the logger's tap (it provides no destination type). */
  readonly tap = true;

  /** Called by the logger once, for its tap: the handler every record goes through. */
  createHandler(_destination: Readonly<HandlerDestination>): PluginHandler {
    const bridge = this.bridge;
    return {
      emit(line: string, record: LogRecord): void {
        bridge[PUBLISH_LINE](record, line);
      },
    };
  }
}

/**
 * A bridge fed by destinations: provides the destination type `bridge`, so a configuration routes
 * layers to the bridge like to any destination (`{ type: 'bridge' }`, with `level` if wanted);
 * only what those destinations take is streamed. Register it once, then name it in the config's
 * `plugins` with the bridge's options:
 *
 * ```ts
 * registerPlugin('bridge', BridgeDestinationPlugin);
 * const logger = new HydraLogger({ config: {
 *   plugins: [{ name: 'bridge', options: { port: 8080 } }],
 *   layers: { APP: { destinations: [{ type: 'console' }, { type: 'bridge' }] } },
 * } });
 * ```
 *
 * Every `bridge` destination of the logger feeds the plugin's one bridge. Records go out as the
 * json format writes them (the only `format` the destination takes); browser logs are logged
 * through the logger, as with {@link WebSocketBridgePlugin}.
 */
export class BridgeDestinationPlugin extends BridgePluginBase {
  static readonly pluginName = 'bridge';
  name = 'bridge';
  /** The destination type this plugin provides. */
  readonly destinationType = 'bridge';

  /** Called by the logger for each `{ type: 'bridge' }` destination. */
  createHandler(destination: Readonly<HandlerDestination>): PluginHandler {
    const where =
      destination.name === undefined
        ? 'a bridge destination'
        : `bridge destination ${JSON.stringify(destination.name)}`;
    if (destination.format !== undefined && destination.format !== 'json')
      throw new TypeError(
        `${where}: format must be "json" (the bridge sends records as the json format writes them), got ${JSON.stringify(destination.format)}`,
      );
    if (destination.options !== undefined && Object.keys(destination.options).length > 0)
      throw new TypeError(
        `${where}: options are not taken here (${Object.keys(destination.options).join(', ')}); set the bridge's options on the plugin entry`,
      );
    const bridge = this.bridge;
    return {
      emit(line: string, record: LogRecord): void {
        bridge[PUBLISH_LINE](record, line);
      },
    };
  }
}
