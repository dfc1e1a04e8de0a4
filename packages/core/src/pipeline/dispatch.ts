import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { Route } from './compile.js';

/**
 * Formats the record once per distinct formatter and hands the line to each destination of the
 * route that accepts its level, then to the logger's taps (handler plugins with `tap: true`), which
 * get the json line a destination already made, if one did. `urgent` records (ERROR and above,
 * security/audit/compliance) are written before this returns, with everything buffered before
 * them. `anyLevel` (security, audit and compliance records) skips the destinations' level filters:
 * those records are never filtered out.
 */
export function dispatch(route: Route, record: LogRecord, urgent: boolean, anyLevel = false): void {
  const dests = route.destinations;
  const tapped = route.taps.list.length !== 0;
  let lastFormatter: Formatter | undefined;
  let line = '';
  let json: string | undefined;
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i];
    if (d === undefined || (record.level < d.minLevel && !anyLevel)) continue;
    const f = d.formatter;
    if (f !== lastFormatter && f !== undefined) {
      lastFormatter = f;
      line = f.format(record);
      // The built-in json format (its output does not depend on options; plugins cannot take its name).
      if (tapped && f.name === 'json') json = line;
    }
    d.write(line, record, urgent);
  }
  if (tapped) route.taps.emit(record, json);
}
