// The demo page's script: a lesson player over the browser client. window.demo is what the browser tests
// (local/src/test/browser/) drive: the client, every answer, and helpers to track many events.
import { createClient } from "./huddle-client.js";

const params = new URLSearchParams(location.search);
const user = params.get("user") || "learner-0001";
const course = "course-101";
const $ = (id) => document.getElementById(id);
const answers = [];

async function token() {
  const response = await fetch("token?user=" + encodeURIComponent(user));
  if (!response.ok) throw new Error("no demo token: HTTP " + response.status);
  return response.text();
}

const client = await createClient({
  baseUrl: location.origin,
  token,
  name: params.get("name") || user,
  // For tests: ?minIntervalMs=30000 keeps events queued until the page is left.
  minIntervalMs: Number(params.get("minIntervalMs")) || undefined,
  maxIntervalMs: Number(params.get("maxIntervalMs")) || undefined,
  onAnswer: (answer) => {
    answers.push(answer);
    const line = document.createElement("div");
    line.className = answer.verdict ? "ok" : "kept";
    line.textContent = `${new Date().toLocaleTimeString()} ${answer.queue} HTTP ${answer.status}: ${answer.events} events, `
      + (answer.verdict ? `${answer.accepted} accepted, ${answer.duplicates} duplicates, ${answer.rejected} rejected`
        : "kept for a retry") + `, ${answer.latencyMs} ms`;
    $("answers").prepend(line);
  },
  onError: (error) => console.warn("kept", error.queue, error.status, error.description),
  onRejected: (events) => events.forEach((e) => console.warn("rejected", e.queue, e.eventId, e.reason)),
  onBacklogWarning: (stats) => console.warn("huddle backlog", stats.totalDepth),
});

function render() {
  const stats = client.getQueueStats();
  $("stats").replaceChildren(...["progress", "analytics"].map((queue) => {
    const q = stats[queue];
    const row = document.createElement("tr");
    for (const value of [queue, q.depth, (q.oldestAgeMs / 1000).toFixed(1), q.inFlight, q.intervalMs, q.lastLatencyMs]) {
      row.append(Object.assign(document.createElement("td"), { textContent: value }));
    }
    return row;
  }));
  $("tab").textContent = (stats.sender ? "This tab sends the shared queues." : "Another tab sends the shared queues.")
    + (stats.online ? "" : " Offline: sending paused.");
}
setInterval(render, 250);
render();

$("user").textContent = user;
for (let n = 1; n <= 10; n++) {
  const lesson = `${course}-lesson-${String(n).padStart(2, "0")}`;
  $("lesson").append(Object.assign(document.createElement("option"), { value: lesson, textContent: lesson }));
}

/** Plays the selected lesson: a progress tick every 400 ms, then the completion. */
$("play").onclick = async () => {
  const lessonId = $("lesson").value;
  $("play").disabled = true;
  await client.trackAnalytics({ name: "lesson_started", courseId: course, lessonId });
  for (let percent = 10; percent <= 100; percent += 10) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    $("bar").value = percent;
    $("percent").textContent = percent + " %";
    if (percent < 100) {
      await client.trackProgress({ type: "lesson_progress", courseId: course, lessonId, progressPercent: percent, timeSpentSeconds: 4 });
    }
  }
  await client.trackProgress({ type: "lesson_completed", courseId: course, lessonId, timeSpentSeconds: 4 });
  await client.trackAnalytics({ name: "lesson_completed", courseId: course, lessonId });
  $("play").disabled = false;
};

/**
 * For tests: tracks `count` events alternating the two queues, ids `${prefix}-${i}`, 20 at a time (one
 * IndexedDB transaction each); counts those stored.
 */
async function trackMany(prefix, count, from = 0) {
  for (let start = from; start < from + count; start += 20) {
    const chunk = [];
    for (let i = start; i < Math.min(start + 20, from + count); i++) {
      const eventId = `${prefix}-${String(i).padStart(5, "0")}`;
      const lessonId = `${course}-lesson-${String(1 + (i % 10)).padStart(2, "0")}`;
      chunk.push(i % 2
        ? client.trackAnalytics({ eventId, name: "test_event", courseId: course, lessonId })
        : client.trackProgress({ eventId, type: "lesson_progress", courseId: course, lessonId, progressPercent: i % 100, timeSpentSeconds: 1 }));
    }
    window.demo.stored += (await Promise.all(chunk)).filter(Boolean).length;
  }
}

window.demo = { client, answers, trackMany, render, stored: 0, stats: () => client.getQueueStats() };
