import type { Fields, LogRecord } from 'hydra-logger';

/** Where the tracker's records go: a level (number), a message and the fields. */
export type RecordSink = (level: number, message: string, fields: Fields) => void;

export const INFO = 20;
export const DEBUG = 10;
export const WARNING = 30;
export const ERROR = 40;

const EMPTY: Fields = Object.freeze({}) as Fields;

/** Writes the tracker's records to its sink, counting what was written, what had nowhere to go and what failed. */
export class RecordWriter {
  sink: RecordSink | undefined = undefined;
  readonly counts = { logged: 0, noLogger: 0, failed: 0 };

  log(level: number, message: string, fields: Fields): void {
    const sink = this.sink;
    if (sink === undefined) {
      this.counts.noLogger++;
      return;
    }
    try {
      sink(level, message, fields ?? EMPTY);
      this.counts.logged++;
    } catch {
      this.counts.failed++;
    }
  }

  /** A call the tracker refused (bad input): counted as failed, never thrown into the caller. */
  problem(_what: string): void {
    this.counts.failed++;
  }
}

/** A sink writing to one layer of a logger (`logger.layer(name)`'s methods, looked up per call: `updateConfig` rebinds them). */
export function layerSink(layer: {
  debug(m: string, f?: Fields): void;
  info(m: string, f?: Fields): void;
  warning(m: string, f?: Fields): void;
  error(m: string, f?: Fields): void;
}): RecordSink {
  return (level, message, fields) => {
    if (level === INFO) layer.info(message, fields);
    else if (level === DEBUG) layer.debug(message, fields);
    else if (level === WARNING) layer.warning(message, fields);
    else layer.error(message, fields);
  };
}

/** The fields and time of a record written by another tracker: a LogRecord, a parsed JSON line, or the line. */
export function readForeign(input: unknown): { fields: Record<string, unknown>; time: number } | undefined {
  let obj: unknown = input;
  if (typeof input === 'string') {
    try {
      obj = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  if (typeof obj !== 'object' || obj === null) return undefined;
  const o = obj as Record<string, unknown>;
  // A LogRecord (a plugin's view): fields apart, time in ms. Records taken in by the bridge carry
  // the sender's clock in `client.time`.
  if (typeof o.time === 'number' && typeof o.levelName === 'string') {
    const r = o as unknown as LogRecord;
    const fields = (r.fields ?? {}) as Record<string, unknown>;
    const client = fields.client as { time?: unknown } | undefined;
    return { fields, time: typeof client?.time === 'number' ? client.time : r.time };
  }
  // A json line: fields at the top level, the time as an ISO string.
  const t =
    typeof o.timestamp === 'string'
      ? Date.parse(o.timestamp)
      : typeof o.time === 'number'
        ? o.time
        : Number.NaN;
  return { fields: o, time: Number.isFinite(t) ? t : Date.now() };
}
