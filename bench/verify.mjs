/**
 * The parent's check of one run, after the worker reported. A run passes only if its output is
 * complete and well formed; a failure is a reason string, and the run never counts as a speed.
 */
import fs from 'node:fs';
import { EXPECTED_FIELDS, LAYER, MESSAGE, SECRETS } from './cases.mjs';

const SECRET_VALUES = Object.values(SECRETS);

function fileSize(path) {
  try {
    return fs.statSync(path).size;
  } catch (err) {
    if (err.code === 'ENOENT') return 0;
    throw err;
  }
}

function readLines(path) {
  let text;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return { text: '', lines: [] };
    throw err;
  }
  if (text.length > 0 && !text.endsWith('\n')) return { text, lines: null };
  return { text, lines: text.length === 0 ? [] : text.slice(0, -1).split('\n') };
}

function checkJsonLine(line, check) {
  let obj;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof obj !== 'object' || obj === null) return 'not a JSON object';
  if (!Object.values(obj).includes(MESSAGE)) return 'message missing';
  for (const [key, value] of Object.entries(EXPECTED_FIELDS))
    if (obj[key] !== value) return `field ${key} missing or changed`;
  return check?.(obj);
}

function checkTextLine(line, check) {
  if (!line.includes(`[${LAYER}]`) || !line.includes(MESSAGE)) return 'layer or message missing';
  for (const value of Object.values(EXPECTED_FIELDS))
    if (!line.includes(String(value))) return `field value ${value} missing`;
  return check?.(line);
}

/** Checks every line of a file: count, shape, secrets. Returns a failure reason or undefined. */
function verifyFile(path, n, kind, contender, secrets) {
  const { text, lines } = readLines(path);
  if (lines === null) return 'the last line is not terminated (torn write)';
  if (secrets) {
    const leaked = SECRET_VALUES.find((s) => text.includes(s));
    if (leaked !== undefined) return 'secret leaked';
  }
  if (lines.length !== n) return `expected ${n} lines, found ${lines.length}`;
  const checkLine = kind === 'json' ? checkJsonLine : checkTextLine;
  const check = kind === 'json' ? contender.checkJson : contender.checkText;
  for (let i = 0; i < lines.length; i++) {
    const problem = checkLine(lines[i], check);
    if (problem !== undefined) return `line ${i + 1}: ${problem}`;
  }
  return undefined;
}

/**
 * @returns {{ ok: true, how: string } | { ok: false, reason: string }}
 */
export function verifyRun({ def, result, path, n, contender }) {
  if (result.callerObjectUnchanged === false)
    return { ok: false, reason: 'the caller’s fields object was mutated' };
  if (result.bytesAtStop !== undefined) {
    const size = fileSize(path);
    if (result.bytesAtStop !== size)
      return {
        ok: false,
        reason: `the clock stopped before every line was written (${result.bytesAtStop} of ${size} bytes)`,
      };
  }
  let reason;
  let how;
  switch (def.output) {
    case 'json':
    case 'text':
      reason = verifyFile(path, n, def.output, contender, def.secrets === true);
      how = `${n.toLocaleString('en-US')} lines (all in the file when the clock stopped), ${def.output === 'json' ? 'each valid JSON with' : 'each with layer,'} message and fields${def.secrets ? ', no secret' : ''}`;
      break;
    case 'devnull': {
      const c = result.counters;
      if (c === undefined) {
        how = 'no exception (no counters to read)';
        break;
      }
      if (c.records !== n) reason = `counters: ${c.records} records logged, expected ${n}`;
      else if (c.dropped !== 0) reason = `counters: ${c.dropped} records dropped`;
      else if (!(c.bytes > 0)) reason = 'counters: no bytes written';
      how = `counters: ${c.records.toLocaleString('en-US')} records, 0 dropped, ${c.bytes.toLocaleString('en-US')} bytes`;
      break;
    }
    case 'empty': {
      const { lines } = readLines(path);
      if (lines === null || lines.length > 0) reason = 'a disabled call wrote output';
      how = 'no output';
      break;
    }
    case 'ready':
      if (result.ready !== true) reason = 'the logger has no info method';
      how = 'logger ready';
      break;
    default:
      throw new Error(`unknown output kind ${def.output}`);
  }
  return reason === undefined ? { ok: true, how } : { ok: false, reason };
}
