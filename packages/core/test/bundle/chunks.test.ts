import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';

/**
 * The published bundle (dist/) keeps code that only some programs use in chunks loaded on first
 * use, and keeps heavy Node built-ins out of a plain logger's startup (benchmark case P7). These checks
 * run the built package in a child process, as a user imports it.
 */
describe('published bundle: lazily loaded chunks', async () => {
  const r = await runFixture('bundle-chunks.mjs', {});
  // The zero-config logger writes its line to stdout first; the report is the last line.
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as {
    zeroConfig: { chunks: string[]; builtins: string[]; names: string[] };
    syncFile: { chunks: string[] };
    async: Record<string, unknown> & { chunks: string[]; lines: string };
    worker: { chunks: string[]; lines: number; asyncWorker: { strategy: string; lines: number } };
    extras: Record<string, unknown> & { chunks: string[] };
    plugins: Record<string, unknown>;
    stream: { before: boolean; after: boolean; lines: string[] };
    directRequire: { status: number; stderr: string };
  };

  it('a zero-config logger loads no chunk and none of crypto, tty, net, stream, perf_hooks, worker_threads, module', () => {
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*INFO.*zero-config line\n/);
    expect(out.zeroConfig.chunks).toEqual([]);
    for (const heavy of [
      'crypto',
      'tty',
      'net',
      'stream',
      'worker_threads',
      'readline',
      'zlib',
      'perf_hooks',
      // createRequire is made on the first chunk load; built-ins come from process.getBuiltinModule.
      'module',
    ])
      expect(out.zeroConfig.builtins).not.toContain(`NativeModule ${heavy}`);
    // A logger with a config loads the validator (the config chunk), and nothing else.
    expect(out.syncFile.chunks).toEqual(['chunk-config.cjs']);
  });

  it('a stream destination loads the stream chunk (only then) and writes through it', () => {
    expect(out.stream).toEqual({ before: false, after: true, lines: ['stream line'] });
  });

  it('bundled classes keep their names', () => {
    expect(out.zeroConfig.names).toEqual(['HydraLogger', 'HydraLogger', 'LayerLogger']);
  });

  it('AsyncHydraLogger loads the async chunk and behaves as the class itself', () => {
    expect(out.async.chunks).toEqual(['chunk-async.cjs', 'chunk-config.cjs']);
    expect(JSON.parse(out.async.lines)).toMatchObject({ level: 'INFO', message: 'async line', n: 2 });
    expect(out.async).toMatchObject({
      typeofClass: 'function',
      name: 'AsyncHydraLogger',
      instanceOf: true,
      constructorName: 'AsyncHydraLogger',
      layerInstanceOf: true,
      sub: ['sub', true, true],
      staticMagic: true,
      droppedIsHydraError: true,
      queueIsClass: true,
      handOffCleared: true,
    });
  });

  it('errors thrown inside a chunk are the core bundle’s error classes (one module instance)', () => {
    expect(out.async.configError).toEqual({
      name: 'ConfigValidationError',
      isHydraError: true,
      isConfigError: true,
    });
  });

  it('a worker-mode destination loads the worker chunk and writes every line', () => {
    // The async step before it also loaded the extras chunk (its static magic-config call).
    expect(out.worker.chunks).toEqual([
      'chunk-async.cjs',
      'chunk-config.cjs',
      'chunk-extras.cjs',
      'chunk-worker.cjs',
    ]);
    expect(out.worker.lines).toBe(100);
    expect(out.worker.asyncWorker).toEqual({ strategy: 'worker', lines: 50 });
  });

  it('the extras chunk holds one magic registry and one default error tracker for everyone', () => {
    expect(out.extras).toEqual({
      chunks: ['chunk-async.cjs', 'chunk-config.cjs', 'chunk-extras.cjs', 'chunk-worker.cjs'],
      magicShared: true,
      tracked: 1,
      internal: 1,
      trackerIsClass: true,
      functionName: 'trackError',
    });
  });

  it('the plugins chunk loads with a logger’s first plugin, and the plugin runs', () => {
    expect(out.plugins).toEqual({
      before: false,
      afterCreate: false,
      afterAdd: true,
      lines: [false, true],
      insights: ['tagger'],
    });
  });

  it('a chunk required on its own refuses with a clear message', () => {
    expect(out.directRequire.status).not.toBe(0);
    expect(out.directRequire.stderr).toContain(
      'is loaded by hydra-logger itself; import "hydra-logger" instead',
    );
  });
});
