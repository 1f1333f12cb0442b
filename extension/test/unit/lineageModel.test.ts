import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { LineageDocument, LineageDocumentOnTheWire } from "../../src/sidecar/protocol";
import { matchesFilter, parseFilter } from "../../src/views/lineageFilter";
import { buildNotebookNode, LineageNode } from "../../src/views/lineageModel";
import { normalizeLineage } from "../../src/views/lineageWire";
import { venvPython } from "../repo";

function fixture(): LineageDocument {
  // The contract test validates this file against protocol.py's LineageDocument.
  return JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "lineage-sample.json"), "utf8"));
}
const hhmm = (iso: string) => iso.slice(11, 16); // the fixture's times are UTC; tests pin the format
const labels = (nodes: LineageNode[]) => nodes.map((n) => [n.label, n.description ?? ""]);

describe("lineage tree model", () => {
  it("builds notebook -> sessions -> executions with the documented labels", () => {
    const root = buildNotebookNode(fixture(), "titanic.ipynb", { formatTime: hhmm });
    assert.equal(root.label, "titanic.ipynb");
    assert.equal(root.description, "2 sessions \u00b7 6 runs");
    const sessions = root.children();
    assert.deepEqual(labels(sessions), [
      ["Session 1 \u00b7 09:00 \u00b7 1 run", "python3"],
      ["Session 2 \u00b7 14:03 \u00b7 5 runs", "python3"],
    ]);
    assert.deepEqual(sessions.map((s) => s.collapsible), ["collapsed", "expanded"], "latest session open");
    const runs = sessions[1].children();
    assert.deepEqual(labels(runs), [
      ["[1] Cell 1", "ok \u00b7 850 ms"],
      ["[2] Cell 3", "ok \u00b7 12 ms"],
      ["[3] Cell 4", "ok \u00b7 4 ms"],
      ["[4] Cell 5", "error: KeyError"],
      ["[ ] Cell 6", "cancelled \u00b7 3.0 s"],
    ]);
    assert.deepEqual(runs.map((r) => r.icon), ["pass", "pass", "pass", "error", "circle-slash"]);
    assert.deepEqual(runs[1].reveal, { notebookUri: "file:///work/nb/titanic.ipynb", cellId: "c-load", cellIndex: 2 });
  });

  it("names the kernelspec that ran and says when runtime facts are missing, once per session, in the sidecar's words", () => {
    const doc = fixture();
    // as render/tree.py labels them (tests/sidecar/render/test_tree.py checks the words and where each is said)
    doc.sessions[0] = {
      ...doc.sessions[0], kernel_display_name: "Python 3 (ipykernel)", runtime_status: "kernel_not_identified",
      kernel_label: "Python 3 (ipykernel) [python3]", runtime_note: "runtime facts unavailable (kernel not identified)",
    };
    doc.sessions[1] = {
      ...doc.sessions[1], kernel_name: "analysis-env", kernel_display_name: "Python (analysis-env)", runtime_status: null,
      kernel_label: "Python (analysis-env) [analysis-env]", runtime_note: null,
    };
    doc.executions[0] = { ...doc.executions[0], runtime_status: "kernel_not_identified", runtime_note: null };
    doc.executions.forEach((e, i) => {
      if (e.session === 9) doc.executions[i] = { ...e, runtime_status: "captured", runtime_evidence: "announced" };
    });
    doc.executions[3] = {
      ...doc.executions[3], runtime_status: "kernel_unreachable", runtime_note: "runtime facts unavailable (kernel did not answer)",
    };
    const sessions = buildNotebookNode(doc, "t", { formatTime: hhmm }).children();
    assert.deepEqual(labels(sessions).map(([, d]) => d), ["Python 3 (ipykernel) [python3]", "Python (analysis-env) [analysis-env]"]);
    assert.equal(sessions[1].tooltip, "Python (analysis-env) [analysis-env]");
    // true of the whole session: said once, as its first row, and not again under its run
    const first = sessions[0].children();
    assert.deepEqual(first.map((n) => [n.kind, n.label]), [
      ["note", "runtime facts unavailable (kernel not identified)"],
      ["execution", "[1] Cell 1"],
    ]);
    assert.match(sessions[0].tooltip!, /_runtime facts unavailable \(kernel not identified\)_/);
    assert.match(first[1].tooltip!, /_runtime facts unavailable \(kernel not identified\)_/, "the run's tooltip repeats its session's note");
    assert.deepEqual(first[1].children().map((n) => n.kind), ["code"]); // `import pandas as pd`: no note, no data write
    const runs = sessions[1].children();
    const unreachable = runs[2].children();
    assert.deepEqual([unreachable[0].kind, unreachable[0].label], ["note", "runtime facts unavailable (kernel did not answer)"]);
    assert.match(runs[2].tooltip!, /_runtime facts unavailable \(kernel did not answer\)_/);
    assert.ok(runs[1].children().every((n) => n.kind !== "note"), "captured: nothing to say");
  });

  it("shows step row deltas in the execution tooltip, in the sidecar's words", () => {
    const runs = buildNotebookNode(fixture(), "t", { formatTime: hhmm }).children()[1].children();
    assert.match(runs[2].tooltip!, /- Dropped rows with missing values from `df` into `df_clean`: 891 \u2192 714 rows \(\u2212177\)/);
    assert.match(runs[1].tooltip!, /- Loaded `train.csv` into `df`: 891 rows/);
    assert.match(runs[3].tooltip!, /KeyError: 'Cabin_x'/);
  });

  it("shows the labels the sidecar rendered, never words of its own", () => {
    const doc = fixture();
    doc.executions[2].label = "rendered label";
    doc.executions[2].description = "rendered description";
    doc.executions[2].step_lines = ["rendered step line"];
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    assert.deepEqual(labels([runs[1]]), [["rendered label", "rendered description"]]);
    assert.match(runs[1].tooltip!, /- rendered step line/);
    assert.doesNotMatch(runs[1].tooltip!, /train\.csv/);
  });

  it("shows the staleness the sidecar decided: (edited since) for the edited run, (stale) for what used it", () => {
    const doc = fixture();
    const clean = doc.executions.find((e) => e.seq === 4)!;
    const bad = doc.executions.find((e) => e.seq === 5)!;
    clean.stale = "edited";
    clean.stale_because = [4];
    bad.stale = "upstream";
    bad.stale_because = [4];
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    assert.equal(runs[2].description, "ok \u00b7 4 ms (edited since)");
    assert.equal(runs[1].description, "ok \u00b7 12 ms", "not stale");
    assert.equal(runs[3].description, "error: KeyError (stale)");
    assert.equal(runs[2].contextValue, "trackit.execution.stale");
    assert.equal(runs[3].contextValue, "trackit.execution.stale");
    assert.match(runs[2].tooltip!, /edited since this run/);
    assert.match(runs[3].tooltip!, /Stale: it used results of \[3\] Cell 4, edited since/);
  });

  it("lists reads and writes; a written variable expands to its data sources, recursively, within the session", () => {
    const runs = buildNotebookNode(fixture(), "t", { formatTime: hhmm }).children()[1].children();
    const clean = runs[2].children();
    assert.deepEqual(labels(clean), [
      ["reads: df", "\u2190 [2] Cell 3"],
      ["writes: df_clean", "from df"],
    ]);
    const fromDf = clean[1].children();
    assert.deepEqual(labels(fromDf), [["from: df", "\u2190 [2] Cell 3"]]);
    assert.deepEqual(fromDf[0].reveal?.cellId, "c-load");
    // df came from pd.read_csv: `pd` is a module, not data, so df is a root of the data lineage
    assert.equal(fromDf[0].collapsible, "none");
    assert.equal(fromDf[0].children().length, 0);
    // Ids are unique along the path (VS Code rejects duplicate tree ids).
    const ids = [runs[2].id, clean[0].id, clean[1].id, fromDf[0].id];
    assert.equal(new Set(ids).size, ids.length);
  });

  it("shows imports as code, never as reads, writes or sources of data", () => {
    const runs = buildNotebookNode(fixture(), "t", { formatTime: hhmm }).children()[1].children();
    assert.deepEqual(labels(runs[0].children()), [["defines: pd", "module"]]);
    assert.deepEqual(labels(runs[1].children()), [["writes: df", ""]]);
    const text = JSON.stringify(runs.flatMap((r) => r.children()).map((n) => n.label));
    assert.doesNotMatch(text, /reads: pd|writes: pd|from: pd/);
  });

  it("never links across sessions: session 1's df is not a source in session 2", () => {
    const doc = fixture();
    doc.executions = doc.executions.filter((e) => e.seq !== 3); // no load in session 2
    doc.executions.find((e) => e.seq === 4)!.read_from = {};
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    assert.deepEqual(labels(runs[1].children())[0], ["reads: df", "not produced in this session"]);
  });

  it("a failed run leads with its error and what it left behind, and shows only the steps that took effect", () => {
    const doc = fixture();
    const bad = doc.executions.find((e) => e.seq === 5)!;
    bad.applied_writes = [];
    bad.outcome = "no data changed before the error";
    bad.steps = [{ op: "filter_rows", inputs: ["df_clean"], output: "df_clean", columns: [], code: "df_clean = df_clean.query('x')" }];
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    const tooltip = runs[3].tooltip!;
    assert.ok(tooltip.indexOf("KeyError") < tooltip.indexOf("ran at"), tooltip);
    assert.match(tooltip, /no data changed before the error/);
    assert.doesNotMatch(tooltip, /Steps:/);
  });

  it("marks a run one of whose steps is a guess with a question icon, which the Explorer's default width keeps in view", () => {
    // The row's description ends with the sidecar's "(inferred from …)" and is cut at ~300 px (seen in
    // tests/e2e/inferred.e2e.test.mjs); the icon keys on Step.inferred_from, the words stay the sidecar's.
    const doc = fixture();
    const guessed = { op: "load" as const, inputs: [], output: "df", columns: [], code: "df = load_data()", method: "load_data", inferred_from: "helper_name" };
    const asserted = { op: "filter_rows" as const, inputs: ["df"], output: "df", columns: [], code: "df = df[df.x > 0]" };
    doc.executions.find((e) => e.seq === 3)!.steps = [asserted, guessed];
    doc.executions.find((e) => e.seq === 4)!.steps = [asserted, { ...guessed, inferred_from: null }];
    doc.executions.find((e) => e.seq === 5)!.steps = [guessed]; // failed: its error says more than the guess
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    assert.deepEqual(runs.map((r) => [r.icon, r.iconColor]), [
      ["pass", "testing.iconPassed"],
      ["question", "testing.iconPassed"],
      ["pass", "testing.iconPassed"],
      ["error", "testing.iconFailed"],
      ["circle-slash", "testing.iconSkipped"],
    ]);
  });

  it("a read links to the execution the sidecar says it read from, not a later failed run that wrote nothing", () => {
    const doc = fixture();
    const bad = doc.executions.find((e) => e.seq === 5)!; // failed, and (here) would have rewritten df
    bad.writes = ["df"];
    bad.applied_writes = [];
    const load = doc.executions.find((e) => e.seq === 3)!;
    doc.executions.push({ ...load, seq: 7, label: "[5] Cell 8", cell_id: "c-use", cell_index: 7, execution_count: 5, reads: ["df"], writes: [],
      derivations: {}, parents: [3], read_from: { df: 3 }, code_names: {}, steps: [] });
    const runs = buildNotebookNode(doc, "t", { formatTime: hhmm }).children()[1].children();
    const use = runs.find((r) => r.label === "[5] Cell 8")!;
    assert.deepEqual(labels(use.children()), [["reads: df", "\u2190 [2] Cell 3"]]);
  });

  it("shows an empty notebook as 'no runs recorded yet'", () => {
    const root = buildNotebookNode({ ...fixture(), sessions: [], executions: [] }, "empty.ipynb");
    assert.equal(root.description, "no runs recorded yet");
    assert.equal(root.collapsible, "none");
  });

  it("filters runs by variable, op and cell, and can show only the latest run", () => {
    assert.deepEqual(parseFilter(" var:DF  dropna cell: "), [{ field: "var", value: "df" }, { field: "any", value: "dropna" }]);
    const doc = normalizeLineage(fixture());
    const bySeq = (seq: number) => doc.executions.find((e) => e.seq === seq)!;
    assert.ok(matchesFilter(bySeq(4), parseFilter("var:df_clean")));
    assert.ok(matchesFilter(bySeq(4), parseFilter("df"))); // a prefix of df_clean, and df is read
    assert.ok(!matchesFilter(bySeq(3), parseFilter("var:pd")), "imports are code, not data");
    assert.ok(matchesFilter(bySeq(4), parseFilter("op:drop_missing")));
    assert.ok(matchesFilter(bySeq(3), parseFilter("cell:3")) && !matchesFilter(bySeq(4), parseFilter("cell:3")));
    assert.ok(!matchesFilter(bySeq(4), parseFilter("var:df_clean op:load")), "every term must match");
    assert.ok(matchesFilter(bySeq(4), parseFilter("cell:[3]")), "an execution count, as the label shows it");

    const filtered = buildNotebookNode(fixture(), "titanic.ipynb", { formatTime: hhmm, filter: "var:df" });
    assert.equal(filtered.description, "3 of 6 runs shown");
    const [session] = filtered.children();
    assert.equal(session.label, "Session 2 \u00b7 14:03 \u00b7 5 runs", "the session keeps its own count");
    assert.deepEqual(session.children().map((r) => r.label), ["[2] Cell 3", "[3] Cell 4", "[4] Cell 5"]);
    assert.equal(session.collapsible, "expanded");

    const latest = buildNotebookNode(fixture(), "titanic.ipynb", { formatTime: hhmm, latestRunOnly: true });
    assert.equal(latest.description, "5 of 6 runs shown");
    assert.deepEqual(latest.children().map((s) => s.label), ["Session 2 \u00b7 14:03 \u00b7 5 runs"]);
    assert.deepEqual(buildNotebookNode(fixture(), "t", { filter: "nothing-matches" }).children(), []);
  });

  it("filters the sessions it holds and keeps listing, collapsed, the ones not read yet (lazy sessions)", () => {
    const window = { ...fixture(), executions: fixture().executions.filter((e) => e.session === 9) };
    const loadedSessions = new Set([9]);
    const filtered = buildNotebookNode(window, "titanic.ipynb", { formatTime: hhmm, filter: "var:df", loadedSessions });
    assert.equal(filtered.description, "3 of 6 runs shown", "the unread session counts from its SessionInfo");
    const [older, latest] = filtered.children();
    assert.equal(older.label, "Session 1 \u00b7 09:00 \u00b7 1 run");
    assert.deepEqual(older.loadSession, { notebookUri: filtered.id, session: 7 });
    assert.equal(older.collapsible, "collapsed", "not read just because a filter is typed");
    assert.deepEqual(latest.children().map((r) => r.label), ["[2] Cell 3", "[3] Cell 4", "[4] Cell 5"]);

    const none = buildNotebookNode(window, "t", { filter: "nothing-matches", loadedSessions });
    assert.deepEqual(none.children().map((s) => s.loadSession?.session), [7], "only the session not read yet may still match");
    const latestOnly = buildNotebookNode(window, "t", { formatTime: hhmm, latestRunOnly: true, loadedSessions });
    assert.deepEqual(latestOnly.children().map((s) => s.label), ["Session 2 \u00b7 14:03 \u00b7 5 runs"]);
  });

  it("says when tracking is paused for the notebook", () => {
    const root = buildNotebookNode(fixture(), "titanic.ipynb", { formatTime: hhmm, paused: true });
    assert.equal(root.description, "tracking paused \u00b7 2 sessions \u00b7 6 runs");
    assert.equal(root.icon, "debug-pause");
    assert.match(root.tooltip!, /Tracking is paused/);
  });

  it("builds the same tree, every row and tooltip, from records sent without their defaults or sharing their analysis as from full ones", () => {
    // the sidecar's three forms of the same document: every field (as `trackit lineage --json` writes it), the
    // wire form of `trackit/lineage` answers (fields at their default left out: protocol.record_on_the_wire), and a
    // whole document read from ready rows (its records' shared fields once each in shared_parts: ready_lineage.py)
    const forms = String.raw`
import json, sys
import trackit_sidecar.protocol as p
from trackit_sidecar.ready_lineage import judged_json, record_row, rows_json
from trackit_sidecar.whole_lineage import document_parts
doc = p.LineageDocument.model_validate(json.load(open(sys.argv[1], encoding="utf-8")))
wire = json.loads(b"".join(document_parts(doc, True)))
rows = [record_row(e, "", "", None) for e in doc.executions]
records, shared = rows_json(rows, {e.seq: judged_json(e.stale, e.stale_because) for e in doc.executions},
                            {e.source_sha256: e.source for e in doc.executions})
ready = {**wire, "shared_parts": [json.loads(part) for part in shared],
         "executions": json.loads("[" + ",".join("".join(record[1:]) for record in records) + "]")}
print(json.dumps({"full": doc.model_dump(mode="json"), "wire": wire, "ready": ready}))
`;
    const file = path.join(__dirname, "..", "..", "..", "test", "fixtures", "lineage-sample.json");
    const { full, wire, ready } = JSON.parse(execFileSync(venvPython(), ["-c", forms, file], { encoding: "utf8", timeout: 60_000 })) as
      { full: LineageDocument; wire: LineageDocument; ready: LineageDocumentOnTheWire };
    const left = (doc: LineageDocumentOnTheWire) => doc.executions.flatMap((e) => Object.keys(full.executions.find((f) => f.seq === e.seq)!)
      .filter((key) => !(key in e)));
    assert.ok(left(wire).includes("stale_because") && left(wire).includes("outputs"), "the wire form leaves fields out");
    assert.deepEqual(left(full), []);
    const shared = ready.shared_parts ?? [];
    assert.ok(left(ready).includes("steps") && shared.length > 0 && shared.length < ready.executions.length,
      "the ready form sends each record's analysis once in shared_parts");
    assert.ok(ready.executions.every((e) => e.shared_part === undefined || shared[e.shared_part] !== undefined));
    const view = (node: LineageNode): unknown => {
      const { children, ...row } = node;
      return { ...row, children: children().map(view) };
    };
    for (const options of [{}, { filter: "var:df" }, { latestRunOnly: true }]) {
      const expected = view(buildNotebookNode(full, "t", { formatTime: hhmm, ...options }));
      assert.deepEqual(view(buildNotebookNode(wire, "t", { formatTime: hhmm, ...options })), expected);
      assert.deepEqual(view(buildNotebookNode(ready, "t", { formatTime: hhmm, ...options })), expected);
    }
    assert.deepEqual(normalizeLineage(ready), normalizeLineage(wire));
  });

  it("says in one line which record names a shared part the document lacks", () => {
    const doc = { format: "trackit.lineage/1", notebook: "n", notebook_uri: "file:///n", sessions: [], experiments: [],
      shared_parts: [{ reads: ["df"] }], executions: [{ seq: 7, shared_part: 1 }] } as unknown as LineageDocumentOnTheWire;
    assert.throws(() => normalizeLineage(doc), /^Error: lineage document: execution 7 names shared_part 1, but the document has 1$/);
  });
});
