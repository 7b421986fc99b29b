// Test support: a real HTTP server on a port of HUDDLE_TEST_PORT_RANGE that plays the API, loading the
// TypeScript sources through esbuild, fresh IndexedDB factories (fake-indexeddb) and waiting for conditions.
import { build } from "esbuild";
import { IDBFactory } from "fake-indexeddb";
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

const here = new URL("..", import.meta.url).pathname;

/** Imports a module of src/ (TypeScript) bundled by esbuild. */
export async function load(entry) {
  const out = await build({ entryPoints: [here + entry], bundle: true, format: "esm", write: false, logLevel: "error" });
  return import("data:text/javascript;base64," + Buffer.from(out.outputFiles[0].text).toString("base64"));
}

export const client = () => load("src/index.ts");
export const newDatabase = () => new IDBFactory();

/**
 * The API's batch routes; `answer(request)` decides each answer (default: accept every event). Records
 * every request: queue, headers, the decoded events, and the most requests in flight per queue at once.
 */
export async function startServer(answer = accept) {
  const requests = [];
  const inFlight = { progress: 0, analytics: 0 };
  const maxInFlight = { progress: 0, analytics: 0 };
  const server = createServer((req, res) => {
    const queue = req.url.includes("progress") ? "progress" : "analytics";
    inFlight[queue]++;
    maxInFlight[queue] = Math.max(maxInFlight[queue], inFlight[queue]);
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      const request = { queue, headers: req.headers, events: JSON.parse(raw.toString()).events, at: Date.now() };
      requests.push(request);
      const { status = 200, headers = {}, body, delayMs = 0 } = await answer(request, requests.length);
      setTimeout(() => {
        inFlight[queue]--;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      }, delayMs);
    });
  });
  const [from, to] = (process.env.HUDDLE_TEST_PORT_RANGE || "47000-47999").split("-").map(Number);
  for (let port = from + Math.floor(Math.random() * (to - from)); ; port = port < to ? port + 1 : from) {
    const ok = await new Promise((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (ok) break;
  }
  return {
    baseUrl: "http://127.0.0.1:" + server.address().port,
    requests,
    maxInFlight,
    events: (queue) => requests.filter((r) => !queue || r.queue === queue).flatMap((r) => r.events),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export function accept(request) {
  return { body: { accepted: request.events.map((e) => e.eventId), duplicates: [], rejected: [] } };
}

/** Waits until condition() holds, polling; fails with `what` after the deadline. */
export async function eventually(what, condition, deadlineMs = 30_000) {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("timed out waiting for: " + what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const progress = (i) => ({ type: "lesson_progress", courseId: "course-101", lessonId: "course-101-lesson-01",
  progressPercent: i % 100, timeSpentSeconds: 1 });
