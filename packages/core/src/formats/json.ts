import { LEVEL_NAMES, type LevelName } from '../record/levels.js';
import type { LogRecord } from '../record/record.js';
import { escapeJson, toJsonLine } from './escape.js';
import type { Formatter } from './formatter.js';
import { IsoClock } from './timestamp.js';

/**
 * NDJSON: `{"timestamp":"…","level":"INFO","layer":"APP","message":"…",…fields}`.
 * The static parts are precomputed; only the message and the fields go through JSON.stringify.
 */
export function createJsonFormatter(): Formatter {
  const clock = new IsoClock();
  const levelPart = new Map<LevelName, string>();
  for (const name of [...LEVEL_NAMES, 'NOTSET' as const]) levelPart.set(name, `","level":"${name}","layer":`);
  return {
    name: 'json',
    format(r: LogRecord): string {
      let line = `{"timestamp":"${clock.iso(r.time)}${levelPart.get(r.levelName)}${escapeJson(JSON.stringify(r.layer))},"message":${escapeJson(JSON.stringify(r.message))}`;
      if (r.caller !== undefined) line += `,"caller":${toJsonLine(r.caller)}`;
      if (r.fields !== undefined) {
        const f = toJsonLine(r.fields);
        if (f.length > 2) line += `,${f.slice(1)}\n`;
        else line += '}\n';
      } else line += '}\n';
      return line;
    },
  };
}
