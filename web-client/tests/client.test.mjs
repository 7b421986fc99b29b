import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { accept, client, eventually, newDatabase, progress, startServer } from "./support.mjs";

const { createClient } = await client();
const cleanups = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()(); });

async function setup(options = {}, answer) {
  const server = await startServer(answer);
  cleanups.push(server.close);
  const huddle = await open(server, options);
  return { server, huddle };
}

async function open(server, options = {}) {
  const huddle = await createClient({ baseUrl: server.baseUrl, token: () => "t", indexedDB: options.db || newDatabase(),
    minIntervalMs: 50, maxIntervalMs: 400, ...options });
  cleanups.push(() => huddle.close());
  return huddle;
}

test("delivers both queues gzip-compressed with the queue depth, in batches of at most 100", async () => {
  const { server, huddle } = await setup();
  for (let i = 0; i < 250; i++) await huddle.trackProgress(progress(i));
  for (let i = 0; i < 30; i++) await huddle.trackAnalytics({ name: "video_played" });
  await eventually("all delivered", () => huddle.getQueueStats().totalDepth === 0 && server.events().length >= 280);
  assert.equal(new Set(server.events("progress").map((e) => e.eventId)).size, 250);
  assert.equal(server.events("analytics").length, 30);
  assert.ok(server.requests.every((r) => r.events.length <= 100), "batches of at most 100");
  assert.ok(server.requests.every((r) => r.headers["content-encoding"] === "gzip"));
  assert.ok(server.requests.every((r) => /^\d+$/.test(r.headers["x-client-queue-depth"])));
  assert.equal(server.requests[0].headers.authorization, "Bearer t");
});

test("cuts batches at 256 KB of JSON", async () => {
  const { server, huddle } = await setup();
  const big = "x".repeat(7000);
  for (let i = 0; i < 60; i++) await huddle.trackAnalytics({ name: "big", properties: { big } });
  await eventually("all delivered", () => server.events().length >= 60);
  assert.ok(server.requests.length >= 2, "more than one batch for 60 events of 7 KB");
  assert.ok(server.requests.every((r) => JSON.stringify({ events: r.events }).length <= 256 * 1024));
});

test("keeps events on answers that are no verdict, and removes them once one comes", async () => {
  const answers = [{ body: "<html>portal</html>" }, { body: {} }, { status: 400, body: "bad gateway page" }, { status: 503 }];
  const errors = [];
  const { server, huddle } = await setup({ onError: (e) => errors.push(e.status) },
    (request, n) => answers[n - 1] || accept(request));
  await huddle.trackProgress(progress(1));
  await eventually("delivered after four non-verdicts", () => server.requests.length === 5 && huddle.getQueueStats().totalDepth === 0);
  assert.deepEqual(errors, [200, 200, 400, 503]);
  assert.equal(new Set(server.requests.map((r) => r.events[0].eventId)).size, 1, "the same eventId on every retry");
});

test("a refusal with the API's error body and per-event rejections go to onRejected and leave the queue", async () => {
  const rejected = [];
  const { server, huddle } = await setup({ onRejected: (events) => rejected.push(...events) }, (request, n) => n === 1
    ? { status: 400, body: { error: "invalid_shape", message: "events must be an array" } }
    : { body: { accepted: [request.events[1].eventId], duplicates: [], rejected: [{ index: 0, eventId: request.events[0].eventId, reason: "no_assignment" }] } });
  await huddle.trackProgress(progress(1));
  await eventually("first batch refused", () => rejected.length === 1);
  await huddle.trackProgress(progress(2));
  await huddle.trackProgress(progress(3));
  await eventually("second batch answered", () => rejected.length === 2 && huddle.getQueueStats().totalDepth === 0);
  assert.deepEqual(rejected.map((r) => r.reason), ["invalid_shape", "no_assignment"]);
  assert.equal(server.requests.length, 2);
});

