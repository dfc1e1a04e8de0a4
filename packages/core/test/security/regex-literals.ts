/**
 * Finds the regex literals in a TypeScript source file, so a test can prove that every regex a
 * module ships is in the list the ReDoS test checks. A small lexer: it skips comments, strings
 * and template literals, and reads `/…/flags` where a regex (not a division) can start.
 */
export function regexLiterals(source: string): { source: string; flags: string }[] {
  const out: { source: string; flags: string }[] = [];
  let prev = ''; // last significant character (or 'w' after a word or number)
  let prevWord = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && next === '*') {
      i = source.indexOf('*/', i + 2) + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      i++;
      prev = 'w';
      continue;
    }
    if (c === '/') {
      const regexCanStart =
        prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || ['return', 'typeof'].includes(prevWord);
      if (regexCanStart) {
        let j = i + 1;
        let inClass = false;
        while (j < n && (inClass || source[j] !== '/')) {
          if (source[j] === '\\') j++;
          else if (source[j] === '[') inClass = true;
          else if (source[j] === ']') inClass = false;
          j++;
        }
        const body = source.slice(i + 1, j);
        let k = j + 1;
        while (k < n && /[a-z]/.test(source[k] as string)) k++;
        out.push({ source: body, flags: source.slice(j + 1, k) });
        i = k;
        prev = 'w';
        continue;
      }
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(source[j] as string)) j++;
      prevWord = source.slice(i, j);
      prev = 'w';
      i = j;
      continue;
    }
    prev = c;
    prevWord = '';
    i++;
  }
  return out;
}
