import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AnalyticsPlugin,
  ConfigValidationError,
  FormatterPlugin,
  type HandlerDestination,
  HandlerPlugin,
  HydraLogger,
  type LogDestination,
  type LogRecord,
  type PerformanceMetrics,
  PerformancePlugin,
  type PluginContext,
  type PluginHandler,
  registerPlugin,
  SecurityPlugin,
  type SecurityVerdict,
} from '../../src/index.js';
import { clearPlugins } from '../../src/plugins/registry.js';
import { pluginLogger, tempDir, until } from './helpers.js';

afterEach(() => clearPlugins());
const dir = tempDir('hydra-plugin-hooks-');

describe('AnalyticsPlugin.processEvent', () => {
  class Enrich extends AnalyticsPlugin {
    processEvent(r: LogRecord): LogRecord {
      r.fields = { ...r.fields, region: 'eu-west-1' };
      return r;
    }
  }

  it('enriches: a field added to the record it gets is written', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('enrich', new Enrich());
    logger.info('APP', 'started', { port: 8080 });
    expect(records()).toMatchObject([{ layer: 'APP', message: 'started', port: 8080, region: 'eu-west-1' }]);
  });

  it('replaces: another record returned is the one written (its level name follows its level)', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('replace', {
      processEvent: (r: LogRecord): LogRecord => ({
        ...r,
        message: `[${r.layer}] ${r.message}`,
        level: 30,
        fields: { n: 1 },
      }),
    });
    logger.info('APP', 'hello', { dropped: true });
    expect(records()).toEqual([
      { timestamp: expect.any(String), level: 'WARNING', layer: 'APP', message: '[APP] hello', n: 1 },
    ]);
  });

  for (const value of [null, undefined]) {
    it(`drops: returning ${value} drops the record, counted as plugin:<name>`, () => {
      const { logger, records } = pluginLogger();
      logger.addPlugin('sieve', {
        processEvent: (r: LogRecord) => (r.message.startsWith('noise') ? value : r),
      });
      logger.info('noise 1');
      logger.info('signal');
      logger.info('noise 2');
      expect(records().map((r) => r.message)).toEqual(['signal']);
      expect(logger.getPerformanceMetrics().dropped).toMatchObject({ 'plugin:sieve': 2 });
      expect(logger.getPluginInsights().sieve).toMatchObject({ type: 'analytics', events: 3, dropped: 2 });
    });
  }

  it("the record is the plugin's own copy: the caller's fields and a child's bindings are never changed", () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('mutate', {
      processEvent(r: LogRecord) {
        if (r.fields !== undefined) r.fields.mutated = true;
        return r;
      },
    });
    const fields = { a: 1 };
    const child = logger.child({ requestId: 'r1' });
    logger.info('one', fields);
    child.info('two');
    child.info('three');
    expect(fields).toEqual({ a: 1 });
    expect(records().map((r) => r.requestId ?? r.a)).toEqual([1, 'r1', 'r1']);
    expect(records().every((r) => r.mutated === true)).toBe(true);
  });

  it('values a plugin adds are made JSON-safe and cannot forge core keys', () => {
    const { logger, lines } = pluginLogger();
    logger.addPlugin('odd', {
      processEvent: (r: LogRecord) => ({
        ...r,
        fields: { at: new Date(0), big: 10n, level: 'CRITICAL', nested: new Map([['k', 'v']]) },
      }),
    });
    logger.info('x');
    const line = JSON.parse(lines()[0] as string);
    expect(line).toMatchObject({
      level: 'INFO',
      _level: 'CRITICAL',
      at: '1970-01-01T00:00:00.000Z',
      nested: { k: 'v' },
    });
  });

  it('getInsights() is reported by getPluginInsights() with the core figures', () => {
    const { logger } = pluginLogger();
    class Counter extends AnalyticsPlugin {
      n = 0;
      processEvent(r: LogRecord) {
        this.n++;
        return r;
      }
      override getInsights() {
        return { seen: this.n };
      }
    }
    logger.addPlugin('counter', new Counter());
    for (let i = 0; i < 5; i++) logger.info('x');
    const insights = logger.getPluginInsights();
    expect(Object.keys(insights)).toEqual(['counter']);
    expect(insights.counter).toMatchObject({
      type: 'analytics',
      events: 5,
      errors: 0,
      insights: { seen: 5 },
    });
    expect(insights.counter?.timeMs).toBeGreaterThanOrEqual(0);
    expect(logger.getPerformanceMetrics()).toMatchObject({
      pluginEvents: { counter: 5 },
      pluginErrors: { counter: 0 },
    });
  });

  it('init(context) gets the name and options; context.log writes a record that skips the plugins', async () => {
    class Announcer extends AnalyticsPlugin<{ greeting: string }> {
      context: PluginContext | undefined;
      override init(context: PluginContext): void {
        this.context = context;
        context.log('info', 'PLUGIN', `${this.options.greeting} from ${context.name}`);
      }
      processEvent(r: LogRecord) {
        // Logging from inside a hook: the record is written but does not come back here.
        if (r.layer !== 'PLUGIN') this.context?.log('debug', 'PLUGIN', 'saw a record', { of: r.message });
        return { ...r, fields: { ...r.fields, seen: true } };
      }
    }
    registerPlugin('announcer', Announcer);
    const { logger, records } = pluginLogger({
      defaultLevel: 'debug',
      plugins: [{ name: 'announcer', options: { greeting: 'hi' } }],
    });
    // Records logged by init() while the logger is being built are written right after construction.
    await Promise.resolve();
    const plugin = new Announcer({ greeting: 'hey' });
    logger.addPlugin('hello', plugin);
    expect(plugin.name).toBe('hello');
    expect(plugin.context).toMatchObject({ name: 'hello', options: {} });
    logger.info('APP', 'work');
    expect(records().map((r) => [r.layer, r.message, r.seen])).toEqual([
      ['PLUGIN', 'hi from announcer', undefined],
      ['PLUGIN', 'hey from hello', undefined],
      ['PLUGIN', 'saw a record', undefined],
      ['PLUGIN', 'saw a record', undefined],
      ['APP', 'work', true],
    ]);
  });
});

