import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository's docs, comments and tests stand alone: they say what the library does, never
 * refer to documents a reader of the repository does not have (a product specification's
 * sections, an earlier implementation's plan). Every file git tracks or would add is checked.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
// Written in pieces, so that this file does not match itself.
const FORBIDDEN = [
  new RegExp(`SPEC ${'§'}`),
  new RegExp(`Python ${'plan'}`, 'i'),
  new RegExp(`seed ${'plan'}`, 'i'),
];

describe('the repository stands alone', () => {
  it('no file refers to the specification by section, or to an earlier plan', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter((f) => f !== '');
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of new Set(files)) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(root, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      if (text.includes('\0')) continue; // binary
      for (const [i, line] of text.split('\n').entries())
        if (FORBIDDEN.some((re) => re.test(line)))
          found.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
    }
    expect(found).toEqual([]);
  });
});
