/** Sets where a bridge sends ingested browser records (the plugin points it at its logger). Not exported by the package. */
export const SET_INGEST_SINK: unique symbol = Symbol('hydra.bridge.setIngestSink');
