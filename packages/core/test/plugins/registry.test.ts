import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AnalyticsPlugin,
  FormatterPlugin,
  getPlugin,
  HandlerPlugin,
  HydraLogger,
  type LogRecord,
  listPlugins,
  loadPluginFromPath,
  PerformancePlugin,
  PluginError,
  type PluginHandler,
  registerPlugin,
  SecurityPlugin,
  type SecurityVerdict,
  unregisterPlugin,
} from '../../src/index.js';
import { clearPlugins } from '../../src/plugins/registry.js';
import { pluginLogger, tempDir } from './helpers.js';

afterEach(() => clearPlugins());
const dir = tempDir('hydra-plugin-registry-');

class Analytics extends AnalyticsPlugin {
  processEvent(r: LogRecord) {
    return r;
  }
}
class Formatter extends FormatterPlugin {
  readonly formatName = 'fmt';
  format(r: LogRecord) {
    return r.message;
  }
}
class Handler extends HandlerPlugin {
  readonly destinationType = 'sink';
  createHandler(): PluginHandler {
    return { emit() {} };
  }
}
class Security extends SecurityPlugin {
  inspect(): SecurityVerdict {
    return this.allow();
  }
}
class Performance extends PerformancePlugin {
  override onRecord() {}
}

/** Writes an ES module into the temp directory; returns its absolute path. */
let moduleNo = 0;
function writeModule(source: string): string {
  const file = path.join(dir, `plugin-${++moduleNo}.mjs`);
  fs.writeFileSync(file, source);
  return file;
}

const code = (err: unknown) => (err as PluginError).code;
function thrown(fn: () => unknown): PluginError {
  try {
    fn();
  } catch (err) {
    return err as PluginError;
  }
  throw new Error('did not throw');
}

