/** Sets where a bridge sends ingested browser records (the plugin points it at its logger). Not exported by the package. */
export const SET_INGEST_SINK: unique symbol = Symbol('hydra.bridge.setIngestSink');
/** Publishes a record with the line the logger's json format already wrote for it (the plugins' handlers). Not exported by the package. */
export const PUBLISH_LINE: unique symbol = Symbol('hydra.bridge.publishLine');
