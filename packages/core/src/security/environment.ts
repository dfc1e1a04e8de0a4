import { createRequireAt, fs, path } from '../internal/builtins.js';
import type { Processor } from '../pipeline/processor.js';
import type { Fields, LogRecord } from '../record/record.js';

/** A framework, recognised by an environment variable it sets or a package the app depends on. */
export interface FrameworkPattern {
  readonly name: string;
  readonly packages: readonly string[];
  readonly env?: readonly string[];
}

/** A hosting platform, recognised by environment variables its runtime sets. */
export interface CloudProviderPattern {
  readonly name: string;
  readonly env: readonly string[];
}

/**
 * Checked in this order: meta-frameworks before the servers they run on (NestJS, Next, Remix
 * bring Express or their own server along), so the first match is the most specific.
 */
export const FRAMEWORK_PATTERNS: readonly FrameworkPattern[] = Object.freeze(
  (
    [
      { name: 'nestjs', packages: ['@nestjs/core'] },
      { name: 'next', packages: ['next'], env: ['NEXT_RUNTIME'] },
      { name: 'nuxt', packages: ['nuxt'] },
      { name: 'remix', packages: ['@remix-run/node', '@remix-run/server-runtime', '@remix-run/serve'] },
      { name: 'sveltekit', packages: ['@sveltejs/kit'] },
      { name: 'astro', packages: ['astro'] },
      { name: 'adonisjs', packages: ['@adonisjs/core'] },
      { name: 'feathers', packages: ['@feathersjs/feathers'] },
      { name: 'hono', packages: ['hono'] },
      { name: 'fastify', packages: ['fastify'] },
      { name: 'koa', packages: ['koa'] },
      { name: 'hapi', packages: ['@hapi/hapi', 'hapi'] },
      { name: 'restify', packages: ['restify'] },
      { name: 'express', packages: ['express'] },
    ] satisfies FrameworkPattern[]
  ).map((p) => Object.freeze(p)),
);

/**
 * Checked in this order: platforms that run on another's infrastructure first (Vercel and
 * Netlify functions also set AWS Lambda variables), Kubernetes last (it runs on every cloud).
 */
export const CLOUD_PROVIDER_PATTERNS: readonly CloudProviderPattern[] = Object.freeze(
  (
    [
      { name: 'vercel', env: ['VERCEL', 'VERCEL_ENV'] },
      { name: 'netlify', env: ['NETLIFY', 'NETLIFY_DEV'] },
      { name: 'cloudflare', env: ['CF_PAGES', 'CLOUDFLARE_ACCOUNT_ID', 'CF_WORKER'] },
      { name: 'fly', env: ['FLY_APP_NAME', 'FLY_MACHINE_ID'] },
      { name: 'render', env: ['RENDER', 'RENDER_SERVICE_ID'] },
      { name: 'railway', env: ['RAILWAY_ENVIRONMENT', 'RAILWAY_PROJECT_ID'] },
      { name: 'heroku', env: ['DYNO'] },
      {
        name: 'azure',
        env: ['WEBSITE_SITE_NAME', 'FUNCTIONS_WORKER_RUNTIME', 'AZURE_FUNCTIONS_ENVIRONMENT'],
      },
      { name: 'gcp', env: ['K_SERVICE', 'GOOGLE_CLOUD_PROJECT', 'FUNCTION_TARGET', 'GAE_SERVICE'] },
      {
        name: 'aws',
        env: [
          'AWS_LAMBDA_FUNCTION_NAME',
          'ECS_CONTAINER_METADATA_URI',
          'ECS_CONTAINER_METADATA_URI_V4',
          'AWS_EXECUTION_ENV',
          'AWS_REGION',
        ],
      },
      { name: 'kubernetes', env: ['KUBERNETES_SERVICE_HOST'] },
    ] satisfies CloudProviderPattern[]
  ).map((p) => Object.freeze(p)),
);

/** Variables that name the service, most explicit first. */
const SERVICE_ENV = [
  'OTEL_SERVICE_NAME',
  'SERVICE_NAME',
  'K_SERVICE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'FLY_APP_NAME',
  'HEROKU_APP_NAME',
  'WEBSITE_SITE_NAME',
  'RENDER_SERVICE_NAME',
  'RAILWAY_SERVICE_NAME',
  'npm_package_name',
] as const;

export interface EnvironmentInfo {
  service?: string;
  cloud?: string;
  framework?: string;
}

export interface DetectEnvironmentOptions {
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory of the app's package.json and node_modules; default `process.cwd()`. */
  cwd?: string;
}

const present = (env: NodeJS.ProcessEnv, names: readonly string[] = []): boolean =>
  names.some((n) => env[n] !== undefined && env[n] !== '');

/** Reads `package.json` in `cwd` (not above it); `undefined` when missing or invalid. */
function readPackageJson(cwd: string): Record<string, unknown> | undefined {
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
    return pkg !== null && typeof pkg === 'object' ? (pkg as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `name` resolves from `cwd` the way `require` would (a package without a `./package.json` export still counts). */
function resolvable(resolve: NodeJS.RequireResolve, name: string): boolean {
  try {
    resolve(`${name}/package.json`);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

/**
 * Service name, cloud and framework of the running process. Reads the environment, the
 * package.json in `cwd` (its dependencies name the framework the app is built on) and, failing
 * that, which framework packages resolve from `cwd`. Synchronous and done once: call it at start.
 */
export function detectEnvironment(options: DetectEnvironmentOptions = {}): EnvironmentInfo {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const info: EnvironmentInfo = {};
  const pkg = readPackageJson(cwd);
  for (const name of SERVICE_ENV) {
    const v = env[name];
    if (v !== undefined && v !== '') {
      info.service = v;
      break;
    }
  }
  if (info.service === undefined && typeof pkg?.name === 'string' && pkg.name !== '') info.service = pkg.name;
  const cloud = CLOUD_PROVIDER_PATTERNS.find((p) => present(env, p.env));
  if (cloud !== undefined) info.cloud = cloud.name;
  const declared = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = pkg?.[key];
    if (deps !== null && typeof deps === 'object') for (const d of Object.keys(deps)) declared.add(d);
  }
  let framework = FRAMEWORK_PATTERNS.find(
    (p) => present(env, p.env) || p.packages.some((d) => declared.has(d)),
  );
  if (framework === undefined) {
    const resolve = createRequireAt(path.join(cwd, 'noop.js')).resolve;
    framework = FRAMEWORK_PATTERNS.find((p) => p.packages.some((d) => resolvable(resolve, d)));
  }
  if (framework !== undefined) info.framework = framework.name;
  return info;
}

/**
 * The `environment` step: adds `service`, `cloud` and `framework` (those that were detected) to
 * every record's fields. A field the caller set under one of these names wins.
 */
export function createEnvironmentProcessor(info: EnvironmentInfo): Processor {
  const extra: Fields = {};
  for (const k of ['service', 'cloud', 'framework'] as const) if (info[k] !== undefined) extra[k] = info[k];
  const none = Object.keys(extra).length === 0;
  return {
    name: 'environment',
    process(record: LogRecord): LogRecord {
      if (none) return record;
      return { ...record, fields: { ...extra, ...record.fields } };
    },
  };
}
