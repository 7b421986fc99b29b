import { body, classify, cut, MAX_EVENTS, type Queued } from "./answer.js";
import { AdaptiveInterval, backoff } from "./interval.js";
import { append, open, peek, QUEUES, remove, type Pending } from "./store.js";
import { lead, type Leadership } from "./tabs.js";
import type {
  AnalyticsEvent, HuddleClient, HuddleOptions, ProgressEvent, QueueName, QueueState, QueueStats,
} from "./types.js";

const PATHS: Record<QueueName, string> = { progress: "/api/client/progress/batch", analytics: "/api/analytics/events/batch" };
/** fetch's keepalive budget is 64 KB for all such requests of a page together: half for each queue. */
const KEEPALIVE_BYTES = 32 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;
/** How long another tab (or the next page) waits for a keepalive request it cannot see the answer of. */
const KEEPALIVE_HOLD_MS = 5_000;
/** Three 403/404 in a row pause a queue (client/.../StallWatch.java). */
const BLOCKED_TO_PAUSE = 3;

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hasWindow = typeof addEventListener === "function" && typeof document !== "undefined";

/** One queue's sending state: at most one request in flight, ever. */
class Sender {
  interval: AdaptiveInterval;
  inFlight?: Promise<boolean>;
  inFlightEvents = 0;
  depth = 0;
  oldestAt = 0;
  failures = 0;
  blocked = 0;
  pausedUntil = 0;
  /** Events this tab holds in memory for the synchronous final flush on pagehide. */
  head: Queued[] = [];
  timer?: ReturnType<typeof setTimeout>;

  constructor(readonly queue: QueueName, min: number, max: number) {
    this.interval = new AdaptiveInterval(min, max);
  }

  state(): QueueState {
    return {
      depth: this.depth,
      oldestAgeMs: this.depth && this.oldestAt ? Date.now() - this.oldestAt : 0,
      inFlight: this.inFlightEvents,
      intervalMs: this.interval.current,
      lastLatencyMs: this.interval.lastLatency,
      pausedUntil: this.pausedUntil,
    };
  }
}

