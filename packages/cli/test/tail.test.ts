import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hydra, LiveHydra, tempDir } from './helpers.js';

let dir: string;
let remove: () => void;
beforeEach(() => ({ dir, remove } = tempDir('hydra-tail-')));
afterEach(() => remove());

const rec = (message: string, level = 'INFO', layer = 'APP') =>
  `${JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level, layer, message })}\n`;
const count = (s: string, needle: string) => s.split(needle).length - 1;

describe('hydra tail', () => {
  it('prints the last 10 lines by default, and -n N the last N', async () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, Array.from({ length: 30 }, (_, i) => rec(`line ${i}`)).join(''));
    const ten = await hydra(['tail', file]);
    expect(ten.code).toBe(0);
    expect(
      ten.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('] ')[1]),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `line ${20 + i}`));
    const three = await hydra(['tail', file, '-n', '3', '--raw']);
    expect(three.stdout).toBe(rec('line 27') + rec('line 28') + rec('line 29'));
  });

  it('finds the last N matching lines further back than N lines, across read chunks', async () => {
    const file = path.join(dir, 'app.log');
    const body = Array.from({ length: 5000 }, (_, i) =>
      rec(`line ${i} ${'p'.repeat(50)}`, i % 1000 === 0 ? 'ERROR' : 'INFO'),
    ).join('');
    fs.writeFileSync(file, body);
    const r = await hydra(['tail', file, '-n', '3', '--level', 'error', '--fields', 'none']);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (l.match(/ERROR +\[APP\] line (\d+) p+$/) ?? [])[1]),
    ).toEqual(['2000', '3000', '4000']);
  });

  it('prefixes each line with its file name when tailing several files, and prints a last line without newline', async () => {
    const a = path.join(dir, 'a.log');
    const b = path.join(dir, 'b.log');
    fs.writeFileSync(a, rec('from a'));
    fs.writeFileSync(b, `${rec('from b')}not json, no newline`);
    const r = await hydra(['tail', a, b, '-n', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${a}: 2026-01-01 00:00:00.000 INFO     [APP] from a\n${b}: 2026-01-01 00:00:00.000 INFO     [APP] from b\n${b}: not json, no newline\n`,
    );
  });

  it('exits 1 naming a file that cannot be read (without -f)', async () => {
    const r = await hydra(['tail', path.join(dir, 'missing.log')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.log: ENOENT');
  });

  it('-f follows appended lines, then a rename rotation (old file finished first), then the new file', async () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, rec('before'));
    const live = new LiveHydra(['tail', file, '-f', '--raw']);
    try {
      await live.waitFor((s) => s.includes('before'), 'the existing line');
      fs.appendFileSync(file, rec('appended'));
      await live.waitFor((s) => s.includes('appended'), 'the appended line');
      // Partial line: held until its end arrives.
      fs.appendFileSync(file, rec('split line').slice(0, 20));
      fs.appendFileSync(file, rec('split line').slice(20));
      await live.waitFor((s) => s.includes('split line'), 'the line written in two parts');
      // Rotation: the writer still holds the old file (rename keeps it open), writes once more, then a new file appears.
      const old = fs.openSync(file, 'a');
      fs.renameSync(file, `${file}.1`);
      fs.writeSync(old, rec('last in old file'));
      fs.closeSync(old);
      fs.writeFileSync(file, rec('first in new file'));
      await live.waitFor((s) => s.includes('first in new file'), 'the first line of the new file');
      fs.appendFileSync(file, rec('second in new file'));
      await live.waitFor((s) => s.includes('second in new file'), 'the second line of the new file');
      expect(live.stdout).toBe(
        [
          rec('before'),
          rec('appended'),
          rec('split line'),
          rec('last in old file'),
          rec('first in new file'),
          rec('second in new file'),
        ].join(''),
      );
      expect(live.stderr).toContain('replaced (rotated)');
    } finally {
      const { code } = await live.stop('SIGTERM');
      expect(code).toBe(0);
    }
  });

  it('-f loses no line to a rotation between its first read and following (held by a stdout that is not read)', async () => {
    const file = path.join(dir, 'app.log');
    // More backfill than a pipe holds: tail stays in its first write until this test reads stdout.
    const backfill = Array.from({ length: 20_000 }, (_, i) => rec(`backfill ${i} ${'x'.repeat(100)}`));
    fs.writeFileSync(file, backfill.join(''));
    const live = new LiveHydra(['tail', file, '-f', '-n', '20000', '--raw']);
    try {
      // The first output comes after tail's first read of the file; reading stops there, so tail
      // cannot get further (its stdout is full) while the file is rotated under it.
      await new Promise<void>((resolve) =>
        live.child.stdout.once('data', () => {
          live.child.stdout.pause();
          resolve();
        }),
      );
      const old = fs.openSync(file, 'a');
      fs.writeSync(old, rec('written after the first read'));
      fs.renameSync(file, `${file}.1`);
      fs.writeSync(old, rec('written after the rename'));
      fs.closeSync(old);
      fs.writeFileSync(file, rec('first in new file'));
      live.child.stdout.resume();
      await live.waitFor((s) => s.includes('first in new file'), 'the first line of the new file');
      expect(live.stdout).toBe(
        [
          ...backfill,
          rec('written after the first read'),
          rec('written after the rename'),
          rec('first in new file'),
        ].join(''),
      );
    } finally {
      expect((await live.stop('SIGTERM')).code).toBe(0);
    }
  });

  it('-f follows a copytruncate rotation: lines written after the truncation are printed once', async () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, rec('a long first line that makes the file longer than what follows'));
    const live = new LiveHydra(['tail', file, '-f', '--raw']);
    try {
      await live.waitFor((s) => s.includes('a long first line'), 'the existing line');
      fs.copyFileSync(file, `${file}.1`);
      fs.truncateSync(file, 0);
      // Waits for the notice, so the next write cannot land before the truncation was seen.
      await live.waitForStderr((e) => e.includes('truncated'), 'the truncation notice');
      fs.appendFileSync(file, rec('after truncate'));
      await live.waitFor((s) => s.includes('after truncate'), 'the line after the truncation');
      expect(count(live.stdout, 'after truncate')).toBe(1);
      expect(count(live.stdout, 'a long first line')).toBe(1);
    } finally {
      expect((await live.stop('SIGINT')).code).toBe(0);
    }
  });

  it('-f waits for a file that does not exist yet, and pretty-prints with filters while following', async () => {
    const file = path.join(dir, 'later.log');
    const live = new LiveHydra(['tail', file, '-f', '--level', 'warning', '--time', 'iso']);
    try {
      await live.waitForStderr((e) => e.includes('waiting'), 'the waiting notice');
      fs.writeFileSync(file, rec('quiet', 'INFO') + rec('loud', 'WARNING', 'DB'));
      await live.waitFor((s) => s.includes('loud'), 'the warning');
      expect(live.stdout).toBe('2026-01-01T00:00:00.000Z WARNING  [DB] loud\n');
    } finally {
      await live.stop();
    }
  });
});
