import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ConfigValidationError,
  EnvironmentError,
  HydraLogger,
  type HydraLoggerOptions,
  type StreamDestination,
} from '../../src/index.js';

// 2026-03-05 14:07:09.042 in UTC: a Thursday, day 64 of the year.
const NOW = new Date('2026-03-05T14:07:09.042Z');

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  vi.stubEnv('TZ', 'UTC');
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

function lineOf(
  dest: Partial<StreamDestination>,
  options: Partial<HydraLoggerOptions> = {},
  log?: (l: HydraLogger) => void,
): string {
  const lines: string[] = [];
  const logger = new HydraLogger({
    env: {},
    ...options,
    config: {
      ...(typeof options.config === 'object' ? options.config : {}),
      layers: {
        DEFAULT: {
          destinations: [
            {
              type: 'stream',
              format: 'plain-text',
              colorMode: 'never',
              stream: (l: string) => lines.push(l),
              ...dest,
            },
          ],
        },
        ...(typeof options.config === 'object' ? options.config.layers : {}),
      },
    },
  });
  (log ?? ((l) => l.info('APP', 'hello', { n: 1 })))(logger);
  return lines.join('');
}

describe('dateFormat and timeFormat (strftime)', () => {
  it.each([
    ['%Y-%m-%d', '%H:%M:%S', '2026-03-05 14:07:09'],
    ['%d/%m/%y', '%I:%M %p', '05/03/26 02:07 PM'],
    ['%A %e %B', '%H:%M:%S.%f', 'Thursday  5 March 14:07:09.042000'],
    ['%a %b %j', '%H%M%S.%L %z %Z', 'Thu Mar 064 140709.042 +0000 UTC'],
    ['%%Y', '%H', '%Y 14'],
  ])('date %s, time %s → %s', (dateFormat, timeFormat, expected) => {
    expect(lineOf({ dateFormat, timeFormat })).toBe(`${expected} INFO     [APP] hello n=1\n`);
  });

  it('follows the local time zone', () => {
    vi.stubEnv('TZ', 'Asia/Kolkata');
    expect(lineOf({ dateFormat: '%Y-%m-%d', timeFormat: '%H:%M %z' })).toBe(
      '2026-03-05 19:37 +0530 INFO     [APP] hello n=1\n',
    );
  });

  it('is cached per second but still shows each millisecond when asked', () => {
    const out = lineOf({ timeFormat: '%S.%L', dateFormat: '%d' }, {}, (l) => {
      l.info('a');
      vi.setSystemTime(new Date(NOW.getTime() + 5));
      l.info('b');
      vi.setSystemTime(new Date(NOW.getTime() + 1005));
      l.info('c');
    });
    expect(out.split('\n').map((x) => x.slice(0, 9))).toEqual(['05 09.042', '05 09.047', '05 10.047', '']);
  });
});

describe('template, loggerNameFormat, messageFormat', () => {
  it('uses every placeholder', () => {
    const out = lineOf(
      {
        template:
          '{date}|{time}|{level}|{layer}|{name}|{message}|{fields}|{pid}|{hostname}|{caller}|{timestamp}|{{x}}',
      },
      { includeCaller: false },
    );
    const [date, time, level, layer, name, message, fields, pid, host, caller, ts, lit] = out
      .trimEnd()
      .split('|');
    expect({ date, time, level, layer, name, message, fields, pid, caller, ts, lit }).toEqual({
      date: '2026-03-05',
      time: '14:07:09.042',
      level: 'INFO    ',
      layer: 'APP',
      name: '[APP]',
      message: 'hello',
      fields: ' n=1',
      pid: String(process.pid),
      caller: '',
      ts: '2026-03-05 14:07:09.042',
      lit: '{x}',
    });
    expect(host).not.toBe('');
  });

  it('the default template through the custom path equals the built-in line', () => {
    const plain = lineOf({});
    expect(lineOf({ template: '{timestamp} {level} {name}{caller} {message}{fields}' })).toBe(plain);
  });

  it('loggerNameFormat and messageFormat', () => {
    expect(
      lineOf(
        {},
        {
          dateFormat: '%Y-%m-%d',
          timeFormat: '%H:%M:%S',
          loggerNameFormat: '<{name}>',
          messageFormat: '{level}: {message}',
        },
      ),
    ).toBe('2026-03-05 14:07:09 INFO     <APP> INFO: hello n=1\n');
  });

  it('escapes user data inside custom templates too', () => {
    const out = lineOf({ template: '{layer} {message}' }, {}, (l) => l.info('A\nB', 'x\r\ny\x1b[2J'));
    expect(out).toBe('A\\nB x\\r\\ny\\x1b[2J\n');
  });

  it('constructor options override the environment, which overrides the file', () => {
    const env = {
      HYDRA_LOG_DATE_FORMAT: '%d.%m.%Y',
      HYDRA_LOG_TIME_FORMAT: '%H:%M',
      HYDRA_LOG_MESSAGE_FORMAT: '>> {message}',
    };
    expect(lineOf({}, { env })).toBe('05.03.2026 14:07 INFO     [APP] >> hello n=1\n');
    expect(lineOf({}, { env, timeFormat: '%Hh' })).toBe('05.03.2026 14h INFO     [APP] >> hello n=1\n');
    expect(lineOf({ timeFormat: '%M' }, { env: { ...env, HYDRA_LOG_LOGGER_NAME_FORMAT: '{name}:' } })).toBe(
      '05.03.2026 07 INFO     APP: >> hello n=1\n',
    );
  });

  it('json, syslog and the other machine formats keep ISO timestamps', () => {
    const out = lineOf({ format: 'json', dateFormat: '%d', timeFormat: '%H' });
    expect(JSON.parse(out).timestamp).toBe('2026-03-05T14:07:09.042Z');
  });
});

