/**
 * Plain-text line templates: `{timestamp} {level} {name}{caller} {message}{fields}` is the default.
 * Placeholders: {timestamp} ({date} {time}), {date}, {time}, {level} (padded to 8), {layer},
 * {name} (the layer through `loggerNameFormat`, default `[{name}]`), {message} (through
 * `messageFormat`, default `{message}`), {fields} and {caller} (each with its leading space,
 * empty when absent), {pid}, {hostname}. `{{` and `}}` are literal braces.
 */
export const TEMPLATE_PLACEHOLDERS = [
  'timestamp',
  'date',
  'time',
  'level',
  'layer',
  'name',
  'message',
  'fields',
  'pid',
  'hostname',
  'caller',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

export const DEFAULT_TEMPLATE = '{timestamp} {level} {name}{caller} {message}{fields}';

/** A parsed template: literal text and placeholders, in order. */
export type TemplatePart = { text: string } | { key: string };

/** Splits a template; unknown placeholders are kept as keys so the caller can report them. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      lit += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) {
        lit += template.slice(i);
        break;
      }
      if (lit !== '') parts.push({ text: lit });
      lit = '';
      parts.push({ key: template.slice(i + 1, end) });
      i = end;
    } else lit += ch;
  }
  if (lit !== '') parts.push({ text: lit });
  return parts;
}

/** Problems in a template (unknown placeholders), naming the allowed ones; empty when valid. */
export function templateProblems(template: string, allowed: readonly string[]): string[] {
  return parseTemplate(template)
    .filter((p): p is { key: string } => 'key' in p && !allowed.includes(p.key))
    .map((p) => `unknown placeholder {${p.key}} (known: ${allowed.map((a) => `{${a}}`).join(' ')})`);
}

/** Compiles a template against a table of value getters into one render function. */
export function compileTemplate<C>(
  template: string,
  getters: Readonly<Record<string, (ctx: C) => string>>,
): (ctx: C) => string {
  const parts = parseTemplate(template).map((p) =>
    'text' in p ? p.text : (getters[p.key] ?? (() => `{${p.key}}`)),
  );
  return (ctx: C): string => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string | ((c: C) => string);
      out += typeof p === 'string' ? p : p(ctx);
    }
    return out;
  };
}
