/**
 * The network chunk: the delivery engine of the network destinations (`syslog`, `gelf`, `http`,
 * `otlp`) and their transports. Loaded on first use (internal/load-network.ts): a program without
 * a network destination loads none of it.
 */

export { createNetworkDestination, resolveDelivery } from '../delivery/engine.js';
export { createHttpTransport } from '../delivery/transport/http.js';
export { SendError } from '../delivery/types.js';
// Destination types that live in this chunk (destinations/registry.ts lists them with their keys).
export { gelfType } from '../destinations/gelf.js';
export { httpType } from '../destinations/http.js';
export { otelType } from '../destinations/otel.js';
export { otlpType } from '../destinations/otlp.js';
export { syslogType } from '../destinations/syslog.js';
