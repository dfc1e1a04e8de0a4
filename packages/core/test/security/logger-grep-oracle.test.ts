/**
 * S4 and S5 of SECURITY.md through the public logger API: a corpus of secrets in every shape
 * (fixtures/secret-corpus.ts) is logged through the message, fields, `child()` bindings,
 * `runWithContext` context, Error arguments, layer loggers and `security()`/`audit()`/
 * `compliance()`, in every format, to every destination type that produces output (files in
 * sync and buffered mode, console stdout/stderr through the fs port, a Writable, a line function,
 * memory). No secret substring may appear in any byte written, and the caller's objects must be
 * exactly as they were. The same corpus logged with redaction switched off shows every secret:
 * the oracle can fail, and the switch works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, HydraLogger, type HydraLoggerOptions } from '../../src/index.js';
import {
  type Corpus,
  deepFreeze,
  fingerprint,
  keyValue,
  leaks,
  luhn,
  makeCorpus,
  NEVER_WRITTEN,
  S,
  secrets,
} from './fixtures/secret-corpus.js';
import { allSinks, removeDir, tempDir } from './fixtures/sinks.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

/** Every way a record can carry caller data. */
function logEverything(logger: HydraLogger, c: Corpus): void {
  logger.info(c.message, c.fields);
  logger.info('AUTH', c.message, c.fields);
  logger.warn(c.fields, c.message);
  logger.error(c.error);
  logger.error('charge failed', c.error);
  logger.error(c.error, { request: c.fields.headers });
  logger.layer('PAYMENTS').info(c.message, c.fields);
  logger.layer('PAYMENTS').warn(c.error);
  const child = logger.child(c.bindings);
  child.info('child record', { ok: true });
  child.child({ token: keyValue(0), note: `mail ${S.email}` }).warn(c.message, c.fields);
  child.layer('CHILD').info('child layer record');
  logger.runWithContext(c.context, () => {
    logger.info('in context');
    child.info(c.message, c.fields);
    logger.runWithContext({ nested: { Authorization: `Bearer ${S.bearer}` } }, () =>
      logger.info('nested context'),
    );
  });
  logKinds(logger, c);
}

/** `security()`, `audit()`, `compliance()` in their call shapes (and on a child), and the security layers. */
function logKinds(logger: HydraLogger, c: Corpus): void {
  logger.security(c.message, c.fields);
  logger.audit(c.message, c.fields);
  logger.compliance(c.message, c.fields);
  logger.security('AUTH', c.message, c.fields);
  logger.audit(c.fields, c.message);
  logger.compliance(c.error);
  const child = logger.child(c.bindings);
  child.audit('child audit', { ok: true });
  logger.runWithContext(c.context, () => child.security(c.message, c.fields));
  // The security layers themselves, through ordinary level methods.
  logger.info('AUDIT', c.message, c.fields);
  logger.warn('SECURITY', c.message, c.fields);
  logger.layer('COMPLIANCE').info(c.message, c.fields);
}

/** Ordinary records only: message, fields, bindings, context. */
function logOrdinary(logger: HydraLogger, c: Corpus): void {
  logger.info(c.message, c.fields);
  logger.child(c.bindings).info('child');
  logger.runWithContext(c.context, () => logger.info('ctx'));
}

interface Run {
  /** format → sink → every byte the sink received. */
  outputs: Record<string, Record<string, string>>;
  /** The corpus logged by each logger, and its fingerprint taken just before logging. */
  corpora: { corpus: Corpus; before: string }[];
}

/**
 * Logs with `log` to one logger per format, each with one sink of every type; checks that every
 * sink received every record (one line each, plus the CSV header on file and console sinks).
 */
async function run(
  log: (logger: HydraLogger, c: Corpus) => void,
  options: HydraLoggerOptions = {},
  corpus: () => Corpus = makeCorpus,
): Promise<Run> {
  const outputs: Run['outputs'] = {};
  const corpora: Run['corpora'] = [];
  for (const format of FORMAT_NAMES) {
    const sinks = allSinks(dir, format);
    const logger = new HydraLogger({
      ...options,
      fs: sinks.fs,
      config: { layers: { DEFAULT: { level: 'TRACE', destinations: sinks.destinations } } },
    });
    const c = corpus();
    corpora.push({ corpus: c, before: fingerprint(c) });
    log(logger, c);
    const m = logger.getPerformanceMetrics();
    expect(m.totalLogs).toBeGreaterThan(0);
    expect(m.processorErrors).toBe(0);
    expect(m.dropped).toEqual({});
    await logger.close();
    outputs[format] = sinks.read(logger);
    for (const [sink, text] of Object.entries(outputs[format] ?? {})) {
      const header = format === 'csv' && (sink.startsWith('file') || sink.startsWith('console')) ? 1 : 0;
      expect(lineCount(text), `${format} → ${sink}: one line per record`).toBe(m.totalLogs + header);
    }
  }
  return { outputs, corpora };
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - 1;
}

