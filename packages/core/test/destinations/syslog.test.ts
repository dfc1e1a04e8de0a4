/**
 * `{ type: 'syslog' }` through the public API against a real rsyslogd started by the test
 * (test/helpers/rsyslog-server.ts): every record read back field by field from what rsyslog parsed.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValidationError, HydraLogger } from '../../src/index.js';
import { type RsyslogRecord, type RsyslogServer, startRsyslog } from '../helpers/rsyslog-server.js';

let server: RsyslogServer;
beforeAll(async () => {
  server = await startRsyslog({ tls: true });
});
afterAll(async () => {
  await server?.dispose();
});

let seq = 0;
const unique = (what: string) => `${what}-${process.pid}-${++seq}`;
const FAST = { batch: { maxDelayMs: 5 } };

function logger(d: Record<string, unknown>, layer = 'APP') {
  const log = new HydraLogger({
    config: {
      layers: { [layer]: { destinations: [{ type: 'syslog', name: 'out', ...FAST, ...d } as never] } },
    },
  });
  const errors: Error[] = [];
  log.on('error', (e: Error) => errors.push(e));
  const stats = () => log.getPerformanceMetrics().destinations.out;
  return { log, errors, stats };
}

const mine = (rs: RsyslogRecord[], id: string) =>
  rs.filter((r) => r.msg.replace('\ufeff', '').startsWith(id));
const received = (id: string, n: number) =>
  server.waitFor((rs) => mine(rs, id).length >= n, 30_000, `${n} × ${id}`).then((rs) => mine(rs, id));

const PROTOCOLS: [string, () => Record<string, unknown>][] = [
  ['udp', () => ({ port: server.ports.udp })],
  ['udp (default protocol)', () => ({ port: server.ports.udp, protocol: undefined })],
  ['tcp (octet-counting)', () => ({ port: server.ports.tcp, protocol: 'tcp' })],
  ['tcp (lf)', () => ({ port: server.ports.tcp, protocol: 'tcp', framing: 'lf' })],
  ['tls', () => ({ port: server.ports.tls, protocol: 'tls', tls: { ca: server.certs?.ca } })],
  [
    'tls (servername localhost, client options in snake_case)',
    () => ({
      host: 'localhost',
      port: server.ports.tls,
      protocol: 'tls',
      tls: { ca: server.certs?.ca, servername: 'localhost', reject_unauthorized: true },
    }),
  ],
];

describe.each(PROTOCOLS)('syslog destination over %s', (_name, opts) => {
  it('delivers each record with PRI, timestamp, host, app, pid, layer as MSGID, fields as SD and the message', async () => {
    const { log, stats, errors } = logger({ host: '127.0.0.1', ...opts() });
    const id = unique('api');
    const t0 = Date.now();
    log.info('APP', `${id} started`, { user: 'Jo "J" \\ Smith]', n: 42 });
    log.warn('APP', `${id} careful`);
    log.error('APP', `${id} déjà vu`, { code: 'E1' });
    log.debug('APP', `${id} not at this level`);
    await log.flush();
    const rs = await received(id, 3);
    expect(
      rs.map((r) => [r.pri, r.facility, r.severity, r.hostname, r.appname, r.procid, r.msgid, r.sd, r.msg]),
    ).toEqual([
      [
        '14',
        '1',
        '6',
        os.hostname(),
        expect.any(String),
        String(process.pid),
        'APP',
        '[hydra@32473 user="Jo \\"J\\" \\\\ Smith\\]" n="42"]',
        `${id} started`,
      ],
      ['12', '1', '4', os.hostname(), expect.any(String), String(process.pid), 'APP', '-', `${id} careful`],
      [
        '11',
        '1',
        '3',
        os.hostname(),
        expect.any(String),
        String(process.pid),
        'APP',
        '[hydra@32473 code="E1"]',
        `\ufeff${id} déjà vu`,
      ],
    ]);
    for (const r of rs) expect(Math.abs(Date.parse(r.timestamp) - t0)).toBeLessThan(60_000);
    expect(stats()).toMatchObject({
      type: 'syslog',
      produced: 3,
      delivered: 3,
      pending: 0,
      dropped: {},
      health: 'UP',
    });
    expect(errors).toEqual([]);
    await log.close();
  });
});

describe('syslog destination options', () => {
  it('appName, hostname, facility and rfc 3164 reach the server', async () => {
    const { log } = logger({
      port: server.ports.tcp,
      protocol: 'tcp',
      appName: 'billing',
      hostname: 'node-7',
      facility: 16,
      rfc: '3164',
    });
    const id = unique('opts');
    log.critical('APP', `${id} down`, { region: 'eu' });
    await log.flush();
    const rs = await server.waitFor((all) => all.some((x) => x.msg.includes(id)), 30_000, id);
    const [r] = rs.filter((x) => x.msg.includes(id));
    expect(r).toMatchObject({
      pri: String(16 * 8 + 2),
      facility: '16',
      severity: '2',
      hostname: 'node-7',
      appname: 'billing',
      procid: String(process.pid),
      msg: ` [APP] ${id} down region=eu`,
    });
    await log.close();
  });

  it('refuses bad options naming the field and what was expected', () => {
    const bad = (d: Record<string, unknown>) => {
      try {
        logger(d).log.close();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ protocol: 'http' })).toMatch(
      /layers\.APP\.destinations\[0\]\.protocol.*"udp", "tcp", "tls"/,
    );
    expect(bad({ port: 70000 })).toMatch(/destinations\[0\]\.port.*port number from 1 to 65535/);
    expect(bad({ port: '514' })).toMatch(/destinations\[0\]\.port.*port number/);
    expect(bad({ host: '' })).toMatch(/destinations\[0\]\.host.*host name or IP address/);
    expect(bad({ framing: 'nul', protocol: 'tcp' })).toMatch(/framing.*"octet-counting", "lf"/);
    expect(bad({ framing: 'lf' })).toMatch(/framing.*only with protocol "tcp" or "tls"/);
    expect(bad({ protocol: 'tcp', tls: { ca: 'x' } })).toMatch(/tls.*only with protocol "tls"/);
    expect(bad({ protocol: 'tls', tls: { rejectUnauthorized: 'no' } })).toMatch(
      /tls\.rejectUnauthorized.*true or false/,
    );
    expect(bad({ format: 'json' })).toMatch(/format.*sends the syslog format/);
    expect(bad({ facility: 24 })).toMatch(/facility.*0 to 23/);
    expect(bad({ rfc: '5425' })).toMatch(/rfc.*"5424", "3164"/);
    expect(bad({ chunkSize: 100 })).toMatch(/chunkSize.*only "gelf"/);
  });

  it('refuses an untrusted certificate by default: nothing delivered, the error reported, drops counted', async () => {
    const { log, errors, stats } = logger({
      port: server.ports.tls,
      protocol: 'tls',
      retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 },
    });
    const id = unique('untrusted');
    log.info('APP', `${id} a`);
    log.info('APP', `${id} b`);
    await log.flush();
    expect(stats()).toMatchObject({
      produced: 2,
      delivered: 0,
      pending: 0,
      dropped: { retries_exhausted: 2 },
    });
    expect(errors.map((e) => e.message).join('\n')).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    expect(mine(server.records(), id)).toEqual([]);
    await log.close();
  });

  it('UDP loss is invisible: to a port nobody listens on, every record counts as delivered', async () => {
    const { freePort } = await import('../helpers/rsyslog-server.js');
    const { log, stats } = logger({ port: await freePort('udp') });
    for (let i = 0; i < 20; i++) log.info('APP', `lost ${i}`);
    await log.flush();
    expect(stats()).toMatchObject({ produced: 20, delivered: 20, dropped: {}, health: 'UP' });
    await log.close();
  });
});