describe('the registry', () => {
  it('registerPlugin takes the type from the base class; getPlugin, listPlugins(type), unregisterPlugin, clearPlugins', () => {
    expect(registerPlugin('a', Analytics)).toBe(Analytics);
    registerPlugin('f', Formatter);
    registerPlugin('h', Handler);
    registerPlugin('s', Security);
    registerPlugin('p', Performance);
    expect(listPlugins().map((p) => [p.name, p.type])).toEqual([
      ['a', 'analytics'],
      ['f', 'formatter'],
      ['h', 'handler'],
      ['s', 'security'],
      ['p', 'performance'],
    ]);
    expect(listPlugins('security')).toEqual([{ name: 's', type: 'security', plugin: Security }]);
    expect(getPlugin('h')).toBe(Handler);
    expect(getPlugin('nope')).toBeUndefined();
    expect(unregisterPlugin('h')).toBe(true);
    expect(unregisterPlugin('h')).toBe(false);
    expect(getPlugin('h')).toBeUndefined();
    clearPlugins();
    expect(listPlugins()).toEqual([]);
  });

  it('a class extending no base class is typed by its hooks, or by the type given', () => {
    class Duck {
      inspect(): SecurityVerdict {
        return { action: 'allow' };
      }
    }
    class Arrow {
      // A hook defined as a class field is not on the prototype: the type must be given.
      processEvent = (r: LogRecord) => r;
    }
    registerPlugin('duck', Duck);
    registerPlugin('arrow', Arrow, 'analytics');
    expect(listPlugins().map((p) => [p.name, p.type])).toEqual([
      ['duck', 'security'],
      ['arrow', 'analytics'],
    ]);
    const { logger } = pluginLogger({ plugins: [{ name: 'arrow' }] });
    expect(logger.getPluginInsights().arrow?.type).toBe('analytics');
  });

  it('refuses a class without hooks, a type contradicting the base class, a taken name, a bad name; the same class again is a no-op', () => {
    expect(code(thrown(() => registerPlugin('x', class Nothing {} as never)))).toBe('HYDRA_E_PLUGIN_INVALID');
    expect(thrown(() => registerPlugin('x', class Nothing {} as never)).message).toMatch(
      /Nothing has no hook of any plugin role \(security \(inspect\), analytics \(processEvent\)/,
    );
    expect(thrown(() => registerPlugin('x', Analytics, 'formatter')).message).toMatch(
      /registered as formatter but Analytics extends a analytics plugin/,
    );
    registerPlugin('a', Analytics);
    expect(registerPlugin('a', Analytics)).toBe(Analytics);
    expect(thrown(() => registerPlugin('a', Security)).message).toMatch(
      /"a" is already registered \(Analytics\); unregisterPlugin\("a"\) first/,
    );
    for (const bad of ['', '__proto__', 'constructor', 'a\nb'])
      expect(code(thrown(() => registerPlugin(bad, Security)))).toBe('HYDRA_E_PLUGIN_INVALID');
    expect(thrown(() => registerPlugin('t', Security, 'bogus' as never)).message).toMatch(
      /type "bogus" is not one of/,
    );
  });

  it('registerPlugin(name) returns a class decorator (called here as TypeScript calls it; the syntax is in types.test-d.ts)', () => {
    class Decorated extends AnalyticsPlugin {
      processEvent(r: LogRecord) {
        return { ...r, fields: { ...r.fields, decorated: true } };
      }
    }
    const context = { kind: 'class', name: 'Decorated' } as ClassDecoratorContext;
    expect(registerPlugin('decorated')(Decorated, context)).toBe(Decorated);
    expect(getPlugin('decorated')).toBe(Decorated);
    const decorate = registerPlugin('called', 'security');
    expect(decorate(Security)).toBe(Security);
    expect(listPlugins().map((p) => [p.name, p.type])).toEqual([
      ['decorated', 'analytics'],
      ['called', 'security'],
    ]);
    const { logger, records } = pluginLogger({ plugins: [{ name: 'decorated' }] });
    logger.info('x');
    expect(records()[0]).toMatchObject({ decorated: true });
  });

  it('a config plugins entry instantiates the registered class (`plugin`, default `name`) with a copy of its options, in order', () => {
    class WithOptions extends AnalyticsPlugin<{ tag: string; nested: { n: number } }> {
      processEvent(r: LogRecord) {
        return {
          ...r,
          fields: { ...r.fields, tags: [...((r.fields?.tags as string[]) ?? []), this.options.tag] },
        };
      }
    }
    registerPlugin('with-options', WithOptions);
    const options = { tag: 'one', nested: { n: 1 } };
    const { logger, records } = pluginLogger({
      plugins: [
        { name: 'with-options', options },
        { name: 'second', plugin: 'with-options', options: { tag: 'two', nested: { n: 2 } } },
      ],
    });
    options.tag = 'changed later';
    logger.info('x');
    expect(records()[0]).toMatchObject({ tags: ['one', 'two'] });
    expect(Object.keys(logger.getPluginInsights())).toEqual(['with-options', 'second']);
  });

  it('a config entry naming no registered plugin fails with HYDRA_E_PLUGIN_NOT_FOUND, listing the registered ones', () => {
    registerPlugin('known', Analytics);
    const err = thrown(() => new HydraLogger({ config: { plugins: [{ name: 'unknown' }] } }));
    expect(err).toBeInstanceOf(PluginError);
    expect(err.code).toBe('HYDRA_E_PLUGIN_NOT_FOUND');
    expect(err.message).toBe(
      'plugins[0]: no plugin "unknown" is registered (registered: "known"); registerPlugin it or give its module path',
    );
  });
});

describe('loadPluginFromPath', () => {
  const plain = `export default class Stamp {
  constructor(options = {}) { this.options = options; }
  processEvent(record) { return { ...record, fields: { ...record.fields, stamp: this.options.stamp ?? 'default' } }; }
}
`;

  it('imports an ES module whose default export is a plugin class, registers it under its class name', async () => {
    const file = writeModule(plain);
    const info = await loadPluginFromPath(file);
    expect(info).toMatchObject({ name: 'Stamp', type: 'analytics', path: file });
    expect(getPlugin('Stamp')).toBe(info.plugin);
    expect(await loadPluginFromPath(file)).toBe(info);
    const { logger, records } = pluginLogger({ plugins: [{ name: 'Stamp', options: { stamp: 's1' } }] });
    logger.info('x');
    expect(records()[0]).toMatchObject({ stamp: 's1' });
  });

  it('takes a path relative to the working directory', async () => {
    const file = writeModule(plain.replace('class Stamp', 'class Relative'));
    const info = await loadPluginFromPath(path.relative(process.cwd(), file));
    expect(info).toMatchObject({ name: 'Relative', path: file });
  });

  it('takes a { name, plugin, type? } descriptor (default or only named export) and a static pluginName', async () => {
    const descriptor = await loadPluginFromPath(
      writeModule(
        `export default { name: 'desc', plugin: class { inspect() { return { action: 'allow' }; } } };\n`,
      ),
    );
    expect(descriptor).toMatchObject({ name: 'desc', type: 'security' });
    const named = await loadPluginFromPath(
      writeModule(
        `export const version = 1;\nexport class Named { static pluginName = 'by-static-name'; onRecord() {} }\n`,
      ),
    );
    expect(named).toMatchObject({ name: 'by-static-name', type: 'performance' });
    const typed = await loadPluginFromPath(
      writeModule(
        `export const plugin = { name: 'typed', type: 'analytics', plugin: class { processEvent = (r) => r; } };\n`,
      ),
    );
    expect(typed).toMatchObject({ name: 'typed', type: 'analytics' });
  });

  it('fails with HYDRA_E_PLUGIN_LOAD naming the path: missing file, import error, no plugin, several plugins', async () => {
    const missing = path.join(dir, 'missing.mjs');
    await expect(loadPluginFromPath(missing)).rejects.toThrow(`plugin module ${missing}: no such file`);
    const broken = writeModule(`throw new Error('boom at import');\n`);
    await expect(loadPluginFromPath(broken)).rejects.toMatchObject({
      code: 'HYDRA_E_PLUGIN_LOAD',
      plugin: broken,
      message: `plugin module ${broken}: cannot import it: boom at import`,
      cause: expect.any(Error),
    });
    const none = writeModule(`export const a = 1;\nexport function helper() {}\n`);
    await expect(loadPluginFromPath(none)).rejects.toThrow(
      `plugin module ${none}: exports no plugin class or { name, plugin } descriptor (exports: a, helper)`,
    );
    const several = writeModule(
      `export class A { processEvent(r) { return r; } }\nexport class B { inspect() { return { action: 'allow' }; } }\n`,
    );
    await expect(loadPluginFromPath(several)).rejects.toThrow(
      `plugin module ${several}: exports several plugins (A, B); export the one to load as default`,
    );
    await expect(loadPluginFromPath('')).rejects.toMatchObject({ code: 'HYDRA_E_PLUGIN_LOAD' });
  });

  it('a config plugins entry with a path loads the module at construction (synchronously) and passes its options', () => {
    const file = writeModule(plain.replace('class Stamp', 'class FromConfig'));
    const { logger, records } = pluginLogger({
      plugins: [{ name: 'stamper', path: file, options: { stamp: 'cfg' } }],
    });
    logger.info('x');
    expect(records()[0]).toMatchObject({ stamp: 'cfg' });
    expect(listPlugins().map((p) => [p.name, p.path])).toEqual([['FromConfig', file]]);
    expect(logger.getPluginInsights().stamper?.type).toBe('analytics');
  });

  it('a module with top-level await cannot load from config until loadPluginFromPath has loaded it', async () => {
    const file = writeModule(`await Promise.resolve();\n${plain.replace('class Stamp', 'class Awaited')}`);
    const build = () =>
      new HydraLogger({
        config: {
          plugins: [{ name: 'awaited', path: file }],
          layers: { DEFAULT: { destinations: [{ type: 'null' }] } },
        },
      });
    const err = thrown(build);
    expect(err.code).toBe('HYDRA_E_PLUGIN_LOAD');
    expect(err.message).toContain(file);
    expect(err.message).toContain('call `await loadPluginFromPath(');
    await loadPluginFromPath(file);
    expect(build().getPluginInsights().awaited?.type).toBe('analytics');
  });

  it('a path that fails in config names the config entry and the path', () => {
    const err = thrown(
      () => new HydraLogger({ config: { plugins: [{ name: 'x', path: './no/such/plugin.mjs' }] } }),
    );
    expect(err.code).toBe('HYDRA_E_PLUGIN_LOAD');
    expect(err.message).toBe(`plugin module ${path.resolve('./no/such/plugin.mjs')}: no such file`);
  });
});