describe('FormatterPlugin.format', () => {
  class Pipe extends FormatterPlugin {
    readonly formatName = 'pipe';
    format(r: LogRecord): string {
      return `${r.levelName}|${r.layer}|${r.message}\n`;
    }
  }

  it('its formatName is usable as `format:` in config (file and memory destinations)', async () => {
    registerPlugin('pipe', Pipe);
    const file = path.join(dir, 'pipe.log');
    const logger = new HydraLogger({
      config: {
        plugins: [{ name: 'pipe' }],
        layers: {
          APP: {
            destinations: [
              { type: 'file', path: file, format: 'pipe' },
              { type: 'memory', format: 'pipe' },
            ],
          },
        },
      },
    });
    logger.info('APP', 'one');
    logger.warn('APP', 'two');
    expect(logger.memory()?.lines()).toEqual(['INFO|APP|one', 'WARNING|APP|two']);
    await logger.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('INFO|APP|one\nWARNING|APP|two\n');
  });

  it('is usable as consoleFormat and after addPlugin + updateConfig', async () => {
    const { logger } = pluginLogger();
    await expect(
      logger.updateConfig({ layers: { A: { destinations: [{ type: 'memory', format: 'pipe' }] } } }),
    ).rejects.toThrow(/format: expected one of .*got "pipe"/);
    logger.addPlugin('pipe', new Pipe());
    await logger.updateConfig({
      consoleFormat: 'pipe',
      layers: { A: { destinations: [{ type: 'memory', format: 'pipe' }] } },
    });
    logger.info('A', 'after');
    expect(logger.memory()?.lines()).toEqual(['INFO|A|after']);
  });

  it('one record = one line: raw line breaks and control characters in its output are escaped, the final newline is optional', () => {
    const { logger } = pluginLogger();
    logger.addPlugin('raw', {
      formatName: 'raw',
      format: (r: LogRecord) => `${r.message}`,
    });
    logger.addPlugin('crlf', { formatName: 'crlf', format: (r: LogRecord) => `${r.message}\r\n` });
    return logger
      .updateConfig({
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'memory', format: 'raw', name: 'raw' },
              { type: 'memory', format: 'crlf', name: 'crlf' },
            ],
          },
        },
      })
      .then(() => {
        logger.info('a\nb\r{"level":"CRITICAL"}\u2028c \x1b[31mred\x1b[0m');
        logger.info('plain');
        const expected = ['a\\nb\\r{"level":"CRITICAL"}\\u2028c \\x1b[31mred\\x1b[0m', 'plain'];
        expect(logger.memory('raw')?.lines()).toEqual(expected);
        expect(logger.memory('crlf')?.lines()).toEqual(expected);
      });
  });
});

