/**
 * The network chunk: the delivery engine of the network destinations (`syslog`, `gelf`, `http`,
 * `otlp`) and their transports. Loaded on first use (internal/load-network.ts): a program without
 * a network destination loads none of it.
 */
export { createNetworkDestination, resolveDelivery } from '../delivery/engine.js';
export { createHttpTransport } from '../delivery/transport/http.js';
export { SendError } from '../delivery/types.js';
