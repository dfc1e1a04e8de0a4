import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, hydra } from './helpers.js';

describe('hydra: commands, help and usage errors', () => {
  it('lists the commands with --help (exit 0), and without a command (exit 2)', async () => {
    const help = await hydra(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['pretty', 'tail', 'serve', 'check-config', 'verify-audit', 'demo'])
      expect(help.stdout).toContain(c);
    expect((await hydra([])).code).toBe(2);
  });

  it('prints the version of the package', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../package.json'), 'utf8'));
    expect((await hydra(['--version'])).stdout).toBe(`${pkg.version}\n`);
  });

  for (const command of ['pretty', 'tail', 'serve', 'check-config', 'verify-audit', 'demo']) {
    it(`hydra ${command} --help shows its usage and options, exit 0`, async () => {
      const r = await hydra([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hydra ${command}`);
      expect(r.stdout).toContain('--help');
    });
  }

  for (const [args, message] of [
    [['nope'], 'unknown command "nope"'],
    [['pretty', '--colour'], 'unknown flag --colour'],
    [
      ['pretty', '--level', 'loud'],
      '--level expects a level (trace, debug, info, warning, error, critical; warn and fatal too), got "loud"',
    ],
    [['pretty', '--level'], '--level expects <min>'],
    [
      ['pretty', '--time', 'yesterday'],
      '--time expects one of local, iso, relative, epoch, HH:MM:ss.SSS, got "yesterday"',
    ],
    [['pretty', '--grep', '/(/'], '--grep expects text or /regex/flags'],
    [['pretty', '--fields', 'a,,b'], '--fields expects a comma-separated list of names'],
    [['pretty', 'a.log', 'b.log'], 'unexpected argument "b.log"'],
    [['tail'], 'missing a file to tail'],
    [['tail', 'x.log', '-n', 'ten'], '--lines expects a whole number ≥ 0, got "ten"'],
    [['tail', 'x.log', '--raw=yes'], '--raw takes no value'],
    [['serve', '--port', '99999'], '--port expects a port number 0–65535, got 99999'],
    [['serve', '--tail'], '--tail expects <files…>'],
    [['serve', '--token-secret', 'short'], '--token-secret: a token secret must be'],
    [['check-config'], 'missing the config file'],
  ] as const) {
    it(`hydra ${args.join(' ')}: exit 2, names the problem`, async () => {
      const r = await hydra(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    });
  }

  it('hydra pretty on a missing file: exit 1, names the file', async () => {
    const r = await hydra(['pretty', '/nonexistent/app.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('hydra pretty: cannot read /nonexistent/app.log: ENOENT\n');
  });

  it('hydra demo runs the zero-config demo and exits 0', async () => {
    const r = await hydra(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('=== every format');
    expect(r.stdout).toContain('[REDACTED]');
    expect(r.stdout).toContain('Error: connection reset');
  });
});

describe("the root README's Read your logs example", () => {
  it('node app.js | hydra pretty works as written', async () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Read your logs'));
    const app = (section.match(/```js\n([\s\S]*?)```/) ?? [])[1] as string;
    expect(section).toContain('node app.js | npx hydra pretty');
    const dir = fs.mkdtempSync(path.join(import.meta.dirname, '.tmp-readme-'));
    try {
      // An .mjs beside the repo's node_modules, so `hydra-logger` resolves as in a user's project.
      fs.writeFileSync(path.join(dir, 'app.mjs'), app);
      const produced = execFileSync(process.execPath, [path.join(dir, 'app.mjs')], { env: cleanEnv() });
      const r = await hydra(['pretty'], { input: produced });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ INFO {5}\[APP\] started port=8080\n/);
      expect(r.stdout).toMatch(
        / ERROR {4}\[DB\] query failed err=\{"type":"Error","message":"connection reset"\}\n {2}Error: connection reset\n {6}at /,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
