import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve(__dirname, '../../../../scripts/check-imports.mjs');

/** Runs the lint's import check over a made-up `core/src` tree. */
function check(files: Record<string, string>): { status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-imports-'));
  const src = path.join(dir, 'core', 'src');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
    fs.writeFileSync(path.join(src, name), text);
  }
  const r = spawnSync(process.execPath, [script, src], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stderr: r.stderr };
}

describe('scripts/check-imports.mjs (part of npm run lint)', () => {
  it('passes the real source tree of every package', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails on an import cycle, type-only imports included, and names its files', () => {
    const r = check({
      'a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
      'b.ts': "import { a } from './a.js';\nexport const b = a;\n",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('import cycle in');
    expect(r.stderr).toContain('a.ts, b.ts');
  });

  it('fails on a runtime import against the data path (a writer importing a destination)', () => {
    const r = check({
      'destinations/file.ts': 'export const file = 1;\n',
      'writers/fd.ts': "import { file } from '../destinations/file.js';\nexport const fd = file;\n",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('writers/fd.ts imports destinations/file.ts');
  });

  it('allows the data path direction, and type-only imports of contracts upstream', () => {
    const r = check({
      'pipeline/processor.ts': 'export interface Processor { name: string }\n',
      'security/redact.ts':
        "import type { Processor } from '../pipeline/processor.js';\nexport const p: Processor = { name: 'r' };\n",
      'pipeline/chain.ts': "import { p } from '../security/redact.js';\nexport const chain = [p];\n",
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