describe('HandlerPlugin.createHandler', () => {
  class Collector extends HandlerPlugin {
    static readonly instances: Collector[] = [];
    readonly destinationType = 'collector';
    constructor(options?: Record<string, unknown>) {
      super(options);
      Collector.instances.push(this);
    }
    readonly handlers: {
      destination: Readonly<LogDestination>;
      lines: string[];
      records: LogRecord[];
      flushes: number;
      closed: boolean;
    }[] = [];
    createHandler(destination: Readonly<LogDestination>): PluginHandler {
      const h = { destination, lines: [] as string[], records: [] as LogRecord[], flushes: 0, closed: false };
      this.handlers.push(h);
      return {
        emit: (line, record) => {
          h.lines.push(line);
          h.records.push(record);
        },
        flush: () => {
          h.flushes++;
        },
        close: async () => {
          await new Promise((r) => setTimeout(r, 5));
          h.closed = true;
        },
      };
    }
  }

  it('provides a destination type the core does not know, from a config plugins entry', async () => {
    registerPlugin('collector', Collector);
    const logger = new HydraLogger({
      config: {
        plugins: [{ name: 'collector' }],
        layers: { APP: { destinations: [{ type: 'collector', name: 'c1' }] } },
      },
    });
    const collector = Collector.instances.at(-1) as Collector;
    logger.info('APP', 'hello', { n: 1 });
    expect(collector.handlers[0]?.lines.map((l) => JSON.parse(l))).toMatchObject([
      { message: 'hello', n: 1 },
    ]);
    expect(logger.getPluginInsights().collector).toMatchObject({ type: 'handler', events: 1, errors: 0 });
    await logger.close();
    expect(collector.handlers[0]?.closed).toBe(true);
  });

  it('the handler gets the destination config (options included), JSON by default, another format when asked', async () => {
    const collector = new Collector();
    const { logger } = pluginLogger();
    logger.addPlugin('collector', collector);
    await logger.updateConfig({
      layers: {
        APP: {
          destinations: [
            { type: 'collector', name: 'c1', options: { url: 'mem://one', retries: 3 } },
            { type: 'collector', name: 'c2', level: 'warning', format: 'logfmt' },
          ],
        },
      },
    });
    logger.info('APP', 'hello', { n: 1 });
    logger.error('APP', 'bad', { n: 2 });
    await logger.flush();
    const [c1, c2] = collector.handlers;
    expect(c1?.destination).toMatchObject({
      type: 'collector',
      name: 'c1',
      options: { url: 'mem://one', retries: 3 },
    });
    expect(c1?.lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'INFO', layer: 'APP', message: 'hello', n: 1 },
      { level: 'ERROR', message: 'bad', n: 2 },
    ]);
    expect(c1?.lines.every((l) => l.endsWith('}\n'))).toBe(true);
    expect(c1?.records.map((r) => r.message)).toEqual(['hello', 'bad']);
    expect(c2?.lines).toEqual([expect.stringMatching(/^ts=\S+ level=error layer=APP msg=bad n=2\n$/)]);
    expect(c1?.flushes).toBeGreaterThanOrEqual(1);
    expect(logger.getPerformanceMetrics().destinations).toMatchObject({
      c1: { type: 'collector', records: 2, writes: 2 },
      c2: { type: 'collector', records: 1, writes: 1 },
    });
    await logger.close();
    expect(collector.handlers.map((h) => h.closed)).toEqual([true, true]);
  });

  it('an unknown type fails validation with the list of known types, plugin types included', () => {
    class Other extends HandlerPlugin {
      readonly destinationType = 'kafka';
      createHandler(): PluginHandler {
        return { emit() {} };
      }
    }
    registerPlugin('kafka', Other);
    const build = () =>
      new HydraLogger({
        config: {
          plugins: [{ name: 'kafka' }],
          layers: { APP: { destinations: [{ type: 'kafak' as 'kafka' }] } },
        },
      });
    expect(build).toThrow(ConfigValidationError);
    expect(build).toThrow(
      /layers\.APP\.destinations\[0\]\.type: expected one of "console", .*"null", .*"kafka", got "kafak" \(did you mean "kafka"\?\)/,
    );
  });

  it('createHandler throwing fails construction with HYDRA_E_PLUGIN_INIT; returning no emit with HYDRA_E_PLUGIN_INVALID', () => {
    class Broken extends HandlerPlugin {
      readonly destinationType = 'broken';
      createHandler(d: Readonly<HandlerDestination>): PluginHandler {
        if (d.options?.mode === 'throw') throw new Error('no route to host');
        return {} as PluginHandler;
      }
    }
    registerPlugin('broken', Broken);
    const build = (mode: string) => () =>
      new HydraLogger({
        config: {
          plugins: [{ name: 'broken' }],
          layers: { A: { destinations: [{ type: 'broken', options: { mode } }] } },
        },
      });
    expect(build('throw')).toThrow(
      expect.objectContaining({
        code: 'HYDRA_E_PLUGIN_INIT',
        message: expect.stringMatching(/no route to host/),
      }),
    );
    expect(build('empty')).toThrow(
      expect.objectContaining({
        code: 'HYDRA_E_PLUGIN_INVALID',
        message: expect.stringMatching(/without emit/),
      }),
    );
  });
});

