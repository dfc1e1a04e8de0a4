/**
 * strftime-style date/time formatting for `dateFormat` / `timeFormat`, local time.
 * Directives: %Y %y %m %d %e %H %I %M %S %f (microseconds, 6 digits, Python's meaning; JS clocks
 * have millisecond precision so the last 3 are 0) %L (milliseconds, 3 digits) %z (+hhmm) %Z (zone
 * abbreviation) %j (day of year) %a %A %b %B %p %%.
 * A compiled format caches its text per second (per millisecond when it shows sub-seconds), so a
 * burst of records costs one comparison each.
 */
export const STRFTIME_DIRECTIVES = 'YymdeHIMSfLzZjaAbBp%';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const p3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

function zoneName(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function offset(d: Date): string {
  const m = -d.getTimezoneOffset();
  const a = Math.abs(m);
  return `${m >= 0 ? '+' : '-'}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return (
    Math.floor(
      (d.getTime() - start.getTime() + (start.getTimezoneOffset() - d.getTimezoneOffset()) * 60000) /
        86400000,
    ) + 1
  );
}

const RENDER: Readonly<Record<string, (d: Date) => string>> = {
  Y: (d) => String(d.getFullYear()),
  y: (d) => p2(d.getFullYear() % 100),
  m: (d) => p2(d.getMonth() + 1),
  d: (d) => p2(d.getDate()),
  e: (d) => String(d.getDate()).padStart(2, ' '),
  H: (d) => p2(d.getHours()),
  I: (d) => p2(d.getHours() % 12 || 12),
  M: (d) => p2(d.getMinutes()),
  S: (d) => p2(d.getSeconds()),
  f: (d) => `${p3(d.getMilliseconds())}000`,
  L: (d) => p3(d.getMilliseconds()),
  z: offset,
  Z: zoneName,
  j: (d) => String(dayOfYear(d)).padStart(3, '0'),
  a: (d) => (DAYS[d.getDay()] as string).slice(0, 3),
  A: (d) => DAYS[d.getDay()] as string,
  b: (d) => (MONTHS[d.getMonth()] as string).slice(0, 3),
  B: (d) => MONTHS[d.getMonth()] as string,
  p: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  '%': () => '%',
};

/** Problems in a format string, e.g. `unknown directive %Q`; empty when it is valid. */
export function strftimeProblems(format: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    const c = format[i + 1];
    if (c === undefined) out.push('ends with a lone %');
    else if (!(c in RENDER))
      out.push(`unknown directive %${c} (known: ${[...STRFTIME_DIRECTIVES].map((x) => `%${x}`).join(' ')})`);
    i++;
  }
  return out;
}

/** Compiles a (valid) format into a cached `(epochMs) → text` function. */
export function compileStrftime(format: string): (ms: number) => string {
  const parts: (string | ((d: Date) => string))[] = [];
  let lit = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    const next = format[i + 1];
    if (ch === '%' && next !== undefined && next in RENDER) {
      if (lit !== '') parts.push(lit);
      lit = '';
      parts.push(RENDER[next] as (d: Date) => string);
      i++;
    } else lit += ch;
  }
  if (lit !== '') parts.push(lit);
  const subSecond = /%[fL]/.test(format);
  let key = Number.NaN;
  let text = '';
  return (ms: number): string => {
    const k = subSecond ? ms : Math.floor(ms / 1000);
    if (k !== key) {
      key = k;
      const d = new Date(ms);
      text = '';
      for (const p of parts) text += typeof p === 'string' ? p : p(d);
    }
    return text;
  };
}
