// What the editor holds of a notebook's lineage, and lineageChanged deltas applied to it (lineageDelta.ts), and
// the tree provider repainting only the rows a delta touches (lineageTree.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import type { ExecutionRecord, LineageChanged, LineageDocument } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { applyChange, fromDocument, withoutSession, withSession } from "../../src/views/lineageDelta";
import type { LineageNode } from "../../src/views/lineageModel";
import { LineageTreeProvider } from "../../src/views/lineageTree";
import { VSCODE_TREE_DEBOUNCE_MS } from "../../src/views/repaintPacer";
import { FakeTimers } from "../fakes";
import { FakeTreeHost } from "../treeHost";

const fixture = (): LineageDocument =>
  JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "lineage-sample.json"), "utf8"));
const log = { warn: () => undefined, debug: () => undefined, info: () => undefined } as unknown as vscode.LogOutputChannel;
const ws = vscode.workspace as any;
const URI = "file:///work/nb/titanic.ipynb";

/** V8's collector, asked for by the test (node runs without --expose-gc). */
function garbageCollector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** The fixture as the sidecar answers a latest-session window: session 9's runs, both sessions described. */
function latestWindow(): LineageDocument {
  const doc = fixture();
  return { ...doc, executions: doc.executions.filter((e) => e.session === 9), latest_seq: 6 };
}

function run(seq: number, session: number, extra: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const base = fixture().executions.find((e) => e.cell_id === "c-slow")!;
  return { ...base, seq, session, label: `[${seq}] Cell 6`, ...extra };
}

function change(after: number, seq: number, executions: ExecutionRecord[], sessions = fixture().sessions): LineageChanged {
  return { notebook_uri: URI, seq, event_ids: [], after_seq: after, executions, sessions };
}

