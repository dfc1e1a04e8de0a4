import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Runs against the built package, in a fresh process with stdout on a pipe, like a user's first minute.
const dist = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/index.js')).href;
const script = `
const { HydraLogger } = await import(${JSON.stringify(dist)});
const logger = new HydraLogger();
logger.info('APP', 'Application started', { userId: 42 });
logger.info('plain message');
logger.debug('APP', 'debug line');
const counts = {};
for (const e of ['uncaughtException', 'unhandledRejection', 'SIGTERM', 'SIGINT', 'SIGHUP']) counts[e] = process.listenerCount(e);
process.stderr.write(JSON.stringify(counts));
`;

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-zero-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

function run(env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('HYDRA_') && !['FORCE_COLOR', 'NO_COLOR'].includes(k),
    ),
  );
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TS = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}';

describe('zero-config: new HydraLogger()', () => {
  it('writes plain text to stdout at INFO without colour on a pipe, creates no file, installs no global handler', () => {
    const r = run();
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${TS} INFO     \\[APP\\] Application started userId=42$`));
    expect(lines[1]).toMatch(new RegExp(`^${TS} INFO     \\[DEFAULT\\] plain message$`));
    expect(lines[2]).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      uncaughtException: 0,
      unhandledRejection: 0,
      SIGTERM: 0,
      SIGINT: 0,
      SIGHUP: 0,
    });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('honours HYDRA_LOG_LEVEL', () => {
    const r = run({ HYDRA_LOG_LEVEL: 'DEBUG' });
    expect(r.stdout).toMatch(/DEBUG {4}\[APP\] debug line\n$/);
  });

  it('honours HYDRA_LOG_FORMAT', () => {
    const r = run({ HYDRA_LOG_FORMAT: 'json' });
    const first = JSON.parse(r.stdout.split('\n')[0] ?? '');
    expect(first).toMatchObject({ level: 'INFO', layer: 'APP', message: 'Application started', userId: 42 });
  });

  it('colours when FORCE_COLOR is set, not when NO_COLOR alone is', () => {
    expect(run({ FORCE_COLOR: '1' }).stdout).toContain('\x1b[32mINFO    \x1b[0m');
    expect(run({ NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
  });

  it('an invalid HYDRA_LOG_LEVEL fails at construction, naming the variable', () => {
    const r = run({ HYDRA_LOG_LEVEL: 'loud' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('HYDRA_LOG_LEVEL="loud" is not valid');
  });
});
