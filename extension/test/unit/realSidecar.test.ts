// End to end below the UI: reducer -> tracker -> SidecarClient (real vscode-languageclient) -> the real
// Python sidecar (`python -m trackit_sidecar serve --db <tmp>`, found by the real resolution code) ->
// DuckDB -> trackit/lineageChanged -> trackit/lineage -> the tree model.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type * as vscode from "vscode";
import { ExecutionReducer } from "../../src/notebook/reducer";
import { sha256Hex } from "../../src/notebook/outputs";
import { ResendBuffer } from "../../src/notebook/resendBuffer";
import { Tracker } from "../../src/notebook/tracker";
import { SidecarClient } from "../../src/sidecar/client";
import { NotificationRegistry } from "../../src/sidecar/notifications";
import type { CellAnnotation, CellExecution, LineageDocument, StatusResult } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { nodeResolveIo, resolveSidecar } from "../../src/sidecar/resolve";
import { buildNotebookNode } from "../../src/views/lineageModel";
import { notebookSources } from "../../src/notebook/sources";
import { toSetConfigParams, DEFAULTS, TrackitSettings } from "../../src/config";
import { errorOutput, FakeNotebook, outputsChanged, runFinished, runStarted, stdout } from "../fakes";
import { summarizeNotebook } from "../../src/commands/summarize";
import type { CommandContext } from "../../src/commands/context";
import { PauseState } from "../../src/notebook/pauseState";
import type { SummaryResult } from "../../src/sidecar/protocol";
import { venvPython } from "../repo";

const noop = () => undefined;
const log = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, append: noop, appendLine: noop, replace: noop, clear: noop, show: noop, hide: noop, dispose: noop, name: "TrackIT", logLevel: 2, onDidChangeLogLevel: () => ({ dispose: noop }) } as unknown as vscode.LogOutputChannel;

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** A real sidecar on `<tmp>/<dbName>` with the editor's settings, a tracker feeding it, and the event ids it
 * confirmed durable (in order). */
async function startRealSidecar(tmp: string, dbName: string, settings: TrackitSettings = DEFAULTS) {
  const dbPath = path.join(tmp, dbName);
  const resolution = await resolveSidecar(
    { platform: process.platform, extensionPath: path.join(tmp, "no-ext"), dbPath, pythonPath: venvPython() },
    nodeResolveIo,
  );
  assert.ok(resolution.ok, resolution.ok ? "" : resolution.message);
  const registry = new NotificationRegistry();
  const client: SidecarClient = new SidecarClient({
    log,
    registry,
    resolveCommand: async () => resolution,
    onStateChange: noop,
    onReady: (g) => {
      client.notify(Methods.SET_CONFIG, toSetConfigParams(settings, true));
      tracker.handleSidecarReady(g);
    },
    showError: async () => undefined,
    onErrorAction: noop,
    onDatabaseProblem: noop,
  });
  const tracker = new Tracker({
    reducer: new ExecutionReducer({ settleMs: 0, limits: { maxTextBytes: settings.maxTextOutputBytes, maxBinaryBytes: 262144 } }),
    buffer: new ResendBuffer<CellExecution>(100),
    send: (e) => client.notify(Methods.CELL_EXECUTED, e),
    isTracked: () => true,
    log: { info: noop, warn: noop },
    timers: { now: Date.now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) },
  });
  const confirmed: string[] = [];
  registry.on(Methods.LINEAGE_CHANGED, (p) => {
    confirmed.push(...p.event_ids);
    tracker.handleLineageChanged(p);
  });
  return { client, tracker, confirmed, dbPath };
}

