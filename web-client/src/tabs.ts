import { update } from "./store.js";

/** How long the fallback lease lasts; the holder renews it every third of that and before each request. */
export const LEASE_MS = 20_000;

/**
 * Makes one tab of the origin the sender of the shared queues. With the Web Locks API the browser grants
 * the lock to one tab at a time and releases it when that tab closes or crashes, so failover is immediate.
 * Without it (old browsers, Node), a lease in IndexedDB: a tab takes it when it is free or expired and renews
 * it while it lives; a crashed holder's lease expires after LEASE_MS.
 */
export interface Leadership {
  /** Whether this tab may send now (in lease mode: renews the lease first). */
  confirm(): Promise<boolean>;
  held(): boolean;
  release(): void;
}

export function lead(name: string, db: IDBDatabase, onGranted: () => void): Leadership {
  const locks = typeof navigator !== "undefined" ? (navigator as any).locks : undefined;
  let holding = false;
  if (locks) {
    const abort = new AbortController();
    let release = () => {};
    locks.request("huddle-" + name, { signal: abort.signal }, () => new Promise<void>((resolve) => {
      holding = true;
      release = resolve;
      onGranted();
    })).catch(() => {});
    return {
      confirm: async () => holding,
      held: () => holding,
      release: () => { holding = false; abort.abort(); release(); },
    };
  }
  const me = Math.random().toString(36).slice(2);
  const renew = async () => {
    const now = Date.now();
    const lease = await update<{ owner: string; until: number }>(db, "lease", (old) =>
      !old || old.until < now || old.owner === me ? { owner: me, until: now + LEASE_MS } : old).catch(() => undefined);
    const was = holding;
    holding = lease?.owner === me;
    if (holding && !was) onGranted();
    return holding;
  };
  renew();
  const timer = setInterval(renew, LEASE_MS / 3);
  return {
    confirm: renew,
    held: () => holding,
    release: () => {
      clearInterval(timer);
      if (holding) update(db, "lease", () => ({ owner: "", until: 0 })).catch(() => {});
      holding = false;
    },
  };
}
