import type { QueueName, RejectedEvent } from "./types.js";

export interface Queued {
  key: number;
  id: string;
  json: string;
  /** UTF-8 bytes of json. */
  bytes: number;
  /** Epoch ms when tracked. */
  at: number;
}

export const MAX_EVENTS = 100;
export const MAX_BODY_BYTES = 256 * 1024;
const ENVELOPE_BYTES = '{"events":[]}'.length;

/** How many events from the head go in the next batch: at most maxEvents and maxBytes of body (one at least). */
export function cut(head: Queued[], maxBytes = MAX_BODY_BYTES, maxEvents = MAX_EVENTS): number {
  let bytes = ENVELOPE_BYTES;
  let count = 0;
  for (const event of head) {
    bytes += event.bytes + (count ? 1 : 0);
    if (count === maxEvents || (count && bytes > maxBytes)) break;
    count++;
  }
  return count;
}

export function body(batch: Queued[]): string {
  return '{"events":[' + batch.map((e) => e.json).join(",") + "]}";
}

/** The contract's error codes that refuse a whole batch for good, by status (functions' ErrorCode). */
const REFUSALS: Record<number, string[]> = {
  400: ["invalid_json", "invalid_shape"],
  413: ["payload_too_large", "too_many_events"],
  415: ["unsupported_media_type", "unsupported_encoding"],
};

export type Outcome =
  | { verdict: true; rejected: RejectedEvent[]; accepted: number; duplicates: number }
  | { verdict: false; blocked: boolean; description: string };

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What an answer means for the batch's events (README, "Client library", the table): only a BatchResult
 * that accounts for every event exactly once, or the API's error refusing the batch for good, is a verdict.
 */
export function classify(queue: QueueName, batch: Queued[], status: number, text: string): Outcome {
  const json = parse(text);
  if (status === 200) {
    const rejected = verdicts(queue, batch, json);
    if (rejected) return { verdict: true, rejected, accepted: json.accepted.length, duplicates: json.duplicates.length };
    return { verdict: false, blocked: false, description: "HTTP 200 without a batch result for the events sent" };
  }
  const code = json && typeof json.error === "string" && json.error.length <= 64 ? json.error : undefined;
  if (code && typeof json.message === "string" && REFUSALS[status]?.includes(code)) {
    return { verdict: true, rejected: batch.map((e) => ({ queue, eventId: e.id, reason: code })), accepted: 0, duplicates: 0 };
  }
  return {
    verdict: false,
    blocked: status === 403 || status === 404,
    description: status ? "HTTP " + status + (code ? " " + code : " without the API's error body") : text,
  };
}

/** The rejected events when the body lists every event of the batch exactly once, else undefined. */
function verdicts(queue: QueueName, batch: Queued[], json: any): RejectedEvent[] | undefined {
  const { accepted, duplicates, rejected } = json || {};
  if (![accepted, duplicates, rejected].every(Array.isArray)
      || accepted.length + duplicates.length + rejected.length !== batch.length) return;
  const answered: boolean[] = [];
  const refused: RejectedEvent[] = [];
  for (const entry of rejected) {
    const index = entry?.index;
    if (!Number.isInteger(index) || index < 0 || index >= batch.length || answered[index]
        || typeof entry.reason !== "string") return;
    const id = batch[index].id;
    if (typeof entry.eventId === "string" && entry.eventId !== id) return;
    answered[index] = true;
    refused.push({ queue, eventId: id, reason: entry.reason });
  }
  const listed = new Map<string, number>();
  for (const id of [...accepted, ...duplicates]) {
    if (typeof id !== "string") return;
    listed.set(id, (listed.get(id) || 0) + 1);
  }
  for (let i = 0; i < batch.length; i++) {
    if (answered[i]) continue;
    const left = (listed.get(batch[i].id) || 0) - 1;
    if (left < 0) return;
    listed.set(batch[i].id, left);
  }
  return refused;
}
