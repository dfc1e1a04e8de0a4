/** A connection that can watch event topics (a WebSocket client). */
export interface EventWatcher {
  writable(): boolean;
  sendText(text: string): void;
}

/**
 * Application events beside the record stream: `bridge.publishEvent(topic, data)` sends an
 * `event {topic, seq, data}` frame, serialized once, to every connection watching the topic
 * (`watch {topics}`). Events are live only: nothing is kept for later watchers; a publisher that
 * needs to give a new watcher the current state listens to the bridge's `watch` event.
 */
export class EventHub {
  readonly #watchers = new Map<string, Set<EventWatcher>>();
  readonly #seq = new Map<string, number>();
  readonly #onWatch: (topic: string) => void;
  published = 0;
  delivered = 0;
  /** Deliveries skipped because the watcher's socket was over its high-water mark. */
  skipped = 0;

  constructor(onWatch: (topic: string) => void) {
    this.#onWatch = onWatch;
  }

  watch(w: EventWatcher, topic: string): void {
    let set = this.#watchers.get(topic);
    if (set === undefined) this.#watchers.set(topic, (set = new Set()));
    if (set.has(w)) return;
    set.add(w);
    this.#onWatch(topic);
  }

  unwatch(w: EventWatcher, topic?: string): void {
    for (const [t, set] of this.#watchers)
      if (topic === undefined || t === topic) {
        set.delete(w);
        if (set.size === 0) this.#watchers.delete(t);
      }
  }

  /** Connections watching `topic`. */
  watchers(topic: string): number {
    return this.#watchers.get(topic)?.size ?? 0;
  }

  publish(topic: string, data: unknown): number {
    const set = this.#watchers.get(topic);
    const seq = (this.#seq.get(topic) ?? 0) + 1;
    this.#seq.set(topic, seq);
    this.published++;
    if (set === undefined) return 0;
    const text = JSON.stringify({ type: 'event', topic, seq, data });
    let n = 0;
    for (const w of set) {
      if (!w.writable()) {
        this.skipped++;
        continue;
      }
      w.sendText(text);
      n++;
    }
    this.delivered += n;
    return n;
  }
}
