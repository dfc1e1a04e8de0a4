import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BRIDGE_LIMITS, CLOSE_CODES, ERROR_CODES } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const protocol = readFileSync(new URL('../../../docs/bridge-protocol.md', import.meta.url), 'utf8');

describe('docs agree with the code', () => {
  it('the README limits table lists every limit with its default, and nothing else', () => {
    const rows = [...readme.matchAll(/^\| `(\w+)` \| ([\d,]+) \|/gm)].map((m) => [
      m[1],
      Number(m[2]?.replaceAll(',', '')),
    ]);
    expect(Object.fromEntries(rows)).toEqual({ ...BRIDGE_LIMITS });
  });

  it('the protocol page names every error code and close code', () => {
    for (const code of ERROR_CODES) expect(protocol).toContain(`\`${code}\``);
    for (const code of Object.values(CLOSE_CODES)) expect(protocol).toMatch(new RegExp(`^\\| ${code} `, 'm'));
  });
});
