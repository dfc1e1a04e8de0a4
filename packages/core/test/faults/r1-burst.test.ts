import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { checkSequence, jsonSeq, runFixture } from '../fixtures/run-fixture.js';

// R1 (docs/reliability.md): a 1e6-line burst to a buffered file, then a clean exit.
const COUNT = 1_000_000;

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  removeDir(dir);
});

describe('R1: 1e6-line burst to a buffered file, clean exit', () => {
  for (const end of ['return', 'close'] as const) {
    const how =
      end === 'return'
        ? 'the script just returns (the exit flush writes the tail)'
        : 'the logger is closed first';
    it(`every line present, in order, no duplicates, no torn lines: ${how}`, async () => {
      const file = path.join(dir, 'burst.log');
      const r = await runFixture('log-lines.mjs', {
        count: COUNT,
        end,
        destination: { type: 'file', path: file },
      });
      expect(r.code).toBe(0);
      expect(r.otherStderr).toEqual([]);
      expect(checkSequence(fs.readFileSync(file, 'utf8'), COUNT, jsonSeq)).toBeUndefined();
      expect(r.metrics?.dropped).toEqual({});
      expect(r.metrics?.destinations.out).toMatchObject({ records: COUNT, pending: 0, retries: 0 });
    });
  }
});
