// A configuration is checked once when a logger is created or reconfigured: the object is only
// renamed (snake_case → camelCase) before it is merged over the file and the environment, the merged
// config is validated with destination types and formats left open, and the plugin host checks those
// names alone. These tests count the checks a destination type's option runs, and check that the
// renaming keeps precedence and the user's layer names.
import { afterEach, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/destinations/destination.js';
import { registerDestinationType } from '../../src/destinations/registry.js';
import { ConfigValidationError, HydraLogger } from '../../src/index.js';

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

/** A throwaway type whose one option counts how often it is checked. */
function countingType(): { checks: () => number } {
  let checks = 0;
  unregister = registerDestinationType({
    name: 'counted',
    options: { tag: () => void checks++ },
    create: (_d, _ctx, id, minLevel): Destination => ({
      id,
      type: 'counted',
      minLevel,
      formatter: undefined,
      write() {},
      flushSync() {},
      async flush() {},
      async close() {},
      reopen() {},
      stats: () => ({
        type: 'counted',
        records: 0,
        pending: 0,
        bytesWritten: 0,
        writes: 0,
        flushes: 0,
        retries: 0,
        errors: 0,
        dropped: {},
      }),
    }),
  });
  return { checks: () => checks };
}

const counted = { layers: { APP: { destinations: [{ type: 'counted', tag: 'x' }] } } } as never;

describe('a configuration is validated once', () => {
  it('at construction and at updateConfig, each destination option is checked once', async () => {
    const t = countingType();
    const logger = new HydraLogger({ config: counted, env: {} });
    expect(t.checks()).toBe(1);
    logger.updateConfig(counted);
    expect(t.checks()).toBe(2);
    await logger.close();
  });

  it('with a plugin entry the names are checked against the plugin, still one full check', async () => {
    const t = countingType();
    const logger = new HydraLogger({ config: { ...(counted as object), plugins: [] } as never, env: {} });
    expect(t.checks()).toBe(1);
    await logger.close();
  });

  it('an unknown type is still refused with a did-you-mean hint, and other problems in the same pass', () => {
    let err: unknown;
    try {
      new HydraLogger({
        config: { layers: { APP: { destinations: [{ type: 'consol', format: 'jsonn' }] } } } as never,
        env: {},
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    const issues = (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(
      /^layers\.APP\.destinations\[0\]\.type: expected one of .*"console".*got "consol" \(did you mean "console"\?\)/,
    );
    expect(issues[1]).toMatch(
      /^layers\.APP\.destinations\[0\]\.format: .*got "jsonn" \(did you mean "json"\?\)/,
    );
  });
});

describe('snake_case keys of the config object', () => {
  it('override the environment like their camelCase names (object > HYDRA_LOG_*)', async () => {
    const logger = new HydraLogger({
      config: {
        default_level: 'error',
        layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'm' }] } },
      } as never,
      env: { HYDRA_LOG_LEVEL: 'debug' },
    });
    logger.warn('not written');
    logger.error('written');
    expect(
      logger
        .memory('m')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['written']);
    await logger.close();
  });

  it('are renamed inside nested objects (redaction) but a layer named like an alias keeps its name', async () => {
    const logger = new HydraLogger({
      config: {
        redaction: { sensitive_keys: ['pin'] },
        layers: { max_size: { destinations: [{ type: 'memory', name: 'm', max_lines: 5 }] } },
      } as never,
      env: {},
    });
    logger.info('max_size', 'hello', { pin: '1234' });
    const [line] = logger.memory('m')?.lines() ?? [];
    expect(JSON.parse(line as string)).toMatchObject({
      layer: 'max_size',
      message: 'hello',
      pin: '[REDACTED]',
    });
    await logger.close();
  });

  it('a prototype-polluting key in the object is still refused with its path', () => {
    const config = JSON.parse('{"layers":{"APP":{"__proto__":{"level":"debug"}}}}');
    expect(() => new HydraLogger({ config, env: {} })).toThrow(ConfigValidationError);
    expect(() => new HydraLogger({ config, env: {} })).toThrow(/layers\.APP\.__proto__/);
  });
});
