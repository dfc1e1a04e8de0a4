import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { fixedError, freezeClock, restoreClock } from './capture.js';

const TS = '2026-11-26 21:49:12.563';
const NO_COLOR_ENV = { NO_COLOR: '1', TERM: 'xterm-256color' };

/** A logger writing plain text to a Writable that does (or does not) say it is a terminal. */
function streamLogger(isTTY: boolean): { logger: HydraLogger; text: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = new HydraLogger({
    env: NO_COLOR_ENV,
    config: {
      layers: { DEFAULT: { destinations: [{ type: 'stream', stream: out, format: 'plain-text' }] } },
    },
  });
  return { logger, text: () => chunks.join('') };
}

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('plain-text errors on a terminal: the stack on lines of its own', () => {
  it('writes the stack and the cause chain indented under the record, and the error without stacks on the line', async () => {
    const { logger, text } = streamLogger(true);
    logger.error('DB', 'query failed', { err: fixedError(), table: 'orders' });
    await logger.close();
    expect(text()).toBe(
      `${TS} ERROR    [DB] query failed err={"type":"Error","message":"query failed","cause":{"type":"Error","message":"connection refused"}} table=orders\n` +
        '  Error: query failed\n' +
        '      at handler (/srv/app.js:10:5)\n' +
        '  Caused by: Error: connection refused\n' +
        '      at connect (/srv/db.js:3:7)\n',
    );
  });

  it('escapes control characters and ANSI sequences inside a stack', async () => {
    const { logger, text } = streamLogger(true);
    const err = new Error('bad');
    err.stack = 'Error: bad \x1b[31mred\x1b[0m\r\n    at x (/a.js:1:1)';
    logger.error('APP', 'm', { err });
    await logger.close();
    const lines = text().split('\n');
    expect(lines[1]).toBe('  Error: bad \\x1b[31mred\\x1b[0m\\r');
    expect(text()).not.toContain('\x1b');
  });

  it('keeps one line per record on a stream that is not a terminal', async () => {
    const { logger, text } = streamLogger(false);
    logger.error('DB', 'query failed', { err: fixedError() });
    await logger.close();
    expect(text().split('\n')).toHaveLength(2);
    expect(text()).toContain('"stack":"Error: query failed\\n    at handler (/srv/app.js:10:5)"');
  });

  it('keeps one line per record in a plain-text file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-stack-'));
    try {
      const file = path.join(dir, 'app.log');
      const logger = new HydraLogger({
        config: {
          layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'plain-text' }] } },
        },
      });
      logger.error('DB', 'query failed', { err: fixedError() });
      await logger.close();
      expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves records without an error unchanged on a terminal', async () => {
    const { logger, text } = streamLogger(true);
    logger.info('APP', 'started', { port: 8080 });
    await logger.close();
    expect(text()).toBe(`${TS} INFO     [APP] started port=8080\n`);
  });

  it('also applies to a custom template', async () => {
    const out = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = new HydraLogger({
      env: NO_COLOR_ENV,
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'stream', stream: out, format: 'plain-text', template: '{level} {message}{fields}' },
            ],
          },
        },
      },
    });
    const err = new Error('x');
    err.stack = 'Error: x\n    at y (/b.js:2:2)';
    logger.error('APP', 'm', { err });
    await logger.close();
    expect(chunks.join('')).toBe(
      'ERROR    m err={"type":"Error","message":"x"}\n  Error: x\n      at y (/b.js:2:2)\n',
    );
  });
});

// A real terminal: `script` (util-linux) runs the child on a pseudo-terminal, so the console
// destination's own TTY check (fd 1) decides, as in a developer's shell.
const script = ['/usr/bin/script', '/bin/script'].find((p) => fs.existsSync(p));
const here = path.dirname(fileURLToPath(import.meta.url));

describe.skipIf(script === undefined)('console destination on a pseudo-terminal (util-linux script)', () => {
  it('writes the stack on its own lines to a terminal, and one line to a pipe', () => {
    const program = [
      "import { HydraLogger } from 'hydra-logger';",
      'const l = new HydraLogger();',
      "const e = new Error('boom'); e.stack = 'Error: boom\\n    at f (/c.js:3:3)';",
      "l.error('APP', 'failed', { err: e });",
      'await l.close();',
    ].join('\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-pty-')), 'pty.mjs');
    // Resolved from the repo so the child imports the built package, as a user's program does.
    fs.writeFileSync(
      file,
      program.replace("'hydra-logger'", JSON.stringify(path.resolve(here, '../../dist/index.js'))),
    );
    const env = { ...process.env, NO_COLOR: '1' };
    const onPty = spawnSync(script as string, ['-qec', `${process.execPath} ${file}`, '/dev/null'], {
      encoding: 'utf8',
      env,
    });
    expect(onPty.status).toBe(0);
    const ptyLines = onPty.stdout.replace(/\r\n/g, '\n');
    expect(ptyLines).toMatch(
      /ERROR {4}\[APP\] failed err=\{"type":"Error","message":"boom"\}\n {2}Error: boom\n {6}at f \(\/c\.js:3:3\)\n/,
    );
    const onPipe = spawnSync(process.execPath, [file], { encoding: 'utf8', env });
    expect(onPipe.stdout.split('\n')).toHaveLength(2);
    expect(onPipe.stdout).toContain('"stack":"Error: boom\\n    at f (/c.js:3:3)"');
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
