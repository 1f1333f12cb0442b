// SidecarClient with the real vscode-languageclient over real stdio, against a stand-in sidecar process
// (test/servers/fakeSidecar.js). Covers start, notifications both ways, automatic restart after a crash,
// single-flight manual restarts, giving up after repeated crashes, and (with the Tracker) re-sending
// unconfirmed events to the restarted process.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type * as vscode from "vscode";
import { ExecutionReducer } from "../../src/notebook/reducer";
import { ResendBuffer } from "../../src/notebook/resendBuffer";
import { Tracker } from "../../src/notebook/tracker";
import { SidecarClient, SidecarState } from "../../src/sidecar/client";
import { NotificationRegistry } from "../../src/sidecar/notifications";
import type { CellExecution, LineageChanged } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import type { Resolution } from "../../src/sidecar/resolve";
import { FakeNotebook, runFinished, sequentialIds } from "../fakes";

const fakeServer = path.join(__dirname, "..", "..", "..", "test", "servers", "fakeSidecar.js");
const tmp = mkdtempSync(path.join(os.tmpdir(), "trackit-client-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const quietLog = () => {
  const lines: string[] = [];
  const add = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  const log = {
    lines,
    info: add("info"), warn: add("warn"), error: add("error"), debug: add("debug"), trace: add("trace"),
    append: add("append"), appendLine: add("line"), replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
    name: "TrackIT", logLevel: 2, onDidChangeLogLevel: () => ({ dispose() {} }),
  };
  return log as unknown as vscode.LogOutputChannel & { lines: string[] };
};

interface Received {
  pid: number;
  method: string;
  params: any;
}
function received(logFile: string): Received[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

function harness(name: string, opts: { command?: Resolution; env?: Record<string, string> } = {}) {
  const logFile = path.join(tmp, `${name}.jsonl`);
  process.env.TRACKIT_FAKE_LOG = logFile; // inherited by the sidecar process (like TRACKIT_LOG_FILE)
  for (const [k, v] of Object.entries(opts.env ?? {})) process.env[k] = v;
  const registry = new NotificationRegistry();
  const states: SidecarState[] = [];
  const readies: number[] = [];
  const errors: string[] = [];
  const problems: string[] = [];
  let onReady: (g: number) => void = () => undefined;
  const client = new SidecarClient({
    log: quietLog(),
    registry,
    resolveCommand: async () =>
      opts.command ?? { ok: true, value: { command: process.execPath, args: [fakeServer, "serve", "--db", path.join(tmp, `${name}.duckdb`)], source: "setting", description: "fake sidecar" } },
    onStateChange: (s) => void states.push(s),
    onReady: (g) => {
      readies.push(g);
      onReady(g);
    },
    showError: async (m) => {
      errors.push(m);
      return undefined;
    },
    onErrorAction: () => undefined,
    onDatabaseProblem: (problem) => void problems.push(problem.message),
    crashPolicy: { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 20, maxDelayMs: 50 },
  });
  const cleanup = () => {
    delete process.env.TRACKIT_FAKE_LOG;
    for (const k of Object.keys(opts.env ?? {})) delete process.env[k];
  };
  return { client, registry, states, readies, errors, problems, logFile, setOnReady: (f: (g: number) => void) => (onReady = f), cleanup };
}

describe("SidecarClient (real languageclient, stand-in sidecar process)", () => {
  it("starts `<cmd> serve --db PATH`, sends notifications and dispatches trackit/lineageChanged", async () => {
    const h = harness("basic");
    const changed: LineageChanged[] = [];
    h.registry.on(Methods.LINEAGE_CHANGED, (p) => void changed.push(p));
    await h.client.restart();
    assert.equal(h.client.state, "running");
    assert.deepEqual(h.readies, [1]);
    const init = received(h.logFile).find((r) => r.method === "initialize")!;
    assert.deepEqual(init.params.args, ["serve", "--db", path.join(tmp, "basic.duckdb")]);
    assert.deepEqual(init.params.initializationOptions, { protocol_version: 1 });
    assert.equal(h.client.notify(Methods.CELL_EXECUTED, { event_id: "e1", notebook_uri: "file:///n.ipynb", cell_id: "c" }), true);
    await until(() => changed.length === 1, "lineageChanged");
    assert.deepEqual(changed[0].event_ids, ["e1"]);
    const status = await h.client.request<{ db_mode: string }>(Methods.STATUS, {});
    assert.equal(status.db_mode, "owner");
    await h.client.dispose();
    assert.equal(h.client.state, "stopped");
    assert.equal(h.client.notify(Methods.CELL_EXECUTED, {}), false, "not running: the caller keeps the event");
    await assert.rejects(h.client.request(Methods.STATUS, {}), /not running/);
    h.cleanup();
  });

  it("restarts automatically after the sidecar crashes, in a new process", async () => {
    const h = harness("crash");
    await h.client.restart();
    const firstPid = received(h.logFile).find((r) => r.method === "initialize")!.pid;
    h.client.notify("test/crash", {});
    await until(() => h.readies.length === 2, "second ready after the crash");
    const pids = new Set(received(h.logFile).filter((r) => r.method === "initialize").map((r) => r.pid));
    assert.equal(pids.size, 2);
    assert.ok(pids.has(firstPid));
    assert.ok(h.states.includes("starting"));
    assert.equal(h.client.state, "running");
    await h.client.dispose();
    h.cleanup();
  });

  it("collapses concurrent manual restarts into one running and at most one queued", async () => {
    const h = harness("single-flight");
    await Promise.all([h.client.restart(), h.client.restart(), h.client.restart(), h.client.restart()]);
    assert.equal(received(h.logFile).filter((r) => r.method === "initialize").length, 2);
    assert.deepEqual(h.readies, [1, 2]);
    await h.client.dispose();
    h.cleanup();
  });

  it("gives up after repeated crashes and says so with Show logs", async () => {
    const h = harness("give-up", {
      command: { ok: true, value: { command: process.execPath, args: ["-e", "process.exit(4)", "serve", "--db", "x"], source: "setting", description: "always crashes" } },
    });
    await h.client.restart().catch(() => undefined);
    await until(() => h.client.state === "failed", "failed state");
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0], /stopped 3 times/);
    assert.deepEqual(h.readies, []);
    await h.client.dispose();
    h.cleanup();
  });

  it("a sidecar that exits 2 or 3 with a `trackit:` line about its database is not restarted: the user is told", async () => {
    const script = "process.stderr.write('2026-12-03 INFO serving\\ntrackit: /x/trackit.duckdb is damaged (Corrupt database file); " +
      "repair it with: trackit doctor --repair --db /x/trackit.duckdb\\n'); setTimeout(() => process.exit(2), 20)";
    const h = harness("database-problem", {
      command: { ok: true, value: { command: process.execPath, args: ["-e", script, "serve", "--db", "/x/trackit.duckdb"], source: "setting", description: "damaged database" } },
    });
    await h.client.restart().catch(() => undefined);
    await until(() => h.client.state === "failed", "failed state");
    await new Promise((r) => setTimeout(r, 300)); // a crash would have been restarted by now (20-50 ms back-off)
    assert.deepEqual(h.problems, ["/x/trackit.duckdb is damaged (Corrupt database file); repair it with: trackit doctor --repair --db /x/trackit.duckdb"]);
    assert.equal(h.states.filter((s) => s === "starting").length, 1, "started once: no crash loop");
    assert.deepEqual(h.errors, [], "no crash message: the database problem is the message");
    await h.client.dispose();
    h.cleanup();
  });

  it("a sidecar that exits 2 without a `trackit:` line is a crash, restarted as before", async () => {
    const h = harness("exit-2-crash", {
      command: { ok: true, value: { command: process.execPath, args: ["-e", "process.exit(2)", "serve", "--db", "x"], source: "setting", description: "exits 2" } },
    });
    await h.client.restart().catch(() => undefined);
    await until(() => h.client.state === "failed", "gave up");
    assert.deepEqual(h.problems, []);
    assert.match(h.errors[0], /stopped 3 times/);
    await h.client.dispose();
    h.cleanup();
  });

  it("stop() ends the sidecar until the next restart()", async () => {
    const h = harness("stop");
    await h.client.restart();
    await h.client.stop();
    assert.equal(h.client.state, "stopped");
    await h.client.restart();
    assert.equal(h.client.state, "running");
    assert.equal(received(h.logFile).filter((r) => r.method === "initialize").length, 2);
    await h.client.dispose();
    h.cleanup();
  });

  it("with the Tracker: an event the crashed sidecar never confirmed reaches the restarted one, exactly once per process", async () => {
    const h = harness("resend", { env: { TRACKIT_FAKE_NO_CONFIRM: "1" } });
    const tracker = new Tracker({
      reducer: new ExecutionReducer({ settleMs: 0, limits: { maxTextBytes: 100, maxBinaryBytes: 100 }, newId: sequentialIds("run") }),
      buffer: new ResendBuffer<CellExecution>(100),
      send: (e) => h.client.notify(Methods.CELL_EXECUTED, e),
      isTracked: () => true,
      log: { info: () => undefined, warn: () => undefined },
      timers: { now: Date.now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) },
    });
    h.setOnReady((g) => tracker.handleSidecarReady(g));
    h.registry.on(Methods.LINEAGE_CHANGED, (p) => tracker.handleLineageChanged(p));
    await h.client.restart();
    const nb = new FakeNotebook();
    const cell = nb.add("x = 1", { id: "c1" });
    tracker.handleChange(runFinished(nb, cell, 1, true, 0, 5));
    await until(() => received(h.logFile).some((r) => r.method === "trackit/cellExecuted"), "first delivery");
    h.client.notify("test/crash", {});
    await until(() => h.readies.length === 2, "restart");
    await until(() => received(h.logFile).filter((r) => r.method === "trackit/cellExecuted").length === 2, "re-delivery");
    const deliveries = received(h.logFile).filter((r) => r.method === "trackit/cellExecuted");
    assert.deepEqual(deliveries.map((d) => d.params.event_id), ["run-1", "run-1"], "same event_id: the sidecar de-duplicates");
    assert.notEqual(deliveries[0].pid, deliveries[1].pid);
    assert.equal(tracker.unconfirmed, 1);
    tracker.handleLineageChanged({ notebook_uri: nb.uri.toString(), seq: 1, event_ids: ["run-1"] });
    assert.equal(tracker.unconfirmed, 0);
    await h.client.dispose();
    h.cleanup();
  });
});
