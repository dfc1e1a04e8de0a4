import { nodeResolve } from '../internal/builtins.js';
import { createOtelDestination } from './otel-emitter.js';
import type { DestinationType } from './type.js';

/** `{ type: 'otel' }` takes no options of its own: each record is emitted to the global OpenTelemetry `LoggerProvider` (`@opentelemetry/api-logs`). */
export type OtelOptions = Record<never, never>;

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    otel: OtelOptions;
  }
}

const PACKAGE = '@opentelemetry/api-logs';

/**
 * `{ type: 'otel' }`: each record is emitted to the global OpenTelemetry `LoggerProvider` of
 * `@opentelemetry/api-logs` (an optional peer dependency: a configuration naming this type without
 * the package installed is refused, naming it). In the network chunk (chunks/network.ts), loaded the
 * first time a config names the type; the destination is destinations/otel-emitter.ts.
 */
export const otelType: DestinationType = {
  name: 'otel',
  options: {},
  check(_d, p, c) {
    try {
      nodeResolve(PACKAGE);
    } catch {
      c.fail(
        `${p}.type`,
        `'otel' emits through the OpenTelemetry logs API, and the package ${PACKAGE} is not installed (npm install ${PACKAGE}, with an SDK such as @opentelemetry/sdk-logs registering a LoggerProvider)`,
      );
    }
  },
  create: (_d, ctx, id, minLevel) => createOtelDestination(id, minLevel, ctx),
};