export async function createClient(options: HuddleOptions): Promise<HuddleClient> {
  const name = options.name || "default";
  const max = options.maxQueuedEvents || 10_000;
  const min = options.minIntervalMs || 1_000;
  const maxInterval = options.maxIntervalMs || 8_000;
  const warnAt = options.backlogWarningAt ?? 50;
  const db = await open(options.indexedDB || indexedDB, name);
  const senders = Object.fromEntries(QUEUES.map((q) => [q, new Sender(q, min, maxInterval)])) as Record<QueueName, Sender>;
  let online = typeof navigator === "undefined" || navigator.onLine !== false;
  let closed = false;
  let warned = false;
  let pending: Pending[] = [];
  let lastToken = "";
  // A keepalive request outlives its page: the next sender waits for it before sending the same events.
  const holdKey = "huddle-" + name + "-keepalive";
  const storage = typeof localStorage !== "undefined" ? localStorage : undefined;
  const hold = (until: number) => storage?.setItem(holdKey, String(until));
  const heldUntil = () => Number(storage?.getItem(holdKey)) || 0;

  const stats = (): QueueStats => ({
    progress: senders.progress.state(),
    analytics: senders.analytics.state(),
    totalDepth: senders.progress.depth + senders.analytics.depth,
    sender: leadership.held(),
    online,
  });

  const setDepth = (s: Sender, depth: number) => {
    s.depth = depth;
    const total = stats().totalDepth;
    if (total > warnAt && !warned) options.onBacklogWarning?.(stats());
    warned = total > warnAt;
  };

  /** Sends the head batch (or joins the request in flight); true on a verdict or an empty queue. */
  const send = (s: Sender, keepalive = false): Promise<boolean> => {
    if (!s.inFlight) {
      s.inFlight = attempt(s, keepalive).catch(() => false).finally(() => {
        s.inFlight = undefined;
        s.inFlightEvents = 0;
      });
    }
    return s.inFlight;
  };

  const attempt = async (s: Sender, keepalive: boolean): Promise<boolean> => {
    if (closed || !online || Date.now() < s.pausedUntil) return false;
    let batch: Queued[];
    if (keepalive) {
      // pagehide: no time for IndexedDB, only what this tab holds in memory.
      if (Date.now() < s.interval.notBefore) return false;
      batch = s.head.slice(0, cut(s.head, KEEPALIVE_BYTES));
      if (batch.length) hold(Date.now() + KEEPALIVE_HOLD_MS);
    } else {
      const [head, depth] = await peek(db, s.queue, MAX_EVENTS);
      s.head = head;
      s.oldestAt = head[0]?.at || 0;
      setDepth(s, depth);
      batch = head.slice(0, cut(head));
      const wait = Math.max(s.interval.notBefore, heldUntil()) - Date.now();
      if (wait > 0) await sleep(wait);
      if (!(await leadership.confirm())) return false;
    }
    if (!batch.length) return true;
    s.inFlightEvents = batch.length;
    const started = Date.now();
    const [status, text, headers] = await post(s, batch, keepalive);
    const latency = Date.now() - started;
    if (status) {
      const seconds = Number(headers?.get("Retry-After"));
      s.interval.onAnswer(latency, Math.max(0, Number(headers?.get("X-Client-Queue-Lag")) || 0),
        seconds > 0 ? seconds * 1000 : 0, Date.now());
    }
    const outcome = classify(s.queue, batch, status, text);
    options.onAnswer?.({
      queue: s.queue, status, events: batch.length, verdict: outcome.verdict, latencyMs: latency,
      accepted: outcome.verdict ? outcome.accepted : 0, duplicates: outcome.verdict ? outcome.duplicates : 0,
      rejected: outcome.verdict ? outcome.rejected.length : 0,
    });
    if (!outcome.verdict) {
      s.failures++;
      s.blocked = outcome.blocked ? s.blocked + 1 : 0;
      s.pausedUntil = s.blocked >= BLOCKED_TO_PAUSE ? Date.now() + (options.pausePeriodMs || 300_000) : 0;
      options.onError?.({ queue: s.queue, status, description: outcome.description, attempts: s.failures,
        pausedUntil: s.pausedUntil });
      return false;
    }
    s.failures = s.blocked = s.pausedUntil = 0;
    const keys = new Set(batch.map((e) => e.key));
    await remove(db, s.queue, [...keys]);
    s.head = s.head.filter((e) => !keys.has(e.key));
    setDepth(s, Math.max(0, s.depth - batch.length));
    if (outcome.rejected.length) options.onRejected?.(outcome.rejected);
    return true;
  };

  /** One request; a 401 asks the token callback again and retries once. [0, description] without an answer. */
  const post = async (s: Sender, batch: Queued[], keepalive: boolean): Promise<[number, string, Headers?]> => {
    const json = body(batch);
    const headers: Record<string, string> = {
      "Content-Type": "application/json", "X-Client-Queue-Depth": String(stats().totalDepth),
    };
    let payload: BodyInit = json;
    if (!keepalive && typeof CompressionStream === "function") {
      payload = await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
      headers["Content-Encoding"] = "gzip";
    }
    try {
      for (let retry = 0; ; retry++) {
        // On pagehide there is no time to wait for a token: the last one goes (its 401 cannot be retried anyway).
        lastToken = keepalive && lastToken && !retry ? lastToken : await options.token();
        headers.Authorization = "Bearer " + lastToken;
        const response = await fetch(options.baseUrl + PATHS[s.queue], {
          method: "POST", headers, body: payload, keepalive,
          signal: keepalive ? undefined : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status !== 401 || retry) return [response.status, text, response.headers];
      }
    } catch (error) {
      return [0, "no answer: " + error];
    }
  };

  const tick = async (s: Sender) => {
    const verdict = await send(s);
    if (closed) return;
    const delay = s.pausedUntil ? s.pausedUntil - Date.now()
      : verdict ? s.interval.current
      : Math.max(backoff(s.failures || 1, min, 2 * maxInterval), s.interval.notBefore - Date.now());
    clearTimeout(s.timer);
    s.timer = setTimeout(() => tick(s), delay);
  };

  const flushQueue = async (s: Sender) => {
    while (leadership.held() && (await send(s)) && s.depth > 0 && !closed);
  };

  const leadership: Leadership = lead(name, db, () => {
    // A token at hand for the final flush on pagehide, which cannot wait for one.
    Promise.resolve(options.token()).then((token) => { lastToken ||= token; }, () => {});
    QUEUES.forEach((q) => tick(senders[q]));
  });

  /** Group commit: every track* call of the same task goes into one IndexedDB transaction. */
  const track = (queue: QueueName, event: ProgressEvent | AnalyticsEvent): Promise<boolean> => {
    if (closed) return Promise.reject(new Error("client closed"));
    const full = { ...event, eventId: event.eventId || crypto.randomUUID(), occurredAt: event.occurredAt || new Date().toISOString() };
    const json = JSON.stringify(full);
    return new Promise((settle) => {
      if (!pending.length) {
        queueMicrotask(async () => {
          const batch = pending;
          pending = [];
          try {
            const depths = await append(db, batch, max);
            QUEUES.forEach((q) => setDepth(senders[q], depths[q]));
          } catch (error) {
            batch.forEach((p) => p.settle());
          }
        });
      }
      const queued = { id: full.eventId, json, bytes: encoder.encode(json).length, at: Date.now() };
      pending.push({
        queue, event: queued,
        settle: (key) => {
          const head = senders[queue].head;
          if (key !== undefined && head.length < MAX_EVENTS) head.push({ ...queued, key });
          settle(key !== undefined);
        },
      });
    });
  };

  const finalFlush = () => {
    if (leadership.held()) QUEUES.forEach((q) => senders[q].inFlight || send(senders[q], true));
  };
  const onVisibility = () => document.visibilityState === "hidden" && finalFlush();
  const onOnline = () => {
    online = true;
    QUEUES.forEach((q) => leadership.held() && tick(senders[q]));
  };
  const onOffline = () => { online = false; };
  if (hasWindow) {
    addEventListener("pagehide", finalFlush);
    document.addEventListener("visibilitychange", onVisibility);
    addEventListener("online", onOnline);
    addEventListener("offline", onOffline);
  }

  return {
    trackProgress: (event) => track("progress", event),
    trackAnalytics: (event) => track("analytics", event),
    flush: async () => { await Promise.all(QUEUES.map((q) => flushQueue(senders[q]))); },
    getQueueStats: stats,
    close: async () => {
      closed = true;
      if (hasWindow) {
        removeEventListener("pagehide", finalFlush);
        document.removeEventListener("visibilitychange", onVisibility);
        removeEventListener("online", onOnline);
        removeEventListener("offline", onOffline);
      }
      QUEUES.forEach((q) => clearTimeout(senders[q].timer));
      await Promise.all(QUEUES.map((q) => senders[q].inFlight));
      leadership.release();
      db.close();
    },
  };
}
