import { escapeText } from '../formats/escape.js';
import { createJsonFormatter } from '../formats/json.js';
import type { Processor } from '../pipeline/processor.js';
import { levelName } from '../record/levels.js';
import type { Normalizer } from '../record/normalize.js';
import type { LogRecord } from '../record/record.js';
import type { HookCalls } from './hook-calls.js';
import { FAILED } from './plugin-destination.js';
import { hooks, type Slot } from './slot.js';
import type { SecurityVerdict } from './types.js';
import { describe, recordProblem, redactPaths, verdictProblem } from './verdicts.js';

/**
 * The `plugins` processor (between redaction and the audit chain): security plugins, then
 * analytics plugins, in order. Also what the logger calls for performance sampling and what plugin
 * formatters run through.
 */
export class PluginStage implements Processor {
  readonly name = 'plugins';
  security: readonly Slot[] = [];
  analytics: readonly Slot[] = [];
  /** Performance plugins with `onRecord`. */
  sampled: readonly Slot[] = [];
  readonly #calls: HookCalls;
  readonly #normalizer: Normalizer;
  readonly #drop: (reason: string) => void;
  readonly #fallback = createJsonFormatter();

  constructor(calls: HookCalls, normalizer: Normalizer, drop: (reason: string) => void) {
    this.#calls = calls;
    this.#normalizer = normalizer;
    this.#drop = drop;
  }

  process(record: LogRecord): LogRecord | undefined {
    const { security, analytics } = this;
    if (this.#calls.depth > 0 || (security.length === 0 && analytics.length === 0)) return record;
    let r = record;
    for (const slot of security) {
      const verdict = this.#calls.run(slot, 'inspect', () => hooks(slot).inspect?.(r));
      const problem = verdict === FAILED ? 'threw' : verdictProblem(verdict);
      if (verdict === FAILED || problem !== undefined) {
        if (verdict !== FAILED) this.#calls.fail(slot, 'inspect', problem);
        if (hooks(slot).failClosed === true && this.#mayDrop(slot, r, 'inspect')) return this.#dropBy(slot);
        continue;
      }
      const v = verdict as SecurityVerdict;
      if (v.action === 'block' && this.#mayDrop(slot, r, 'inspect')) return this.#dropBy(slot);
      if (v.action === 'redact') {
        const out = redactPaths(r, v.paths);
        r = out.record;
        slot.redactions += out.redacted;
        if (out.invalid.length > 0)
          this.#calls.fail(
            slot,
            'inspect',
            `redact paths must be "message" or start with "fields.": ${out.invalid.map((p) => JSON.stringify(p)).join(', ')}`,
          );
      }
    }
    if (analytics.length === 0) return r;
    let changed = false;
    for (const slot of analytics) {
      // Each plugin gets its own shallow copy: a plugin that throws half-way leaves no trace, and
      // `fields` (which may be the caller's own object or a child's bindings) is never changed.
      const input: LogRecord = { ...r, fields: r.fields === undefined ? undefined : { ...r.fields } };
      const out = this.#calls.run(slot, 'processEvent', () => hooks(slot).processEvent?.(input));
      if (out === FAILED) continue;
      if (out === null || out === undefined) {
        if (this.#mayDrop(slot, r, 'processEvent')) return this.#dropBy(slot);
        continue;
      }
      const problem = recordProblem(out);
      if (problem !== undefined) {
        this.#calls.fail(slot, 'processEvent', problem);
        continue;
      }
      r = out;
      changed = true;
    }
    return changed ? this.#tidy(r, record) : r;
  }

  /**
   * Makes an analytics result safe for the formatters: JSON-safe, limited fields; a consistent
   * level name. A security()/audit()/compliance() record keeps its kind and layer (the audit
   * chain and the synchronous write depend on them).
   */
  #tidy(r: LogRecord, original: LogRecord): LogRecord {
    // `r` is a plugin's own object (its copy, or one it made): changed in place unless it is frozen.
    const out = Object.isExtensible(r) && !Object.isFrozen(r) ? r : { ...r };
    if (original.kind !== undefined) {
      out.kind = original.kind;
      out.layer = original.layer;
    }
    if (out.fields !== undefined) out.fields = this.#normalizer.fields(out.fields);
    out.message = this.#normalizer.string(out.message);
    out.levelName = levelName(out.level);
    return out;
  }

  /** Plugins may drop any record but those of security(), audit() and compliance(): an attempt is counted as an error. */
  #mayDrop(slot: Slot, r: LogRecord, hook: string): boolean {
    if (r.kind === undefined) return true;
    this.#calls.fail(slot, hook, `tried to drop a record of ${r.kind}(); those are always written`);
    return false;
  }

  #dropBy(slot: Slot): undefined {
    slot.dropped++;
    this.#drop(`plugin:${slot.name}`);
    return undefined;
  }

  /** Before a record is built: whether a performance plugin samples it (then the start time), else 0. */
  start(): number {
    if (this.#calls.depth > 0) return 0;
    let due = false;
    for (const s of this.sampled)
      if (++s.tick >= s.sampleEvery) {
        s.tick = 0;
        s.due = true;
        due = true;
      }
    return due ? performance.now() : 0;
  }

  /** After dispatch of a sampled record (`undefined` when it was dropped): `onRecord(record, durationNs)`. */
  timed(record: LogRecord | undefined, t0: number): void {
    const ns = Math.round((performance.now() - t0) * 1e6);
    for (const s of this.sampled) {
      if (!s.due) continue;
      s.due = false;
      if (record !== undefined) this.#calls.run(s, 'onRecord', () => hooks(s).onRecord?.(record, ns));
    }
  }

  /** A formatter plugin's line: one line whatever it returned; a JSON line when it failed. */
  format(slot: Slot, record: LogRecord): string {
    const out = this.#calls.run(slot, 'format', () => hooks(slot).format?.(record));
    if (out === FAILED) return this.#fallback.format(record);
    if (typeof out !== 'string') {
      this.#calls.fail(slot, 'format', `returned ${describe(out)}, not a string`);
      return this.#fallback.format(record);
    }
    return oneLine(out);
  }
}

/** A formatter plugin's output as one line: one trailing newline dropped, every other control character escaped. */
function oneLine(s: string): string {
  const body = s.endsWith('\r\n') ? s.slice(0, -2) : s.endsWith('\n') ? s.slice(0, -1) : s;
  return `${escapeText(body)}\n`;
}
