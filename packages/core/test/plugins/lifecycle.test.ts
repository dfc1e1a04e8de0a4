import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AnalyticsPlugin,
  ConfigValidationError,
  type DestinationFormat,
  FormatterPlugin,
  HydraLogger,
  type LoggingConfig,
  type LogRecord,
  type PluginContext,
  type PluginError,
  registerPlugin,
} from '../../src/index.js';
import { clearPlugins } from '../../src/plugins/registry.js';
import { pluginLogger } from './helpers.js';

afterEach(() => {
  clearPlugins();
  vi.restoreAllMocks();
});

/** An analytics plugin that records its life: init, the messages it saw, close. */
class Lifecycle extends AnalyticsPlugin<{ tag?: string }> {
  static readonly log: string[] = [];
  override init(context: PluginContext): void {
    Lifecycle.log.push(`init ${context.name} ${this.options.tag ?? ''}`.trim());
  }
  processEvent(r: LogRecord): LogRecord {
    Lifecycle.log.push(`${this.name} saw ${r.message}`);
    return r;
  }
  override async close(): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    Lifecycle.log.push(`close ${this.name}`);
  }
}
afterEach(() => {
  Lifecycle.log.length = 0;
});

class Pipe extends FormatterPlugin {
  readonly formatName = 'pipe';
  format(r: LogRecord) {
    return `${r.levelName}|${r.message}`;
  }
}

const memory = (format?: DestinationFormat): LoggingConfig => ({
  layers: {
    DEFAULT: { destinations: [{ type: 'memory', name: 'out', ...(format !== undefined && { format }) }] },
  },
});

describe('adding and removing plugins', () => {
  it('removePlugin stops its hooks and closes it; false for a name not there; its counters stay in the metrics', async () => {
    const { logger } = pluginLogger();
    logger.addPlugin('life', new Lifecycle());
    logger.info('one');
    expect(logger.removePlugin('life')).toBe(true);
    logger.info('two');
    expect(logger.removePlugin('life')).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(Lifecycle.log).toEqual(['init life', 'life saw one', 'close life']);
    expect(logger.getPluginInsights()).toEqual({});
    expect(logger.getPerformanceMetrics().pluginEvents).toEqual({ life: 1 });
  });

  it('a formatter plugin in use cannot be removed until updateConfig drops its format', async () => {
    const { logger } = pluginLogger();
    logger.addPlugin('pipe', new Pipe());
    await logger.updateConfig(memory('pipe'));
    expect(() => logger.removePlugin('pipe')).toThrow(
      expect.objectContaining({
        code: 'HYDRA_E_PLUGIN_INVALID',
        message: expect.stringMatching(/in use by destination out/),
      }),
    );
    logger.info('still formatted');
    await logger.updateConfig(memory());
    expect(logger.removePlugin('pipe')).toBe(true);
  });

  it('refuses a non-plugin, a taken name, the same instance twice, built-in or taken format names, a bad init', () => {
    const { logger } = pluginLogger();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return [(err as PluginError).code, (err as PluginError).message];
      }
      return 'no error';
    };
    const life = new Lifecycle();
    logger.addPlugin('life', life);
    expect(code(() => logger.addPlugin('x', {} as never))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      expect.stringMatching(/plugin "x": has no hook of any plugin role/),
    ]);
    expect(code(() => logger.addPlugin('x', null as never))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      'plugin "x": expected a plugin object, got null',
    ]);
    expect(code(() => logger.addPlugin('life', new Lifecycle()))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      'plugin "life": the name is already taken on this logger',
    ]);
    expect(code(() => logger.addPlugin('again', life))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      'plugin "again": this instance is already on this logger as "life"',
    ]);
    expect(code(() => logger.addPlugin('j', { formatName: 'json', format: () => '' }))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      'plugin "j": format "json" is built in',
    ]);
    expect(
      code(() => logger.addPlugin('f', { destinationType: 'file', createHandler: () => ({ emit() {} }) })),
    ).toEqual(['HYDRA_E_PLUGIN_INVALID', 'plugin "f": destination type "file" is built in']);
    logger.addPlugin('pipe', new Pipe());
    expect(code(() => logger.addPlugin('pipe2', new Pipe()))).toEqual([
      'HYDRA_E_PLUGIN_INVALID',
      'plugin "pipe2": format "pipe" is already provided by plugin "pipe"',
    ]);
    class NoName extends FormatterPlugin {
      readonly formatName = '';
      format() {
        return '';
      }
    }
    expect(code(() => logger.addPlugin('nn', new NoName()))[1]).toMatch(/needs a formatName/);
    class BadInit extends AnalyticsPlugin {
      override init(): void {
        throw new Error('missing API key');
      }
      processEvent(r: LogRecord) {
        return r;
      }
    }
    expect(code(() => logger.addPlugin('bad', new BadInit()))).toEqual([
      'HYDRA_E_PLUGIN_INIT',
      'plugin "bad": init() threw: missing API key',
    ]);
    expect(Object.keys(logger.getPluginInsights())).toEqual(['life', 'pipe']);
  });

  it('close() closes every plugin after the destinations, awaiting async close; addPlugin afterwards throws', async () => {
    registerPlugin('life', Lifecycle);
    const l2 = new HydraLogger({
      config: { ...memory(), plugins: [{ name: 'life', options: { tag: 'cfg' } }] },
    });
    l2.addPlugin('added', new Lifecycle());
    l2.info('x');
    await l2.close();
    expect(Lifecycle.log).toEqual([
      'init life cfg',
      'init added',
      'life saw x',
      'added saw x',
      'close life',
      'close added',
    ]);
    expect(() => l2.addPlugin('late', new Lifecycle())).toThrow(/the logger is closed/);
  });
});

