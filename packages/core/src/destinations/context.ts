import type { Formatter } from '../formats/formatter.js';
import type { Limits } from '../internal/limits.js';
import type { FsPort } from '../writers/fs-port.js';
import type { Destination, ErrorReporter } from './destination.js';
import type { QueueWriterFactory } from './fd-destination.js';

/** Settles one line of a log call: written (no reason), or dropped with the reason it is counted under. */
export type LineSettler = (reason?: string, cause?: unknown) => void;

/**
 * AsyncHydraLogger: called once for each line a stream destination takes during a log call; the
 * call's promise waits until the returned settler runs (src/async/async-hydra-logger.ts).
 */
export type PendingLineFactory = (destination: string) => LineSettler;

/** What a destination needs from the logger's plugins: their formats and destination types. */
export interface DestinationPlugins {
  formatter(name: string): Formatter | undefined;
  destination(
    d: { type: string },
    id: string,
    minLevel: number,
    formatter: () => Formatter,
  ): Destination | undefined;
}

/**
 * What building a destination needs besides its config. Types only: code that builds destinations
 * (the worker chunk among them) imports this without importing destinations/index.ts.
 */
export interface DestinationContext {
  id: string;
  /** The layer's level; the destination's own level can only raise it. */
  layerLevel: number;
  limits: Limits;
  fs: FsPort;
  env: NodeJS.ProcessEnv;
  report: ErrorReporter;
  /** Colours of layer names from the layers' `color` keys (one object per pipeline). */
  layerColors?: Readonly<Record<string, string>>;
  /** Formatters shared within one pipeline: equal options → one instance → one format call per record. */
  formatters: Map<string, Formatter>;
  /** The clock file rotation reads (default `Date.now()`). */
  now?: () => number;
  /** AsyncHydraLogger: console and file destinations write through a lane of its queue (src/async/), whatever their `mode`. */
  queueWriter?: QueueWriterFactory;
  /** Formats and destination types provided by the logger's plugins. */
  plugins?: DestinationPlugins;
  /** AsyncHydraLogger: a log call's promise waits for the write callbacks of its stream destinations' lines. */
  pendingLine?: PendingLineFactory;
}
