import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AnalyticsPlugin,
  HandlerPlugin,
  HydraLogger,
  type LogDestination,
  type LogRecord,
  type PluginContext,
  type PluginHandler,
} from '../../src/index.js';
import { SLOW_PLUGIN_CALL_MS } from '../../src/plugins/types.js';
import { busy, pluginLogger } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

class Thrower extends AnalyticsPlugin {
  processEvent(): LogRecord {
    throw new Error('plugin bug');
  }
}

describe('a plugin cannot break logging', () => {
  it('a throwing processEvent: the record goes on unchanged, the next plugins still run, errors counted and reported once', () => {
    const { logger, records, pluginErrors } = pluginLogger();
    logger.addPlugin('thrower', new Thrower());
    logger.addPlugin('after', {
      processEvent: (r: LogRecord) => ({ ...r, fields: { ...r.fields, after: true } }),
    });
    for (let i = 0; i < 3; i++) logger.info('still logged', { i });
    expect(records().map((r) => [r.message, r.i, r.after])).toEqual([
      ['still logged', 0, true],
      ['still logged', 1, true],
      ['still logged', 2, true],
    ]);
    expect(logger.getPerformanceMetrics()).toMatchObject({
      totalLogs: 3,
      pluginEvents: { thrower: 3, after: 3 },
      pluginErrors: { thrower: 3, after: 0 },
      processorErrors: 0,
    });
    expect(pluginErrors).toHaveLength(1);
    expect(pluginErrors[0]).toMatchObject({
      code: 'HYDRA_E_PLUGIN_FAILED',
      plugin: 'thrower',
      hook: 'processEvent',
      message: 'plugin "thrower" processEvent() threw: plugin bug',
      cause: expect.objectContaining({ message: 'plugin bug' }),
    });
    expect(logger.getPluginInsights().thrower).toMatchObject({
      errors: 3,
      lastError: 'processEvent: threw: plugin bug',
    });
  });

  it('without a pluginError listener, the first failure of each hook is one stderr line', () => {
    const writes: string[] = [];
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, text: string) => {
      if (fd === 2) writes.push(text);
      return text.length;
    }) as typeof fs.writeSync);
    const bare = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } } });
    bare.addPlugin('thrower', new Thrower());
    bare.info('a');
    bare.info('b');
    expect(writes).toEqual([
      'hydra-logger: plugin "thrower" processEvent() threw: plugin bug; the record went on; further errors are counted in getPerformanceMetrics().pluginErrors\n',
    ]);
  });

  const badReturns: [string, unknown, RegExp][] = [
    ['a string', 'oops', /returned a string "oops", not a record/],
    ['a number', 42, /returned number 42, not a record/],
    ['an array', [], /returned an array, not a record/],
    ['a Promise', Promise.resolve(null), /returned a Promise \(plugin hooks are synchronous\)/],
    ['an object without message', { time: 1, level: 20, layer: 'X' }, /without a string `message`/],
    [
      'fields that are not an object',
      { time: 1, level: 20, layer: 'X', message: 'm', fields: 'f' },
      /`fields` is not an object/,
    ],
  ];
  for (const [what, value, message] of badReturns) {
    it(`processEvent returning ${what} is an error; the record goes on unchanged`, () => {
      const { logger, records, pluginErrors } = pluginLogger();
      logger.addPlugin('bad', { processEvent: () => value as LogRecord });
      logger.info('kept', { n: 1 });
      expect(records()).toMatchObject([{ message: 'kept', n: 1 }]);
      expect(pluginErrors[0]?.message).toMatch(message);
      expect(logger.getPerformanceMetrics().pluginErrors).toEqual({ bad: 1 });
      expect(logger.getPerformanceMetrics().dropped).toEqual({});
    });
  }

  it('a frozen record returned by a plugin is written (the core tidies a copy of it)', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('freezer', {
      processEvent: (r: LogRecord) =>
        Object.freeze({ ...r, fields: Object.freeze({ frozen: true, when: new Date(0) }) }),
    });
    logger.info('cold');
    expect(records()).toMatchObject([{ message: 'cold', frozen: true, when: '1970-01-01T00:00:00.000Z' }]);
    expect(logger.getPerformanceMetrics()).toMatchObject({
      processorErrors: 0,
      pluginErrors: { freezer: 0 },
    });
  });

  it('a plugin that changed its copy and then threw leaves no trace', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('half', {
      processEvent(r: LogRecord): LogRecord {
        r.message = 'changed';
        if (r.fields !== undefined) r.fields.injected = true;
        throw new Error('half-way');
      },
    });
    logger.info('original', { a: 1 });
    expect(records()).toEqual([
      { timestamp: expect.any(String), level: 'INFO', layer: 'DEFAULT', message: 'original', a: 1 },
    ]);
  });

  it('a slow plugin is measured: time, mean, max and slow calls in its insights; the record goes on', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('slow', {
      processEvent(r: LogRecord) {
        if (r.message === 'slow') busy(SLOW_PLUGIN_CALL_MS * 3);
        return r;
      },
    });
    logger.addPlugin('fast', { processEvent: (r: LogRecord) => r });
    logger.info('slow');
    logger.info('quick');
    logger.info('slow');
    expect(records().map((r) => r.message)).toEqual(['slow', 'quick', 'slow']);
    const { slow, fast } = logger.getPluginInsights();
    expect(slow).toMatchObject({ events: 3, slowCalls: 2, errors: 0 });
    expect(slow?.timeMs).toBeGreaterThanOrEqual(SLOW_PLUGIN_CALL_MS * 6);
    expect(slow?.maxUs).toBeGreaterThanOrEqual(SLOW_PLUGIN_CALL_MS * 3000);
    expect(slow?.avgUs).toBeGreaterThanOrEqual(SLOW_PLUGIN_CALL_MS * 2000);
    expect(fast?.slowCalls).toBe(0);
    expect(fast?.maxUs).toBeLessThan(slow?.maxUs as number);
  });

  it('a throwing or non-string formatter: that line falls back to JSON, counted', async () => {
    const { logger, pluginErrors } = pluginLogger();
    logger.addPlugin('fmt', {
      formatName: 'fragile',
      format(r: LogRecord): string {
        if (r.message === 'throw') throw new Error('format bug');
        if (r.message === 'number') return 42 as unknown as string;
        return `ok ${r.message}`;
      },
    });
    await logger.updateConfig({
      layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'fragile', name: 'out' }] } },
    });
    for (const m of ['a', 'throw', 'number', 'b']) logger.info(m);
    const lines = logger.memory('out')?.lines() ?? [];
    expect(lines[0]).toBe('ok a');
    expect(JSON.parse(lines[1] as string)).toMatchObject({ level: 'INFO', message: 'throw' });
    expect(JSON.parse(lines[2] as string)).toMatchObject({ message: 'number' });
    expect(lines[3]).toBe('ok b');
    // Reported once per plugin and hook; every failure is counted.
    expect(pluginErrors.map((e) => e.message)).toEqual(['plugin "fmt" format() threw: format bug']);
    expect(logger.getPerformanceMetrics().pluginErrors).toEqual({ fmt: 2 });
    expect(logger.getPluginInsights().fmt?.lastError).toBe('format: returned number 42, not a string');
  });

  it('a throwing handler loses only its own lines (counted as plugin_error); other destinations and later lines are written', async () => {
    const emitted: string[] = [];
    class Flaky extends HandlerPlugin {
      readonly destinationType = 'flaky';
      createHandler(_d: Readonly<LogDestination>): PluginHandler {
        return {
          emit(line) {
            if (line.includes('"fail"')) throw new Error('socket closed');
            emitted.push(line);
          },
          flush: () => Promise.reject(new Error('flush failed')),
        };
      }
    }
    const { logger } = pluginLogger();
    logger.addPlugin('flaky', new Flaky());
    await logger.updateConfig({
      layers: {
        DEFAULT: {
          destinations: [
            { type: 'flaky', name: 'f' },
            { type: 'memory', name: 'out' },
          ],
        },
      },
    });
    logger.info('ok');
    logger.info('fail');
    logger.info('ok again');
    await logger.flush();
    expect(emitted.map((l) => JSON.parse(l).message)).toEqual(['ok', 'ok again']);
    expect(logger.memory('out')?.lines().length).toBe(3);
    const m = logger.getPerformanceMetrics();
    expect(m.destinations.f).toMatchObject({
      records: 3,
      writes: 2,
      errors: 1,
      dropped: { plugin_error: 1 },
    });
    expect(m.dropped).toMatchObject({ plugin_error: 1 });
    expect(m.pluginErrors).toEqual({ flaky: 2 });
  });

  it('a record a plugin logs from inside its own hook does not come back into it (no recursion)', async () => {
    class Echo extends AnalyticsPlugin {
      #context: PluginContext | undefined;
      override init(context: PluginContext) {
        this.#context = context;
      }
      processEvent(r: LogRecord) {
        this.#context?.log('info', 'ECHO', `echo of ${r.message}`);
        return r;
      }
    }
    class Loop extends HandlerPlugin {
      readonly destinationType = 'loop';
      #context: PluginContext | undefined;
      override init(context: PluginContext) {
        this.#context = context;
      }
      createHandler(): PluginHandler {
        return { emit: (_line, r) => this.#context?.log('info', 'LOOP', `emitted ${r.message}`) };
      }
    }
    const { logger, records, pluginErrors } = pluginLogger();
    logger.addPlugin('echo', new Echo());
    logger.addPlugin('loop', new Loop());
    await logger.updateConfig({
      layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'out' }, { type: 'loop' }] } },
    });
    logger.info('APP', 'once');
    expect(records().map((r) => `${r.layer}: ${r.message}`)).toEqual([
      'ECHO: echo of once',
      'LOOP: emitted echo of once',
      'APP: once',
      'LOOP: emitted once',
    ]);
    expect(pluginErrors.map((e) => e.message)).toEqual([
      'plugin "loop" emit() called again from inside its own hook (a record it logged came back to it); skipped',
    ]);
  });

  it('a throwing getInsights is reported in place of its insights', () => {
    const { logger } = pluginLogger();
    logger.addPlugin('x', {
      processEvent: (r: LogRecord) => r,
      getInsights() {
        throw new Error('no insights today');
      },
    });
    expect(logger.getPluginInsights().x).toMatchObject({
      insights: { error: 'no insights today' },
      errors: 1,
    });
  });
});
