import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';

/**
 * OpenTelemetry and the published bundle (dist/), in child processes as users run it: trace
 * correlation loads nothing without OpenTelemetry, works with the real SDK registered, and the
 * `otel` destination names its missing package.
 */
const run = async (mode: string) => {
  const r = await runFixture('otel-bundle.mjs', { mode }, { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
};

describe('OpenTelemetry with the published bundle', () => {
  it('without OpenTelemetry: no trace fields, and nothing named @opentelemetry is resolved, imported or required', async () => {
    const out = await run('none');
    expect(JSON.parse(out.line)).toMatchObject({ message: 'no otel here', a: 1 });
    expect(out.line).not.toMatch(/trace_id|span_id|trace_flags/);
    expect(out.seen).toEqual([]);
    // The API's global slot exists (so reading it is a property-cell load) and holds nothing.
    expect(out.slot).toEqual({ present: true, value: 'undefined' });
  });

  it('with the API, SDK and context manager registered: records inside a span carry its ids', async () => {
    const out = await run('sdk');
    const [inside, outside] = (out.lines as string[]).map((l) => JSON.parse(l));
    expect(inside).toMatchObject({
      message: 'inside',
      trace_id: out.span.traceId,
      span_id: out.span.spanId,
      trace_flags: '01',
    });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('an `otel` destination without @opentelemetry/api-logs installed is a config error naming the package', async () => {
    const out = await run('missing');
    expect(out.error).toMatchObject({ name: 'ConfigValidationError', code: 'HYDRA_E_CONFIG_INVALID' });
    expect(out.error.issues[0].path).toBe('layers.DEFAULT.destinations[0].type');
    expect(out.error.message).toContain('@opentelemetry/api-logs is not installed');
    expect(JSON.parse(out.line)).toMatchObject({ message: 'still logs' });
  });
});
