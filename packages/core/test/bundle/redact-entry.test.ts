import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const CORE = join(here, '..', '..');

/**
 * `hydra-logger/redact` is what the browser SDK bundles: it must pull in no Node.js built-in,
 * directly or through any module it imports.
 */
describe('hydra-logger/redact', () => {
  it('bundles for a browser with no Node.js built-in in its imports', async () => {
    const result = await build({
      absWorkingDir: CORE,
      entryPoints: ['src/redact.ts'],
      bundle: true,
      write: false,
      platform: 'neutral',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => p.startsWith('node:') || !p.startsWith('src/'))).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.every(
        (f) => f === 'src/redact.ts' || f === 'src/internal/shared-sizes.ts' || f.startsWith('src/security/'),
      ),
    ).toBe(true);
  });

  it('the published file (package.json "exports") imports no Node.js built-in', () => {
    const pkg = JSON.parse(readFileSync(join(CORE, 'package.json'), 'utf8'));
    expect(pkg.exports['./redact'].default).toBe('./dist/redact.js');
    const text = readFileSync(join(CORE, 'dist/redact.js'), 'utf8');
    expect(text).not.toMatch(/from\s*["']node:|import\s*\(\s*["']node:|\brequire\s*\(/);
    // esbuild writes a class as `class X` or, when its body refers to it, `var X = class`.
    expect(text).toMatch(/\bclass DataSanitizer\b|\bDataSanitizer = class\b/);
  });

  it('redacts with the core rules', async () => {
    const { DataSanitizer } = await import('../../src/redact.js');
    const s = new DataSanitizer();
    expect(s.sanitize({ password: 'hunter2', note: 'mail alice@example.com' })).toEqual({
      password: '[REDACTED]',
      note: expect.not.stringContaining('alice@example.com'),
    });
  });
});
