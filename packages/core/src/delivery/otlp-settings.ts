import { EnvironmentError } from '../errors.js';
import { nodeRequire } from '../internal/builtins.js';

/** Where an OTLP/HTTP exporter sends logs when nothing says otherwise (a local Collector). */
export const OTLP_DEFAULT_ENDPOINT = 'http://localhost:4318/v1/logs';

/** What an `otlp` destination's config says, before the environment fills in the rest. */
export interface OtlpOptions {
  endpoint?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  resource?: Readonly<Record<string, string | number | boolean>> | undefined;
  compress?: 'gzip' | 'none' | undefined;
  timeoutMs?: number | undefined;
}

/** An `otlp` destination's settings with the `OTEL_EXPORTER_OTLP_*`, `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` defaults applied. */
export interface OtlpSettings {
  endpoint: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  resource: Record<string, string | number | boolean>;
  compress: 'gzip' | 'none';
  timeoutMs: number | undefined;
}

const set = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The settings of an `otlp` destination, as the OpenTelemetry SDK's OTLP/HTTP exporter reads them
 * (https://opentelemetry.io/docs/specs/otel/protocol/exporter/): the config's keys win, then the
 * logs-specific variable, then the general one. `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` is used as is,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` gets `/v1/logs` appended. An unreadable variable throws an
 * {@link EnvironmentError} naming it.
 */
export function otlpSettings(o: OtlpOptions, env: NodeJS.ProcessEnv): OtlpSettings {
  return {
    endpoint: o.endpoint ?? envEndpoint(env),
    headers: otlpHeaders(o.headers, env),
    resource: otlpResource(o.resource, env),
    compress: o.compress ?? envCompression(env),
    timeoutMs: o.timeoutMs ?? envTimeout(env),
  };
}

function envEndpoint(env: NodeJS.ProcessEnv): string {
  const logs = set(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  if (logs !== undefined) return httpUrl('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', logs);
  const base = set(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return OTLP_DEFAULT_ENDPOINT;
  httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  return `${base.endsWith('/') ? base : `${base}/`}v1/logs`;
}

function httpUrl(variable: string, v: string): string {
  let ok = false;
  try {
    const u = new URL(v);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {}
  if (!ok) throw new EnvironmentError(variable, v, 'an http:// or https:// URL');
  return v;
}

/**
 * `k=v,k2=v2` (W3C Baggage without properties; keys and values percent-decoded, spaces around
 * them trimmed), as `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES` hold them.
 */
export function parseKeyValueList(variable: string, text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    let key = '';
    let value = '';
    try {
      key = decodeURIComponent(item.slice(0, eq).trim());
      value = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      throw new EnvironmentError(
        variable,
        text,
        `key=value pairs, percent-encoded (cannot decode ${JSON.stringify(item)})`,
      );
    }
    if (eq <= 0 || key === '')
      throw new EnvironmentError(
        variable,
        text,
        `comma-separated key=value pairs (${JSON.stringify(item)} is not one)`,
      );
    out.push([key, value]);
  }
  return out;
}

function otlpHeaders(
  option: Readonly<Record<string, string>> | undefined,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) {
    const text = set(env, variable);
    if (text === undefined) continue;
    for (const [k, v] of parseKeyValueList(variable, text)) {
      if (!TOKEN.test(k) || /[\r\n\0]/.test(v))
        throw new EnvironmentError(
          variable,
          text,
          `HTTP header names and values (${JSON.stringify(k)} is not one)`,
        );
      out[k.toLowerCase()] = v;
    }
  }
  if (option !== undefined) for (const [k, v] of Object.entries(option)) out[k.toLowerCase()] = v;
  return out;
}

/** The process's executable name, as the SDK's default `service.name` (`unknown_service:node`) has it. */
const unknownService = (): string => {
  const exe = process.argv0.split(/[\\/]/).at(-1);
  return `unknown_service:${exe === undefined || exe === '' ? 'node' : exe}`;
};

function otlpResource(
  option: Readonly<Record<string, string | number | boolean>> | undefined,
  env: NodeJS.ProcessEnv,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const attrs = set(env, 'OTEL_RESOURCE_ATTRIBUTES');
  if (attrs !== undefined)
    for (const [k, v] of parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', attrs)) out[k] = v;
  const service = set(env, 'OTEL_SERVICE_NAME');
  if (service !== undefined) out['service.name'] = service;
  if (option !== undefined) Object.assign(out, option);
  if (out['service.name'] === undefined) out['service.name'] = unknownService();
  return out;
}

function envCompression(env: NodeJS.ProcessEnv): 'gzip' | 'none' {
  for (const variable of ['OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']) {
    const v = set(env, variable);
    if (v === undefined) continue;
    if (v !== 'gzip' && v !== 'none') throw new EnvironmentError(variable, v, 'gzip or none');
    return v;
  }
  return 'none';
}

function envTimeout(env: NodeJS.ProcessEnv): number | undefined {
  for (const variable of ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const v = set(env, variable);
    if (v === undefined) continue;
    const n = Number(v);
    if (!(Number.isInteger(n) && n > 0))
      throw new EnvironmentError(variable, v, 'a timeout in milliseconds (an integer > 0)');
    return n;
  }
  return undefined;
}

let version: string | undefined | null = null;
/** hydra-logger's own version (the instrumentation scope's `version`), read once from its package.json. */
export function hydraVersion(): string | undefined {
  if (version === null) {
    try {
      version = (nodeRequire('hydra-logger/package.json') as { version?: string }).version;
    } catch {
      version = undefined;
    }
  }
  return version;
}
