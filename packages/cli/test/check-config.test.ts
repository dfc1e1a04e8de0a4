import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hydra, tempDir } from './helpers.js';

const { dir, remove } = tempDir('hydra-check-');
afterAll(remove);
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('hydra check-config', () => {
  it('prints ok and exits 0 for a valid YAML config (extends followed)', async () => {
    write('base.yaml', 'layers:\n  DB:\n    level: warning\n');
    const file = write(
      'good.yaml',
      'extends: ./base.yaml\ndefault_level: info\nlayers:\n  APP:\n    destinations:\n      - { type: console, color_mode: auto }\n      - { type: file, path: logs/app.log, format: json }\n',
    );
    const r = await hydra(['check-config', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok: ${file} (2 layers, 2 destinations)\n`);
  });

  it('prints every problem with its path and exits 1, as the library reports them', async () => {
    const file = write(
      'bad.json',
      JSON.stringify({
        defaultLevel: 'loud',
        layers: {
          DB: {
            destinations: [
              { type: 'console' },
              { type: 'file', path: 'x.log', bufferSize: 'huge', fromat: 'json' },
            ],
          },
        },
      }),
    );
    const r = await hydra(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.json: 3 problems\n/);
    expect(r.stderr).toMatch(/^ {2}defaultLevel: .*loud/m);
    expect(r.stderr).toMatch(
      /^ {2}layers\.DB\.destinations\[1\]\.bufferSize: expected a positive integer, got "huge"$/m,
    );
    expect(r.stderr).toMatch(/^ {2}layers\.DB\.destinations\[1\]\.fromat: .*format/m);
  });

  it('exits 1 with the parse error for a file that is not valid YAML, and for a missing file', async () => {
    const broken = await hydra(['check-config', write('broken.yaml', 'layers: [unclosed\n')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/config file .*broken\.yaml: /);
    const missing = await hydra(['check-config', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yaml/);
  });
});