describe('SecurityPlugin.inspect', () => {
  class Guard extends SecurityPlugin {
    inspect(r: Readonly<LogRecord>): SecurityVerdict {
      if (r.message.includes('DROP TABLE')) return this.block('sql');
      if (r.fields?.card !== undefined)
        return this.redact('fields.card', ['fields', 'a.b'], 'fields.user.maidenName', 'fields.absent');
      if (r.layer === 'LEAKY') return this.redact('message');
      return this.allow();
    }
  }

  it('allow, redact (paths in message and fields, the caller untouched) and block', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('guard', new Guard());
    const user = { name: 'ann', maidenName: 'first pet' };
    logger.info('ok');
    logger.info('payment', { card: 'visa-1', 'a.b': 'x', user });
    logger.info('LEAKY', 'internal hostname db-7');
    logger.info("'; DROP TABLE users; --");
    expect(records().map(({ timestamp, ...r }) => r)).toEqual([
      { level: 'INFO', layer: 'DEFAULT', message: 'ok' },
      {
        level: 'INFO',
        layer: 'DEFAULT',
        message: 'payment',
        card: '[REDACTED]',
        'a.b': '[REDACTED]',
        user: { name: 'ann', maidenName: '[REDACTED]' },
      },
      { level: 'INFO', layer: 'LEAKY', message: '[REDACTED]' },
    ]);
    expect(user.maidenName).toBe('first pet');
    expect(logger.getPerformanceMetrics().dropped).toMatchObject({ 'plugin:guard': 1 });
    expect(logger.getPluginInsights().guard).toMatchObject({
      type: 'security',
      events: 4,
      dropped: 1,
      redactions: 4,
    });
  });

  it('a redact path that is neither message nor fields.* is counted as an error; the valid paths still apply', () => {
    const { logger, records, pluginErrors } = pluginLogger();
    logger.addPlugin('typo', {
      inspect: (): SecurityVerdict => ({ action: 'redact', paths: ['feilds.card', 'fields.card'] }),
    });
    logger.info('x', { card: '4111' });
    expect(records()[0]).toMatchObject({ card: '[REDACTED]' });
    expect(pluginErrors.map((e) => e.message)).toEqual([expect.stringContaining('"feilds.card"')]);
  });

  for (const failClosed of [false, true]) {
    it(`a throwing inspect with failClosed=${failClosed} ${failClosed ? 'drops' : 'lets through'} the record`, () => {
      class Flaky extends SecurityPlugin {
        override readonly failClosed = failClosed;
        inspect(): SecurityVerdict {
          throw new Error('rules not loaded');
        }
      }
      const { logger, records } = pluginLogger();
      logger.addPlugin('flaky', new Flaky());
      logger.info('x');
      expect(records().length).toBe(failClosed ? 0 : 1);
      expect(logger.getPerformanceMetrics().pluginErrors).toEqual({ flaky: 1 });
      expect(logger.getPerformanceMetrics().dropped['plugin:flaky']).toBe(failClosed ? 1 : undefined);
    });
  }
});