describe("lineageDelta", () => {
  it("holds the latest session's runs and describes every session", () => {
    const model = fromDocument(latestWindow(), { latestSession: true });
    assert.deepEqual([...model.loaded], [9]);
    assert.equal(model.latestSeq, 6);
    assert.deepEqual(model.doc.executions.map((e) => e.seq), [2, 3, 4, 5, 6]);
  });

  it("appends new runs and replaces changed ones, naming what to repaint", () => {
    const model = fromDocument(latestWindow(), { latestSession: true });
    const sessions = fixture().sessions.map((s) => (s.id === 9 ? { ...s, executions: 6 } : s));
    const result = applyChange(model, change(6, 7, [run(4, 9, { stale: "edited" }), run(7, 9)], sessions));
    assert.equal(result.kind, "applied");
    if (result.kind !== "applied") return;
    assert.deepEqual(result.model.doc.executions.map((e) => e.seq), [2, 3, 4, 5, 6, 7]);
    assert.equal(result.model.doc.executions[2].stale, "edited");
    assert.equal(result.model.latestSeq, 7);
    assert.deepEqual(result.executions, [4]); // a changed row; the new one appears under its session
    assert.deepEqual(result.sessions.sort(), [7, 9]);
  });

  it("reads again on a sequence gap or a message without a delta", () => {
    const model = fromDocument(latestWindow(), { latestSession: true });
    assert.equal(applyChange(model, change(8, 9, [run(9, 9)])).kind, "reload");
    assert.equal(applyChange(model, { notebook_uri: URI, seq: 0, event_ids: [] }).kind, "reload");
    assert.equal(applyChange(model, change(5, 6, [])).kind, "applied"); // the editor already has up to 6
  });

  it("leaves out runs of sessions it does not hold, and holds a session that began since", () => {
    const model = fromDocument(latestWindow(), { latestSession: true });
    const sessions = [...fixture().sessions, { id: 10, started_at: "2026-11-29T15:00:00Z", executions: 1 }];
    const result = applyChange(model, change(6, 8, [run(7, 7), run(8, 10)], sessions));
    assert.equal(result.kind, "applied");
    if (result.kind !== "applied") return;
    assert.deepEqual(result.model.doc.executions.map((e) => e.seq), [2, 3, 4, 5, 6, 8]);
    assert.ok(result.model.loaded.has(10));
    assert.equal(result.model.doc.sessions.length, 3);
  });

  it("reads a session when expanded and lets it go when collapsed (not the latest)", () => {
    let model = fromDocument(latestWindow(), { latestSession: true });
    const all = fixture();
    model = withSession(model, { ...all, executions: all.executions.filter((e) => e.session === 7) }, 7);
    assert.deepEqual(model.doc.executions.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
    model = withoutSession(model, 7);
    assert.deepEqual(model.doc.executions.map((e) => e.seq), [2, 3, 4, 5, 6]);
    assert.equal(withoutSession(model, 9), model);
  });
});

describe("LineageTreeProvider with deltas", () => {
  afterEach(() => {
    ws.notebookDocuments = [];
  });

  function setUp() {
    ws.notebookDocuments = [{ uri: vscode.Uri.parse(URI), isClosed: false }];
    const calls: any[] = [];
    const source = {
      isRunning: () => true,
      async request<R>(method: string, params: any): Promise<R> {
        calls.push(params);
        assert.equal(method, Methods.LINEAGE);
        const all = fixture();
        if (params.session !== undefined) return { ...all, executions: all.executions.filter((e) => e.session === params.session) } as R;
        return latestWindow() as R;
      },
    };
    const timers = new FakeTimers();
    const tree = new LineageTreeProvider(source, log, () => false, timers);
    const fired: (LineageNode | LineageNode[] | undefined | void)[] = [];
    tree.onDidChangeTreeData((e) => fired.push(e));
    const host = new FakeTreeHost(tree, timers);
    /** Time passes (VS Code reads what it was told meanwhile). */
    const after = async (ms: number) => {
      timers.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { tree, calls, fired, timers, host, after };
  }

  /** The tree opened in VS Code (roots, sessions, the latest session's runs), then quiet for a while. */
  async function opened() {
    const t = setUp();
    await t.tree.refresh();
    const [root] = await t.host.open();
    const [older, latest] = await t.tree.getChildren(root);
    await t.after(1000);
    t.fired.length = 0;
    return { ...t, root, older, latest };
  }

  const session9 = (runs: number) => fixture().sessions.map((s) => (s.id === 9 ? { ...s, executions: runs } : s));

  it("opens with the latest session and reads an older one only when it is expanded", async () => {
    const { tree, calls } = setUp();
    await tree.refresh();
    assert.deepEqual(calls, [{ notebook_uri: URI, include_source: false, latest_session: true }]);
    const [root] = await tree.getChildren();
    assert.equal(root.description, "2 sessions \u00b7 6 runs");
    const [older, latest] = await tree.getChildren(root);
    assert.equal(older.label.endsWith("1 run"), true);
    assert.ok(older.loadSession);
    assert.equal((await tree.getChildren(latest)).length, 5);
    assert.equal(tree.heldExecutions(), 5);
    const runs = await tree.getChildren(older);
    assert.deepEqual(runs.map((r) => r.label), ["[1] Cell 1"]);
    assert.deepEqual(calls[1], { notebook_uri: URI, include_source: false, session: 7 });
    assert.equal(tree.heldExecutions(), 6);
    tree.collapsed(older);
    assert.equal(tree.heldExecutions(), 5);
    tree.dispose();
  });

  it("keeps nothing of a collapsed session: its rows and runs can be collected (the tree holds what is expanded)", async () => {
    const collect = garbageCollector();
    const { tree } = setUp();
    await tree.refresh();
    const [root] = await tree.getChildren();
    const [older] = await tree.getChildren(root);
    // VS Code expands the older session: its runs are read and their rows built (references kept weakly only)
    const refs = await (async () => {
      const rows = await tree.getChildren(older);
      for (const row of rows) await tree.getChildren(row);
      const runs = (tree as any).entries.get(URI).model.doc.executions.filter((e: ExecutionRecord) => e.session === 7);
      assert.ok(rows.length > 0 && runs.length > 0);
      return [...rows, ...runs].map((held: object) => new WeakRef(held));
    })();
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target alive until the job ends
    collect();
    assert.equal(refs.filter((ref) => ref.deref() !== undefined).length, refs.length, "held while expanded");
    tree.collapsed(older);
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    assert.deepEqual(refs.filter((ref) => ref.deref() !== undefined).map((ref) => (ref.deref() as any).id ?? (ref.deref() as any).seq), []);
    assert.equal(tree.heldExecutions(), 5);
    tree.dispose();
  });

  it("applies a delta without asking the sidecar, updates the rows it touched in place and names only the topmost", async () => {
    const { tree, calls, fired, root, latest, after } = await opened();
    const before = await tree.getChildren(latest);
    const clean = before.find((r) => r.label === "[3] Cell 4")!;
    const updated = { ...fixture().executions.find((e) => e.seq === 4)!, stale: "edited" as const };
    tree.applyChange(change(6, 7, [updated, run(7, 9)], session9(6)));
    await after(0);
    assert.equal(calls.length, 1, "no request: the delta was applied");
    assert.equal(fired.length, 1);
    const repainted = fired[0] as LineageNode[];
    assert.ok(Array.isArray(repainted));
    // VS Code refreshes a named row with the expanded rows below it: the sessions and the run are not named again
    assert.deepEqual(repainted.map((n) => n.id), [URI]);
    assert.ok(repainted.includes(root), "the object VS Code holds");
    assert.equal(root.description, "2 sessions \u00b7 7 runs");
    assert.match(clean.description!, /edited since/, "rows below are updated in place too");
    const sessionsAgain = await tree.getChildren(root);
    assert.ok(sessionsAgain.includes(latest), "the same session object when VS Code asks again");
    const runsAgain = await tree.getChildren(latest);
    assert.equal(runsAgain.length, 6);
    assert.ok(runsAgain.includes(clean));
    tree.dispose();
  });

  it("repaints only the run row a delta changed when no run was added (staleness)", async () => {
    const { tree, fired, latest, after } = await opened();
    const clean = (await tree.getChildren(latest)).find((r) => r.label === "[3] Cell 4")!;
    const updated = { ...fixture().executions.find((e) => e.seq === 4)!, stale: "edited" as const };
    tree.applyChange(change(6, 6, [updated], []));
    await after(0);
    assert.equal(fired.length, 1);
    assert.deepEqual((fired[0] as LineageNode[]).map((n) => n.id), [`${URI}#e4`]);
    assert.ok((fired[0] as LineageNode[]).includes(clean));
    assert.match(clean.description!, /edited since/);
    tree.dispose();
  });

  it("asks again for a session's rows after a delta that changed only one run: the rows say what the model says", async () => {
    const { tree, latest, after } = await opened();
    const updated = { ...fixture().executions.find((e) => e.seq === 4)!, stale: "edited" as const };
    tree.applyChange(change(6, 6, [updated], []));
    await after(0);
    // VS Code asks the (not repainted) session row for its children again, e.g. after a collapse and expand
    const again = await tree.getChildren(latest);
    assert.match(again.find((r) => r.label === "[3] Cell 4")!.description!, /edited since/);
    tree.dispose();
  });

  it("does not tell VS Code of a run's runtime status that changes nothing it shows, so the next run's row goes at once", async () => {
    const { tree, host, fired, after } = await opened();
    tree.applyChange(change(6, 7, [run(7, 9)], session9(6)));
    await after(0);
    assert.deepEqual(host.painted.at(-1), { at: 1000, ids: [URI] }, "the new run at once");
    await after(30); // its runtime facts were asked for: nothing to show, the status says so
    tree.applyChange(change(7, 7, [run(7, 9, { runtime_status: "captured" } as Partial<ExecutionRecord>)], session9(6)));
    await after(0);
    assert.equal(fired.length, 1, "the status is not told: the rows show the same");
    await after(180); // the next run, 210 ms after the first
    tree.applyChange(change(7, 8, [run(8, 9)], session9(7)));
    await after(0);
    assert.deepEqual(host.painted.at(-1), { at: 1210, ids: [URI] }, "at once: no change restarted VS Code's wait");
    assert.equal((host.items.get(URI)!.description as string), "2 sessions \u00b7 8 runs");
    tree.dispose();
  });

  it("a run that finishes within VS Code's wait is told at its end, not 200 ms after itself", async () => {
    const { tree, host, after } = await opened();
    tree.applyChange(change(6, 7, [run(7, 9)], session9(6)));
    await after(150);
    tree.applyChange(change(7, 8, [run(8, 9)], session9(7)));
    await after(49);
    assert.equal(host.painted.at(-1)!.at, 1000, "not yet: VS Code's wait after the first run is not over");
    await after(1);
    assert.deepEqual(host.painted.at(-1), { at: 1200, ids: [URI] }, "when the wait is over (VS Code itself: 1350)");
    assert.equal((host.items.get(URI)!.description as string), "2 sessions \u00b7 8 runs");
    await after(1000);
    assert.equal(host.painted.length, 2 + 1, "the open, the two runs: nothing else");
    tree.dispose();
  });

  it("tells VS Code of a status that changes what an expanded run shows, and of a tooltip it resolved", async () => {
    const { tree, host, fired, latest, after } = await opened();
    tree.applyChange(change(6, 7, [run(7, 9, { reads: ["df"], read_from: { df: 3 } })], session9(6)));
    await after(1000);
    const row = (await tree.getChildren(latest)).find((r) => r.id === `${URI}#e7`)!;
    const note = "runtime facts unavailable (kernel not identified)";
    // collapsed: its new note row is read when it is expanded, and its tooltip when hovered
    fired.length = 0;
    tree.applyChange(change(7, 7, [run(7, 9, { reads: ["df"], read_from: { df: 3 }, runtime_note: note })], []));
    await after(1000);
    assert.equal(fired.length, 0);
    assert.equal((await host.expand(row))[0].label, note);
    assert.match(host.hover(row)!, /kernel not identified/);
    // expanded, its tooltip resolved: both are told
    tree.applyChange(change(7, 7, [run(7, 9, { reads: ["df"], read_from: { df: 3 }, runtime_note: null })], []));
    await after(0);
    assert.deepEqual((fired.at(-1) as LineageNode[]).map((n) => n.id), [`${URI}#e7`], "its rows below changed");
    assert.deepEqual((await tree.getChildren(row)).map((r) => r.label), ["reads: df"]);
    await after(1000);
    assert.doesNotMatch(host.hover(row)!, /kernel not identified/);
    tree.applyChange(change(7, 7, [run(7, 9, { reads: ["df"], read_from: { df: 3 }, step_lines: ["Filtered rows of `df`"] })], []));
    await after(0);
    assert.deepEqual((fired.at(-1) as LineageNode[]).map((n) => n.id), [`${URI}#e7`], "only its hovered tooltip changed");
    assert.match(host.hover(row)!, /Filtered rows/);
    tree.dispose();
  });

  it("rebuilds the rows when the filter, the latest-run toggle or the paused state changes, the model unchanged", async () => {
    ws.notebookDocuments = [{ uri: vscode.Uri.parse(URI), isClosed: false }];
    let paused = false;
    const source = {
      isRunning: () => true,
      async request<R>(_method: string, params: any): Promise<R> {
        const all = fixture();
        if (params.session !== undefined) return { ...all, executions: all.executions.filter((e) => e.session === params.session) } as R;
        return latestWindow() as R;
      },
    };
    const timers = new FakeTimers();
    const tree = new LineageTreeProvider(source, log, () => paused, timers);
    await tree.refresh();
    let [root] = await tree.getChildren();
    assert.equal(root.description, "2 sessions \u00b7 6 runs");
    tree.setFilter("var:df");
    [root] = await tree.getChildren();
    assert.equal(root.description, "3 of 6 runs shown");
    const [older, latest] = await tree.getChildren(root);
    assert.deepEqual((await tree.getChildren(latest)).map((r) => r.label), ["[2] Cell 3", "[3] Cell 4", "[4] Cell 5"]);
    assert.deepEqual(await tree.getChildren(older), [], "read when expanded, then filtered: session 1 only imports");
    tree.applyChange(change(6, 7, [run(7, 9, { writes: ["df_small"], reads: ["df_clean"] })], fixture().sessions.map((s) => (s.id === 9 ? { ...s, executions: 6 } : s))));
    timers.advance(VSCODE_TREE_DEBOUNCE_MS); // the filter was just told: the delta waits for VS Code's wait to end
    assert.equal(root.description, "4 of 7 runs shown", "a delta is filtered like the rest");
    assert.equal((await tree.getChildren(latest)).length, 4);
    tree.setFilter("");
    tree.setLatestRunOnly(true);
    [root] = await tree.getChildren();
    assert.deepEqual((await tree.getChildren(root)).map((s) => s.id), [`${URI}#s9`]);
    paused = true;
    tree.repaint();
    [root] = await tree.getChildren();
    assert.equal(root.icon, "debug-pause");
    tree.dispose();
  });

  it("reads the notebook again on a sequence gap", async () => {
    const { tree, calls } = setUp();
    await tree.refresh();
    tree.applyChange(change(9, 10, [run(10, 9)]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1], { notebook_uri: URI, include_source: false, latest_session: true });
    tree.dispose();
  });
});
