import { afterEach, describe, expect, it } from 'vitest';
import { ConfigValidationError, HydraLogger } from '../../src/index.js';
import { Intake } from '../delivery/http-intake.js';

const logger = (d: Record<string, unknown>) =>
  new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'http', name: 'out', ...d } as never] } } },
  });

let intake: Intake | undefined;
afterEach(async () => {
  await intake?.kill();
  intake = undefined;
});

describe('http destination', () => {
  it('delivers every record as NDJSON in batches; the ledger adds up', async () => {
    intake = await new Intake().start();
    const log = logger({ url: intake.url, batch: { maxRecords: 10 } });
    for (let i = 0; i < 95; i++) log.info('hello', { seq: i });
    await log.flush();
    expect(intake.records.map((r) => r.seq)).toEqual([...Array(95).keys()]);
    expect(intake.records[0]).toMatchObject({ level: 'INFO', message: 'hello', seq: 0 });
    expect(intake.requests.length).toBe(10);
    expect(intake.requests[0]?.headers['content-type']).toBe('application/x-ndjson');
    expect(intake.requests[0]?.method).toBe('POST');
    const s = log.getPerformanceMetrics().destinations.out;
    expect(s).toMatchObject({
      type: 'http',
      records: 95,
      produced: 95,
      delivered: 95,
      pending: 0,
      health: 'UP',
    });
    await log.close();
  });

  it('json-array body, gzip, PUT and headers', async () => {
    intake = await new Intake().start();
    const log = logger({
      url: intake.url,
      body: 'json-array',
      compress: 'gzip',
      method: 'PUT',
      headers: { authorization: 'Bearer x' },
    });
    log.info('a', { seq: 1 });
    log.warn('b', { seq: 2 });
    await log.flush();
    const req = intake.requests[0];
    expect(req?.method).toBe('PUT');
    expect(req?.headers['content-encoding']).toBe('gzip');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.authorization).toBe('Bearer x');
    expect(req?.body.startsWith('[')).toBe(true);
    expect(intake.records.map((r) => r.seq)).toEqual([1, 2]);
    await log.close();
  });

  it('json-array of a text format sends each line as a JSON string', async () => {
    intake = await new Intake().start();
    const log = logger({ url: intake.url, body: 'json-array', format: 'logfmt' });
    log.info('a b');
    await log.flush();
    expect(typeof intake.records[0]).toBe('string');
    expect(String(intake.records[0])).toContain('a b');
    await log.close();
  });

  it('refuses bad options naming the field and what was expected; snake_case aliases work', () => {
    const bad = (d: Record<string, unknown>) => {
      try {
        logger(d);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ url: 'ftp://x' })).toMatch(
      /layers\.DEFAULT\.destinations\[0\]\.url.*http:\/\/ or https:\/\/ URL/,
    );
    expect(bad({})).toMatch(/destinations\[0\]\.url/);
    expect(bad({ url: 'http://x', method: 'GET' })).toMatch(/method.*"POST", "PUT"/);
    expect(bad({ url: 'http://x', body: 'xml' })).toMatch(/body.*"ndjson", "json-array"/);
    expect(bad({ url: 'http://x', batch: { maxRecord: 3 } })).toMatch(
      /batch\.maxRecord.*unknown key.*maxRecords/,
    );
    expect(bad({ url: 'http://x', retry: { maxAttempts: 0 } })).toMatch(
      /retry\.maxAttempts.*positive integer/,
    );
    expect(bad({ url: 'http://x', spool: {} })).toMatch(/spool\.dir.*required/);
    expect(bad({ url: 'http://x', headers: { a: 1 } })).toMatch(/headers\.a.*string/);
    expect(bad({ url: 'http://x', retry: { baseMs: 500, maxMs: 100 } })).toMatch(/retry\.maxMs.*at least/);
    expect(bad({ url: 'http://x', tls: { rejectUnauthorized: false } })).toMatch(/tls.*https/);
    const ok = logger({
      url: 'http://127.0.0.1:9/x',
      timeout_ms: 1000,
      max_queue_bytes: 1000,
      batch: { max_records: 5, max_delay_ms: 10 },
      retry: { max_attempts: 2, base_ms: 1, max_ms: 2 },
    });
    void ok.close({ timeoutMs: 1 });
  });

  it('refuses http keys on other types', () => {
    expect(
      () =>
        new HydraLogger({
          config: {
            layers: {
              DEFAULT: { destinations: [{ type: 'file', path: '/tmp/x', url: 'http://x' } as never] },
            },
          },
        }),
    ).toThrow(/url.*only "http"/);
  });
});
