import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CrashPolicy, SingleFlight } from "../../src/sidecar/restartQueue";

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  it("runs one restart at a time and collapses requests during a run into one queued run", async () => {
    const runs: ReturnType<typeof deferred>[] = [];
    let active = 0;
    let maxActive = 0;
    const q = new SingleFlight(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      const d = deferred();
      runs.push(d);
      try {
        await d.promise;
      } finally {
        active--;
      }
    });
    const first = q.request();
    const second = q.request();
    const third = q.request();
    const fourth = q.request();
    assert.equal(runs.length, 1, "only the first run started");
    assert.equal(q.hasQueued, true);
    assert.equal(second, third, "queued requests share one run");
    assert.equal(third, fourth);
    runs[0].resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    assert.equal(runs.length, 2, "exactly one queued run followed");
    runs[1].resolve();
    await second;
    assert.equal(runs.length, 2);
    assert.equal(maxActive, 1);
    assert.equal(q.isRunning, false);
    assert.equal(q.hasQueued, false);
    // Idle again: a new request starts at once.
    const fifth = q.request();
    assert.equal(runs.length, 3);
    runs[2].resolve();
    await fifth;
  });

  it("still runs the queued restart when the running one fails, and reports each failure to its caller", async () => {
    let n = 0;
    const gates: ReturnType<typeof deferred>[] = [];
    const q = new SingleFlight(async () => {
      n++;
      const d = deferred();
      gates.push(d);
      await d.promise;
    });
    const first = q.request();
    const queued = q.request();
    gates[0].reject(new Error("spawn failed"));
    await assert.rejects(first, /spawn failed/);
    await new Promise((r) => setImmediate(r));
    assert.equal(n, 2);
    gates[1].resolve();
    await queued;
  });
});

describe("CrashPolicy", () => {
  it("backs off exponentially and gives up after maxCrashes within the window", () => {
    const p = new CrashPolicy({ maxCrashes: 4, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 350 });
    assert.deepEqual(p.recordCrash(0), { action: "restart", delayMs: 100, crashesInWindow: 1 });
    assert.deepEqual(p.recordCrash(1000), { action: "restart", delayMs: 200, crashesInWindow: 2 });
    assert.deepEqual(p.recordCrash(2000), { action: "restart", delayMs: 350, crashesInWindow: 3 });
    assert.deepEqual(p.recordCrash(3000), { action: "giveUp", crashesInWindow: 4 });
  });

  it("forgets crashes older than the window, and after a manual reset", () => {
    const p = new CrashPolicy({ maxCrashes: 2, windowMs: 1000, baseDelayMs: 10, maxDelayMs: 1000 });
    p.recordCrash(0);
    assert.equal(p.recordCrash(5000).action, "restart", "the first crash is outside the window");
    p.reset();
    assert.deepEqual(p.recordCrash(5001), { action: "restart", delayMs: 10, crashesInWindow: 1 });
  });
});
