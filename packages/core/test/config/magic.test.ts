import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BuiltInMagicConfigName,
  HydraLogger,
  HydraLoggerError,
  type MagicConfigName,
} from '../../src/index.js';

const BUILT_INS: BuiltInMagicConfigName[] = [
  'production',
  'development',
  'testing',
  'microservice',
  'web_app',
  'api_service',
  'background_worker',
  'high_performance',
  'bare_metal',
  'minimal',
];

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-magic-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

// A port that swallows console output (fd 1/2) so these tests do not print, and passes files through.
const quietFs = {
  openSync: (p: string, f: string, m?: number) => fs.openSync(p, f, m),
  writeSync: (fd: number, data: string | Uint8Array, off?: number, len?: number) =>
    fd === 1 || fd === 2
      ? typeof data === 'string'
        ? Buffer.byteLength(data)
        : (len ?? data.length)
      : typeof data === 'string'
        ? fs.writeSync(fd, data)
        : fs.writeSync(fd, data, off, len),
  closeSync: (fd: number) => fs.closeSync(fd),
  fstatSync: (fd: number) => fs.fstatSync(fd),
  mkdirSync: (p: string, o: { recursive: true }) => fs.mkdirSync(p, o),
  fsyncSync: (fd: number) => fs.fsyncSync(fd),
};

describe('magic configs', () => {
  it('lists every built-in', () => {
    const names = HydraLogger.listMagicConfigs().map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(BUILT_INS));
    for (const m of HydraLogger.listMagicConfigs().filter((x) => x.builtIn))
      expect(m.description).not.toBe('');
  });

  it.each(BUILT_INS)(
    '%s: has a DEFAULT layer, creates no file at construction, files appear on first write',
    async (name) => {
      const logger = HydraLogger.forMagic(name, { fs: quietFs, env: {} });
      expect(fs.readdirSync(dir)).toEqual([]);
      logger.critical('SOME_UNDECLARED_LAYER', 'routed to DEFAULT');
      for (const layer of ['SECURITY', 'AUDIT', 'HTTP', 'AUTH', 'DB', 'API', 'JOBS'])
        logger.critical(layer, 'x');
      await logger.close();
      const m = logger.getPerformanceMetrics();
      expect(m.byLayer.SOME_UNDECLARED_LAYER).toBe(1);
      expect(Object.values(m.dropped).reduce((a, b) => a + b, 0)).toBe(0);
      if (name === 'testing') expect(logger.memory()?.lines()[0]).toContain('routed to DEFAULT');
      const files = fs.existsSync('logs') ? fs.readdirSync('logs') : [];
      for (const f of files) expect(fs.readFileSync(path.join('logs', f), 'utf8')).not.toBe('');
    },
  );

  it.each([
    ['forProduction', 'production'],
    ['forDevelopment', 'development'],
    ['forTesting', 'testing'],
    ['forMicroservice', 'microservice'],
    ['forWebApp', 'web_app'],
    ['forApiService', 'api_service'],
    ['forBackgroundWorker', 'background_worker'],
    ['forHighPerformance', 'high_performance'],
    ['forBareMetal', 'bare_metal'],
    ['forMinimal', 'minimal'],
  ] as const)('%s() is forMagic("%s")', async (method, name) => {
    const a = HydraLogger[method]({ fs: quietFs, env: {} });
    const b = HydraLogger.forMagic(name, { fs: quietFs, env: {} });
    expect(Object.keys(a.getPerformanceMetrics().destinations)).toEqual(
      Object.keys(b.getPerformanceMetrics().destinations),
    );
    await a.close();
    await b.close();
  });

  it('production writes JSON lines to logs/app.log', async () => {
    const logger = HydraLogger.forProduction({ fs: quietFs, env: {} });
    logger.info('APP', 'started', { port: 80 });
    await logger.close();
    const line = JSON.parse(fs.readFileSync('logs/app.log', 'utf8').trim());
    expect(line).toMatchObject({ level: 'INFO', layer: 'APP', message: 'started', port: 80 });
  });

  it('registers, uses, lists and unregisters a custom config; the factory may return a plain object', async () => {
    HydraLogger.registerMagic(
      'my_app',
      () => ({ layers: { DEFAULT: { destinations: [{ type: 'memory' }] } } }),
      'mine',
    );
    try {
      expect(HydraLogger.hasMagicConfig('my_app')).toBe(true);
      expect(HydraLogger.listMagicConfigs()).toContainEqual({
        name: 'my_app',
        description: 'mine',
        builtIn: false,
      });
      const logger = HydraLogger.forMagic('my_app' as MagicConfigName);
      logger.info('hello');
      expect(logger.memory()?.lines()).toHaveLength(1);
    } finally {
      expect(HydraLogger.unregisterMagic('my_app')).toBe(true);
    }
    expect(HydraLogger.hasMagicConfig('my_app')).toBe(false);
    expect(HydraLogger.unregisterMagic('my_app')).toBe(false);
  });

  it('an unknown name is an error listing the available names', () => {
    let err: unknown;
    try {
      HydraLogger.forMagic('nope' as MagicConfigName);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HydraLoggerError);
    expect((err as HydraLoggerError).code).toBe('HYDRA_E_MAGIC_CONFIG');
    expect((err as Error).message).toContain(`available: ${BUILT_INS.join(', ')}`);
  });

  it('a factory returning an invalid config fails with the path, naming the magic config', () => {
    HydraLogger.registerMagic('broken', () => ({ layers: { A: { destinations: [{ type: 'file' }] } } }));
    try {
      expect(() => HydraLogger.forMagic('broken' as MagicConfigName)).toThrow(
        /magic config "broken"[\s\S]*layers\.A\.destinations\[0\]\.path/,
      );
    } finally {
      HydraLogger.unregisterMagic('broken');
    }
  });

  it('built-ins cannot be replaced or removed; names are checked', () => {
    expect(() => HydraLogger.registerMagic('production', () => ({}))).toThrow(/cannot be replaced/);
    expect(() => HydraLogger.unregisterMagic('production')).toThrow(/cannot be removed/);
    expect(() => HydraLogger.registerMagic('bad name', () => ({}))).toThrow(/name must be/);
  });
});

describe('README', () => {
  it('documents every built-in magic config in its table', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([a-z_]+)` \| `for\w+\(\)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(
      HydraLogger.listMagicConfigs()
        .filter((m) => m.builtIn)
        .map((m) => m.name),
    );
  });
});
