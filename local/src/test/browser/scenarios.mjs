// Browser tests of the browser client (web-client/) on the demo page, in Debian's Chromium driven by
// playwright-core. Run by BrowserClientTest (local/src/test/java/dev/huddle/local/clienttests/), which starts
// the stack and answers this script's questions on stdin ("ASK db-latency 200" → "ok"; "ASK drained p n" →
// "rows <n> <distinct>" once the database holds n events with ids p-*, or what it holds at the deadline).
// Usage: node scenarios.mjs SCENARIO BASE_URL OUT_DIR CHROMIUM
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [scenario, baseUrl, outDir, executablePath] = process.argv.slice(2);
const answersIn = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function ask(question) {
  console.log("ASK " + question);
  const { value, done } = await answersIn.next();
  if (done) throw new Error("no answer to " + question);
  return value;
}

function fail(message) {
  throw new Error(scenario + ": " + message);
}

/** Waits for condition() (which may be async) with a deadline; no fixed sleeps. */
async function until(what, condition, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) fail("timed out after " + deadlineMs + " ms waiting for " + what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openDemo(context, query) {
  const page = await context.newPage();
  page.on("pageerror", (error) => console.log("page error: " + error.message));
  page.on("console", (message) => message.type() !== "log" && console.log("page " + message.type() + ": " + message.text()));
  await page.goto(baseUrl + "/demo/?" + query);
  await page.waitForFunction(() => window.demo !== undefined);
  return page;
}

const stats = (page) => page.evaluate(() => window.demo.stats());
const stored = (page) => page.evaluate(() => window.demo.stored);
const idle = async (page) => {
  const s = await stats(page);
  return s.sender && s.totalDepth === 0 && s.progress.inFlight === 0 && s.analytics.inFlight === 0;
};

async function drained(prefix, events) {
  const [word, rows, distinct] = (await ask(`drained ${prefix} ${events}`)).split(" ");
  if (word !== "rows" || Number(rows) !== events || Number(distinct) !== events) {
    fail(`expected ${events} rows, each event once; the database has ${rows} rows of ${distinct} events`);
  }
}

const scenarios = {
  /** 500 events across both queues, each in the database exactly once; then a lesson played, and a screenshot. */
  async "exactly-once"(context, prefix) {
    const page = await openDemo(context, `user=learner-0004&name=${prefix}`);
    await page.evaluate((p) => window.demo.trackMany(p, 500), prefix);
    if ((await stored(page)) !== 500) fail("not every event was stored");
    await until("the queues drained", () => idle(page));
    await drained(prefix, 500);
    const answersBefore = await page.evaluate(() => window.demo.answers.length);
    await page.click("#play");
    await until("the lesson completed and its events answered", () => page.evaluate((n) =>
      document.querySelector("#bar").value === 100 && !document.querySelector("#play").disabled
      && window.demo.stats().totalDepth === 0 && window.demo.answers.length > n
      && window.demo.answers.slice(n).every((a) => a.verdict && a.rejected === 0), answersBefore));
    await page.evaluate(() => window.demo.render());
    await page.screenshot({ path: join(outDir, "demo-page.png"), fullPage: true });
    return { answers: await page.evaluate(() => window.demo.answers.length) };
  },

  /** The renderer crashes while a batch is in flight; the page opened again sends what was left, once. */
  async crash(context, prefix) {
    await ask("db-latency 300");
    const query = `user=learner-0007&name=${prefix}`;
    const page = await openDemo(context, query);
    await page.evaluate((p) => window.demo.trackMany(p, 300), prefix);
    if ((await stored(page)) !== 300) fail("not every event was stored");
    await until("a batch in flight", async () => {
      const s = await stats(page);
      return s.progress.inFlight > 0 || s.analytics.inFlight > 0;
    });
    const crashed = new Promise((resolve) => page.once("crash", resolve));
    const cdp = await context.newCDPSession(page);
    cdp.send("Page.crash").catch(() => {});
    await crashed;
    await ask("db-latency 0");
    const again = await openDemo(context, query);
    await until("the queues drained after the crash", () => idle(again), 90_000);
    await drained(prefix, 300);
    // Events the server took before the crash but that had no verdict in the page come back as duplicates.
    const after = await again.evaluate(() => window.demo.answers);
    return { sentAfterCrash: after.reduce((n, a) => n + a.events, 0),
      duplicatesAfterCrash: after.reduce((n, a) => n + a.duplicates, 0) };
  },

  /** Offline: the queue grows and nothing is sent; back online it drains. */
  async offline(context, prefix) {
    const page = await openDemo(context, `user=learner-0010&name=${prefix}`);
    await until("the page is the sender", async () => (await stats(page)).sender);
    await context.setOffline(true);
    await until("the client saw it is offline", async () => !(await stats(page)).online);
    const answersBefore = await page.evaluate(() => window.demo.answers.length);
    await page.evaluate((p) => window.demo.trackMany(p, 200), prefix);
    const offline = await stats(page);
    if (offline.totalDepth !== 200) fail("queue depth offline " + offline.totalDepth + ", expected 200");
    const answersOffline = await page.evaluate(() => window.demo.answers.length) - answersBefore;
    if (answersOffline !== 0) fail(answersOffline + " answers while offline");
    await context.setOffline(false);
    await until("the queues drained after coming back online", () => idle(page));
    await drained(prefix, 200);
    return { depthWhileOffline: offline.totalDepth };
  },

  /** The tab is closed with events queued: the final flush on pagehide (fetch keepalive) delivers them. */
  async "close-tab"(context, prefix) {
    const page = await openDemo(context, `user=learner-0019&name=${prefix}&minIntervalMs=60000&maxIntervalMs=60000`);
    await until("the page is the sender and has looked at its empty queue", async () => {
      const s = await stats(page);
      return s.sender && s.progress.inFlight === 0 && s.analytics.inFlight === 0;
    });
    await page.evaluate((p) => window.demo.trackMany(p, 40), prefix);
    const queued = (await stats(page)).totalDepth;
    if (queued !== 40) fail("expected the 40 events queued until the tab closes, found " + queued);
    await page.close({ runBeforeUnload: true });
    await drained(prefix, 40);
    return { queuedAtClose: queued };
  },

  /** Two tabs tracking at once: one sends, nothing twice (the server counts requests in flight per queue). */
  async "two-tabs"(context, prefix) {
    const query = `user=learner-0013&name=${prefix}`;
    const tabs = [await openDemo(context, query), await openDemo(context, query)];
    await until("one tab is the sender", async () => (await Promise.all(tabs.map(stats))).filter((s) => s.sender).length === 1);
    await Promise.all(tabs.map((tab, i) => tab.evaluate(([p, from]) => window.demo.trackMany(p, 250, from), [prefix, i * 250])));
    const senders = (await Promise.all(tabs.map(stats))).map((s) => s.sender);
    await drained(prefix, 500);
    return { senders };
  },

  /**
   * A slow database: the interval rises, and comes back down once the database is fast again. With 200 ms
   * more per request the client's formula (min + 4 × EWMA(latency) + X-Client-Queue-Lag, the Java client's)
   * asks for about 800 ms more once the EWMA has caught up (500 ms after four answers); 8 s would take
   * about 1.7 s per request.
   */
  async "slow-server"(context, prefix) {
    const page = await openDemo(context, `user=learner-0016&name=${prefix}`);
    // Keeps the queue fed so every tick sends something.
    await page.evaluate((p) => {
      let i = 0;
      setInterval(() => window.demo.stats().progress.depth < 10 && window.demo.trackMany(p, 2, (i += 2) - 2), 150);
    }, prefix);
    const progress = async () => (await stats(page)).progress;
    const answers = () => page.evaluate(() => window.demo.answers.filter((a) => a.queue === "progress").length);
    // The base: where the interval settles at the database's normal speed once the EWMA has forgotten the
    // cold start (0.7^6: an eighth of it is left after six answers); on a loaded machine it is above 1 s.
    await until("six answers at normal speed", async () => (await answers()) >= 6, 90_000);
    const base = await progress();
    await ask("db-latency 200");
    const startedSlow = Date.now();
    let peak = 0;
    await until("the interval rising under a slow database", async () => {
      peak = Math.max(peak, (await progress()).intervalMs);
      return peak >= base.intervalMs + 500;
    }, 60_000);
    const slowLatency = (await progress()).lastLatencyMs;
    const riseMs = Date.now() - startedSlow;
    await ask("db-latency 0");
    const startedFast = Date.now();
    await until("the interval back down where it was", async () => {
      const q = await progress();
      peak = Math.max(peak, q.intervalMs);
      return q.intervalMs <= base.intervalMs + 200;
    }, 60_000);
    return { baseIntervalMs: base.intervalMs, peakIntervalMs: peak, slowLatencyMs: slowLatency, riseMs,
      recoveryMs: Date.now() - startedFast };
  },
};

const userDataDir = mkdtempSync(join(tmpdir(), "huddle-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let code = 0;
try {
  const prefix = scenario + "-" + Date.now().toString(36);
  const result = await scenarios[scenario](context, prefix);
  console.log("RESULT " + JSON.stringify({ scenario, prefix, ...result }));
} catch (error) {
  console.log("FAILED " + (error.stack || error));
  code = 1;
} finally {
  await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(code);
