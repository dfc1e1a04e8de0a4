import type { Formatter } from '../formats/formatter.js';
import { LEVELS } from '../record/levels.js';
import type { LogRecord } from '../record/record.js';
import type { Route } from './compile.js';

/**
 * Formats the record once per distinct formatter and hands the line to each destination of the
 * route that accepts its level. ERROR and above are urgent: written before this returns.
 */
export function dispatch(route: Route, record: LogRecord): void {
  const urgent = record.level >= LEVELS.ERROR;
  const dests = route.destinations;
  let lastFormatter: Formatter | undefined;
  let line = '';
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i];
    if (d === undefined || record.level < d.minLevel) continue;
    const f = d.formatter;
    if (f !== lastFormatter && f !== undefined) {
      lastFormatter = f;
      line = f.format(record);
    }
    d.write(line, record, urgent);
  }
}
