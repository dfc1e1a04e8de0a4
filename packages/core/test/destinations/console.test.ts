import { describe, expect, it } from 'vitest';
import { checkSequence, runFixture, textSeq } from '../fixtures/run-fixture.js';

/** The parent's environment without anything that changes colour or format decisions. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FORCE_COLOR|NO_COLOR|TERM|HYDRA_LOG_.*)$/.test(k)) delete env[k];
  return env;
}

const COUNT = 50;

describe('console destination (child process, stdout and stderr are pipes)', () => {
  it('zero-config writes plain text to stdout and nothing else to stderr', async () => {
    const r = await runFixture('log-lines.mjs', { count: COUNT, end: 'return' }, { env: plainEnv() });
    expect(r.code).toBe(0);
    expect(checkSequence(r.stdout, COUNT, textSeq)).toBeUndefined();
    expect(r.otherStderr).toEqual([]);
  });

  for (const stream of ['stdout', 'stderr'] as const) {
    it(`stream: '${stream}' writes every line to ${stream} and none to the other`, async () => {
      const r = await runFixture(
        'log-lines.mjs',
        { count: COUNT, end: 'return', destination: { type: 'console', stream } },
        { env: plainEnv() },
      );
      expect(r.code).toBe(0);
      const chosen = stream === 'stdout' ? r.stdout : `${r.otherStderr.join('\n')}\n`;
      const other = stream === 'stdout' ? r.otherStderr.join('\n') : r.stdout;
      expect(checkSequence(chosen, COUNT, textSeq)).toBeUndefined();
      expect(other).toBe('');
    });
  }

  it('writes no colour codes to a pipe when colorMode is auto', async () => {
    const r = await runFixture('log-lines.mjs', { count: 3, end: 'return' }, { env: plainEnv() });
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('honours FORCE_COLOR on a pipe', async () => {
    const r = await runFixture(
      'log-lines.mjs',
      { count: 3, end: 'return' },
      { env: { ...plainEnv(), FORCE_COLOR: '1' } },
    );
    expect(r.stdout).toContain('\x1b[');
  });

  it('is buffered by default off a terminal: many records, one write', async () => {
    const r = await runFixture('log-lines.mjs', { count: COUNT, end: 'return' }, { env: plainEnv() });
    const stats = Object.values(r.metrics?.destinations ?? {})[0];
    expect(stats).toMatchObject({ type: 'console', records: COUNT, writes: 1 });
  });

  it("mode: 'sync' writes each record with its own write", async () => {
    const r = await runFixture(
      'log-lines.mjs',
      { count: COUNT, end: 'return', destination: { type: 'console', mode: 'sync' } },
      { env: plainEnv() },
    );
    expect(checkSequence(r.stdout, COUNT, textSeq)).toBeUndefined();
    expect(r.metrics?.destinations.out).toMatchObject({ records: COUNT, writes: COUNT });
  });
});
