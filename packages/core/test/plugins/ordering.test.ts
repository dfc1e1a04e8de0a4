import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AnalyticsPlugin,
  FormatterPlugin,
  HandlerPlugin,
  HydraLogger,
  type LogRecord,
  PerformancePlugin,
  type PluginHandler,
  registerPlugin,
  SecurityPlugin,
  type SecurityVerdict,
  verifyAuditChain,
} from '../../src/index.js';
import { clearPlugins } from '../../src/plugins/registry.js';
import { pluginLogger, tempDir } from './helpers.js';

afterEach(() => clearPlugins());
const dir = tempDir('hydra-plugin-order-');

const SECRETS = ['hunter2', 'user@example.com', 'tok_live_abc123', 'sk-abcdefghijklmnopqrstuvwxyz123456'];

describe('where plugins sit in the pipeline', () => {
  it('every hook sees records after redaction: no plugin ever sees a raw secret', async () => {
    const seen: string[] = [];
    const keep = (label: string, v: unknown) => seen.push(`${label} ${JSON.stringify(v)}`);
    class Spy extends AnalyticsPlugin {
      processEvent(r: LogRecord) {
        keep('analytics', r);
        return r;
      }
    }
    class Inspector extends SecurityPlugin {
      inspect(r: Readonly<LogRecord>): SecurityVerdict {
        keep('security', r);
        return this.allow();
      }
    }
    class Fmt extends FormatterPlugin {
      readonly formatName = 'spy';
      format(r: LogRecord) {
        keep('formatter', r);
        return JSON.stringify(r.fields);
      }
    }
    class Sink extends HandlerPlugin {
      readonly destinationType = 'spy-sink';
      createHandler(): PluginHandler {
        return { emit: (line, r) => keep('handler', { line, r }) };
      }
    }
    class Perf extends PerformancePlugin {
      override readonly sampleEvery = 1;
      override onRecord(r: LogRecord) {
        keep('performance', r);
      }
    }
    for (const [name, cls] of [
      ['spy', Spy],
      ['inspector', Inspector],
      ['fmt', Fmt],
      ['sink', Sink],
      ['perf', Perf],
    ] as const)
      registerPlugin(name, cls);
    const logger = new HydraLogger({
      config: {
        plugins: ['spy', 'inspector', 'fmt', 'sink', 'perf'].map((name) => ({ name })),
        layers: { DEFAULT: { destinations: [{ type: 'spy-sink' }, { type: 'memory', format: 'spy' }] } },
      },
    });
    const child = logger.child({ token: 'tok_live_abc123' });
    child.info('login by user@example.com', {
      password: 'hunter2',
      nested: { apiKey: 'sk-abcdefghijklmnopqrstuvwxyz123456' },
    });
    await logger.close();
    const labels = new Set(seen.map((s) => s.split(' ')[0]));
    expect([...labels].sort()).toEqual(['analytics', 'formatter', 'handler', 'performance', 'security']);
    for (const line of seen) for (const secret of SECRETS) expect(line).not.toContain(secret);
    expect(seen.join('\n')).toContain('[REDACTED]');
  });

  it('security plugins run before analytics plugins; config plugins before added ones, each in order', () => {
    const order: string[] = [];
    const analytics = (name: string) => ({
      processEvent(r: LogRecord) {
        order.push(name);
        return r;
      },
    });
    const security = (name: string) => ({
      inspect(): SecurityVerdict {
        order.push(name);
        return { action: 'allow' };
      },
    });
    registerPlugin(
      'cfg-analytics',
      class {
        processEvent = analytics('cfg-analytics').processEvent;
      },
      'analytics',
    );
    registerPlugin(
      'cfg-security',
      class {
        inspect = security('cfg-security').inspect;
      },
      'security',
    );
    const { logger } = pluginLogger({ plugins: [{ name: 'cfg-analytics' }, { name: 'cfg-security' }] });
    logger.addPlugin('added-analytics-1', analytics('added-analytics-1'));
    logger.addPlugin('added-security', security('added-security'));
    logger.addPlugin('added-analytics-2', analytics('added-analytics-2'));
    logger.info('x');
    expect(order).toEqual([
      'cfg-security',
      'added-security',
      'cfg-analytics',
      'added-analytics-1',
      'added-analytics-2',
    ]);
  });

  it('a security plugin redaction is visible to the analytics plugins after it', () => {
    const { logger, records } = pluginLogger();
    let analyticsSaw: unknown;
    logger.addPlugin('analytics', {
      processEvent(r: LogRecord) {
        analyticsSaw = r.fields?.iban;
        return r;
      },
    });
    logger.addPlugin('iban', {
      inspect: (): SecurityVerdict => ({ action: 'redact', paths: ['fields.iban'] }),
    });
    logger.info('transfer', { iban: 'DE89370400440532013000' });
    expect(analyticsSaw).toBe('[REDACTED]');
    expect(records()[0]).toMatchObject({ iban: '[REDACTED]' });
  });

  it('plugins run before the audit chain: an AUDIT record enriched by a plugin still verifies; audit() records cannot be dropped', async () => {
    const file = path.join(dir, 'audit.log');
    const logger = new HydraLogger({
      config: { layers: { AUDIT: { destinations: [{ type: 'file', path: file, format: 'json' }] } } },
    });
    logger.addPlugin('enrich', {
      processEvent: (r: LogRecord) => ({
        ...r,
        layer: 'ELSEWHERE',
        fields: { ...r.fields, tenant: 'acme', reviewed: true },
      }),
    });
    const errors: string[] = [];
    logger.on('pluginError', (e) => errors.push(e.message));
    logger.addPlugin('audit-filter', {
      inspect: (r: Readonly<LogRecord>): SecurityVerdict =>
        r.message.includes('heartbeat') ? { action: 'block' } : { action: 'allow' },
    });
    logger.audit('AUDIT', 'role changed', { actor: 'admin', password: 'hunter2' });
    logger.audit('AUDIT', 'heartbeat');
    logger.audit('AUDIT', 'user deleted', { actor: 'admin' });
    await logger.close();
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      {
        layer: 'AUDIT',
        message: 'role changed',
        tenant: 'acme',
        reviewed: true,
        password: '[REDACTED]',
        hash: expect.any(String),
      },
      { layer: 'AUDIT', message: 'heartbeat', tenant: 'acme', prevHash: lines[0].hash },
      { layer: 'AUDIT', message: 'user deleted', tenant: 'acme', reviewed: true, prevHash: lines[1].hash },
    ]);
    expect(await verifyAuditChain(file)).toEqual({ ok: true, records: 3, lastHash: lines[2].hash });
    expect(errors).toEqual([
      'plugin "audit-filter" inspect() tried to drop a record of audit(); those are always written',
    ]);
  });
});
