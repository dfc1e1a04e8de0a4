// A destination type is one file plus one registry line. This test adds a throwaway type through the
// same table (the internal registerDestinationType), then checks that validation and a logger use it.
import { afterEach, describe, expect, it } from 'vitest';
import { show } from '../../src/config/checker.js';
import type { Destination, DestinationStats } from '../../src/destinations/destination.js';
import { formatterFor } from '../../src/destinations/formatter-for.js';
import { destinationTypes, registerDestinationType } from '../../src/destinations/registry.js';
import type { DestinationType } from '../../src/destinations/type.js';
import { ConfigValidationError, HydraLogger, validateConfig } from '../../src/index.js';

/** `{ type: 'collect', into: string[], prefix?: string }`: pushes each line, prefixed, into an array. */
const collectType: DestinationType = {
  name: 'collect',
  options: {
    into: (v, at, c) => {
      if (!Array.isArray(v)) c.fail(at, `expected an array to collect lines into, got ${show(v)}`);
    },
    prefix: (v, at, c) => c.string(v, at),
  },
  create(d, ctx, id, minLevel): Destination {
    const formatter = formatterFor(d, { format: 'json', colorMode: 'never', stackLines: false }, ctx);
    const into = d.into as string[];
    let records = 0;
    return {
      id,
      type: 'collect',
      minLevel,
      formatter,
      write(line) {
        records++;
        into.push(`${(d.prefix as string | undefined) ?? ''}${line}`);
      },
      flushSync() {},
      async flush() {},
      async close() {},
      reopen() {},
      stats(): DestinationStats {
        return {
          type: 'collect',
          records,
          pending: 0,
          bytesWritten: 0,
          writes: records,
          flushes: 0,
          retries: 0,
          errors: 0,
          dropped: {},
        };
      },
    };
  },
};

function issuesOf(config: unknown): string[] {
  try {
    validateConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

const layer = (d: Record<string, unknown>) => ({ layers: { A: { destinations: [d] } } });

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

/** The built-in types as validation lists them (the registry grows with each type added). */
const builtins = (): string => [...destinationTypes()].map((t) => `"${t.name}"`).join(', ');

describe('destination registry', () => {
  it('before it is registered, the type is unknown', () => {
    expect(issuesOf(layer({ type: 'collect', into: [] }))).toEqual([
      'layers.A.destinations[0].into: unknown key',
      `layers.A.destinations[0].type: expected one of ${builtins()}, got "collect"`,
    ]);
  });

  it('a registered type: its options are validated with their paths, its keys are refused elsewhere', () => {
    unregister = registerDestinationType(collectType);
    expect(issuesOf(layer({ type: 'collect', into: [], prefix: '> ' }))).toEqual([]);
    expect(issuesOf(layer({ type: 'collect', into: 'lines', prefix: '' }))).toEqual([
      'layers.A.destinations[0].into: expected an array to collect lines into, got "lines"',
      'layers.A.destinations[0].prefix: expected a non-empty string, got ""',
    ]);
    expect(issuesOf(layer({ type: 'collect', into: [], prefx: '> ' }))).toEqual([
      'layers.A.destinations[0].prefx: unknown key (did you mean "prefix"?)',
    ]);
    expect(issuesOf(layer({ type: 'memory', prefix: '> ' }))).toEqual([
      'layers.A.destinations[0].prefix: only "collect" destinations take it, this one is "memory"',
    ]);
    expect(issuesOf(layer({ type: 'collect', into: [], path: 'x.log' }))).toEqual([
      'layers.A.destinations[0].path: only "file" destinations take a path',
    ]);
    expect(issuesOf(layer({ type: 'colect', into: [] }))[0]).toBe(
      `layers.A.destinations[0].type: expected one of ${builtins()}, got "colect" (did you mean "collect"?)`,
    );
  });

  it('a logger writes through a registered type', async () => {
    unregister = registerDestinationType(collectType);
    const into: string[] = [];
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'collect', into, prefix: '> ' } as never] } } },
    });
    logger.info('hello', { n: 1 });
    logger.warn('APP', 'second');
    expect(into).toHaveLength(2);
    expect(into.every((l) => l.startsWith('> {'))).toBe(true);
    expect(JSON.parse((into[0] as string).slice(2))).toMatchObject({ level: 'INFO', message: 'hello', n: 1 });
    expect(JSON.parse((into[1] as string).slice(2))).toMatchObject({ layer: 'APP', message: 'second' });
    expect(logger.getPerformanceMetrics().destinations['DEFAULT[0]:collect']).toMatchObject({
      type: 'collect',
      records: 2,
    });
    await logger.close();
  });
});
