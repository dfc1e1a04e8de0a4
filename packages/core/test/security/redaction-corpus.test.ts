/**
 * Recall and false-positive rate of default redaction, measured through the public logger API on
 * a generated corpus (fixtures/redaction-corpus.ts, fixed seed): every secret is logged in one
 * place (message, field, nested object, array, object key, Error message, Error cause, child
 * bindings, context) to one logger writing every format to memory and JSON to a file; the bytes
 * written are searched for each secret's probes and for each benign string.
 *
 * Recall = secrets none of whose probes appear in an output; false-positive rate = benign strings
 * not found verbatim in an output. The same corpus logged with redaction off shows every probe
 * and every benign string: the measurement can fail. docs/security.md publishes the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, HydraLogger, type HydraLoggerOptions } from '../../src/index.js';
import { makeRedactionCorpus, type Secret } from './fixtures/redaction-corpus.js';
import { removeDir, tempDir } from './fixtures/sinks.js';

const SEED = 0x5eed_2026;
const corpus = makeRedactionCorpus(SEED);

/** The bound asserted on the false-positive rate (and published): none. */
const FP_BOUND = 0;

let dir: string;
beforeAll(() => {
  dir = tempDir('hydra-corpus-');
});
afterAll(() => removeDir(dir));

const KEYABLE = /^[\w.-]{1,32}$/;

function logSecret(logger: HydraLogger, s: Secret): void {
  const value: unknown = s.url === true ? new URL(s.text) : s.text;
  const structured = s.key !== undefined || s.url === true;
  const wrap = (v: unknown): Record<string, unknown> => (s.key !== undefined ? { [s.key]: v } : { value: v });
  switch (s.placement) {
    case 'message':
      if (s.key !== undefined) logger.info('record', wrap(value));
      else logger.info(`event ${s.text} done`);
      return;
    case 'nested':
      logger.info('record', { a: { b: { c: s.key !== undefined ? wrap(value) : value } } });
      return;
    case 'array':
      logger.info('record', { list: ['x', s.key !== undefined ? wrap(value) : value, 'y'] });
      return;
    case 'key':
      if (!structured && KEYABLE.test(s.text)) logger.info('record', { [s.text]: 'v' });
      else logger.info('record', s.key !== undefined ? wrap(value) : { note: value });
      return;
    case 'error': {
      const e = structured
        ? Object.assign(new Error('request failed'), wrap(value))
        : new Error(`failed with ${s.text}`);
      logger.error(e);
      return;
    }
    case 'cause': {
      const cause = structured ? wrap(value) : new Error(`inner ${s.text}`);
      logger.error('outer failure', new Error('outer', { cause }));
      return;
    }
    case 'bindings':
      logger.child(s.key !== undefined ? wrap(value) : { ctx: value }).info('child record');
      return;
    case 'context':
      logger.runWithContext(s.key !== undefined ? wrap(value) : { ctx: value }, () =>
        logger.info('in context'),
      );
      return;
    default:
      logger.info('record', s.key !== undefined ? wrap(value) : { note: value });
  }
}

/** Ten benign strings per record, in the same places secrets go. */
function logBenign(logger: HydraLogger, b: readonly string[]): void {
  for (let i = 0; i < b.length; i += 10) {
    const x = (k: number): string => b[Math.min(i + k, b.length - 1)] as string;
    const k6 = x(6);
    logger.info(`seen ${x(0)} and ${x(1)}`, {
      f0: x(2),
      nested: { f1: x(3) },
      list: [x(4), x(5)],
      ...(KEYABLE.test(k6) ? { [k6]: 'key' } : { f6: k6 }),
      err: new Error(`benign ${x(7)}`),
    });
    logger.child({ b: x(8) }).runWithContext({ c: x(9) }, () => {});
    logger.child({ b: x(8) }).info('child');
    logger.runWithContext({ c: x(9) }, () => logger.info('ctx'));
  }
}

interface Outputs {
  [sink: string]: string;
}

