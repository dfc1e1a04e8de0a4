import { afterEach, describe, expect, it } from 'vitest';
import {
  type HandlerDestination,
  HandlerPlugin,
  HydraLogger,
  type LogRecord,
  type PluginHandler,
} from '../../src/index.js';
import { pluginLogger } from './helpers.js';

/** A tap-only handler plugin (no destination type) that keeps what it is given. */
function tapPlugin(onEmit?: (line: string, record: LogRecord) => void) {
  const got: { line: string; record: LogRecord }[] = [];
  const made: Readonly<HandlerDestination>[] = [];
  let closed = 0;
  const plugin = {
    tap: true,
    createHandler(d: Readonly<HandlerDestination>): PluginHandler {
      made.push(d);
      return {
        emit(line: string, record: LogRecord) {
          got.push({ line, record });
          onEmit?.(line, record);
        },
        close() {
          closed++;
        },
      };
    },
  };
  return { plugin, got, made, closed: () => closed };
}

const loggers: HydraLogger[] = [];
afterEach(async () => {
  for (const l of loggers.splice(0)) await l.close();
});

describe('handler plugins with tap: true', () => {
  it('get every record of every layer, after redaction, with the line the json destination wrote', () => {
    const { logger, lines } = pluginLogger({
      layers: {
        TEXT: {
          destinations: [
            { type: 'memory', format: 'plain-text', name: 'text' },
            { type: 'memory', format: 'json', name: 'warnings', level: 'warning' },
          ],
        },
      },
    });
    loggers.push(logger);
    const t = tapPlugin();
    logger.addPlugin('tap', t.plugin);
    expect(t.made).toEqual([{ type: 'tap', format: 'json' }]);
    logger.info('one', { password: 'hunter2', n: 1 });
    // Below the json destination's level: written as plain text only, and tapped.
    logger.info('TEXT', 'two', { n: 2 });
    logger.error('TEXT', 'three');
    expect(t.got.map((g) => JSON.parse(g.line).message)).toEqual(['one', 'two', 'three']);
    // DEFAULT writes json: the tap got the very line its destination wrote.
    expect(t.got[0]?.line).toBe(`${lines()[0]}\n`);
    expect(JSON.parse(t.got[0]?.line as string).password).toBe('[REDACTED]');
    // 'two' was written as plain text only: the tap's line is the json format's all the same.
    expect(JSON.parse(t.got[1]?.line as string)).toMatchObject({ layer: 'TEXT', message: 'two', n: 2 });
    expect(t.got[1]?.line.endsWith('}\n')).toBe(true);
    expect(t.got[2]?.line).toBe(`${logger.memory('warnings')?.lines()[0]}\n`);
    expect(t.got[2]?.record.levelName).toBe('ERROR');
    expect(logger.getPluginInsights().tap?.events).toBe(3);
  });

  it('taps a logger whose destinations format nothing as json, and stops when removed (its handler closed)', async () => {
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'plain-text' }] } } },
    });
    loggers.push(logger);
    const t = tapPlugin();
    logger.addPlugin('tap', t.plugin);
    logger.info('APP', 'hello', { a: 1 });
    expect(JSON.parse(t.got[0]?.line as string)).toMatchObject({ layer: 'APP', message: 'hello', a: 1 });
    expect(logger.removePlugin('tap')).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(t.closed()).toBe(1);
    logger.info('after');
    expect(t.got).toHaveLength(1);
  });

  it('keep tapping across updateConfig, and are closed once by close()', async () => {
    const logger = new HydraLogger({ config: { layers: { A: { destinations: [{ type: 'null' }] } } } });
    const t = tapPlugin();
    logger.addPlugin('tap', t.plugin);
    logger.info('A', 'before');
    logger.updateConfig({ layers: { B: { destinations: [{ type: 'memory', format: 'json' }] } } });
    logger.info('B', 'after');
    expect(t.got.map((g) => g.record.message)).toEqual(['before', 'after']);
    expect(t.got[1]?.line).toBe(`${logger.memory()?.lines()[0]}\n`);
    await logger.close();
    expect(t.closed()).toBe(1);
  });

  it('a handler that throws loses that line only, counted; logging goes on', () => {
    const { logger, lines, pluginErrors } = pluginLogger();
    loggers.push(logger);
    const t = tapPlugin((_line, record) => {
      if (record.message === 'bad') throw new Error('boom');
    });
    logger.addPlugin('tap', t.plugin);
    logger.info('good');
    expect(() => logger.info('bad')).not.toThrow();
    logger.info('good again');
    expect(lines().map((l) => JSON.parse(l).message)).toEqual(['good', 'bad', 'good again']);
    expect(t.got.map((g) => g.record.message)).toEqual(['good', 'bad', 'good again']);
    expect(logger.getPerformanceMetrics().pluginErrors.tap).toBe(1);
    expect(pluginErrors[0]?.message).toContain('boom');
  });

  it('a record the handler logs is written, but not tapped into the same handler again', () => {
    const { logger, lines } = pluginLogger();
    loggers.push(logger);
    const t = tapPlugin((_line, record) => {
      if (record.message === 'ping') logger.info('pong');
    });
    logger.addPlugin('tap', t.plugin);
    logger.info('ping');
    expect(lines().map((l) => JSON.parse(l).message)).toEqual(['ping', 'pong']);
    expect(t.got.map((g) => g.record.message)).toEqual(['ping']);
    expect(logger.getPerformanceMetrics().pluginErrors.tap).toBe(1);
  });

  it('a HandlerPlugin with a destinationType and tap: true serves both', () => {
    const seen: string[] = [];
    class Both extends HandlerPlugin {
      readonly destinationType = 'both';
      readonly tap = true;
      createHandler(d: Readonly<HandlerDestination>): PluginHandler {
        return { emit: (line) => seen.push(`${d.name ?? d.type}:${JSON.parse(line).message}`) };
      }
    }
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } },
    });
    loggers.push(logger);
    logger.addPlugin('both', new Both());
    logger.updateConfig({
      layers: { DEFAULT: { destinations: [{ type: 'both', name: 'dest' }] } },
    });
    logger.info('x');
    expect(seen.sort()).toEqual(['both:x', 'dest:x']);
  });

  it('bad tap plugins are refused when added', () => {
    const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } } });
    loggers.push(logger);
    const handler = { emit() {} };
    expect(() => logger.addPlugin('a', { tap: 'yes', createHandler: () => handler } as never)).toThrow(
      /plugin "a": tap must be true or false/,
    );
    expect(() => logger.addPlugin('b', { tap: false, createHandler: () => handler } as never)).toThrow(
      /needs a destinationType \(a non-empty string\), or tap: true/,
    );
    expect(() =>
      logger.addPlugin('c', {
        tap: true,
        createHandler: () => {
          throw new Error('no');
        },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'HYDRA_E_PLUGIN_INIT', message: expect.stringContaining('its tap') }),
    );
    expect(() => logger.addPlugin('d', { tap: true, createHandler: () => ({}) as never })).toThrow(
      expect.objectContaining({ code: 'HYDRA_E_PLUGIN_INVALID' }),
    );
    expect(Object.keys(logger.getPluginInsights())).toEqual([]);
    logger.info('still fine');
  });
});
