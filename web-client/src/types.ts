/** The public types of the browser client; the shapes follow openapi.yaml. */

export type QueueName = "progress" | "analytics";

export interface ProgressEvent {
  /** Generated when absent; kept unchanged on every retry (the server's idempotency key). */
  eventId?: string;
  type: "lesson_progress" | "lesson_completed";
  courseId: string;
  lessonId: string;
  progressPercent?: number;
  timeSpentSeconds?: number;
  /** ISO-8601; now when absent. */
  occurredAt?: string;
  [extra: string]: unknown;
}

export interface AnalyticsEvent {
  eventId?: string;
  name: string;
  courseId?: string;
  lessonId?: string;
  properties?: Record<string, unknown>;
  occurredAt?: string;
  [extra: string]: unknown;
}

/** An event the server refused for good: it left the queue. */
export interface RejectedEvent {
  queue: QueueName;
  eventId: string;
  reason: string;
}

/** An attempt that got no verdict on its events: they stay queued and are sent again. */
export interface DeliveryError {
  queue: QueueName;
  /** HTTP status, 0 when there was no answer. */
  status: number;
  description: string;
  /** Attempts in a row without a verdict. */
  attempts: number;
  /** Epoch ms until which the queue sends nothing after persistent 403/404, else 0. */
  pausedUntil: number;
}

/** What the server said about one batch (for displays such as the demo page). */
export interface BatchAnswer {
  queue: QueueName;
  status: number;
  events: number;
  /** True when the events left the queue (a verdict on each of them). */
  verdict: boolean;
  accepted: number;
  duplicates: number;
  rejected: number;
  latencyMs: number;
}

export interface QueueState {
  depth: number;
  /** Age in ms of the oldest queued event, 0 when empty. */
  oldestAgeMs: number;
  inFlight: number;
  intervalMs: number;
  lastLatencyMs: number;
  pausedUntil: number;
}

export interface QueueStats {
  progress: QueueState;
  analytics: QueueState;
  totalDepth: number;
  /** Whether this tab holds the lock and sends the shared queues. */
  sender: boolean;
  online: boolean;
}

export interface HuddleOptions {
  /** The API's base URL, e.g. "https://api.example.com" or "" for the page's own origin. */
  baseUrl: string;
  /** Asked on every request, and again after a 401. */
  token: () => string | Promise<string>;
  /** Names the IndexedDB database and the tab lock; tabs with the same name share the queues. */
  name?: string;
  /** Per queue; a full queue refuses new events (track* resolves false). Default 10,000. */
  maxQueuedEvents?: number;
  /** Default 1,000 ms. */
  minIntervalMs?: number;
  /** Default 8,000 ms. */
  maxIntervalMs?: number;
  /** How long a queue pauses after three 403/404 in a row. Default 5 min. */
  pausePeriodMs?: number;
  /** Backlog size past which onBacklogWarning is called (once per crossing). Default 50. */
  backlogWarningAt?: number;
  onRejected?: (events: RejectedEvent[]) => void;
  onError?: (error: DeliveryError) => void;
  onBacklogWarning?: (stats: QueueStats) => void;
  onAnswer?: (answer: BatchAnswer) => void;
  /** For tests: an IDBFactory other than the global indexedDB. */
  indexedDB?: IDBFactory;
}

export interface HuddleClient {
  /** Resolves true once the event is in IndexedDB, false when its queue is full (nothing stored). */
  trackProgress(event: ProgressEvent): Promise<boolean>;
  trackAnalytics(event: AnalyticsEvent): Promise<boolean>;
  /** In the sending tab: sends until the queues are empty or a request gets no verdict. */
  flush(): Promise<void>;
  getQueueStats(): QueueStats;
  /** Stops timers and listeners and releases the tab lock; queued events stay in IndexedDB. */
  close(): Promise<void>;
}
