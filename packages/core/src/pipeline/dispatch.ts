import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { Route } from './compile.js';

/**
 * Formats the record once per distinct formatter and hands the line to each destination of the
 * route that accepts its level. `urgent` records (ERROR and above, security/audit/compliance) are
 * written before this returns, with everything buffered before them. `anyLevel` (security, audit
 * and compliance records) skips the destinations' level filters: those records are never filtered out.
 */
export function dispatch(route: Route, record: LogRecord, urgent: boolean, anyLevel = false): void {
  const dests = route.destinations;
  let lastFormatter: Formatter | undefined;
  let line = '';
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i];
    if (d === undefined || (record.level < d.minLevel && !anyLevel)) continue;
    const f = d.formatter;
    if (f !== lastFormatter && f !== undefined) {
      lastFormatter = f;
      line = f.format(record);
    }
    d.write(line, record, urgent);
  }
}
