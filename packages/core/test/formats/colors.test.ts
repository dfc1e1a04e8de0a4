import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANSI, DEFAULT_LEVEL_COLORS, layerColor, shouldColor } from '../../src/formats/colors.js';
import { resolveLevelColors } from '../../src/formats/level-colors.js';
import { FORMAT_NAMES, HydraLogger } from '../../src/index.js';
import { capture, freezeClock, only, restoreClock } from './capture.js';

const TTY = { isTTY: true };
const NOT_TTY = { isTTY: false };
/** A terminal Node gives 256 colours. */
const TERM = { TERM: 'xterm-256color' };
const ESC = '\x1b';
const DIM_TS = '\x1b[2m2026-11-26 21:49:12.563\x1b[0m';
const MAGENTA_APP = '\x1b[35m[APP]\x1b[0m';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('shouldColor', () => {
  it('colours with always, whatever the target and the environment', () => {
    expect(shouldColor('always', NOT_TTY, {})).toBe(true);
    expect(shouldColor('always', undefined, { NO_COLOR: '1', TERM: 'dumb' })).toBe(true);
  });

  it('never colours with never, even on a TTY with FORCE_COLOR', () => {
    expect(shouldColor('never', TTY, { ...TERM, FORCE_COLOR: '3' })).toBe(false);
  });

  it('colours auto on a TTY with a colour terminal', () => {
    expect(shouldColor('auto', TTY, TERM)).toBe(true);
  });

  for (const target of [undefined, NOT_TTY, {}] as const) {
    it(`does not colour auto off a TTY (target ${JSON.stringify(target)}) without FORCE_COLOR`, () => {
      expect(shouldColor('auto', target, TERM)).toBe(false);
    });
  }

  for (const force of ['1', '2', '3', 'true', ''] as const) {
    it(`colours auto off a TTY when FORCE_COLOR=${JSON.stringify(force)}`, () => {
      expect(shouldColor('auto', NOT_TTY, { FORCE_COLOR: force })).toBe(true);
      expect(shouldColor('auto', undefined, { FORCE_COLOR: force })).toBe(true);
    });
  }

  for (const force of ['0', 'false'] as const) {
    it(`does not colour auto when FORCE_COLOR=${force}, on a TTY or off it`, () => {
      expect(shouldColor('auto', NOT_TTY, { FORCE_COLOR: force })).toBe(false);
      expect(shouldColor('auto', TTY, { ...TERM, FORCE_COLOR: force })).toBe(false);
    });
  }

  for (const [name, env] of [
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['NODE_DISABLE_COLORS=1', { NODE_DISABLE_COLORS: '1' }],
    ['TERM=dumb', { TERM: 'dumb' }],
  ] as const) {
    it(`does not colour auto on a TTY when ${name}`, () => {
      expect(shouldColor('auto', TTY, { ...TERM, ...env })).toBe(false);
    });
  }

  it('reads a file descriptor as a target: a regular file is not a TTY', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-color-'));
    const fd = fs.openSync(path.join(dir, 'f'), 'w');
    try {
      expect(shouldColor('auto', fd, TERM)).toBe(false);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('level colours', () => {
  for (const [method, level, code] of [
    ['trace', 'TRACE   ', '\x1b[90m'],
    ['debug', 'DEBUG   ', '\x1b[36m'],
    ['info', 'INFO    ', '\x1b[32m'],
    ['warning', 'WARNING ', '\x1b[33m'],
    ['error', 'ERROR   ', '\x1b[31m'],
    ['critical', 'CRITICAL', '\x1b[1;91m'],
  ] as const) {
    it(`colours ${level.trim()} with ${JSON.stringify(code)} in plain-text and logfmt`, () => {
      const plain = capture({ format: 'plain-text', colorMode: 'always' });
      plain.logger[method]('APP', 'm', { k: 1 });
      expect(plain.lines).toEqual([`${DIM_TS} ${code}${level}\x1b[0m ${MAGENTA_APP} m k=1\n`]);
      const logfmt = capture({ format: 'logfmt', colorMode: 'always' });
      logfmt.logger[method]('APP', 'm', { k: 1 });
      expect(logfmt.lines).toEqual([
        `ts=2026-11-26T21:49:12.563Z level=${code}${level.trim().toLowerCase()}\x1b[0m layer=APP msg=m k=1\n`,
      ]);
    });
  }

  it('takes level colours from the destination config: names, raw sequences and level aliases', () => {
    // Level names are case-insensitive with aliases at run time; the type only lists canonical names.
    const levelColors: Record<string, string> = { INFO: 'magenta', warn: 'blue', ERROR: '\x1b[38;5;208m' };
    const { logger, lines } = capture({ format: 'plain-text', colorMode: 'always', levelColors });
    logger.info('APP', 'm');
    logger.warn('APP', 'm');
    logger.error('APP', 'm');
    logger.debug('APP', 'm');
    expect(lines).toEqual([
      `${DIM_TS} \x1b[35mINFO    \x1b[0m ${MAGENTA_APP} m\n`,
      `${DIM_TS} \x1b[34mWARNING \x1b[0m ${MAGENTA_APP} m\n`,
      `${DIM_TS} \x1b[38;5;208mERROR   \x1b[0m ${MAGENTA_APP} m\n`,
      `${DIM_TS} \x1b[36mDEBUG   \x1b[0m ${MAGENTA_APP} m\n`,
    ]);
  });

  it('takes the snake_case alias level_colors', () => {
    // Accepted by the config validator, not part of the TypeScript type.
    const snakeCase = { level_colors: { INFO: 'blue' } } as object;
    const { logger, lines } = capture({ format: 'logfmt', colorMode: 'always', ...snakeCase });
    logger.info('APP', 'm');
    expect(lines).toEqual(['ts=2026-11-26T21:49:12.563Z level=\x1b[34minfo\x1b[0m layer=APP msg=m\n']);
  });
});

describe('resolveLevelColors', () => {
  it('maps palette names to their sequences and keeps raw sequences', () => {
    const out = resolveLevelColors({ ...DEFAULT_LEVEL_COLORS, INFO: 'brightCyan', ERROR: '\x1b[4m' });
    expect(out.INFO).toBe(ANSI.brightCyan);
    expect(out.ERROR).toBe('\x1b[4m');
    expect(out.CRITICAL).toBe('\x1b[1;91m');
  });

  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'no-such-colour'] as const) {
    it(`writes no colour (not a function's source) for the unknown name ${name}`, () => {
      expect(resolveLevelColors({ ...DEFAULT_LEVEL_COLORS, INFO: name }).INFO).toBe('');
    });
  }
});

describe('layer colours', () => {
  it('gives a layer the same colour in two loggers', () => {
    const a = capture({ format: 'plain-text', colorMode: 'always' });
    const b = capture({ format: 'plain-text', colorMode: 'always' });
    a.logger.info('AUTH', 'm');
    b.logger.warn('AUTH', 'other');
    const code = (line: string) => /\x1b\[([0-9;]*)m\[AUTH\]/.exec(line)?.[1];
    expect(code(only(a.lines))).toBe('34');
    expect(code(only(b.lines))).toBe(code(only(a.lines)));
  });

  for (const [layer, color] of [
    ['APP', 'magenta'],
    ['AUTH', 'blue'],
    ['DB', 'brightGreen'],
    ['DEFAULT', 'yellow'],
  ] as const) {
    it(`colours layer ${layer} ${color}, in every run`, () => {
      expect(layerColor(layer)).toBe(ANSI[color]);
      const { logger, lines } = capture({ format: 'plain-text', colorMode: 'always' });
      logger.info(layer, 'm');
      expect(only(lines)).toContain(`${ANSI[color]}[${layer}]\x1b[0m`);
    });
  }
});

describe('colour modes through destinations', () => {
  it('writes no escape at all with colorMode never', () => {
    for (const format of ['plain-text', 'logfmt'] as const) {
      const { logger, lines } = capture({ format, colorMode: 'never' });
      logger.error('APP', 'm', { k: 'v' });
      expect(only(lines)).not.toContain(ESC);
    }
  });

  for (const format of FORMAT_NAMES.filter((f) => f !== 'plain-text' && f !== 'logfmt')) {
    it(`never colours ${format}, even with colorMode always`, () => {
      const { logger, lines } = capture({ format, colorMode: 'always', hostname: 'h', appName: 'a' });
      logger.critical('APP', 'm', { k: 'v' });
      expect(only(lines)).not.toContain(ESC);
    });
  }

  it('does not colour auto on a function stream (not a TTY)', () => {
    const { logger, lines } = capture({ format: 'plain-text', colorMode: 'auto' }, { env: TERM });
    logger.info('APP', 'm');
    expect(lines).toEqual(['2026-11-26 21:49:12.563 INFO     [APP] m\n']);
  });

  it('colours auto on a function stream when FORCE_COLOR=1', () => {
    const { logger, lines } = capture(
      { format: 'plain-text', colorMode: 'auto' },
      { env: { FORCE_COLOR: '1' } },
    );
    logger.info('APP', 'm');
    expect(lines).toEqual([`${DIM_TS} \x1b[32mINFO    \x1b[0m ${MAGENTA_APP} m\n`]);
  });

  it('does not colour auto when FORCE_COLOR=0', () => {
    const { logger, lines } = capture({ format: 'logfmt', colorMode: 'auto' }, { env: { FORCE_COLOR: '0' } });
    logger.info('APP', 'm');
    expect(only(lines)).not.toContain(ESC);
  });

  it('colours a Writable that says it is a TTY with auto, and honours NO_COLOR on it', async () => {
    const { PassThrough } = await import('node:stream');
    for (const [env, colored] of [
      [TERM, true],
      [{ ...TERM, NO_COLOR: '1' }, false],
    ] as const) {
      const tty = Object.assign(new PassThrough(), { isTTY: true });
      const chunks: string[] = [];
      tty.on('data', (c: Buffer) => chunks.push(c.toString()));
      const logger = new HydraLogger({
        env,
        config: {
          layers: { DEFAULT: { destinations: [{ type: 'stream', stream: tty, format: 'plain-text' }] } },
        },
      });
      logger.info('APP', 'm');
      await logger.close();
      expect(chunks.join('').includes(ESC)).toBe(colored);
    }
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-color-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const fileLines = async (colorMode: 'always' | undefined, env: NodeJS.ProcessEnv) => {
      const file = path.join(dir, `${colorMode ?? 'default'}.log`);
      const logger = new HydraLogger({
        env,
        config: {
          layers: {
            DEFAULT: {
              destinations: [
                { type: 'file', path: file, format: 'plain-text', ...(colorMode && { colorMode }) },
              ],
            },
          },
        },
      });
      logger.info('APP', 'm');
      await logger.close();
      return fs.readFileSync(file, 'utf8');
    };

    it('writes no colour to a file by default, even with FORCE_COLOR=1', async () => {
      expect(await fileLines(undefined, { FORCE_COLOR: '1' })).toBe(
        '2026-11-26 21:49:12.563 INFO     [APP] m\n',
      );
    });

    it('writes colour to a file with colorMode always', async () => {
      expect(await fileLines('always', {})).toBe(`${DIM_TS} \x1b[32mINFO    \x1b[0m ${MAGENTA_APP} m\n`);
    });
  });
});
