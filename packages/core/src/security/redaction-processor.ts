import type { Processor } from '../pipeline/processor.js';
import type { LogRecord } from '../record/record.js';
import type { DataSanitizer } from './data-sanitizer.js';

export interface RedactionProcessorOptions {
  /**
   * Redact only records of these layers (default: every record). With `enableSanitization:
   * false`, the logger still redacts its SECURITY, AUDIT and COMPLIANCE layers this way.
   */
  layers?: Iterable<string>;
}

/**
 * The `redaction` step: message, fields, bindings, context and error redacted by `sanitizer`.
 * Returns the record itself when there was nothing to redact, else a new record (the caller's
 * objects, which `fields` may be, are never changed).
 */
export function createRedactionProcessor(
  sanitizer: DataSanitizer,
  options: RedactionProcessorOptions = {},
): Processor {
  const layers = options.layers === undefined ? undefined : new Set(options.layers);
  return {
    name: 'redaction',
    process(record: LogRecord): LogRecord {
      if (layers !== undefined && !layers.has(record.layer)) return record;
      return sanitizer.sanitizeRecord(record);
    },
  };
}