it('close(): handlers close (after a flush) before their plugin closes', async () => {
  const order: string[] = [];
  const { logger } = pluginLogger();
  logger.addPlugin('sink', {
    destinationType: 'ordered',
    createHandler: () => ({
      emit: () => order.push('emit'),
      flush: () => void order.push('handler flush'),
      close: async () => {
        await new Promise((r) => setTimeout(r, 5));
        order.push('handler close');
      },
    }),
    close: () => void order.push('plugin close'),
  });
  await logger.updateConfig({ layers: { DEFAULT: { destinations: [{ type: 'ordered' }] } } });
  logger.info('x');
  await logger.close();
  expect(order).toEqual(['emit', 'handler flush', 'handler close', 'plugin close']);
});

describe('updateConfig and plugins', () => {
  it('keeps added plugins: same instance, not closed, still running', async () => {
    const { logger, records } = pluginLogger();
    const life = new Lifecycle();
    logger.addPlugin('added', life);
    await logger.updateConfig({ ...memory(), defaultLevel: 'debug' });
    logger.debug('after update');
    expect(Lifecycle.log).toEqual(['init added', 'added saw after update']);
    expect(records().map((r) => r.message)).toEqual(['after update']);
  });

  it('config plugins: an unchanged entry keeps its instance, changed options replace it, a removed entry is closed', async () => {
    registerPlugin('life', Lifecycle);
    const logger = new HydraLogger({
      config: {
        ...memory(),
        plugins: [
          { name: 'a', plugin: 'life' },
          { name: 'b', plugin: 'life', options: { tag: 'v1' } },
          { name: 'c', plugin: 'life' },
        ],
      },
    });
    expect(Lifecycle.log).toEqual(['init a', 'init b v1', 'init c']);
    Lifecycle.log.length = 0;
    await logger.updateConfig({
      ...memory(),
      plugins: [
        { name: 'a', plugin: 'life' },
        { name: 'b', plugin: 'life', options: { tag: 'v2' } },
      ],
    });
    expect(Lifecycle.log.sort()).toEqual(['close b', 'close c', 'init b v2']);
    Lifecycle.log.length = 0;
    logger.info('x');
    expect(Lifecycle.log).toEqual(['a saw x', 'b saw x']);
    await logger.close();
  });

  it('an invalid config throws and keeps the current plugins; plugins it created are closed', async () => {
    registerPlugin('life', Lifecycle);
    const logger = new HydraLogger({ config: { ...memory(), plugins: [{ name: 'a', plugin: 'life' }] } });
    Lifecycle.log.length = 0;
    await expect(
      logger.updateConfig({
        plugins: [{ name: 'new', plugin: 'life' }],
        layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'no-such-format' as never }] } },
      }),
    ).rejects.toThrow(ConfigValidationError);
    await new Promise((r) => setTimeout(r, 20));
    expect(Lifecycle.log).toEqual(['init new', 'close new']);
    Lifecycle.log.length = 0;
    logger.info('x');
    expect(Lifecycle.log).toEqual(['a saw x']);
    expect(Object.keys(logger.getPluginInsights())).toEqual(['a']);
  });

  it('a config entry may not take the name of an added plugin', async () => {
    registerPlugin('life', Lifecycle);
    const { logger } = pluginLogger();
    logger.addPlugin('taken', new Lifecycle());
    await expect(
      logger.updateConfig({ ...memory(), plugins: [{ name: 'taken', plugin: 'life' }] }),
    ).rejects.toThrow('plugins[0]: "taken" is already on this logger (addPlugin); use another name');
  });
});

