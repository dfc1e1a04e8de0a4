import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The published code is read by people: Node prints the source line an uncaught error was thrown
 * from above its message, and stack traces point into these files. So the bundles are not
 * minified, and no line is longer than a person reads at once.
 */
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const MAX_LINE = 500;

describe('published bundle: readable code', () => {
  const bundles = fs.readdirSync(dist).filter((f) => /^(index|worker-entry)\.js$|^chunk-\w+\.cjs$/.test(f));

  it(`no line of dist/*.js or dist/*.cjs is longer than ${MAX_LINE} characters`, () => {
    expect(bundles).toEqual(
      expect.arrayContaining(['index.js', 'worker-entry.js', 'chunk-async.cjs', 'chunk-extras.cjs']),
    );
    const long: string[] = [];
    for (const file of bundles)
      for (const [i, line] of fs.readFileSync(path.join(dist, file), 'utf8').split('\n').entries())
        if (line.length > MAX_LINE) long.push(`${file}:${i + 1}: ${line.length} characters`);
    expect(long).toEqual([]);
  });

  it('an uncaught error from the library prints one short line of code above its message', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { HydraLogger } from ${JSON.stringify(path.join(dist, 'index.js'))};
         new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'consol' }] } } } });`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    // Node prints: the file and line, that line of code, a caret, a blank line, then the error.
    const head = r.stderr.slice(0, r.stderr.indexOf('\n\n'));
    const [where, code, caret] = head.split('\n');
    expect(where).toMatch(/dist\/index\.js:\d+$/);
    expect(code).toMatch(/new ConfigValidationError\(/);
    expect(caret?.trim()).toBe('^');
    expect(head.length).toBeLessThan(MAX_LINE);
    expect(r.stderr).toContain('layers.DEFAULT.destinations[0].type: expected one of');
  });
});
