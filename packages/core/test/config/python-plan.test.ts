import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type FsPort, HydraLogger } from '../../src/index.js';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-py-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('loads a YAML file with snake_case keys and upper-case levels unchanged and writes what it says', async () => {
  const stdout: string[] = [];
  // Real files; fd 1 captured so the console destination's JSON can be checked.
  const port: FsPort = {
    openSync: (p, f, m) => fs.openSync(p, f, m),
    writeSync: (fd, data, off, len) => {
      if (fd === 1) {
        stdout.push(typeof data === 'string' ? data : Buffer.from(data).toString());
        return typeof data === 'string' ? Buffer.byteLength(data) : (len ?? data.length);
      }
      return typeof data === 'string' ? fs.writeSync(fd, data) : fs.writeSync(fd, data, off, len);
    },
    closeSync: (fd) => fs.closeSync(fd),
    fstatSync: (fd) => fs.fstatSync(fd),
    mkdirSync: (p, o) => fs.mkdirSync(p, o),
    fsyncSync: (fd) => fs.fsyncSync(fd),
  };
  const logger = new HydraLogger({
    config: path.resolve(import.meta.dirname, 'fixtures/python-plan.yaml'),
    fs: port,
    env: {},
  });
  logger.info('APP', 'Application started', { user_id: 42 });
  logger.debug('APP', 'not written: APP is INFO');
  logger.debug('AUTH', 'Login attempt', { user: 'ada' });
  logger.info('DB', 'not written: DB is WARNING');
  logger.error('DB', 'query failed', { table: 'users' });
  logger.info('PAYMENTS', 'undeclared layer goes to DEFAULT (console, plain text)');
  await logger.close();

  expect(fs.readFileSync('logs/app.log', 'utf8')).toMatch(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {5}\[APP\] Application started user_id=42\n$/,
  );
  expect(JSON.parse(fs.readFileSync('logs/auth.log', 'utf8'))).toMatchObject({
    level: 'DEBUG',
    layer: 'AUTH',
    message: 'Login attempt',
    user: 'ada',
  });
  const csv = fs.readFileSync('logs/db.csv', 'utf8').split('\n');
  expect(csv[0]).toBe('timestamp,level,layer,message,fields');
  expect(csv[1]).toMatch(/^\S+,ERROR,DB,query failed,"\{""table"":""users""\}"$/);
  expect(csv).toHaveLength(3);
  const out = stdout.join('').split('\n').filter(Boolean);
  expect(JSON.parse(out[0] as string)).toMatchObject({
    level: 'INFO',
    layer: 'APP',
    message: 'Application started',
  });
  expect(out[1]).toMatch(/INFO {5}\[PAYMENTS\] undeclared layer goes to DEFAULT/);
  expect(out).toHaveLength(2);
});
