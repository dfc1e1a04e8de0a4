import type { LogRecord } from '../record/record.js';
import { escapeText, toJsonLine } from './escape.js';
import type { Formatter } from './formatter.js';
import { IsoClock } from './timestamp.js';

/** RFC 4180 field: quoted when it holds a comma, a quote or leading/trailing space; quotes doubled. */
function csvField(s: string): string {
  const t = escapeText(s);
  return /[",]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * RFC 4180 rows `timestamp,level,layer,message,fields` with the fields as one JSON column.
 * The header is written once per file (the file destination checks the file is empty).
 */
export function createCsvFormatter(): Formatter {
  const clock = new IsoClock();
  return {
    name: 'csv',
    header: 'timestamp,level,layer,message,fields\n',
    format(r: LogRecord): string {
      const fields = r.fields === undefined ? '' : csvField(toJsonLine(r.fields));
      return `${clock.iso(r.time)},${r.levelName},${csvField(r.layer)},${csvField(r.message)},${fields}\n`;
    },
  };
}
