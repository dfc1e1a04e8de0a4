import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('bench/agents.mjs', () => {
  it('runs as a smoke check: output verified, tables bounded', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'bench', 'agents.mjs'), '--smoke'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      messages: number;
      tracker: { agents: number; edges: number; pendingMessages: number };
    };
    expect(out.messages).toBe(5000);
    expect(out.tracker).toMatchObject({ agents: 1000, edges: 1000, pendingMessages: 0 });
  });
});
