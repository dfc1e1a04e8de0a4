import { describe, expect, it } from 'vitest';
import { EnvironmentError, type FsPort, HydraLogger } from '../../src/index.js';

const memConfig = { layers: { DEFAULT: { destinations: [{ type: 'memory' as const, name: 'm' }] } } };

describe('environment variables', () => {
  it('HYDRA_LOG_LEVEL sets the default level', () => {
    const logger = new HydraLogger({ config: memConfig, env: { HYDRA_LOG_LEVEL: 'debug' } });
    logger.debug('shown');
    expect(logger.memory('m')?.lines()).toHaveLength(1);
  });

  it('a level in the config wins over HYDRA_LOG_LEVEL (constructor > env)', () => {
    const logger = new HydraLogger({
      config: { ...memConfig, defaultLevel: 'error' },
      env: { HYDRA_LOG_LEVEL: 'debug' },
    });
    logger.warn('hidden');
    expect(logger.memory('m')?.lines()).toHaveLength(0);
  });

  it('HYDRA_LOG_FORMAT picks the console format', () => {
    const written: string[] = [];
    // An fs port that captures what the console destination writes to fd 1.
    const port: FsPort = {
      openSync: () => 1,
      writeSync: (_fd, data) => {
        written.push(String(data));
        return Buffer.byteLength(String(data));
      },
      closeSync: () => {},
      fstatSync: () => ({ size: 0, isFile: () => false }),
      mkdirSync: () => undefined,
      fsyncSync: () => {},
    };
    const logger = new HydraLogger({ env: { HYDRA_LOG_FORMAT: 'logfmt' }, fs: port });
    logger.info('APP', 'hello', { n: 1 });
    logger.flushSync();
    expect(written.join('')).toMatch(/^ts=\S+ level=info layer=APP msg=hello n=1\n$/);
  });

  it.each([
    ['HYDRA_LOG_LEVEL', 'loud', /HYDRA_LOG_LEVEL="loud" is not valid: expected trace, debug, info/],
    [
      'HYDRA_LOG_FORMAT',
      'yaml',
      /HYDRA_LOG_FORMAT="yaml" is not valid: expected plain-text, json, csv, syslog, gelf, logfmt/,
    ],
  ])('an invalid %s is an error naming the variable and the allowed values', (name, value, message) => {
    let caught: unknown;
    try {
      new HydraLogger({ env: { [name]: value } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as EnvironmentError).code).toBe('HYDRA_E_ENV_INVALID');
    expect((caught as EnvironmentError).variable).toBe(name);
    expect((caught as Error).message).toMatch(message);
  });
});
