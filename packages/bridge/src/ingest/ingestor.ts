import type { Principal } from '../auth/authenticator.js';
import type { BridgeLimits } from '../limits.js';
import type { RejectedRecord } from '../protocol/frames.js';
import type { DedupeTable } from './dedupe.js';
import { type IngestRules, validateIngestRecord } from './validate.js';

/** Where accepted browser records go: the logger (redaction, routing, and back to the bridge's stream). */
export type IngestSink = (
  level: number,
  layer: string,
  message: string,
  fields: Record<string, unknown>,
) => void;

/** What an ingest batch gave: the `ack` frame's content. */
export interface IngestResult {
  seq: number;
  accepted: number;
  duplicates: number;
  rejected: RejectedRecord[];
}

/** Counters of ingest (`bridge.stats().ingest`). */
export interface IngestStats {
  batches: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  sinkErrors: number;
}

/**
 * Takes a batch of browser records: each is validated, checked against the `(clientId, seq)`
 * history (record `i` of a batch is `seq + i` unless it carries its own `seq`), and given to the
 * sink with the bridge's own `client` field (`id`, `seq`, `time` from the browser's clock,
 * `principal`). Refused records are acknowledged too (listed in `rejected`), so the client does
 * not resend them forever.
 */
export class Ingestor {
  readonly stats: IngestStats = { batches: 0, accepted: 0, duplicates: 0, rejected: 0, sinkErrors: 0 };

  constructor(
    readonly limits: BridgeLimits,
    readonly dedupe: DedupeTable,
    readonly rules: IngestRules,
    readonly sink: () => IngestSink,
  ) {}

  accept(clientId: string, seq: number, records: readonly unknown[], principal: Principal): IngestResult {
    const out: IngestResult = { seq, accepted: 0, duplicates: 0, rejected: [] };
    const sink = this.sink();
    this.stats.batches++;
    for (let i = 0; i < records.length; i++) {
      const v = validateIngestRecord(records[i], i, this.limits, this.rules);
      if (!v.ok) {
        out.rejected.push(v.rejected);
        continue;
      }
      const r = v.record;
      const recordSeq = r.seq ?? seq + i;
      if (!this.dedupe.add(clientId, recordSeq)) {
        out.duplicates++;
        continue;
      }
      const client: Record<string, unknown> = { id: clientId, seq: recordSeq, principal: principal.sub };
      if (r.time !== undefined) client.time = r.time;
      try {
        sink(r.level, r.layer, r.message, { ...r.fields, client });
        out.accepted++;
      } catch (err) {
        this.stats.sinkErrors++;
        out.rejected.push({ index: i, reason: `not logged: ${(err as Error)?.message ?? String(err)}` });
      }
    }
    // Before the ack: a resend after a restart finds these pairs (with `persist`).
    this.dedupe.commit();
    this.stats.accepted += out.accepted;
    this.stats.duplicates += out.duplicates;
    this.stats.rejected += out.rejected.length;
    return out;
  }
}
