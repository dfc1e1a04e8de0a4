import { LEVEL_NAMES, type LevelName } from '../record/levels.js';
import type { LogRecord } from '../record/record.js';
import { escapeJson } from './escape.js';
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
      let line = `{"timestamp":"${clock.iso(r.time)}${levelPart.get(r.levelName)}${JSON.stringify(r.layer)},"message":${JSON.stringify(r.message)}`;
      if (r.caller !== undefined) line += `,"caller":${JSON.stringify(r.caller)}`;
      if (r.fields !== undefined) {
        const f = JSON.stringify(r.fields) ?? '{}';
        if (f.length > 2) line += `,${f.slice(1)}`;
        else line += '}';
      } else line += '}';
      // One scan of the whole line: the characters JSON.stringify leaves raw only occur inside strings.
      return `${escapeJson(line)}\n`;
    },
  };
}
