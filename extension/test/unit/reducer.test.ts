import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { cellIdOf, ExecutionReducer, statusOf } from "../../src/notebook/reducer";
import { STDOUT_MIME } from "../../src/notebook/outputs";
import {
  cellMoved,
  cellsRemoved,
  errorOutput,
  FakeNotebook,
  outputsChanged,
  runFinished,
  runStarted,
  sequentialIds,
  stdout,
} from "../fakes";

const SETTLE = 150;
function reducer(): ExecutionReducer {
  return new ExecutionReducer({ settleMs: SETTLE, limits: { maxTextBytes: 1024, maxBinaryBytes: 1024 }, newId: sequentialIds() });
}

describe("ExecutionReducer", () => {
  it("emits one record per run, after the settle window, with outputs, timing and identity", () => {
    const nb = new FakeNotebook();
    nb.add("# intro", { kind: 1 });
    const cell = nb.add("print('hi')", { id: "abc123" });
    const r = reducer();
    assert.deepEqual(r.handleChange(runStarted(nb, cell, 1), 1000), []);
    assert.deepEqual(r.handleChange(outputsChanged(nb, cell, [stdout("hi\n")]), 1005), []);
    assert.deepEqual(r.handleChange(runFinished(nb, cell, 1, true, 1000, 1012), 1012), []);
    assert.equal(r.nextDeadline(), 1012 + SETTLE);
    assert.deepEqual(r.flush(1012 + SETTLE - 1), [], "nothing before the settle window ends");
    const [rec, ...rest] = r.flush(1012 + SETTLE);
    assert.equal(rest.length, 0);
    assert.equal(rec.event_id, "ev-1");
    assert.equal(rec.cell_id, "abc123");
    assert.equal(rec.cell_index, 1, "0-based among all cells, markdown included");
    assert.equal(rec.notebook_uri, "file:///work/nb/analysis.ipynb");
    assert.equal(rec.notebook_path, "/work/nb/analysis.ipynb");
    assert.equal(rec.source, "print('hi')");
    assert.equal(rec.execution_order, 1);
    assert.equal(rec.started_at, 1000);
    assert.equal(rec.ended_at, 1012);
    assert.equal(rec.status, "ok");
    assert.equal(rec.kernel_name, "python3");
    assert.equal(rec.language, "python");
    assert.deepEqual(
      rec.outputs.map((o) => [o.output_type, o.mime, o.text]),
      [["stream", STDOUT_MIME, "hi\n"]],
    );
    assert.equal(r.pendingCount(), 0);
  });

  it("dedupes the same (cell, executionOrder, endTime) however often it is reported", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("x = 1", { id: "c1" });
    const r = reducer();
    r.handleChange(runStarted(nb, cell, 3), 0);
    r.handleChange(runFinished(nb, cell, 3, true, 0, 10), 10);
    r.handleChange(runFinished(nb, cell, 3, true, 0, 10), 20); // same summary again (e.g. metadata refresh)
    assert.equal(r.flush(1000).length, 1);
    // Reported again after it was emitted (e.g. the notebook is reopened with the summary restored).
    r.handleChange(runFinished(nb, cell, 3, true, 0, 10), 2000);
    assert.deepEqual(r.flush(5000), []);
    // A real re-run with the same execution order but a new end time is a new execution.
    r.handleChange(runFinished(nb, cell, 3, true, 6000, 6010), 6010);
    assert.equal(r.flush(9000).length, 1);
  });

  it("waits for late outputs: each output change restarts the settle window", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("df.head()", { id: "c1" });
    const r = reducer();
    r.handleChange(runStarted(nb, cell, 1), 0);
    r.handleChange(runFinished(nb, cell, 1, true, 0, 50), 50);
    r.handleChange(outputsChanged(nb, cell, [stdout("a")]), 120);
    assert.deepEqual(r.flush(50 + SETTLE), [], "late output pushed the deadline");
    r.handleChange(outputsChanged(nb, cell, [stdout("a"), stdout("b")]), 190);
    assert.deepEqual(r.flush(120 + SETTLE), []);
    const [rec] = r.flush(190 + SETTLE);
    assert.deepEqual(
      rec.outputs.map((o) => o.text),
      ["a", "b"],
    );
  });

  it("emits runs in the order they started: a cell still receiving outputs holds back later cells", () => {
    const nb = new FakeNotebook();
    const a = nb.add("print('slow output')", { id: "a" });
    const b = nb.add("x = 1", { id: "b" });
    const r = reducer();
    r.handleChange(runFinished(nb, a, 1, true, 0, 10), 10);
    r.handleChange(runFinished(nb, b, 2, true, 11, 20), 20);
    r.handleChange(outputsChanged(nb, a, [stdout("late\n")]), 100); // a's settle window restarts
    assert.deepEqual(r.flush(20 + SETTLE), [], "b settled, but a (which ran first) has not");
    const order = r.flush(100 + SETTLE).map((rec) => [rec.cell_id, rec.execution_order]);
    assert.deepEqual(order, [["a", 1], ["b", 2]]);
  });

  it("ignores an output clear after the run finished (that is the next run starting)", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("print(1)", { id: "c1" });
    const r = reducer();
    r.handleChange(outputsChanged(nb, cell, [stdout("1\n")]), 0);
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    r.handleChange(outputsChanged(nb, cell, []), 10);
    const [rec] = r.flush(1000);
    assert.equal(rec.outputs.length, 1);
  });

  it("emits a pending run at once when the same cell starts again before it settled", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("x += 1", { id: "c1" });
    const r = reducer();
    r.handleChange(runStarted(nb, cell, 1), 0);
    r.handleChange(outputsChanged(nb, cell, [stdout("first")]), 2);
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    const early = r.handleChange(runStarted(nb, cell, 2), 20);
    assert.equal(early.length, 1);
    assert.equal(early[0].execution_order, 1);
    assert.deepEqual(early[0].outputs.map((o) => o.text), ["first"]);
    r.handleChange(outputsChanged(nb, cell, [stdout("second")]), 22);
    r.handleChange(runFinished(nb, cell, 2, true, 20, 30), 30);
    const [second] = r.flush(1000);
    assert.equal(second.execution_order, 2);
    assert.deepEqual(second.outputs.map((o) => o.text), ["second"]);
  });

  it("classifies error, cancelled and interrupted runs", () => {
    const nb = new FakeNotebook();
    const failing = nb.add("d['missing']", { id: "err" });
    const stopped = nb.add("time.sleep(100)", { id: "cancel" });
    const interrupted = nb.add("while True: pass", { id: "intr" });
    const r = reducer();
    r.handleChange(outputsChanged(nb, failing, [errorOutput("KeyError", "'missing'")]), 0);
    r.handleChange(runFinished(nb, failing, 1, false, 0, 3), 3);
    r.handleChange(runFinished(nb, stopped, 2, false, 3, 9), 9);
    r.handleChange(outputsChanged(nb, interrupted, [errorOutput("KeyboardInterrupt", "")]), 10);
    r.handleChange(runFinished(nb, interrupted, 3, false, 9, 12), 12);
    const byId = new Map(r.flush(1000).map((rec) => [rec.cell_id, rec]));
    assert.equal(byId.get("err")!.status, "error");
    assert.equal(byId.get("err")!.error_name, "KeyError");
    assert.equal(byId.get("err")!.error_message, "'missing'");
    assert.equal(byId.get("cancel")!.status, "cancelled");
    assert.equal(byId.get("cancel")!.error_name, null);
    assert.equal(byId.get("intr")!.status, "cancelled");
  });

  it("treats an unparseable error payload as an error without details", () => {
    const result = statusOf(false, [{ items: [{ mime: "application/vnd.code.notebook.error", data: Buffer.from("{not json") }] }]);
    assert.deepEqual(result, { status: "error", errorName: undefined, errorMessage: undefined });
  });

  it("does not emit unfinished runs (no success or no end time)", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("x", { id: "c1" });
    const r = reducer();
    r.handleChange({ notebook: nb, contentChanges: [], cellChanges: [{ cell, executionSummary: {} }] }, 0);
    r.handleChange(runStarted(nb, cell, 1), 1);
    r.handleChange({ notebook: nb, contentChanges: [], cellChanges: [{ cell, executionSummary: { executionOrder: 1, success: true } }] }, 2);
    assert.deepEqual(r.flush(10_000), []);
    assert.equal(r.nextDeadline(), undefined);
  });

  it("uses the cell's index at emit time when cells move before the run settles", () => {
    const nb = new FakeNotebook();
    const a = nb.add("a = 1", { id: "a" });
    nb.add("b = 2", { id: "b" });
    nb.add("c = 3", { id: "c" });
    const r = reducer();
    r.handleChange(runFinished(nb, a, 1, true, 0, 5), 5);
    r.handleChange(cellMoved(nb, a, 2), 50);
    const [rec] = r.flush(1000);
    assert.equal(rec.cell_index, 2);
  });

  it("still emits a deleted cell's pending run, with its last known index and source", () => {
    const nb = new FakeNotebook();
    nb.add("# title", { kind: 1 });
    const keep = nb.add("k = 0", { id: "keep" });
    const doomed = nb.add("tmp = 1", { id: "doomed" });
    const r = reducer();
    r.handleChange(runFinished(nb, doomed, 4, true, 0, 5), 5);
    r.handleChange(cellsRemoved(nb, [keep]), 10); // shifts the doomed cell from 2 to 1
    r.handleChange(cellsRemoved(nb, [doomed]), 20);
    assert.equal(doomed.index, -1, "the fake behaves like VS Code: removed cells report -1");
    const [rec] = r.flush(1000);
    assert.equal(rec.cell_id, "doomed");
    assert.equal(rec.cell_index, 1);
    assert.equal(rec.source, "tmp = 1");
  });

  it("keeps interleaved runs of different cells apart", () => {
    const nb = new FakeNotebook();
    const a = nb.add("a", { id: "a" });
    const b = nb.add("b", { id: "b" });
    const r = reducer();
    r.handleChange(runStarted(nb, a, 1), 0);
    r.handleChange(runStarted(nb, b, 2), 1);
    r.handleChange(outputsChanged(nb, b, [stdout("from b")]), 2);
    r.handleChange(outputsChanged(nb, a, [stdout("from a")]), 3);
    r.handleChange(runFinished(nb, b, 2, true, 1, 4), 4);
    r.handleChange(runFinished(nb, a, 1, false, 0, 100), 100);
    // b settled first, but a started first: b waits so the sidecar receives them in start order
    assert.deepEqual(r.flush(4 + SETTLE), []);
    const both = r.flush(100 + SETTLE);
    assert.deepEqual(both.map((x) => [x.cell_id, x.outputs[0].text, x.status]), [
      ["a", "from a", "cancelled"],
      ["b", "from b", "ok"],
    ]);
  });

  it("takes the source as it was when the run finished, not later edits", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("x = 1", { id: "c" });
    const r = reducer();
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    cell.source = "x = 2  # edited during the settle window";
    const [rec] = r.flush(1000);
    assert.equal(rec.source, "x = 1");
  });

  it("sends cells of other languages too, with their language", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("SELECT 1", { id: "sql", language: "sql" });
    const r = reducer();
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    assert.equal(r.flush(1000)[0].language, "sql");
  });

  it("finds the cell id in nbformat metadata, else the cell URI fragment", () => {
    const nb = new FakeNotebook();
    const plain = nb.add("x");
    assert.equal(cellIdOf(plain), plain.document.uri.fragment);
    plain.metadata = { custom: { metadata: { id: "from-custom" } } };
    assert.equal(cellIdOf(plain), "from-custom");
    plain.metadata = { id: "top", custom: { metadata: { id: "from-custom" } } };
    assert.equal(cellIdOf(plain), "top");
  });

  it("forces out pending runs of a closing notebook only", () => {
    const nb1 = new FakeNotebook("/a.ipynb");
    const nb2 = new FakeNotebook("/b.ipynb");
    const c1 = nb1.add("1", { id: "1" });
    const c2 = nb2.add("2", { id: "2" });
    const r = reducer();
    r.handleChange(runFinished(nb1, c1, 1, true, 0, 5), 5);
    r.handleChange(runFinished(nb2, c2, 1, true, 0, 5), 5);
    assert.deepEqual(r.flushNotebook("file:///a.ipynb").map((x) => x.cell_id), ["1"]);
    assert.equal(r.pendingCount(), 1);
  });

  it("caps outputs with the limits in force at emit time", () => {
    const nb = new FakeNotebook();
    const cell = nb.add("print('x'*5000)", { id: "c" });
    const r = reducer();
    const big = "x".repeat(5000);
    r.handleChange(outputsChanged(nb, cell, [stdout(big)]), 0);
    r.handleChange(runFinished(nb, cell, 1, true, 0, 5), 5);
    const [rec] = r.flush(1000);
    const out = rec.outputs[0];
    assert.equal(out.text!.length, 1024);
    assert.equal(out.truncated, true);
    assert.equal(out.size, 5000);
    assert.equal(out.sha256, createHash("sha256").update(big).digest("hex"));
  });
});
