import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, WARNING_CODES } from '../src/index.js';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
const documented = (prefix: string) =>
  [...doc.matchAll(new RegExp(`^\\| \`(${prefix}[A-Z_]+)\``, 'gm'))].map((m) => m[1]);

describe('error code catalogue', () => {
  it('is not empty', () => {
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(0);
  });

  it('docs/errors.md documents exactly the error codes of ERROR_CODES', () => {
    expect(documented('HYDRA_E_').sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('docs/errors.md documents exactly the warning codes of WARNING_CODES', () => {
    expect(documented('HYDRA_W_').sort()).toEqual(Object.keys(WARNING_CODES).sort());
  });

  it('every code used in the source is in the catalogue', () => {
    const src = path.resolve(import.meta.dirname, '../src');
    const used = new Set<string>();
    for (const f of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.ts') || f === 'errors.ts') continue;
      for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/'(HYDRA_[EW]_[A-Z_]+)'/g))
        used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(0);
    for (const code of used) expect({ ...ERROR_CODES, ...WARNING_CODES }).toHaveProperty(code);
  });
});
