import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MagicConfigName } from '../../src/index.js';
import { FaultPort } from '../fixtures/fault-port.js';
import { fileLines, jsonLines, LOGGERS, makeTempDir, memoryRecords, only, removeDir } from './loggers.js';

// Magic configs, config files, and file destinations (lazy creation, directories, rotation, csv header).

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = makeTempDir();
  cwd = process.cwd();
});
afterEach(() => {
  process.chdir(cwd);
  removeDir(dir);
});

describe.each(LOGGERS)('$name: magic configs', (kind) => {
  it('forMagic("testing") logs DEBUG+ into memory', async () => {
    const logger = kind.forMagic('testing');
    await logger.debug('visible');
    await logger.trace('below DEBUG');
    expect(memoryRecords(logger, 'memory').map((r) => r.message)).toEqual(['visible']);
    await logger.close();
  });

  it('a registered magic config is usable by name, and its files appear only on the first write', async () => {
    const name = `parity_${kind.name}`;
    const file = path.join(dir, 'magic', 'app.log');
    kind.Class.registerMagic(name, () => ({
      layers: { DEFAULT: { destinations: [{ type: 'file', path: file }] } },
    }));
    try {
      expect(kind.Class.hasMagicConfig(name)).toBe(true);
      const logger = kind.forMagic(name as MagicConfigName);
      expect(fs.existsSync(path.dirname(file))).toBe(false);
      await logger.info('first');
      await logger.flush();
      expect(jsonLines(file).map((r) => r.message)).toEqual(['first']);
      await logger.close();
    } finally {
      kind.Class.unregisterMagic(name);
    }
  });

  it('forWebApp writes the HTTP layer to logs/access.log relative to the working directory (JSON)', async () => {
    process.chdir(dir);
    const logger = kind.Class.forWebApp() as unknown as ReturnType<typeof kind.create>;
    await logger.info('HTTP', 'GET /items', { status: 200 });
    await logger.flush();
    expect(jsonLines(path.join(dir, 'logs/access.log'))).toEqual([
      expect.objectContaining({ layer: 'HTTP', message: 'GET /items', status: 200 }),
    ]);
    await logger.close();
  });

  it('listMagicConfigs lists the built-ins', () => {
    expect(kind.Class.listMagicConfigs().map((m) => m.name)).toEqual(
      expect.arrayContaining(['production', 'development', 'testing', 'microservice', 'minimal']),
    );
  });
});

describe.each(LOGGERS)('$name: config files', (kind) => {
  it('loads a YAML file with snake_case keys (aliases)', async () => {
    const out = path.join(dir, 'from-yaml.log');
    const cfg = path.join(dir, 'hydra.yaml');
    fs.writeFileSync(
      cfg,
      `default_level: debug\nlayers:\n  DEFAULT:\n    destinations:\n      - type: file\n        path: ${JSON.stringify(out)}\n        format: logfmt\n`,
    );
    const logger = kind.create({ config: cfg });
    await logger.debug('from yaml', { k: 1 });
    await logger.flush();
    expect(fileLines(out)).toEqual([
      expect.stringMatching(/ level=debug layer=DEFAULT msg="from yaml" k=1$/),
    ]);
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: file destinations', (kind) => {
  it('creates the directories on the first write, not at construction', async () => {
    const file = path.join(dir, 'a', 'b', 'c.log');
    const logger = kind.create({ config: only({ type: 'file', path: file }) });
    expect(fs.existsSync(path.join(dir, 'a'))).toBe(false);
    await logger.info('now');
    await logger.flush();
    expect(fileLines(file)).toHaveLength(1);
    await logger.close();
  });

  it('appends to an existing file; csv writes its header only into an empty file', async () => {
    const file = path.join(dir, 'app.csv');
    for (let run = 0; run < 2; run++) {
      const logger = kind.create({ config: only({ type: 'file', path: file, format: 'csv' }) });
      await logger.info('APP', `run ${run}`, { n: run });
      await logger.close();
    }
    const lines = fileLines(file);
    expect(lines[0]).toBe('timestamp,level,layer,message,fields');
    expect(lines.filter((l) => l.startsWith('timestamp,'))).toHaveLength(1);
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['run 0', 'run 1']);
  });

  it('rotates by size: no file passes maxSize and the files hold every line once, in order', async () => {
    const file = path.join(dir, 'rot.log');
    const logger = kind.create({
      config: only({ type: 'file', path: file, format: 'json', maxSize: 2_000, backupCount: 50 }),
    });
    for (let i = 0; i < 200; i++) await logger.info('line', { seq: i });
    await logger.close();
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('rot.log'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2_000);
    // Oldest first: rot.log.N … rot.log.1, then rot.log.
    const ordered = [
      ...files
        .filter((f) => f !== 'rot.log')
        .sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop())),
      'rot.log',
    ];
    const seqs = ordered.flatMap((f) => jsonLines(path.join(dir, f)).map((r) => r.seq));
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('reopen() closes the file; the next line goes to a new file at the same path (logrotate)', async () => {
    const file = path.join(dir, 'moved.log');
    const logger = kind.create({ config: only({ type: 'file', path: file }) });
    await logger.info('before');
    await logger.flush();
    fs.renameSync(file, `${file}.1`);
    logger.reopen();
    await logger.info('after');
    await logger.flush();
    expect(jsonLines(`${file}.1`).map((r) => r.message)).toEqual(['before']);
    expect(jsonLines(file).map((r) => r.message)).toEqual(['after']);
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: fsync: true', (kind) => {
  it('every line written is fsynced (HydraLogger: mode sync, per record; AsyncHydraLogger: per batch)', async () => {
    const file = path.join(dir, 'synced.log');
    const port = new FaultPort();
    const fsyncs = vi.spyOn(port, 'fsyncSync');
    const logger = kind.create({
      fs: port,
      config: only({ type: 'file', path: file, mode: 'sync', fsync: true }),
    });
    await logger.info('one');
    expect(fileLines(file)).toHaveLength(1);
    expect(fsyncs).toHaveBeenCalledTimes(1);
    await logger.error('two');
    expect(fsyncs).toHaveBeenCalledTimes(2);
    await logger.close();
  });

  it('fsync on a console destination is a configuration error naming its path', () => {
    expect(() => kind.create({ config: only({ type: 'console', fsync: true } as never) })).toThrow(
      /layers\.DEFAULT\.destinations\[0\]\.fsync: only "file" destinations can be fsynced/,
    );
  });
});