describe('enablePlugins: false', () => {
  it('ignores config plugins (not even loaded) and makes addPlugin a no-op with one warning', () => {
    registerPlugin('life', Lifecycle);
    const warnings: unknown[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(
      ((w: unknown, o: unknown) => void warnings.push([w, o])) as never,
    );
    for (const options of [{ enablePlugins: false }, {}]) {
      const logger = new HydraLogger({
        ...options,
        config: {
          ...memory(),
          plugins: [{ name: 'life' }, { name: 'x', path: './not/loaded.mjs' }],
          ...(options.enablePlugins === undefined && { enablePlugins: false }),
        },
      });
      logger.addPlugin('added', new Lifecycle());
      logger.addPlugin('added2', new Lifecycle());
      logger.info('x');
      expect(logger.getPluginInsights()).toEqual({});
      expect(logger.memory('out')?.lines().length).toBe(1);
    }
    expect(Lifecycle.log).toEqual([]);
    expect(warnings).toEqual([
      [
        expect.stringMatching(/addPlugin\("added"\) on a logger with enablePlugins: false/),
        { code: 'HYDRA_W_PLUGINS_DISABLED' },
      ],
      [expect.stringMatching(/addPlugin\("added"\)/), { code: 'HYDRA_W_PLUGINS_DISABLED' }],
    ]);
  });

  it('a plugin format in the config is then a validation error listing only the built-in formats', () => {
    registerPlugin('pipe', Pipe);
    const build = (enablePlugins: boolean) => () =>
      new HydraLogger({ enablePlugins, config: { ...memory('pipe'), plugins: [{ name: 'pipe' }] } });
    expect(build(true)).not.toThrow();
    expect(build(false)).toThrow(
      /layers\.DEFAULT\.destinations\[0\]\.format: expected one of "plain-text", "json", "csv", "syslog", "gelf", "logfmt", got "pipe"/,
    );
  });
});

describe('plugin options from config cannot pollute prototypes', () => {
  const attacks: [string, () => LoggingConfig][] = [
    [
      'plugins[].options.__proto__',
      () => ({ plugins: [JSON.parse('{"name":"life","options":{"__proto__":{"polluted":1}}}')] }),
    ],
    [
      'plugins[].options nested constructor.prototype',
      () => ({
        plugins: [
          JSON.parse('{"name":"life","options":{"a":[{"constructor":{"prototype":{"polluted":1}}}]}}'),
        ],
      }),
    ],
    ['plugins[].__proto__', () => ({ plugins: [JSON.parse('{"name":"life","__proto__":{"polluted":1}}')] })],
    [
      'a plugin destination options.__proto__',
      () => ({
        layers: {
          A: { destinations: [JSON.parse('{"type":"sink","options":{"x":{"__proto__":{"polluted":1}}}}')] },
        },
      }),
    ],
  ];
  for (const [where, config] of attacks) {
    it(`${where} is refused with its path, and ({}).polluted stays undefined`, () => {
      registerPlugin('life', Lifecycle);
      let err: unknown;
      try {
        new HydraLogger({ config: config() });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).issues).toContainEqual({
        path: expect.stringMatching(/(__proto__|constructor)$/),
        message: 'this key is not allowed (prototype pollution guard)',
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('options of built-in destination types are refused', () => {
    expect(
      () =>
        new HydraLogger({
          config: { layers: { A: { destinations: [{ type: 'memory', options: { a: 1 } } as never] } } },
        }),
    ).toThrow(
      'layers.A.destinations[0].options: only destinations of a plugin-provided type take options, this one is "memory"',
    );
  });
});

describe('children share the plugins of their root', () => {
  it('a child logger and a layer logger go through the same plugins', () => {
    const { logger, records } = pluginLogger();
    logger.addPlugin('tag', {
      processEvent: (r: LogRecord) => ({ ...r, fields: { ...r.fields, tagged: true } }),
    });
    logger.child({ c: 1 }).info('from child');
    logger.layer('DB').info('from layer');
    expect(records().map((r) => [r.message, r.tagged])).toEqual([
      ['from child', true],
      ['from layer', true],
    ]);
  });
});
