import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./support.mjs";

const { AdaptiveInterval, backoff } = await load("src/interval.ts");
const { classify, cut } = await load("src/answer.ts");
const queued = (id, bytes = 10) => ({ key: 1, id, json: "{}", bytes, at: 0 });

test("the interval rises at once with latency and queue lag, and comes down by halving", () => {
  const interval = new AdaptiveInterval(1000, 8000);
  interval.onAnswer(400, 1500, 0, 0);
  assert.equal(interval.current, 1000 + 1600 + 1500);
  interval.onAnswer(2000, 5000, 0, 0);
  assert.equal(interval.current, 8000, "clamped to the maximum");
  for (let i = 0; i < 30; i++) interval.onAnswer(5, 0, 0, 0);
  assert.ok(interval.current < 1100, "back near the minimum: " + interval.current);
  interval.onAnswer(5, 0, 3000, 100);
  assert.equal(interval.notBefore, 3100);
  interval.onAnswer(5, 0, 0, 200);
  assert.equal(interval.notBefore, 3100, "a Retry-After hold is never shortened");
});

test("backoff doubles with equal jitter up to the cap", () => {
  assert.equal(backoff(1, 1000, 16000, () => 0), 1000);
  assert.equal(backoff(3, 1000, 16000, () => 1), 2000);
  assert.equal(backoff(10, 1000, 16000, () => 0), 16000);
});

test("batches are cut at 100 events and at the byte limit, one oversized event alone", () => {
  assert.equal(cut(Array.from({ length: 150 }, (_, i) => queued("e" + i))), 100);
  assert.equal(cut([queued("a", 100_000), queued("b", 100_000), queued("c", 100_000)]), 2);
  assert.equal(cut([queued("a", 300_000), queued("b")]), 1);
});

test("only a BatchResult that accounts for every event exactly once is a verdict", () => {
  const batch = [queued("a1"), queued("b1")];
  const result = (body) => classify("progress", batch, 200, JSON.stringify(body));
  assert.equal(result({ accepted: ["a1"], duplicates: ["b1"], rejected: [] }).verdict, true);
  assert.equal(result({ accepted: ["a1", "a1"], duplicates: [], rejected: [] }).verdict, false, "repeated id");
  assert.equal(result({ accepted: ["a1", "zz"], duplicates: [], rejected: [] }).verdict, false, "foreign id");
  assert.equal(result({ accepted: ["a1"], duplicates: [], rejected: [{ index: 2, reason: "x" }] }).verdict, false, "index out of range");
  assert.equal(result({ accepted: ["a1"], duplicates: [], rejected: [{ index: 1, eventId: "a1", reason: "x" }] }).verdict, false, "wrong id at index");
  assert.deepEqual(result({ accepted: ["a1"], duplicates: [], rejected: [{ index: 1, reason: "no_assignment" }] }).rejected,
    [{ queue: "progress", eventId: "b1", reason: "no_assignment" }]);
  assert.equal(classify("progress", batch, 413, '{"error":"too_many_events","message":"m"}').verdict, true);
  assert.equal(classify("progress", batch, 413, '{"error":"invalid_json","message":"m"}').verdict, false, "a code of another status");
  assert.equal(classify("progress", batch, 404, '{"message":"Not Found"}').blocked, true);
  assert.equal(classify("progress", batch, 500, "").verdict, false);
});
