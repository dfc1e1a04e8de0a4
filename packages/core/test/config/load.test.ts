import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigFileError,
  ConfigValidationError,
  HydraLogger,
  loadConfig,
  loadConfigFromEnv,
  mergeConfigs,
} from '../../src/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-cfg-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
};

describe('loadConfig', () => {
  const expected = {
    defaultLevel: 'debug',
    layers: {
      APP: { level: 'info', destinations: [{ type: 'console', format: 'json', colorMode: 'never' }] },
    },
  };

  it('reads YAML (.yaml and .yml)', () => {
    const text =
      'default_level: debug\nlayers:\n  APP:\n    level: info\n    destinations:\n      - type: console\n        format: json\n        color_mode: never\n';
    expect(loadConfig(write('a.yaml', text))).toEqual(expected);
    expect(loadConfig(write('a.yml', text))).toEqual(expected);
  });

  it('reads TOML', () => {
    const text =
      'default_level = "debug"\n[layers.APP]\nlevel = "info"\n[[layers.APP.destinations]]\ntype = "console"\nformat = "json"\ncolor_mode = "never"\n';
    expect(loadConfig(write('a.toml', text))).toEqual(expected);
  });

  it('reads JSON', () => {
    expect(loadConfig(write('a.json', JSON.stringify(expected)))).toEqual(expected);
  });

  it('follows extends (relative paths, lists, nesting), merging deeply with the extending file winning', () => {
    write(
      'base/common.yaml',
      'default_level: warning\nlayers:\n  DB:\n    level: error\n    destinations: [{ type: console }]\n',
    );
    write('base/extra.json', JSON.stringify({ layers: { AUTH: { level: 'debug' } } }));
    const top = write(
      'app.yaml',
      'extends: [base/common.yaml, base/extra.json]\nlayers:\n  DB:\n    level: info\n  APP:\n    destinations: [{ type: memory }]\n',
    );
    expect(loadConfig(top)).toEqual({
      defaultLevel: 'warning',
      layers: {
        DB: { level: 'info', destinations: [{ type: 'console' }] },
        AUTH: { level: 'debug' },
        APP: { destinations: [{ type: 'memory' }] },
      },
    });
  });

  it('detects an extends cycle and names the chain', () => {
    write('a.yaml', 'extends: b.yaml\n');
    write('b.yaml', 'extends: a.yaml\n');
    const err = thrown(() => loadConfig(path.join(dir, 'a.yaml')));
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err.message).toContain('extends cycle: a.yaml → b.yaml → a.yaml');
  });

  it('names the file and the path of a schema error', () => {
    const err = thrown(() =>
      loadConfig(write('bad.yaml', 'layers:\n  APP:\n    destinations:\n      - type: file\n')),
    );
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect(err.message).toContain(`in ${path.join(dir, 'bad.yaml')}`);
    expect(err.message).toContain('layers.APP.destinations[0].path: expected a file path, got undefined');
  });

  it.each([
    ['missing.yaml', undefined, /cannot read it: ENOENT/],
    ['broken.yaml', 'layers: [unclosed', /cannot parse it/],
    ['broken.toml', 'layers = {', /cannot parse it/],
    ['broken.json', '{"layers":', /cannot parse it/],
    ['config.ini', 'x=1', /unsupported extension "\.ini"/],
    ['list.yaml', '- 1\n- 2\n', /expected a mapping at the top level/],
  ])('reports %s clearly (code HYDRA_E_CONFIG_FILE)', (name, text, message) => {
    const p = text === undefined ? path.join(dir, name) : write(name, text);
    const err = thrown(() => loadConfig(p));
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as ConfigFileError).code).toBe('HYDRA_E_CONFIG_FILE');
    expect(err.message).toMatch(message);
  });

  it('an empty file is an empty config', () => {
    expect(loadConfig(write('empty.yaml', ''))).toEqual({});
  });

  it('a __proto__ key in YAML or JSON pollutes nothing and is refused', () => {
    for (const [name, text] of [
      ['p.yaml', '__proto__:\n  polluted: true\n'],
      ['p.json', '{"layers":{"APP":{"__proto__":{"polluted":true}}}}'],
      ['p2.yaml', 'layers:\n  __proto__:\n    polluted: true\n'],
    ] as const) {
      expect(() => loadConfig(write(name, text))).toThrow(/prototype pollution guard/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('mergeConfigs', () => {
  it('merges objects deeply, replaces arrays, leaves inputs untouched', () => {
    const a = {
      defaultLevel: 'info',
      layers: { A: { level: 'debug', destinations: [{ type: 'console' }] } },
    };
    const b = { layers: { A: { destinations: [{ type: 'memory' }] }, B: { level: 'error' } } };
    const snapshot = JSON.stringify([a, b]);
    expect(mergeConfigs(a, undefined, b)).toEqual({
      defaultLevel: 'info',
      layers: { A: { level: 'debug', destinations: [{ type: 'memory' }] }, B: { level: 'error' } },
    });
    expect(JSON.stringify([a, b])).toBe(snapshot);
  });

  it('refuses __proto__, constructor and prototype keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const evil = JSON.parse(`{"layers":{"${key}":{"polluted":true}}}`);
      expect(() => mergeConfigs({}, evil)).toThrow(`layers.${key}: this key is not allowed`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('precedence: constructor > environment > config file > defaults', () => {
  const mem = { layers: { DEFAULT: { destinations: [{ type: 'memory' as const, name: 'm' }] } } };
  const levelOf = (logger: HydraLogger) =>
    ['trace', 'debug', 'info', 'warning', 'error', 'critical'].find((l) => logger.isLevelEnabled(l as never));

  it('defaults: INFO', () => {
    expect(levelOf(new HydraLogger({ config: mem, env: {} }))).toBe('info');
  });

  it('the config file (path option or HYDRA_LOG_CONFIG) over defaults', () => {
    const file = write(
      'c.yaml',
      'default_level: error\nlayers:\n  DEFAULT:\n    destinations: [{ type: memory }]\n',
    );
    expect(levelOf(new HydraLogger({ config: file, env: {} }))).toBe('error');
    expect(levelOf(new HydraLogger({ env: { HYDRA_LOG_CONFIG: file } }))).toBe('error');
  });

  it('environment variables over the file', () => {
    const file = write(
      'c.yaml',
      'default_level: error\nlayers:\n  DEFAULT:\n    destinations: [{ type: memory }]\n',
    );
    expect(levelOf(new HydraLogger({ config: file, env: { HYDRA_LOG_LEVEL: 'warning' } }))).toBe('warning');
    expect(levelOf(new HydraLogger({ env: { HYDRA_LOG_CONFIG: file, HYDRA_LOG_LEVEL: 'debug' } }))).toBe(
      'debug',
    );
  });

  it('the constructor config object over environment and file', () => {
    const file = write('c.yaml', 'default_level: error\n');
    const logger = new HydraLogger({
      config: { ...mem, defaultLevel: 'critical' },
      env: { HYDRA_LOG_CONFIG: file, HYDRA_LOG_LEVEL: 'debug' },
    });
    expect(levelOf(logger)).toBe('critical');
  });

  it('loadConfigFromEnv merges the HYDRA_LOG_CONFIG file with the variables', () => {
    const file = write('c.toml', 'default_level = "error"\nconsole_format = "json"\n');
    expect(loadConfigFromEnv({ HYDRA_LOG_CONFIG: file, HYDRA_LOG_LEVEL: 'debug' })).toEqual({
      defaultLevel: 'debug',
      consoleFormat: 'json',
    });
  });
});