/** Asserts no probe in any output; returns how many outputs were checked. */
function expectNoLeak(outputs: Run['outputs']): number {
  let n = 0;
  for (const [format, sinks] of Object.entries(outputs))
    for (const [sink, text] of Object.entries(sinks)) {
      expect(leaks(text), `${format} → ${sink}`).toEqual([]);
      n++;
    }
  return n;
}

/** Asserts every secret the logger writes is in every output (unredacted). */
function expectEverySecret(outputs: Run['outputs']): void {
  const expected = secrets().filter((p) => !NEVER_WRITTEN.includes(p));
  for (const [format, sinks] of Object.entries(outputs))
    for (const [sink, text] of Object.entries(sinks)) {
      const found = leaks(text);
      expect(
        expected.filter((p) => !found.includes(p)),
        `${format} → ${sink}: secrets missing from unredacted output`,
      ).toEqual([]);
    }
}

describe('the corpus', () => {
  it('holds Luhn-valid cards (else the card pattern would rightly keep them)', () => {
    for (const card of [S.cardSpaced, S.cardDashed, S.cardCompact, String(S.cardAsNumber)])
      expect(luhn(card.replace(/\D/g, ''))).toBe(true);
    expect(Number.isSafeInteger(S.cardAsNumber)).toBe(true);
  });
});

describe('grep oracle through the logger (S4)', () => {
  it('with redaction off, every secret reaches every format and destination: the oracle can fail', async () => {
    const { outputs } = await run(logOrdinary, { enableSanitization: false });
    expectEverySecret(outputs);
  });

  it('by default, no secret substring in any byte of any format to any destination', async () => {
    const { outputs } = await run(logEverything);
    expect(expectNoLeak(outputs)).toBe(FORMAT_NAMES.length * 7);
    // Redacted, not emptied: the placeholder of each mechanism is there.
    const json = outputs.json?.memory ?? '';
    for (const placeholder of [
      '[REDACTED]',
      '[REDACTED_EMAIL]',
      '[REDACTED_CREDIT_CARD]',
      '[REDACTED_SSN]',
      '[REDACTED_PHONE]',
      '[REDACTED_JWT]',
      '[REDACTED_AWS_KEY]',
      '[REDACTED_PRIVATE_KEY]',
      'Bearer [REDACTED]',
      'Basic [REDACTED]',
      'postgres://[REDACTED]@',
      'password=[REDACTED]',
    ])
      expect(json).toContain(placeholder);
  });

  it('security(), audit(), compliance() and the SECURITY/AUDIT/COMPLIANCE layers are redacted with enableSanitization: false', async () => {
    expectNoLeak((await run(logKinds, { enableSanitization: false })).outputs);
  });

  it('HYDRA_LOG_REDACT_SENSITIVE=false turns redaction off for ordinary records only', async () => {
    const env = { HYDRA_LOG_REDACT_SENSITIVE: 'false' };
    expectEverySecret((await run(logOrdinary, { env })).outputs);
    expectNoLeak((await run(logKinds, { env })).outputs);
  });

  it('the enableSanitization option wins over HYDRA_LOG_REDACT_SENSITIVE=false', async () => {
    expectNoLeak(
      (await run(logEverything, { env: { HYDRA_LOG_REDACT_SENSITIVE: 'false' }, enableSanitization: true }))
        .outputs,
    );
  });

  it('a secret in a layer name (a two-string call whose first string is data) is redacted', async () => {
    const { outputs } = await run((logger) => {
      logger.info(`login by ${S.email}`, 'ok');
      logger.info(`token: ${S.pairToken}`, 'ok');
      logger.child({ a: 1 }).warn(`card ${S.cardSpaced}`, 'declined');
      logger.audit(`audit for ${S.email2}`, 'done');
    });
    expectNoLeak(outputs);
  });

  // The normalizer cuts long strings at a token boundary (cutPoint), so no secret is kept in half.
  it('with a small string limit, a secret cut by the limit is not kept in half', async () => {
    const { outputs } = await run(
      (logger) => {
        logger.info(`contact: ${S.email} now`);
        logger.info('m', { note: `card no. ${S.cardSpaced} ok` });
      },
      { limits: { maxStringLength: 30 } },
    );
    expectNoLeak(outputs);
  });
});

describe('caller objects are left unchanged (S5)', () => {
  for (const [name, options] of [
    ['by default', {}],
    ['with redaction off', { enableSanitization: false }],
    [
      'with threat tagging, pseudonymization and environment detection',
      { enableSecurity: true, pseudonymize: { fields: ['user', 'requestId'] }, detectEnvironment: true },
    ],
  ] as [string, HydraLoggerOptions][])
    it(`every corpus object is as it was before logging (${name}), in every format`, async () => {
      const { corpora } = await run(logEverything, options);
      for (const { corpus, before } of corpora) expect(fingerprint(corpus)).toBe(before);
    });

  it('a deeply frozen corpus logs without an error and is still redacted', async () => {
    const { outputs, corpora } = await run(logEverything, {}, () => deepFreeze(makeCorpus()));
    for (const { corpus } of corpora) expect(Object.isFrozen(corpus.fields.nested)).toBe(true);
    expectNoLeak(outputs);
  });
});
