import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The published entry point `hydra-logger/http` (dist/http.js, built by `npm run build`): its own
 * bundle, which the core's bundle does not reach, and which shares the core's module instance.
 */
const run = promisify(execFile);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

describe('the hydra-logger/http entry point', () => {
  it('is a bundle of its own: the core bundle neither contains nor imports it', () => {
    const core = fs.readFileSync(path.join(dist, 'index.js'), 'utf8');
    expect(core).not.toContain('http.js');
    expect(core).not.toContain('httpLogger');
    expect(core).not.toContain('hydra-logger:http');
    const entry = fs.readFileSync(path.join(dist, 'http.js'), 'utf8');
    expect(entry).toContain('from "./index.js"');
    expect(entry).not.toContain('class LoggerCore');
  });

  it('serves a real request from import and from require, sharing the core module instance', async () => {
    const script = `
      import http from 'node:http';
      import { createRequire } from 'node:module';
      import { HydraLogger } from 'hydra-logger';
      import { httpLogger } from 'hydra-logger/http';
      const require = createRequire(import.meta.url);
      if (require('hydra-logger/http').httpLogger !== httpLogger) throw new Error('two instances');
      if (require('hydra-logger').HydraLogger !== HydraLogger) throw new Error('two cores');
      const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } } });
      const log = httpLogger(logger);
      const server = http.createServer((req, res) => log(req, res, () => { logger.info('in handler'); res.end('ok'); }));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/a?token=abc');
      await res.text();
      await new Promise((r) => server.close(r));
      console.log(JSON.stringify({ id: res.headers.get('x-request-id'), lines: logger.memory().lines() }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.resolve(dist, '..'),
    });
    const out = JSON.parse(stdout) as { id: string; lines: string[] };
    const recs = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((r) => r.requestId)).toEqual([out.id, out.id]);
    expect(recs[1]).toMatchObject({ layer: 'HTTP', path: '/a?token=[REDACTED]', status: 200 });
  });
});
