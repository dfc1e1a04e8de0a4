import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';

// R8 (docs/reliability.md): the reader of stdout goes away; the child must not crash and keeps its exit code.
describe('R8: EPIPE when the reader closes the pipe', () => {
  for (const mode of ['buffered', 'sync'] as const) {
    it(`the child keeps logging, does not crash and exits with its own code 3 (${mode})`, async () => {
      const r = await runFixture(
        'log-lines.mjs',
        // 50,000 lines (~3 MB) cannot fit in the pipe: the child is still writing when the reader leaves.
        { count: 50_000, end: 'exit', exitCode: 3, destination: { type: 'console', mode } },
        { onSpawn: (child) => child.stdout?.once('data', () => child.stdout?.destroy()) },
      );
      expect(r.signal).toBeNull();
      expect(r.code).toBe(3);
      expect(r.stderr).not.toMatch(/Uncaught|Error: write EPIPE|node:internal/);
      // One report line for the destination and code, and the drops counted.
      expect(r.otherStderr).toHaveLength(1);
      expect(r.otherStderr[0]).toContain('(EPIPE)');
      const dropped = r.metrics?.dropped['write_error:EPIPE'] ?? 0;
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(50_000);
    });
  }
});