async function logCorpus(options: HydraLoggerOptions, name: string): Promise<Outputs> {
  const file = path.join(dir, `${name}.log`);
  const logger = new HydraLogger({
    ...options,
    config: {
      layers: {
        DEFAULT: {
          level: 'TRACE',
          destinations: [
            { type: 'file', path: file, format: 'json', name: 'file-json' },
            ...FORMAT_NAMES.map((format) => ({
              type: 'memory' as const,
              format,
              name: format,
              colorMode: 'never' as const,
            })),
          ],
        },
      },
    },
  });
  for (const s of corpus.secrets) logSecret(logger, s);
  logBenign(logger, corpus.benign);
  const m = logger.getPerformanceMetrics();
  expect(m.dropped).toEqual({});
  expect(m.processorErrors).toBe(0);
  const outputs: Outputs = {};
  for (const format of FORMAT_NAMES) outputs[format] = (logger.memory(format)?.lines() ?? []).join('\n');
  await logger.close();
  outputs['file-json'] = fs.readFileSync(file, 'utf8');
  return outputs;
}

const leaked = (s: Secret, text: string): boolean => s.probes.some((p) => text.includes(p));

interface Measure {
  recall: number;
  fpRate: number;
  leaks: string[];
  altered: string[];
}

function measure(text: string): Measure {
  const leaks = corpus.secrets
    .filter((s) => leaked(s, text))
    .map((s) => `${s.kind} (${s.placement}): ${s.text}`);
  const altered = corpus.benign.filter((b) => !text.includes(b));
  return {
    recall: 1 - leaks.length / corpus.secrets.length,
    fpRate: altered.length / corpus.benign.length,
    leaks,
    altered,
  };
}

describe('the redaction corpus', () => {
  it('holds at least 200 secrets of every kind and 1,000 benign strings, all distinct', () => {
    expect(corpus.secrets.length).toBeGreaterThanOrEqual(200);
    expect(corpus.benign.length).toBeGreaterThanOrEqual(1000);
    const kinds = new Set(corpus.secrets.map((s) => s.kind));
    for (const kind of [
      'github_token',
      'slack_token',
      'slack_webhook',
      'stripe_key',
      'google_api_key',
      'npm_token',
      'openai_key',
      'sendgrid_key',
      'aws_key_and_secret',
      'aws_secret_by_key',
      'iban',
      'digest_response',
      'credit_card',
      'url_query',
      'sensitive_key',
      'email',
      'jwt',
      'private_key',
      'url_credentials',
      'secret_pair',
      'ssn',
      'phone',
      'bearer',
      'basic',
      'cookie_header',
      'aws_access_key',
    ])
      expect(kinds).toContain(kind);
    expect(new Set(corpus.secrets.map((s) => s.text)).size).toBe(corpus.secrets.length);
    // Same seed, same corpus.
    expect(makeRedactionCorpus(SEED)).toEqual(corpus);
  });

  it('with redaction off, every probe and every benign string reaches every output (the measurement can fail)', async () => {
    const outputs = await logCorpus({ enableSanitization: false }, 'off');
    for (const [sink, text] of Object.entries(outputs)) {
      const m = measure(text);
      expect(m.leaks.length, `${sink}: secrets visible unredacted`).toBe(corpus.secrets.length);
      expect(m.altered, `${sink}: benign strings written as they are`).toEqual([]);
    }
  });
});

describe('default redaction on the corpus', () => {
  let outputs: Outputs;
  beforeAll(async () => {
    outputs = await logCorpus({}, 'on');
  });

  it('writes every output (every format to memory, JSON to a file)', () => {
    expect(Object.keys(outputs).sort()).toEqual([...FORMAT_NAMES, 'file-json'].sort());
    for (const text of Object.values(outputs)) expect(text.length).toBeGreaterThan(0);
  });

  for (const sink of [...FORMAT_NAMES, 'file-json']) {
    it(`${sink}: recall 100 % (no probe of any secret in the bytes written)`, () => {
      const m = measure(outputs[sink] as string);
      expect(m.leaks).toEqual([]);
      expect(m.recall).toBe(1);
    });

    it(`${sink}: false-positive rate ≤ ${FP_BOUND} (every benign string written verbatim)`, () => {
      const m = measure(outputs[sink] as string);
      expect(m.altered).toEqual([]);
      expect(m.fpRate).toBeLessThanOrEqual(FP_BOUND);
    });
  }
});
