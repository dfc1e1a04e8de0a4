/**
 * Pretty JSON (two-space indent) as DOM text nodes and spans coloured by token kind. Built with
 * text nodes only: a record's content never becomes markup.
 */
export function renderJson(target: HTMLElement, value: unknown): void {
  const out = document.createDocumentFragment();
  let plain = '';
  const flush = () => {
    if (plain !== '') out.appendChild(document.createTextNode(plain));
    plain = '';
  };
  const span = (cls: string, text: string) => {
    flush();
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    out.appendChild(s);
  };
  const walk = (v: unknown, indent: string): void => {
    if (v === null) {
      span('j-null', 'null');
      return;
    }
    if (typeof v === 'string') {
      span('j-str', JSON.stringify(v));
      return;
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      span(`j-${typeof v}`, String(v));
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) {
        plain += '[]';
        return;
      }
      plain += '[\n';
      v.forEach((x, i) => {
        plain += `${indent}  `;
        walk(x, `${indent}  `);
        plain += i < v.length - 1 ? ',\n' : '\n';
      });
      plain += `${indent}]`;
      return;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) {
        plain += '{}';
        return;
      }
      plain += '{\n';
      entries.forEach(([k, x], i) => {
        plain += `${indent}  `;
        span('j-key', JSON.stringify(k));
        plain += ': ';
        walk(x, `${indent}  `);
        plain += i < entries.length - 1 ? ',\n' : '\n';
      });
      plain += `${indent}}`;
      return;
    }
    plain += String(v);
  };
  walk(value, '');
  flush();
  target.replaceChildren(out);
}
