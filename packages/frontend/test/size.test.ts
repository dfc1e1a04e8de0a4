import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFrontend, SIZE_LIMIT } from '../scripts/build.mjs';

describe('@hydra-logger/frontend build', () => {
  it('the script-tag build is at most 12 KB minified and gzipped, and carries the core redaction module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-frontend-size-'));
    try {
      const r = await buildFrontend(dir);
      expect(SIZE_LIMIT).toBe(12 * 1024);
      expect(r.gzip).toBeLessThanOrEqual(SIZE_LIMIT);
      // One module shared with the core, not a copy: the bundle is built from hydra-logger/redact.
      expect(r.inputs.some((f: string) => f.endsWith('core/src/redact.ts'))).toBe(true);
      expect(r.inputs.some((f: string) => f.endsWith('core/src/security/data-sanitizer.ts'))).toBe(true);
      expect(r.inputs.filter((f: string) => f.includes('node_modules'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
