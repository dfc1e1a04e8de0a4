import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigValidationError, ErrorTracker, HydraLogger } from '../../src/index.js';
import { makeTempDir, oneDestination, readLines, removeDir } from '../fixtures/helpers.js';

// In-process checks of the process hooks: what is installed and removed, and what the handlers
// do when called. What really happens to a process (exit codes, stderr, files) is in the
// child-process tests beside this file.

const EVENTS = [
  'uncaughtException',
  'uncaughtExceptionMonitor',
  'unhandledRejection',
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
] as const;

type Counts = Record<(typeof EVENTS)[number], number>;

function counts(): Counts {
  return Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)])) as Counts;
}

/** What Node does before reporting an uncaught exception (or a rejection raised as one). */
function monitor(err: unknown, origin: 'uncaughtException' | 'unhandledRejection'): void {
  (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtExceptionMonitor', err, origin);
}

let dir: string;
let before: Counts;
const open: HydraLogger[] = [];
beforeEach(() => {
  dir = makeTempDir();
  before = counts();
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  vi.restoreAllMocks();
  expect(counts()).toEqual(before);
  removeDir(dir);
});

function logger(options: ConstructorParameters<typeof HydraLogger>[0]): HydraLogger {
  const l = new HydraLogger(options);
  open.push(l);
  return l;
}

function memory(extra: ConstructorParameters<typeof HydraLogger>[0] = {}): HydraLogger {
  return logger(oneDestination({ type: 'memory', format: 'json' }, extra));
}

describe('what is installed', () => {
  it('nothing by default, nor with both options false', () => {
    memory();
    memory({ captureUncaught: false, handleSignals: false });
    expect(counts()).toEqual(before);
  });

  it('captureUncaught: one uncaughtExceptionMonitor listener for any number of loggers, and nothing that changes Node’s outcome', async () => {
    const a = memory({ captureUncaught: true });
    const b = memory({ captureUncaught: { layer: 'CRASH' } });
    expect(counts()).toEqual({ ...before, uncaughtExceptionMonitor: before.uncaughtExceptionMonitor + 1 });
    await a.close();
    expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(before.uncaughtExceptionMonitor + 1);
    await b.close();
    await b.close();
    expect(counts()).toEqual(before);
  });

  it('handleSignals: one listener per signal, first in line, removed on close', async () => {
    const app = () => {};
    process.on('SIGTERM', app);
    try {
      const a = memory({ handleSignals: true });
      memory({ handleSignals: { sighup: 'reopen' } });
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
        expect(process.listenerCount(s)).toBe(before[s] + 1 + (s === 'SIGTERM' ? 1 : 0));
      expect(process.listeners('SIGTERM')[0]).not.toBe(app);
      expect(process.listeners('SIGTERM')[1]).toBe(app);
      await a.close();
      expect(process.listenerCount('SIGINT')).toBe(before.SIGINT + 1);
    } finally {
      for (const l of open.splice(0)) await l.close();
      process.removeListener('SIGTERM', app);
    }
  });

  it('a child logger shares the hooks of its root: closing the child removes nothing', async () => {
    const root = memory({ captureUncaught: true, handleSignals: true });
    await root.child({ a: 1 }).close();
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM + 1);
    await root.close();
    expect(counts()).toEqual(before);
  });

  it('malformed options throw ConfigValidationError naming the option, and install nothing', () => {
    const bad = [
      [{ captureUncaught: 'yes' }, 'captureUncaught'],
      [{ captureUncaught: { layer: 3 } }, 'captureUncaught.layer'],
      [{ handleSignals: 1 }, 'handleSignals'],
      [{ handleSignals: { sighup: 'restart' } }, 'handleSignals.sighup'],
    ] as const;
    for (const [options, where] of bad) {
      let caught: unknown;
      try {
        new HydraLogger({
          ...(options as object),
          config: { layers: { DEFAULT: { destinations: [{ type: 'memory' }] } } },
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigValidationError);
      expect((caught as ConfigValidationError).issues[0]?.path).toBe(where);
    }
    expect(counts()).toEqual(before);
  });
});

describe('the crash monitor (called in-process; Node’s own outcome is tested in r3-crash)', () => {
  it('logs CRITICAL with the stack to the chosen layer and tracks it as critical', () => {
    const tracker = new ErrorTracker();
    const l = memory({ captureUncaught: { layer: 'CRASH' }, errorTracker: tracker });
    const err = new Error('kaboom for carol@example.com');
    monitor(err, 'uncaughtException');
    const rec = JSON.parse(l.memory()?.lines().at(-1) ?? '{}');
    expect(rec).toMatchObject({
      level: 'CRITICAL',
      layer: 'CRASH',
      origin: 'uncaughtException',
      err: { type: 'Error' },
    });
    expect(rec.message).toMatch(/^Uncaught exception: kaboom/);
    expect(rec.err.stack).toContain('hooks.test.ts');
    expect(JSON.stringify(rec)).not.toContain('carol@example.com');
    const s = tracker.stats();
    expect(s.byType).toEqual({ uncaught_exception: 1 });
    expect(s.bySeverity.critical).toBe(1);
    expect(JSON.stringify(s.recent)).not.toContain('carol@example.com');
  });

  it('an unhandled rejection (as Node reports it to the monitor) and a non-Error value', () => {
    const tracker = new ErrorTracker();
    const l = memory({ captureUncaught: true, errorTracker: tracker });
    monitor(new Error('nope'), 'unhandledRejection');
    monitor('just a string', 'uncaughtException');
    const recs = (l.memory()?.lines() ?? []).map((x) => JSON.parse(x));
    expect(recs.map((r) => r.message)).toEqual([
      'Unhandled promise rejection: nope',
      'Uncaught exception: just a string',
    ]);
    expect(tracker.stats().byType).toEqual({ unhandled_rejection: 1, uncaught_exception: 1 });
  });

  it('each logger with captureUncaught logs the crash; a shared tracker counts it once', () => {
    const tracker = new ErrorTracker();
    const a = memory({ captureUncaught: true, errorTracker: tracker });
    const b = memory({ captureUncaught: true, errorTracker: tracker });
    monitor(new Error('x'), 'uncaughtException');
    expect(a.memory()?.lines()).toHaveLength(1);
    expect(b.memory()?.lines()).toHaveLength(1);
    expect(tracker.stats().totalErrors).toBe(1);
  });

  it('flushes every buffered writer, also of loggers without the option', () => {
    const file = path.join(dir, 'other.log');
    const other = logger(
      oneDestination({ type: 'file', path: file, bufferSize: 1 << 24, flushInterval: 3_600_000 }),
    );
    memory({ captureUncaught: true, errorTracker: new ErrorTracker() });
    other.info('pending');
    expect(readLines(file)).toEqual([]);
    monitor(new Error('x'), 'uncaughtException');
    expect(readLines(file)).toHaveLength(1);
  });
});

describe('the signal handler (called in-process; real signals are tested in r4-signals)', () => {
  function buffered(file: string, extra: ConstructorParameters<typeof HydraLogger>[0]): HydraLogger {
    return logger(
      oneDestination({ type: 'file', path: file, bufferSize: 1 << 24, flushInterval: 3_600_000 }, extra),
    );
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s without an application listener: flush, then exit(%i)', (signal, code) => {
    const file = path.join(dir, 'sig.log');
    const l = buffered(file, { handleSignals: true });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
      // The flush came first.
      expect(readLines(file)).toHaveLength(2);
    }) as never);
    l.info('a');
    l.info('b');
    process.emit(signal, signal);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(code);
  });

  it('with an application listener: flush only, the application decides', () => {
    const file = path.join(dir, 'app.log');
    const l = buffered(file, { handleSignals: true });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {}) as never);
    const seen: number[] = [];
    const app = () => seen.push(readLines(file).length);
    process.once('SIGTERM', app);
    try {
      l.info('a');
      process.emit('SIGTERM', 'SIGTERM');
    } finally {
      process.removeListener('SIGTERM', app);
    }
    expect(seen).toEqual([1]);
    expect(exit).not.toHaveBeenCalled();
  });

  it('SIGHUP with sighup: "reopen" reopens files and does not exit', () => {
    const file = path.join(dir, 'rot.log');
    const l = buffered(file, { handleSignals: { sighup: 'reopen' } });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {}) as never);
    l.info('old');
    l.flushSync();
    fs.renameSync(file, `${file}.1`);
    l.info('still old (pending before the signal)');
    process.emit('SIGHUP', 'SIGHUP');
    l.info('new');
    l.flushSync();
    expect(exit).not.toHaveBeenCalled();
    expect(readLines(`${file}.1`).map((x) => JSON.parse(x).message)).toEqual([
      'old',
      'still old (pending before the signal)',
    ]);
    expect(readLines(file).map((x) => JSON.parse(x).message)).toEqual(['new']);
  });

  it('after close, the logger no longer handles signals', async () => {
    const l = buffered(path.join(dir, 'c.log'), { handleSignals: true });
    await l.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM);
  });
});
