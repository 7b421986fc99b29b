import type { Queued } from "./answer.js";
import type { QueueName } from "./types.js";

/**
 * The two queues in IndexedDB, one object store each with auto-incremented keys (the queue order), shared by
 * every tab of the origin that uses the same name. Writes are committed with durability "strict" (flushed to
 * disk before the transaction completes), so an event that track* reported stored survives a closed tab, a
 * renderer crash and a browser crash.
 */
export const QUEUES: QueueName[] = ["progress", "analytics"];
const META = "meta";

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(t: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = t.onabort = () => reject(t.error);
  });
}

export function open(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const r = factory.open("huddle-" + name, 1);
  r.onupgradeneeded = () => {
    for (const q of QUEUES) r.result.createObjectStore(q, { autoIncrement: true });
    r.result.createObjectStore(META);
  };
  return request(r);
}

function tx(db: IDBDatabase, stores: string[], write?: boolean): IDBTransaction {
  return db.transaction(stores, write ? "readwrite" : "readonly", { durability: "strict" });
}

export interface Pending {
  queue: QueueName;
  event: Omit<Queued, "key">;
  /** The event's key in its store, or undefined when its queue was full (nothing stored). */
  settle: (key?: number) => void;
}

/**
 * Writes events of several track* calls in one transaction (group commit). The bound is checked against the
 * store's count inside the same transaction, so tabs writing at once cannot overfill it together.
 * Returns the depth of each queue after the write.
 */
export async function append(db: IDBDatabase, pending: Pending[], max: number): Promise<Record<string, number>> {
  const t = tx(db, QUEUES, true);
  const depth: Record<string, number> = {};
  const keys: (number | undefined)[] = [];
  await Promise.all(QUEUES.map(async (q) => {
    depth[q] = await request(t.objectStore(q).count());
    pending.forEach((p, i) => {
      if (p.queue !== q) return;
      if (depth[q] < max) {
        request(t.objectStore(q).add(p.event)).then((key) => { keys[i] = key as number; });
        depth[q]++;
      }
    });
  }));
  await done(t);
  pending.forEach((p, i) => p.settle(keys[i]));
  return depth;
}

/** The head of a queue (up to limit events) and its depth. */
export async function peek(db: IDBDatabase, q: QueueName, limit: number): Promise<[Queued[], number]> {
  const store = tx(db, [q]).objectStore(q);
  const [keys, values, depth] = await Promise.all([
    request(store.getAllKeys(null, limit)), request(store.getAll(null, limit)), request(store.count())]);
  return [values.map((v, i) => ({ ...v, key: keys[i] as number })), depth];
}

/** Removes answered events; resolves once that is committed. */
export function remove(db: IDBDatabase, q: QueueName, keys: number[]): Promise<void> {
  const t = tx(db, [q], true);
  for (const key of keys) t.objectStore(q).delete(key);
  return done(t);
}

/** Runs fn on the meta store's value under key in one read-write transaction and stores its result. */
export async function update<T>(db: IDBDatabase, key: string, fn: (old: T | undefined) => T): Promise<T> {
  const t = tx(db, [META], true);
  const store = t.objectStore(META);
  const value = fn(await request(store.get(key)));
  store.put(value, key);
  await done(t);
  return value;
}
