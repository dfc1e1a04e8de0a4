import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hydra, LiveHydra, stripAnsi, tempDir } from './helpers.js';

const { dir, remove } = tempDir();
const logs: Record<string, string> = {};
const writer = path.join(import.meta.dirname, 'fixtures/write-logs.mjs');

beforeAll(() => {
  for (const kind of ['hydra-json', 'hydra-gelf', 'pino', 'bunyan']) {
    logs[kind] = path.join(dir, `${kind}.log`);
    execFileSync(process.execPath, [writer, kind, logs[kind] as string]);
  }
});
afterAll(remove);

const ESC = '\x1b';
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('hydra pretty on real logs', () => {
  it('renders our json output: time, level, layer, message, fields; the error stack and cause below, indented', async () => {
    const r = await hydra(['pretty', logs['hydra-json'] as string, '--time', 'iso']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain(ESC);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z DEBUG {4}\[APP\] debug detail n=1$/);
    expect(out[1]).toMatch(/ INFO {5}\[APP\] Application started port=8080 user=\{"id":7,"name":"ann"\}$/);
    expect(out[2]).toMatch(/ WARNING {2}\[AUTH\] login failed userId=42$/);
    expect(out[3]).toMatch(
      / ERROR {4}\[DB\] query failed err=\{"type":"Error","message":"connection reset","cause":\{"type":"Error","message":"ECONNRESET"\}\} table=orders$/,
    );
    expect(out.slice(4, 8)).toEqual([
      '  Error: connection reset',
      '      at query (/srv/db.js:10:5)',
      '  Caused by: Error: ECONNRESET',
      '      at connect (/srv/db.js:3:7)',
    ]);
  });

  it('never passes control characters or ANSI sequences from the data to the terminal (coloured or not)', async () => {
    for (const env of [cleanEnv(), cleanEnv({ FORCE_COLOR: '1' })]) {
      const r = await hydra(['pretty', logs['hydra-json'] as string], { env });
      const evil = lines(r.stdout).find((l) => l.includes('evil')) as string;
      expect(stripAnsi(evil)).toMatch(/evil \\x1b\[31mred\\x1b\[0m\\nsecond line$/);
      // Only our own SGR codes may remain.
      expect(stripAnsi(r.stdout)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    }
  });

  it('renders our gelf output, with full_message as the stack', async () => {
    const r = await hydra(['pretty', logs['hydra-gelf'] as string, '--time', 'epoch']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[1]).toMatch(/^\d{13} INFO {5}\[APP\] Application started port=8080 user=/);
    expect(out[3]).toMatch(/^\d{13} ERROR {4}\[DB\] query failed .*table=orders/);
    expect(out[4]).toBe('  Error: connection reset');
    expect(r.stdout).not.toContain('"version"');
  });

  it("renders real pino output: numeric levels, msg, epoch-ms time, name as the layer, err's stack", async () => {
    const raw = lines(fs.readFileSync(logs.pino as string, 'utf8'));
    const r = await hydra(['pretty', logs.pino as string, '--time', 'iso']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const firstTime = new Date(JSON.parse(raw[0] as string).time).toISOString();
    expect(out[0]).toBe(`${firstTime} DEBUG    [api] debug detail n=1`);
    expect(out[1]).toMatch(/ INFO {5}\[api\] Application started port=8080 user=\{"id":7\}$/);
    expect(out[2]).toMatch(/ WARNING {2}\[api\] login failed userId=42$/);
    expect(out[3]).toMatch(
      / ERROR {4}\[api\] query failed err=\{"type":"Error","message":"connection reset.*table=orders$/,
    );
    expect(out[4]).toBe('  Error: connection reset');
    expect(out[5]).toBe('      at query (/srv/db.js:10:5)');
    expect(r.stdout).toMatch(/ CRITICAL \[api\] going down\n$/);
    expect(r.stdout).not.toMatch(/pid=|hostname=/);
  });

  it('renders real bunyan output: v, name, hostname, numeric levels, ISO time', async () => {
    const r = await hydra(['pretty', logs.bunyan as string, '--time', 'iso']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/Z DEBUG {4}\[svc\] debug detail n=1$/);
    expect(out[1]).toMatch(/Z INFO {5}\[svc\] Application started port=8080$/);
    expect(out[3]).toMatch(
      /Z ERROR {4}\[svc\] query failed err=\{"message":"connection reset","name":"Error"\} table=orders$/,
    );
    expect(out[4]).toBe('  Error: connection reset');
    expect(r.stdout).not.toMatch(/ v=0|pid=|hostname=/);
  });

  it('reads stdin when no file is given (node app.js | hydra pretty)', async () => {
    const r = await hydra(['pretty'], { input: fs.readFileSync(logs['hydra-json'] as string) });
    expect(r.code).toBe(0);
    expect(lines(r.stdout).filter((l) => / \[(APP|AUTH|DB)\] /.test(l))).toHaveLength(5);
  });
});

describe('hydra pretty filters and options', () => {
  const all = () => logs['hydra-json'] as string;

  for (const [level, expected] of [
    ['warn', ['WARNING', 'ERROR']],
    ['error', ['ERROR']],
    ['debug', ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'INFO']],
  ] as const) {
    it(`--level ${level} keeps only records at ${level} or above`, async () => {
      const r = await hydra(['pretty', all(), '--level', level]);
      const levels = lines(r.stdout)
        .filter((l) => !l.startsWith(' '))
        .map((l) => (l.match(/ (DEBUG|INFO|WARNING|ERROR) /) ?? [])[1]);
      expect(levels).toEqual(expected);
    });
  }

  it('--level applies to pino levels too (fatal is CRITICAL)', async () => {
    const r = await hydra(['pretty', logs.pino as string, '--level', 'critical']);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stdout).toContain('going down');
  });

  it('--layer keeps the named layers (any case) and drops lines that are not records', async () => {
    const input = `not json\n${fs.readFileSync(all(), 'utf8')}`;
    const r = await hydra(['pretty', '--layer', 'auth,db'], { input });
    const heads = lines(r.stdout).filter((l) => !l.startsWith(' '));
    expect(heads.map((l) => (l.match(/\[(\w+)\]/) ?? [])[1])).toEqual(['AUTH', 'DB']);
  });

  it('--grep text matches any case; --grep /regex/ matches the raw line', async () => {
    const text = await hydra(['pretty', all(), '--grep', 'LOGIN']);
    expect(lines(text.stdout)).toHaveLength(1);
    expect(text.stdout).toContain('login failed');
    const re = await hydra(['pretty', all(), '--grep', '/"port":\\d+/']);
    expect(lines(re.stdout)).toHaveLength(1);
    expect(re.stdout).toContain('Application started');
  });

  it('--fields shows only the named fields (dotted paths too)', async () => {
    const r = await hydra([
      'pretty',
      all(),
      '--fields',
      'user.id,userId',
      '--level',
      'info',
      '--layer',
      'APP,AUTH',
    ]);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/Application started user\.id=7$/);
    expect(out[1]).toMatch(/login failed userId=42$/);
  });

  for (const [format, pattern] of [
    ['iso', /^2\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO/],
    ['local', /^2\d{3}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO/],
    ['epoch', /^\d{13} INFO/],
    ['HH:MM:ss.SSS', /^\d\d:\d\d:\d\d\.\d{3} INFO/],
    ['relative', /^\+\d+\.\d{3}s INFO/],
  ] as const) {
    it(`--time ${format}`, async () => {
      const r = await hydra(['pretty', all(), '--time', format, '--level', 'info']);
      expect(lines(r.stdout)[0]).toMatch(pattern);
    });
  }

  it('--time relative counts from the first record shown', async () => {
    const input = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z']
      .map((t) => JSON.stringify({ timestamp: t, level: 'INFO', layer: 'A', message: 'm' }))
      .join('\n');
    const r = await hydra(['pretty', '--time', 'relative'], { input });
    expect(lines(r.stdout).map((l) => l.split(' ')[0])).toEqual(['+0.000s', '+1.500s']);
  });
});

describe('hydra pretty: colour and pass-through', () => {
  const record = `${JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level: 'ERROR', layer: 'DB', message: 'm' })}\n`;

  it('writes no colour into a pipe', async () => {
    const r = await hydra(['pretty'], { input: record });
    expect(r.stdout).toBe('2026-01-01 00:00:00.000 ERROR    [DB] m\n');
  });

  it('colours into a pipe with FORCE_COLOR (level red, time dim)', async () => {
    const r = await hydra(['pretty'], { input: record, env: cleanEnv({ FORCE_COLOR: '1' }) });
    expect({ code: r.code, stderr: r.stderr, red: r.stdout.includes('\x1b[31mERROR   \x1b[0m') }).toEqual({
      code: 0,
      stderr: '',
      red: true,
    });
    expect(r.stdout).toContain('\x1b[2m2026-01-01 00:00:00.000\x1b[0m');
  });

  it('FORCE_COLOR=0 keeps colour off', async () => {
    const r = await hydra(['pretty'], { input: record, env: cleanEnv({ FORCE_COLOR: '0' }) });
    expect(r.stdout).not.toContain(ESC);
  });

  it('passes lines that are not JSON records through unchanged, byte for byte, into a pipe', async () => {
    const other = [
      'plain text',
      '  indented \t tab',
      '[1,2,3]',
      '{"no":"message or level"}',
      '{broken json',
      '42',
      '',
    ];
    const input = `${other.join('\n')}\n${record}`;
    const r = await hydra(['pretty'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${other.join('\n')}\n2026-01-01 00:00:00.000 ERROR    [DB] m\n`);
  });

  it('never crashes on malformed lines, odd values, or a last line without a newline', async () => {
    const input = [
      '{"level":"INFO","message":{"nested":true}}',
      '{"level":"loud","message":"custom level"}',
      '{"level":99999,"msg":5}',
      '{"message":"x","timestamp":"not a date","__proto__":{"polluted":1}}',
      '{"level":"INFO","message":"x","err":{"stack":42}}',
      '{"level":"INFO","message":"x","err":{"stack":"E\\n at a","cause":{"stack":"C","cause":{"stack":"D"}}}}',
      '\u0000\u0001{"level":',
      '{"level":"INFO","message":"no newline at the end"}',
    ].join('\n');
    const r = await hydra(['pretty'], { input });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('LOUD     custom level');
    expect(r.stdout).toContain('Caused by: C');
    expect(r.stdout).toContain('no newline at the end\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts a very long line at the limit and says how much was dropped', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const r = await hydra(['pretty'], { input: `${long}\nafter\n` });
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`${'x'.repeat(1024 * 1024)} … [line cut: ${2 * 1024 * 1024} more bytes dropped]`);
    expect(out[1]).toBe('after');
  });

  it('streams an endless stdin: each line is printed while stdin stays open, partial lines wait for their end', async () => {
    const live = new LiveHydra(['pretty', '--time', 'epoch']);
    try {
      live.child.stdin.write('{"level":"INFO","message":"first","time":1767225600000}\n{"level":"INFO","mes');
      await live.waitFor((s) => s.includes('first'), 'the first record');
      expect(live.stdout).not.toContain('second');
      live.child.stdin.write('sage":"second","time":1767225600001}\n');
      await live.waitFor((s) => s.includes('second'), 'the second record, completed by a later write');
      expect(live.stdout).toBe('1767225600000 INFO     first\n1767225600001 INFO     second\n');
      live.child.stdin.end();
      expect((await live.exited).code).toBe(0);
    } finally {
      await live.stop();
    }
  });

  it('stops quietly, exit code 0, when the reader goes away (| head)', async () => {
    const file = path.join(dir, 'big.log');
    fs.writeFileSync(file, `${JSON.stringify({ level: 'INFO', message: 'm'.repeat(100) })}\n`.repeat(50_000));
    const live = new LiveHydra(['pretty', file]);
    await live.waitFor((s) => s.length > 0, 'the first output');
    live.child.stdout.destroy(); // the reader closes the pipe: the next write gets EPIPE
    const { code, signal } = await live.exited;
    expect({ code, signal, stderr: live.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});

// On a real terminal (util-linux `script` gives the child a pseudo-terminal): colour on by itself,
// and control characters of pass-through lines are made visible.
const script = ['/usr/bin/script', '/bin/script'].find((p) => fs.existsSync(p));
describe.skipIf(script === undefined)('hydra pretty on a pseudo-terminal', () => {
  it('colours by itself, honours NO_COLOR, and escapes control characters of lines that are not records', async () => {
    const { dir: d, remove: rm } = tempDir();
    try {
      const file = path.join(d, 'in.log');
      fs.writeFileSync(
        file,
        `raw \x1b]0;title\x07 line\n${JSON.stringify({ level: 'ERROR', message: 'm' })}\n`,
      );
      const bin = path.join(import.meta.dirname, '../dist/bin.js');
      const run = (env: NodeJS.ProcessEnv) =>
        execFileSync(
          script as string,
          ['-qec', `"${process.execPath}" "${bin}" pretty "${file}"`, '/dev/null'],
          {
            encoding: 'utf8',
            env: { ...env, TERM: 'xterm-256color' },
          },
        ).replace(/\r\n/g, '\n');
      const coloured = run(cleanEnv());
      expect(coloured).toContain('raw \\x1b]0;title\\x07 line\n');
      expect(coloured).toContain('\x1b[31mERROR   \x1b[0m');
      expect(run(cleanEnv({ NO_COLOR: '1' }))).toBe('raw \\x1b]0;title\\x07 line\nERROR    m\n');
    } finally {
      rm();
    }
  });
});
