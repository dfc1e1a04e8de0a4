import type { Entry } from '../types.js';
import type { Outbox } from './outbox.js';

const STORE = 'r';

/**
 * The outbox in IndexedDB (database `name`, one object store of `{c, s, r}` under increasing keys),
 * so records survive a reload or a crash of the page. Writes are batched into one transaction per
 * call; an entry acknowledged while its write is still running is deleted once the write completes.
 */
export class IndexedDbOutbox implements Outbox {
  stored = 0;
  errors = 0;
  readonly #db: Promise<IDBDatabase | undefined>;

  constructor(name: string) {
    this.#db = new Promise((resolve) => {
      try {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE, { autoIncrement: true });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(undefined);
      } catch {
        resolve(undefined);
      }
    });
  }

  async load(): Promise<Entry[]> {
    const db = await this.#db;
    if (db === undefined) return [];
    return new Promise((resolve) => {
      const out: Entry[] = [];
      const req = db.transaction(STORE).objectStore(STORE).openCursor();
      req.onsuccess = () => {
        const cur = req.result;
        if (cur === null) {
          this.stored += out.length;
          return resolve(out);
        }
        const v = cur.value as { c: string; s: number; r: Entry['r'] };
        out.push({
          c: v.c,
          s: v.s,
          r: v.r,
          n: JSON.stringify(v.r).length,
          id: cur.key as number,
          st: 2,
          i: 0,
        });
        cur.continue();
      };
      req.onerror = () => resolve(out);
    });
  }

  put(entries: Entry[]): void {
    for (const e of entries) e.st = 1;
    this.#db.then((db) => {
      if (db === undefined) return this.#failed(entries);
      const late: Entry[] = [];
      try {
        const tx = db.transaction(STORE, 'readwrite');
        const store = tx.objectStore(STORE);
        for (const e of entries) {
          if (e.st === 3) continue; // acknowledged before it was written
          const req = store.add({ c: e.c, s: e.s, r: e.r });
          req.onsuccess = () => {
            e.id = req.result as number;
            this.stored++;
            if (e.st === 3) late.push(e);
            else e.st = 2;
          };
        }
        tx.oncomplete = () => {
          if (late.length > 0) this.del(late);
        };
        tx.onerror = () => this.#failed(entries);
      } catch {
        this.#failed(entries);
      }
    });
  }

  del(entries: Entry[]): void {
    const ids: number[] = [];
    for (const e of entries) {
      if (e.st === 2 && e.id !== undefined) ids.push(e.id);
      e.st = 3;
    }
    if (ids.length === 0) return;
    this.stored -= ids.length;
    this.#db.then((db) => {
      if (db === undefined) return;
      try {
        const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
        for (const id of ids) store.delete(id);
      } catch {
        this.errors++;
      }
    });
  }

  #failed(entries: Entry[]): void {
    this.errors++;
    for (const e of entries) if (e.st === 1) e.st = 0;
  }
}