describe('PerformancePlugin', () => {
  it('onRecord(record, durationNs) gets one record in sampleEvery, after dispatch, with its duration', () => {
    const seen: [string, number][] = [];
    class Timing extends PerformancePlugin {
      override readonly sampleEvery = 3;
      override onRecord(r: LogRecord, durationNs: number): void {
        seen.push([r.message, durationNs]);
      }
    }
    const { logger, lines } = pluginLogger();
    logger.addPlugin('timing', new Timing());
    for (let i = 1; i <= 10; i++) logger.info(`m${i}`);
    logger.debug('below the level: not a record, not sampled');
    expect(seen.map(([m]) => m)).toEqual(['m3', 'm6', 'm9']);
    for (const [, ns] of seen) {
      expect(Number.isInteger(ns)).toBe(true);
      expect(ns).toBeGreaterThan(0);
      expect(ns).toBeLessThan(1e9);
    }
    expect(lines().length).toBe(10);
    expect(logger.getPluginInsights().timing).toMatchObject({ type: 'performance', events: 3 });
  });

  it('onMetrics gets getPerformanceMetrics() every metricsIntervalMs and once more at close', async () => {
    const snapshots: PerformanceMetrics[] = [];
    class Exporter extends PerformancePlugin {
      override readonly metricsIntervalMs = 10;
      override onMetrics(m: PerformanceMetrics): void {
        snapshots.push(m);
      }
    }
    const { logger } = pluginLogger();
    logger.addPlugin('exporter', new Exporter());
    logger.info('x');
    await until(() => snapshots.length >= 2);
    expect(snapshots[0]).toMatchObject({ totalLogs: 1, pluginEvents: expect.any(Object) });
    const before = snapshots.length;
    logger.info('y');
    await logger.close();
    expect(snapshots.length).toBeGreaterThan(before);
    expect(snapshots.at(-1)?.totalLogs).toBe(2);
    const after = snapshots.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(snapshots.length).toBe(after);
  });

  it('metricsIntervalMs: 0 means only the final snapshot; sampleEvery must be a positive integer', async () => {
    const calls: number[] = [];
    const { logger } = pluginLogger();
    logger.addPlugin('final', {
      metricsIntervalMs: 0,
      onMetrics: (m: PerformanceMetrics) => calls.push(m.totalLogs),
    });
    expect(() => logger.addPlugin('bad', { sampleEvery: 0, onRecord() {} })).toThrow(
      /sampleEvery must be a positive integer/,
    );
    logger.info('x');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
    await logger.close();
    expect(calls).toEqual([1]);
  });
});
