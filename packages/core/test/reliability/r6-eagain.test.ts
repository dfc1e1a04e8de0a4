import { describe, expect, it } from 'vitest';
import { checkSequence, pauseReader, textSeq } from '../fixtures/run-fixture.js';
import { report, runLines } from './harness.js';

// R6 (docs/reliability.md) for AsyncHydraLogger: its console lane on a non-blocking stdout pipe whose reader
// pauses. A pipe is written synchronously at the end of each tick (docs/async.md), so a full pipe
// answers EAGAIN: the write is retried with a bounded backoff, nothing is lost, nothing dropped.

/** No colour, no HYDRA_* settings: the child writes the plain-text default. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FORCE_COLOR|NO_COLOR|HYDRA_LOG_.*)$/.test(k)) delete env[k];
  return env;
}

describe('R6: EAGAIN on a non-blocking stdout pipe, AsyncHydraLogger', () => {
  it('the reader pauses 500 ms: writes are retried, every line arrives, nothing dropped', async () => {
    const count = 10_000;
    const r = await runLines(
      { count, pad: 100, touchStdout: true, burst: 500, options: { journalDir: false } },
      {
        env: plainEnv(),
        onSpawn: (child) => pauseReader(child, 500),
      },
    );
    expect(r.code).toBe(0);
    expect(checkSequence(r.stdout, count, textSeq)).toBeUndefined();
    const m = r.metrics;
    expect(m?.dropped).toEqual({});
    expect(m?.outcomes).toMatchObject({ resolved: count, rejected: 0 });
    // The pause really produced EAGAIN (otherwise this proves nothing about R6).
    expect(m?.destinations.out?.retries).toBeGreaterThan(0);
    expect(r.otherStderr).toEqual([]);
    report({
      battery: 'R6',
      configuration: 'AsyncHydraLogger, console on a paused non-blocking pipe (500 ms)',
      records: count,
      lost: 0,
      retries: m?.destinations.out?.retries,
    });
  }, 60_000);
});
