import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLOUD_PROVIDER_PATTERNS,
  createEnvironmentProcessor,
  detectEnvironment,
  FRAMEWORK_PATTERNS,
} from '../../src/security/environment.js';
import { buildRecord } from './records.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-env-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A temp app directory with a package.json and, optionally, installed packages. */
function app(pkg: Record<string, unknown> | undefined, installed: readonly string[] = []): string {
  const dir = fs.mkdtempSync(path.join(root, 'app-'));
  if (pkg !== undefined) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  for (const name of installed) {
    const p = path.join(dir, 'node_modules', name);
    fs.mkdirSync(p, { recursive: true });
    fs.writeFileSync(
      path.join(p, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
    );
    fs.writeFileSync(path.join(p, 'index.js'), '');
  }
  return dir;
}

const empty = app(undefined);

describe('detectEnvironment', () => {
  it('finds nothing in an empty environment and directory', () => {
    expect(detectEnvironment({ env: {}, cwd: empty })).toEqual({});
  });

  it.each([
    ['aws', { AWS_LAMBDA_FUNCTION_NAME: 'checkout', AWS_REGION: 'eu-west-1' }, 'checkout'],
    ['aws', { ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/x' }, undefined],
    ['gcp', { K_SERVICE: 'api', K_REVISION: 'api-001' }, 'api'],
    ['gcp', { GOOGLE_CLOUD_PROJECT: 'p' }, undefined],
    ['azure', { WEBSITE_SITE_NAME: 'shop-web' }, 'shop-web'],
    ['azure', { FUNCTIONS_WORKER_RUNTIME: 'node' }, undefined],
    ['heroku', { DYNO: 'web.1' }, undefined],
    ['vercel', { VERCEL: '1', AWS_REGION: 'iad1', AWS_LAMBDA_FUNCTION_NAME: 'fn' }, 'fn'],
    ['netlify', { NETLIFY: 'true', AWS_LAMBDA_FUNCTION_NAME: 'fn' }, 'fn'],
    ['fly', { FLY_APP_NAME: 'edge-app' }, 'edge-app'],
    ['render', { RENDER: 'true', RENDER_SERVICE_NAME: 'worker' }, 'worker'],
    ['railway', { RAILWAY_ENVIRONMENT: 'production' }, undefined],
    ['cloudflare', { CF_PAGES: '1' }, undefined],
    ['kubernetes', { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, undefined],
  ] as const)('cloud %s from %j (service %s)', (cloud, env, service) => {
    const info = detectEnvironment({ env: { ...env }, cwd: empty });
    expect(info.cloud).toBe(cloud);
    expect(info.service).toBe(service);
  });

  it('an empty variable does not count', () => {
    expect(detectEnvironment({ env: { DYNO: '' }, cwd: empty })).toEqual({});
  });

  it('service: OTEL_SERVICE_NAME first, then platform names, then npm_package_name, then package.json name', () => {
    const dir = app({ name: 'from-package-json' });
    expect(detectEnvironment({ env: {}, cwd: dir }).service).toBe('from-package-json');
    expect(detectEnvironment({ env: { npm_package_name: 'from-npm' }, cwd: dir }).service).toBe('from-npm');
    expect(detectEnvironment({ env: { K_SERVICE: 'k', npm_package_name: 'n' }, cwd: dir }).service).toBe('k');
    expect(detectEnvironment({ env: { OTEL_SERVICE_NAME: 'otel', K_SERVICE: 'k' }, cwd: dir }).service).toBe(
      'otel',
    );
  });

  it.each([
    ['express', { express: '^4' }],
    ['fastify', { fastify: '^5' }],
    ['koa', { koa: '^2' }],
    ['hono', { hono: '^4' }],
    ['hapi', { '@hapi/hapi': '^21' }],
    ['nestjs', { '@nestjs/core': '^10', express: '^4', '@nestjs/platform-express': '^10' }],
    ['next', { next: '^15', react: '^19' }],
    ['nuxt', { nuxt: '^3' }],
    ['remix', { '@remix-run/node': '^2', express: '^4' }],
    ['sveltekit', { '@sveltejs/kit': '^2' }],
  ] as const)('framework %s from package.json dependencies %j', (framework, deps) => {
    const dir = app({ name: 'svc', dependencies: deps });
    expect(detectEnvironment({ env: {}, cwd: dir }).framework).toBe(framework);
  });

  it('a framework in devDependencies counts too', () => {
    const dir = app({ name: 'svc', devDependencies: { koa: '^2' } });
    expect(detectEnvironment({ env: {}, cwd: dir }).framework).toBe('koa');
  });

  it('without a declared dependency, a framework that resolves from cwd is found', () => {
    const dir = app({ name: 'svc' }, ['fastify']);
    expect(detectEnvironment({ env: {}, cwd: dir }).framework).toBe('fastify');
  });

  it('a framework environment variable counts (NEXT_RUNTIME)', () => {
    expect(detectEnvironment({ env: { NEXT_RUNTIME: 'nodejs' }, cwd: empty }).framework).toBe('next');
  });

  it('an invalid package.json is ignored', () => {
    const dir = app(undefined);
    fs.writeFileSync(path.join(dir, 'package.json'), '{not json');
    expect(detectEnvironment({ env: {}, cwd: dir })).toEqual({});
  });

  it('the pattern lists are frozen and cover the documented names', () => {
    expect(Object.isFrozen(FRAMEWORK_PATTERNS)).toBe(true);
    expect(Object.isFrozen(CLOUD_PROVIDER_PATTERNS)).toBe(true);
    const fw = FRAMEWORK_PATTERNS.map((p) => p.name);
    for (const n of [
      'express',
      'fastify',
      'koa',
      'nestjs',
      'next',
      'hono',
      'hapi',
      'remix',
      'nuxt',
      'sveltekit',
    ])
      expect(fw).toContain(n);
    const cl = CLOUD_PROVIDER_PATTERNS.map((p) => p.name);
    for (const n of [
      'aws',
      'gcp',
      'azure',
      'heroku',
      'vercel',
      'netlify',
      'fly',
      'render',
      'railway',
      'cloudflare',
      'kubernetes',
    ])
      expect(cl).toContain(n);
  });
});

describe('createEnvironmentProcessor', () => {
  it('adds service, cloud and framework to every record; a caller field of that name wins', () => {
    const p = createEnvironmentProcessor({ service: 'api', cloud: 'aws', framework: 'fastify' });
    expect(p.name).toBe('environment');
    const fields = { service: 'mine', a: 1 };
    const out = p.process(buildRecord('x', fields));
    expect(out?.fields).toEqual({ service: 'mine', cloud: 'aws', framework: 'fastify', a: 1 });
    expect(fields).toEqual({ service: 'mine', a: 1 });
    expect(p.process(buildRecord('y'))?.fields).toEqual({
      service: 'api',
      cloud: 'aws',
      framework: 'fastify',
    });
  });

  it('with nothing detected, records pass unchanged', () => {
    const r = buildRecord('x', { a: 1 });
    expect(createEnvironmentProcessor({}).process(r)).toBe(r);
  });
});