describe('colours from config and environment', () => {
  it('HYDRA_LOG_COLOR_<LEVEL> sets a level colour', () => {
    const out = lineOf({ colorMode: 'always' }, { env: { HYDRA_LOG_COLOR_INFO: 'magenta' } });
    expect(out).toContain('\x1b[35mINFO    \x1b[0m');
  });

  it("a destination's levelColors win over the top-level ones", () => {
    const out = lineOf(
      { colorMode: 'always', levelColors: { info: 'blue' } },
      { config: { levelColors: { INFO: 'magenta' } } },
    );
    expect(out).toContain('\x1b[34mINFO    \x1b[0m');
  });

  it("a layer's color colours its name", () => {
    const lines: string[] = [];
    const logger = new HydraLogger({
      env: {},
      config: {
        layers: {
          AUTH: {
            color: 'brightRed',
            destinations: [
              {
                type: 'stream',
                format: 'plain-text',
                colorMode: 'always',
                stream: (l: string) => lines.push(l),
              },
            ],
          },
        },
      },
    });
    logger.info('AUTH', 'x');
    expect(lines[0]).toContain('\x1b[91m[AUTH]\x1b[0m');
  });

  it('a file destination never gets colour from auto, even with FORCE_COLOR', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-col-'));
    const file = path.join(dir, 'a.log');
    const logger = new HydraLogger({
      env: { FORCE_COLOR: '1' },
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'file', path: file, format: 'plain-text', colorMode: 'auto' }] },
        },
      },
    });
    logger.info('x');
    await logger.close();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('\x1b');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('validation of formatting options', () => {
  const issues = (config: unknown) => {
    try {
      new HydraLogger({ config: config as never, env: {} });
    } catch (err) {
      return (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    return [];
  };

  it('names unknown strftime directives and template placeholders with their paths', () => {
    expect(
      issues({
        dateFormat: '%Q',
        layers: {
          A: { destinations: [{ type: 'console', template: '{when} {message}', messageFormat: '{fields}' }] },
        },
      }),
    ).toEqual([
      'dateFormat: unknown directive %Q (known: %Y %y %m %d %e %H %I %M %S %f %L %z %Z %j %a %A %b %B %p %%)',
      'layers.A.destinations[0].template: unknown placeholder {when} (known: {timestamp} {date} {time} {level} {layer} {name} {message} {fields} {pid} {hostname} {caller})',
      'layers.A.destinations[0].messageFormat: unknown placeholder {fields} (known: {message} {level} {name} {layer})',
    ]);
  });

  it('rejects unknown colour names (no silent fallback)', () => {
    expect(issues({ levelColors: { INFO: 'toString' }, layers: { A: { color: 'pink' } } })[0]).toMatch(
      /^levelColors\.INFO: expected a colour \(black, red/,
    );
    expect(issues({ layers: { A: { color: 'pink' } } })[0]).toMatch(/^layers\.A\.color: expected a colour/);
  });

  it.each([
    ['HYDRA_LOG_DATE_FORMAT', '%Q', /HYDRA_LOG_DATE_FORMAT="%Q" is not valid: expected a strftime format/],
    [
      'HYDRA_LOG_MESSAGE_FORMAT',
      '{msg}',
      /HYDRA_LOG_MESSAGE_FORMAT="\{msg\}" is not valid: expected a template using \{message\}/,
    ],
    [
      'HYDRA_LOG_COLOR_ERROR',
      'rouge',
      /HYDRA_LOG_COLOR_ERROR="rouge" is not valid: expected a colour: black, red/,
    ],
  ])('an invalid %s names the variable', (variable, value, message) => {
    expect(() => new HydraLogger({ env: { [variable]: value } })).toThrow(EnvironmentError);
    expect(() => new HydraLogger({ env: { [variable]: value } })).toThrow(message);
  });
});