describe("real sidecar", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "trackit-real-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("records runs from notebook events and serves them back as lineage the tree can show", async () => {
    const { client, tracker, confirmed, dbPath } = await startRealSidecar(tmp, "trackit.duckdb");
    try {
      await client.restart();
      const status = await client.request<StatusResult>(Methods.STATUS, {});
      assert.equal(status.db_path, dbPath);

      const nb = new FakeNotebook(path.join(tmp, "titanic.ipynb"));
      nb.add("# Titanic", { kind: 1 });
      const load = nb.add("import pandas as pd\ndf = pd.DataFrame({'a': [1, None, 3]})", { id: "load" });
      const clean = nb.add("df_clean = df.dropna()\nprint(len(df_clean))", { id: "clean" });
      const bad = nb.add("df_clean['missing']", { id: "bad" });
      const t0 = Date.now();
      tracker.handleChange(runStarted(nb, load, 1));
      tracker.handleChange(runFinished(nb, load, 1, true, t0, t0 + 20));
      tracker.handleChange(outputsChanged(nb, clean, [stdout("2\n")]));
      tracker.handleChange(runFinished(nb, clean, 2, true, t0 + 30, t0 + 35));
      tracker.handleChange(outputsChanged(nb, bad, [errorOutput("KeyError", "'missing'")]));
      tracker.handleChange(runFinished(nb, bad, 3, false, t0 + 40, t0 + 41));
      await until(() => confirmed.length === 3 && tracker.unconfirmed === 0, "three executions confirmed durable");

      // No controller announced a kernel for these runs, so the sidecar ties none: it records why there are no
      // runtime facts (decided just after the runs are stored).
      let doc!: LineageDocument;
      await until(async () => {
        doc = await client.request<LineageDocument>(Methods.LINEAGE, { notebook_uri: nb.uri.toString(), include_source: false });
        return doc.executions.every((e) => e.runtime_status);
      }, "every run to have a runtime status");
      assert.deepEqual(doc.executions.map((e) => e.runtime_status), Array(3).fill("kernel_not_identified"));
      assert.deepEqual(doc.executions.map((e) => [e.cell_id, e.cell_index, e.status]), [
        ["load", 1, "ok"],
        ["clean", 2, "ok"],
        ["bad", 3, "error"],
      ]);
      // The editor's staleness check hashes the cell text the same way the sidecar does.
      assert.equal(doc.executions[1].source_sha256, sha256Hex(clean.source));

      // The user edits the clean cell: the editor says what the cells hold now, the sidecar marks the runs
      // that used the old code stale, following lineage (the failed cell read df_clean from the clean run).
      clean.source += "\n# edited";
      assert.ok(client.notify(Methods.NOTEBOOK_SOURCES, notebookSources(nb)));
      const edited = await client.request<LineageDocument>(Methods.LINEAGE, { notebook_uri: nb.uri.toString(), include_source: false });
      assert.deepEqual(edited.executions.map((e) => [e.cell_id, e.stale ?? null]), [
        ["load", null],
        ["clean", "edited"],
        ["bad", "upstream"],
      ]);
      const root = buildNotebookNode(edited, "titanic.ipynb");
      const [session] = root.children();
      assert.match(session.label, /^Session 1 \u00b7 \d\d:\d\d \u00b7 3 runs$/);
      const [note, ...runs] = session.children();
      assert.equal(note.label, "runtime facts unavailable (kernel not identified)");
      assert.deepEqual(runs.map((r) => r.label), ["[1] Cell 2", "[2] Cell 3", "[3] Cell 4"]);
      assert.match(runs[1].description!, /^Dropped rows with missing values from df into df_clean \u00b7 \d+ ms \(edited since\)$/);
      assert.equal(runs[2].description, "error: KeyError (stale)");
      const badAnnotation = await client.request<CellAnnotation>(Methods.CELL_ANNOTATION, { notebook_uri: nb.uri.toString(), cell_id: "bad" });
      assert.equal(badAnnotation.stale, "upstream");
      const cleanChildren = runs[1].children().map((n) => n.label);
      assert.ok(cleanChildren.includes("reads: df") && cleanChildren.includes("writes: df_clean"), cleanChildren.join(", "));
      const writeNode = runs[1].children().find((n) => n.label === "writes: df_clean")!;
      assert.deepEqual(writeNode.children().map((n) => [n.label, n.description]), [["from: df", "\u2190 [1] Cell 2"]]);

      const annotation = await client.request<CellAnnotation>(Methods.CELL_ANNOTATION, { notebook_uri: nb.uri.toString(), cell_id: "load" });
      assert.equal(annotation.run_count, 1);
      assert.ok(annotation.downstream.some((c) => c.cell_id === "clean"));
    } finally {
      await client.dispose();
    }
  });

  it("stores outputs up to the editor's capture.maxTextOutputBytes, not the sidecar's default", async () => {
    const settings = { ...DEFAULTS, maxTextOutputBytes: 100_000 }; // above the sidecar's own 65,536
    const { client, tracker, confirmed } = await startRealSidecar(tmp, "cap.duckdb", settings);
    try {
      await client.restart();
      const nb = new FakeNotebook(path.join(tmp, "big-output.ipynb"));
      const cell = nb.add("print('0123456789' * 9000)", { id: "big" });
      const printed = "0123456789".repeat(9000) + "\n"; // 90,001 bytes
      const t0 = Date.now();
      tracker.handleChange(runStarted(nb, cell, 1));
      tracker.handleChange(outputsChanged(nb, cell, [stdout(printed)]));
      tracker.handleChange(runFinished(nb, cell, 1, true, t0, t0 + 5));
      await until(() => confirmed.length === 1, "the run confirmed durable");
      const doc = await client.request<LineageDocument>(Methods.LINEAGE, { notebook_uri: nb.uri.toString(), include_source: false });
      const [output] = doc.executions[0].outputs;
      assert.equal(output.text?.length, printed.length);
      assert.ok(!output.truncated);
    } finally {
      await client.dispose();
    }
  });

  it("summarize, re-run, summarize again: the second view shows the new counts", async () => {
    const { client, tracker, confirmed } = await startRealSidecar(tmp, "summaries.duckdb");
    const shown: SummaryResult[] = [];
    const ctx: CommandContext = {
      sidecar: client, log, pause: new PauseState({ get: () => undefined, update: async () => undefined }),
      summaries: { show: (_uri, _name, result) => void shown.push(result), busy: noop },
      settings: () => DEFAULTS, trusted: () => true,
    };
    const v = require("vscode");
    const savedProgress = v.window.withProgress;
    v.window.withProgress = (_o: unknown, task: () => Promise<unknown>) => task();
    try {
      await client.restart();
      const nb = new FakeNotebook(path.join(tmp, "counts.ipynb"));
      const load = nb.add("import pandas as pd\ndf = pd.DataFrame({'a': [1, None, 3]})", { id: "load" });
      const clean = nb.add("df = df.dropna()", { id: "clean" });
      let order = 0;
      const run = async (cell: ReturnType<typeof nb.add>) => {
        order += 1;
        const t0 = Date.now();
        tracker.handleChange(runStarted(nb, cell, order));
        tracker.handleChange(runFinished(nb, cell, order, true, t0, t0 + 5));
        await until(() => confirmed.length === order && tracker.unconfirmed === 0, `execution [${order}] stored`);
      };
      await run(load);
      await run(clean);
      await summarizeNotebook(ctx, nb.uri.toString());
      assert.match(shown[0].markdown, /This session ran 2 executions of 2 cells/);
      assert.ok((shown[0].citations ?? []).some((c) => c.cells.some((cell) => cell.cell_id === "clean")), "citations point at cells");
      await new Promise((r) => setTimeout(r, 1100)); // summaries are stamped to the second
      await run(load);
      await run(clean);
      await summarizeNotebook(ctx, nb.uri.toString());
      assert.equal(shown.length, 2);
      assert.match(shown[1].markdown, /This session ran 4 executions of 2 cells/);
      assert.notEqual(shown[1].created_at, shown[0].created_at);
    } finally {
      v.window.withProgress = savedProgress;
      await client.dispose();
    }
  });
});
