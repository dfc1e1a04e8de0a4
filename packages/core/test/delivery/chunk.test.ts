import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';

// The published bundle: the delivery engine and transports are a chunk loaded on first use.
describe('network chunk (dist/chunk-network.cjs)', async () => {
  const r = await runFixture('network-chunk.mjs', {});
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
    file: { chunks: string[]; builtins: string[]; text: string };
    http: { chunks: string[]; got: { message: string; n: number }[]; stats: Record<string, unknown> };
  };

  it('a logger writing a file loads none of it, nor http, net, zlib', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(out.file.text).toContain('file line');
    expect(out.file.chunks).not.toContain('chunk-network.cjs');
    for (const b of ['http', 'https', 'net', 'zlib', 'tls', 'dgram'])
      expect(out.file.builtins).not.toContain(`NativeModule ${b}`);
  });

  it('an http destination loads it and delivers', () => {
    expect(out.http.chunks).toContain('chunk-network.cjs');
    expect(out.http.got).toMatchObject([{ message: 'net line', n: 1 }]);
    expect(out.http.stats).toMatchObject({ type: 'http', delivered: 1, produced: 1, pending: 0 });
  });
});