test("a 401 asks the token callback again and retries with the new token", async () => {
  let asked = 0;
  const { server, huddle } = await setup({ token: () => "token-" + ++asked },
    (request, n) => n === 1 ? { status: 401, body: { error: "unauthorized", message: "expired" } } : accept(request));
  await huddle.trackProgress(progress(1));
  await eventually("delivered", () => huddle.getQueueStats().totalDepth === 0 && server.requests.length === 2);
  const [first, retry] = server.requests.map((r) => r.headers.authorization);
  assert.match(retry, /^Bearer token-\d+$/);
  assert.ok(Number(retry.slice(13)) > Number(first.slice(13)), `a token asked after the 401: ${first}, then ${retry}`);
});

test("three 403/404 in a row pause the queue", async () => {
  const errors = [];
  const { server, huddle } = await setup({ onError: (e) => errors.push(e), pausePeriodMs: 60_000 }, () => ({ status: 404, body: { message: "Not Found" } }));
  await huddle.trackProgress(progress(1));
  await eventually("paused", () => errors.length === 3);
  assert.ok(errors[2].pausedUntil > Date.now() + 50_000);
  assert.ok(huddle.getQueueStats().progress.pausedUntil > 0);
  await huddle.flush();
  assert.equal(server.requests.length, 3, "nothing sent while paused, flush included");
});

test("never sends before Retry-After", async () => {
  const { server, huddle } = await setup({}, (request, n) => n === 1
    ? { status: 429, headers: { "Retry-After": "2" }, body: { error: "rate_limited", message: "slow down" } } : accept(request));
  await huddle.trackProgress(progress(1));
  await eventually("retried", () => server.requests.length === 2, 10_000);
  assert.ok(server.requests[1].at - server.requests[0].at >= 1_950, "waited out Retry-After");
});

test("a full queue refuses new events, and the backlog warning fires past 50", async () => {
  const warnings = [];
  const server = await startServer(() => ({ status: 503 }));
  cleanups.push(server.close);
  const huddle = await open(server, { maxQueuedEvents: 60, onBacklogWarning: (s) => warnings.push(s.totalDepth) });
  const stored = await Promise.all(Array.from({ length: 70 }, (_, i) => huddle.trackProgress(progress(i))));
  assert.equal(stored.filter(Boolean).length, 60);
  assert.equal(huddle.getQueueStats().progress.depth, 60);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0] > 50);
  assert.ok(await huddle.trackAnalytics({ name: "x" }), "the analytics queue has its own bound");
});

test("events stored while the server is down are sent by the next page load", async () => {
  const db = newDatabase();
  const down = await startServer(() => ({ status: 502 }));
  const first = await createClient({ baseUrl: down.baseUrl, token: () => "t", indexedDB: db, minIntervalMs: 50 });
  for (let i = 0; i < 20; i++) await first.trackProgress(progress(i));
  await first.close();
  await down.close();
  const { server, huddle } = await setup({ db });
  await eventually("leftovers delivered", () => server.events().length === 20 && huddle.getQueueStats().totalDepth === 0);
});

test("two clients on one database: one sender, no event sent twice, one request in flight per queue", async () => {
  const db = newDatabase();
  const server = await startServer((request) => ({ ...accept(request), delayMs: 30 }));
  cleanups.push(server.close);
  const tabs = [await open(server, { db }), await open(server, { db })];
  await eventually("one sender", () => tabs.filter((t) => t.getQueueStats().sender).length === 1);
  await Promise.all(tabs.flatMap((tab) => Array.from({ length: 150 }, (_, i) => [tab.trackProgress(progress(i)), tab.trackAnalytics({ name: "n" + i })]).flat()));
  await eventually("all delivered", () => server.events().length >= 600);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const ids = server.events().map((e) => e.eventId);
  assert.equal(ids.length, 600);
  assert.equal(new Set(ids).size, 600, "no event sent twice");
  assert.deepEqual(server.maxInFlight, { progress: 1, analytics: 1 });
});
