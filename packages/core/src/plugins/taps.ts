import type { Formatter } from '../formats/formatter.js';
import { createJsonFormatter } from '../formats/json.js';
import type { LogRecord } from '../record/record.js';

/** One handler plugin's tap: a destination on every layer of its logger (see `HandlerHooks.tap`). */
export interface Tap {
  /** The record and its line as the json format writes it. Never throws (the engine isolates the handler). */
  write(line: string, record: LogRecord): void;
}

/**
 * The taps of one logger, read by dispatch after a record's destinations. One object for the
 * logger's lifetime (every pipeline's routes point at it), so a plugin added at run time taps
 * every layer at once, without recompiling the pipeline. A tap gets the line a destination of the
 * route already wrote in the json format (formatted once, shared); otherwise the record is
 * formatted here, once for every tap.
 */
export class TapList {
  /** Set by the plugin engine when plugins come and go. */
  list: readonly Tap[] = [];
  #json: Formatter | undefined;

  /** Hands the record to every tap; `json` is the record's json line when a destination already made it. */
  emit(record: LogRecord, json: string | undefined): void {
    const taps = this.list;
    const line = json ?? (this.#json ??= createJsonFormatter()).format(record);
    for (let i = 0; i < taps.length; i++) (taps[i] as Tap).write(line, record);
  }
}

/** The taps of a pipeline compiled without a plugin host: always empty. */
export const NO_TAPS: TapList = new TapList();
