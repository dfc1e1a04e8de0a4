import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinationTypes } from '../../src/destinations/registry.js';
import { ConfigValidationError, HydraLogger, validateConfig } from '../../src/index.js';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';

function issuesOf(config: unknown): string[] {
  try {
    validateConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).code).toBe('HYDRA_E_CONFIG_INVALID');
    return (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('validateConfig', () => {
  it('accepts a full valid config and returns a copy', () => {
    const cfg = {
      defaultLevel: 'debug',
      layers: {
        APP: {
          level: 'info',
          destinations: [{ type: 'file', path: 'logs/app.log', format: 'json', mode: 'sync' }],
        },
      },
    } as const;
    const out = validateConfig(cfg);
    expect(out).toEqual(cfg);
    expect(out).not.toBe(cfg);
  });

  it('names the exact path and the expected value', () => {
    expect(
      issuesOf({
        layers: {
          APP: { destinations: [{ type: 'console' }, { type: 'file', path: 'x', bufferSize: 'huge' }] },
        },
      }),
    ).toEqual(['layers.APP.destinations[1].bufferSize: expected a positive integer, got "huge"']);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf({
      defaultLevel: 'loud',
      layers: { APP: { level: 7.5, destinations: [{ type: 'file' }, { type: 'consol' }] } },
    });
    expect(issues).toEqual([
      'defaultLevel: expected a level (trace, debug, info, warning (warn), error, critical (fatal), notset, off), got "loud"',
      'layers.APP.level: expected a level (trace, debug, info, warning (warn), error, critical (fatal), notset, off), got 7.5',
      'layers.APP.destinations[0].path: expected a file path, got undefined',
      `layers.APP.destinations[1].type: expected one of ${[...destinationTypes()].map((t) => `"${t.name}"`).join(', ')}, got "consol" (did you mean "console"?)`,
    ]);
  });

  it('rejects unknown keys with a did-you-mean hint', () => {
    expect(issuesOf({ layer: {} })).toEqual(['layer: unknown key (did you mean "layers"?)']);
    expect(issuesOf({ layers: { A: { destinations: [{ type: 'console', fromat: 'json' }] } } })).toEqual([
      'layers.A.destinations[0].fromat: unknown key (did you mean "format"?)',
    ]);
  });

  it('rejects an unknown format with the list of formats', () => {
    expect(issuesOf({ layers: { A: { destinations: [{ type: 'console', format: 'jsno' }] } } })).toEqual([
      'layers.A.destinations[0].format: expected one of "plain-text", "json", "csv", "syslog", "gelf", "logfmt", got "jsno" (did you mean "json"?)',
    ]);
  });

  it('accepts snake_case keys as aliases', () => {
    const out = validateConfig({
      default_level: 'warning',
      layers: {
        APP: {
          destinations: [{ type: 'console', color_mode: 'never', buffer_size: 1024, flush_interval: 50 }],
        },
      },
    });
    expect(out).toEqual({
      defaultLevel: 'warning',
      layers: {
        APP: { destinations: [{ type: 'console', colorMode: 'never', bufferSize: 1024, flushInterval: 50 }] },
      },
    });
  });

  it('reserves __X__ layer names and refuses prototype keys', () => {
    const polluting = JSON.parse(
      '{"layers":{"__proto__":{"polluted":1},"__SYSTEM__":{}},"__proto__":{"polluted":1}}',
    );
    expect(issuesOf(polluting)).toEqual([
      '__proto__: this key is not allowed (prototype pollution guard)',
      'layers.__proto__: this layer name is not allowed (prototype pollution guard)',
      'layers.__SYSTEM__: layer names of the form __X__ are reserved',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a non-object config and wrong shapes', () => {
    expect(issuesOf('nope')).toEqual([': expected an object, got "nope"']);
    expect(issuesOf({ layers: [] })).toEqual(['layers: expected an object of layers, got []']);
    expect(issuesOf({ layers: { A: { destinations: {} } } })).toEqual([
      'layers.A.destinations: expected an array, got {}',
    ]);
  });

  it('the constructor throws the same error', () => {
    expect(
      () => new HydraLogger({ config: { layers: { A: { destinations: [{ type: 'nope' } as never] } } } }),
    ).toThrow(/layers\.A\.destinations\[0\]\.type: expected one of/);
  });

  it('a stream destination needs a Writable or a function', () => {
    expect(issuesOf({ layers: { A: { destinations: [{ type: 'stream', stream: 'stdout' }] } } })).toEqual([
      'layers.A.destinations[0].stream: expected a Writable stream or a function (line) => void, got "stdout"',
    ]);
  });
});

describe('destination names', () => {
  it('must be unique across layers', () => {
    expect(() =>
      validateConfig({
        layers: {
          A: { destinations: [{ type: 'memory', name: 'm' }] },
          B: { destinations: [{ type: 'console' }, { type: 'memory', name: 'm' }] },
        },
      }),
    ).toThrow(
      'layers.B.destinations[1].name: "m" is already the name of layers.A.destinations[0]; destination names must be unique',
    );
  });
});

describe('config size limits', () => {
  /** `n` layers named L0 … L(n-1), each with `perLayer` null destinations. */
  const layersOf = (n: number, perLayer = 1): Record<string, { destinations: { type: 'null' }[] }> => {
    const layers: Record<string, { destinations: { type: 'null' }[] }> = {};
    for (let i = 0; i < n; i++)
      layers[`L${i}`] = { destinations: Array.from({ length: perLayer }, () => ({ type: 'null' as const })) };
    return layers;
  };

  /** The error `fn` throws (the test fails when it throws none). */
  const thrownBy = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    throw new Error('expected an error, none was thrown');
  };

  it('200,000 layers: a ConfigValidationError naming `layers` and the limit, from validateConfig and the constructor', () => {
    const layers = layersOf(200_000);
    for (const make of [() => validateConfig({ layers }), () => new HydraLogger({ config: { layers } })]) {
      const err = thrownBy(make);
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).issues).toEqual([
        {
          path: 'layers',
          message: '200000 layers, more than the limit of 10000 (CONFIG_LIMITS.maxLayers, docs/limits.md)',
        },
      ]);
    }
  });

  it('the largest allowed config (10,000 layers, 10,000 destinations) is accepted and logs to its last layer', async () => {
    const layers: Record<string, unknown> = layersOf(9_998);
    layers.DEFAULT = { destinations: [{ type: 'null' }] };
    layers.LAST = { destinations: [{ type: 'memory', name: 'last' }] };
    const logger = new HydraLogger({ config: { layers } as never });
    logger.info('LAST', 'reached');
    logger.info('L9998', 'to a null destination');
    expect(
      logger
        .memory('last')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['reached']);
    expect(Object.keys(logger.getPerformanceMetrics().destinations)).toHaveLength(10_000);
    await logger.close();
  });

  it('destinations per layer and in all layers are bounded too', () => {
    const one = thrownBy(() => validateConfig({ layers: layersOf(1, 1_001) }));
    expect((one as ConfigValidationError).issues).toEqual([
      {
        path: 'layers.L0.destinations',
        message:
          '1001 destinations, more than the limit of 1000 (CONFIG_LIMITS.maxDestinationsPerLayer, docs/limits.md)',
      },
    ]);
    expect(() => validateConfig({ layers: layersOf(1, 1_000) })).not.toThrow();
    const all = thrownBy(() => validateConfig({ layers: layersOf(11, 1_000) }));
    expect((all as ConfigValidationError).issues).toEqual([
      {
        path: 'layers',
        message:
          '11000 destinations in all layers, more than the limit of 10000 (CONFIG_LIMITS.maxDestinations, docs/limits.md)',
      },
    ]);
  });

  it('plugins, redaction lists and pseudonymized fields are bounded', () => {
    const many = (n: number, f: (i: number) => unknown): unknown[] =>
      Array.from({ length: n }, (_, i) => f(i));
    const issues = issuesOf({
      plugins: many(1_001, (i) => ({ name: `p${i}` })),
      redaction: {
        patterns: many(1_001, (i) => ({ name: `r${i}`, pattern: 'x' })),
        sensitive_keys: many(10_001, (i) => `k${i}`),
      },
      pseudonymize: { fields: many(10_001, (i) => `f${i}`) },
    });
    expect(issues).toEqual([
      'plugins: 1001 plugins, more than the limit of 1000 (CONFIG_LIMITS.maxPlugins, docs/limits.md)',
      'redaction.patterns: 1001 patterns, more than the limit of 1000 (CONFIG_LIMITS.maxRedactionPatterns, docs/limits.md)',
      'redaction.sensitive_keys: 10001 entries, more than the limit of 10000 (CONFIG_LIMITS.maxListEntries, docs/limits.md)',
      'pseudonymize.fields: 10001 fields, more than the limit of 10000 (CONFIG_LIMITS.maxListEntries, docs/limits.md)',
    ]);
  });

  it('a config file nested 20,000 levels deep: a ConfigValidationError at the depth limit, not a stack overflow', () => {
    const dir = makeTempDir();
    try {
      let nested = '{}';
      for (let i = 0; i < 20_000; i++) nested = `{"a":${nested}}`;
      const file = path.join(dir, 'deep.json');
      fs.writeFileSync(file, `{"layers":{"APP":{}},"x":${nested}}`);
      const err = thrownBy(() => new HydraLogger({ config: file }));
      expect(err).toBeInstanceOf(ConfigValidationError);
      const [issue] = (err as ConfigValidationError).issues;
      expect(issue?.path).toBe(`x${'.a'.repeat(64)}`);
      expect(issue?.message).toBe('nested deeper than 64 levels (CONFIG_LIMITS.maxDepth, docs/limits.md)');
    } finally {
      removeDir(dir);
    }
  });

  it('lists at most 100 problems, then says how many more there are', () => {
    const levelColors: Record<string, string> = {};
    for (let i = 0; i < 150; i++) levelColors[`level${i}`] = 'red';
    const issues = issuesOf({ levelColors });
    expect(issues).toHaveLength(101);
    expect(issues[0]).toMatch(/^levelColors\.level0: expected a level/);
    expect(issues[100]).toBe(': and 50 more problems, not listed');
  });
});
