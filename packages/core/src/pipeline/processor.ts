import type { LogRecord } from '../record/record.js';

/**
 * A step between the record and the destinations (redaction, threat tagging, plugins …).
 * Returns the record (the same object changed, or a new one) or `undefined` to drop it;
 * a drop is counted as `processor:<name>`. Must not mutate objects the caller passed in:
 * `record.fields` may be the caller's own object when it held only short primitives.
 */
export interface Processor {
  readonly name: string;
  process(record: LogRecord): LogRecord | undefined;
}

/** Runs the processors in order; a throwing processor is skipped (counted by the caller via `onError`). */
export function runProcessors(
  processors: readonly Processor[],
  record: LogRecord,
  onError: (processor: Processor, err: unknown) => void,
  onDrop: (processor: Processor) => void,
): LogRecord | undefined {
  let r: LogRecord = record;
  for (let i = 0; i < processors.length; i++) {
    const p = processors[i] as Processor;
    let next: LogRecord | undefined;
    try {
      next = p.process(r);
    } catch (err) {
      onError(p, err);
      continue;
    }
    if (next === undefined) {
      onDrop(p);
      return undefined;
    }
    r = next;
  }
  return r;
}
