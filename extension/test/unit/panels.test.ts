// The panels' host side against the mocked `vscode` module: the lineage graph panel and the summary panels
// (a fake webview panel records what they send and plays the page's messages), revealing a cell in the
// notebook's existing editor, the focused notebook, "Show data lineage"'s question, and the hover's links.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { questionFor, showDataLineage, toArgs } from "../../src/commands/dataLineage";
import { cellIndexNow, columnForNotebook, revealCell } from "../../src/commands/revealCell";
import { chooseNotebookEditor, FocusedNotebook } from "../../src/notebook/focusedNotebook";
import type { CellAnnotation, LineageDocument, ProvenanceGraph, SummaryResult } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { GraphPanel, GraphQuestion, graphTitle, provenanceParams, runLabel } from "../../src/views/graphPanel";
import { hoverLinks } from "../../src/views/hoverLinks";
import { treeNodeArgs } from "../../src/views/lineageTree";
import { SummaryPanels } from "../../src/views/summaryPanel";

const v = vscode as any;
const noop = () => undefined;
const logLines: string[] = [];
const log = { info: (m: string) => logLines.push(m), warn: (m: string) => logLines.push(m), error: (m: string) => logLines.push(m), debug: noop } as any;

class FakePanel {
  posted: any[] = [];
  html = "";
  title: string;
  revealed = 0;
  disposed = false;
  private listener: ((m: any) => unknown) | undefined;
  private onDispose: (() => void) | undefined;
  readonly webview = {
    cspSource: "vscode-webview://fake",
    asWebviewUri: (uri: vscode.Uri) => vscode.Uri.parse(`vscode-webview://fake${uri.path}`),
    postMessage: async (m: any) => (this.posted.push(m), true),
    onDidReceiveMessage: (fn: (m: any) => unknown) => ((this.listener = fn), { dispose: noop }),
    set html(value: string) {
      (this as any)._html = value;
    },
  };
  constructor(readonly viewType: string, title: string) {
    this.title = title;
  }
  reveal() {
    this.revealed++;
  }
  onDidDispose(fn: () => void) {
    this.onDispose = fn;
    return { dispose: noop };
  }
  dispose() {
    this.disposed = true;
    this.onDispose?.();
  }
  async say(message: any) {
    await this.listener?.(message);
  }
}

const panels: FakePanel[] = [];
v.window.createWebviewPanel = (viewType: string, title: string) => {
  const panel = new FakePanel(viewType, title);
  panels.push(panel);
  return panel;
};
const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  panels.length = 0;
  logLines.length = 0;
  v.window.visibleNotebookEditors = [];
  v.workspace.notebookDocuments = [];
  delete v.window.showNotebookDocument;
  delete v.window.tabGroups;
});

const GRAPH: ProvenanceGraph = {
  notebook_uri: "file:///nb/titanic.ipynb",
  variable: "df",
  target: "var:3:df",
  nodes: [{ id: "var:3:df", kind: "variable", label: "`df`", marks: [], cell_id: "c3", cell_index: 2 }],
  edges: [],
  variables: ["df", "X"],
  truncated: false,
};
const ANNOTATION: CellAnnotation = {
  cell_id: "c1", run_count: 1, reads: [], writes: [], upstream: [], downstream: [], steps: [], problems: [], markdown: "",
};

const DOC: LineageDocument = {
  format: "trackit.lineage/1",
  notebook: "/nb/titanic.ipynb",
  notebook_uri: "file:///nb/titanic.ipynb",
  sessions: [{ id: 4, started_at: "2026-11-29T14:00:00Z", executions: 2 }],
  executions: [
    { seq: 3, session: 4, cell_id: "c3", cell_index: 2, status: "ok", started_at: "", ended_at: "", duration_ms: 1, language: "python", source: "", source_sha256: "", reads: [], writes: ["pd", "df"], derivations: {}, parents: [], steps: [], outputs: [], runtime: [], input_files: [], read_from: {}, code_names: { pd: "module" }, stale_because: [] },
  ],
  experiments: [],
};

describe("lineage graph panel", () => {
  it("asks the sidecar, waits for the page, sends the graph and the pickers, and acts on the page's messages", async () => {
    const calls: [string, any][] = [];
    const revealed: unknown[][] = [];
    const source = {
      isRunning: () => true,
      request: async <R>(method: string, params: any): Promise<R> => {
        calls.push([method, params]);
        if (method === Methods.PROVENANCE) return { ...GRAPH, variable: params.variable ?? "df", session: params.session } as R;
        if (method === Methods.LINEAGE) return DOC as R;
        if (method === Methods.EXPERIMENTS) throw new Error("experiments unavailable");
        throw new Error(method);
      },
    };
    const commands: unknown[][] = [];
    const graph = new GraphPanel({
      source, log, extensionUri: vscode.Uri.file("/ext"), reveal: async (...a) => void revealed.push(a),
      runCommand: async (...a: unknown[]) => void commands.push(a),
    });
    await graph.show({ notebookUri: DOC.notebook_uri, variable: "df" });
    assert.equal(panels.length, 1);
    const panel = panels[0];
    assert.match((panel.webview as any)._html, /<script nonce="\w+" src="vscode-webview:\/\/fake\/ext\/dist\/webview\/graph\.js">/);
    assert.equal(panel.posted.length, 0, "nothing is sent before the page is ready");
    await panel.say({ type: "ready" });
    assert.equal(panel.posted.length, 1);
    const shown = panel.posted[0];
    assert.equal(shown.type, "graph");
    assert.equal(shown.title, "Lineage of df \u00b7 titanic.ipynb");
    assert.equal(panel.title, "Lineage of df \u00b7 titanic.ipynb");
    assert.deepEqual(shown.scopes.map((s: any) => s.value), ["latest", "session:4"]);
    assert.match(shown.scopes[1].label, /^Session 1 \u00b7 \d\d:\d\d \u00b7 2 runs$/, "counted by the sidecar's session record");
    assert.equal(shown.scope, "latest");
    assert.deepEqual(calls.find(([m]) => m === Methods.LINEAGE)![1], { notebook_uri: DOC.notebook_uri, include_source: false, latest_session: true },
      "the Run picker reads every session's description and the latest session's runs, never the whole notebook");
    assert.deepEqual(calls[0], [Methods.PROVENANCE, { notebook_uri: DOC.notebook_uri, variable: "df", session: null, experiment_id: null, seq: null }]);
    assert.ok(logLines.some((l) => l.includes("experiments unavailable")), "the picker's missing experiments are logged");

    await panel.say({ type: "reveal", cellId: "c3", cellIndex: 2 });
    assert.deepEqual(revealed, [[DOC.notebook_uri, "c3", 2]]);
    await panel.say({ type: "scope", value: "session:4" });
    assert.deepEqual(calls.filter(([m]) => m === Methods.PROVENANCE).pop()![1], { notebook_uri: DOC.notebook_uri, variable: "df", session: 4, experiment_id: null, seq: null });
    assert.equal(panel.posted[panel.posted.length - 1].scope, "session:4");
    await panel.say({ type: "variable", name: "X" });
    assert.equal(calls.filter(([m]) => m === Methods.PROVENANCE).pop()![1].variable, "X");
    await panel.say({ type: "gather", variable: "df", seq: 3 });
    await panel.say({ type: "verify", variable: "df", seq: 3 });
    assert.deepEqual(commands, [["trackit.gatherCode", DOC.notebook_uri, "df", 3], ["trackit.verifyReproducibility", DOC.notebook_uri, "df", 3]]);
    await panel.say({ type: "painted", nodes: 1, layoutMs: 3.2, paintMs: 9.7 });
    assert.ok(logLines.includes("lineage graph: 1 nodes, layout 3 ms, first paint 10 ms"));

    // a second question reuses the panel
    await graph.show({ notebookUri: DOC.notebook_uri, variable: "X" });
    assert.equal(panels.length, 1);
    // as of one run (a hover's link): the picker says so, not "Latest run"; "Latest run" then drops the run
    await graph.show({ notebookUri: DOC.notebook_uri, variable: "df", seq: 3 });
    const asOf = panel.posted[panel.posted.length - 1];
    assert.deepEqual(asOf.scopes.slice(0, 2), [{ value: "latest", label: "Latest run" }, { value: "run:3", label: "As of Cell 3" }]);
    assert.equal(asOf.scope, "run:3");
    assert.equal(calls.filter(([m]) => m === Methods.PROVENANCE).pop()![1].seq, 3);
    await panel.say({ type: "scope", value: "latest" });
    assert.equal(calls.filter(([m]) => m === Methods.PROVENANCE).pop()![1].seq, null);
    assert.equal(panel.posted[panel.posted.length - 1].scope, "latest");
    assert.ok(panel.revealed >= 2);
    graph.dispose();
    assert.ok(panel.disposed);
  });

  it("says why when the sidecar cannot answer", async () => {
    const source = { isRunning: () => true, request: async () => { throw new Error("The TrackIT sidecar is not running."); } };
    const graph = new GraphPanel({ source, log, extensionUri: vscode.Uri.file("/ext"), reveal: async () => undefined, runCommand: async () => undefined });
    await graph.show({ notebookUri: DOC.notebook_uri });
    await panels[0].say({ type: "ready" });
    assert.deepEqual(panels[0].posted.map((m) => [m.type, m.message]), [["error", "TrackIT could not answer: The TrackIT sidecar is not running."]]);
  });

  it("names the run a graph answers as of: its record when held, else the cell of the value asked about", () => {
    assert.equal(runLabel(GRAPH, [{ ...DOC.executions[0], label: "[5] Cell 3" }], 3), "[5] Cell 3");
    const target = { id: "t", kind: "variable" as const, label: "`df`", marks: [], seq: 9, cell_index: 9 };
    assert.equal(runLabel({ nodes: [target], target: "t" }, [], 9), "Cell 10", "a run in a session not read");
    assert.equal(runLabel({ nodes: [target], target: "t" }, [], 8), "run #8");
  });

  it("words its title and its request", () => {
    assert.equal(graphTitle("file:///a/My%20nb.ipynb", null), "Data lineage \u00b7 My nb.ipynb");
    assert.deepEqual(provenanceParams({ notebookUri: "u", experimentId: "E0002" }), { notebook_uri: "u", variable: null, session: null, experiment_id: "E0002", seq: null });
  });
});

describe("summary panels", () => {
  const result = (markdown: string): SummaryResult => ({ notebook_uri: "u", markdown, provider: "builtin", created_at: "2026-11-29T14:00:00Z", cached: false, warnings: [] });

  it("one panel per notebook, showing each new answer; its buttons and citations come back as actions", async () => {
    const summaries = new SummaryPanels(vscode.Uri.file("/ext"), log);
    const actions: string[] = [];
    summaries.bind({
      regenerate: async (uri) => void actions.push(`regenerate ${uri}`),
      export: async (uri) => void actions.push(`export ${uri}`),
      preview: async (uri) => void actions.push(`preview ${uri}`),
      reveal: async (uri, cellId, index) => void actions.push(`reveal ${uri} ${cellId} ${index}`),
    });
    summaries.show("file:///a.ipynb", "a.ipynb", result("This session ran 28 executions."));
    const panel = panels[0];
    await panel.say({ type: "ready" });
    summaries.show("file:///a.ipynb", "a.ipynb", result("This session ran 32 executions."));
    assert.equal(panels.length, 1, "the panel is reused");
    assert.deepEqual(panel.posted.map((m) => m.view.markdown), ["This session ran 28 executions.", "This session ran 32 executions."]);
    summaries.show("file:///b.ipynb", "b.ipynb", result("other"));
    assert.equal(panels.length, 2);
    for (const type of ["regenerate", "export", "preview"]) await panel.say({ type });
    await panel.say({ type: "reveal", cellId: "c5", cellIndex: 4 });
    assert.deepEqual(actions, ["regenerate file:///a.ipynb", "export file:///a.ipynb", "preview file:///a.ipynb", "reveal file:///a.ipynb c5 4"]);
    summaries.busy("file:///a.ipynb", "Regenerating\u2026");
    assert.deepEqual(panel.posted[panel.posted.length - 1], { type: "busy", title: "Summary \u00b7 a.ipynb", what: "Regenerating\u2026" });
    summaries.bind({ ...({} as any), regenerate: async () => { throw new Error("provider down"); } });
    await panel.say({ type: "regenerate" });
    assert.deepEqual(panel.posted[panel.posted.length - 1], { type: "error", message: "regenerate failed: provider down" });
    panel.dispose();
    summaries.show("file:///a.ipynb", "a.ipynb", result("again"));
    assert.equal(panels.length, 3, "a closed panel is made again");
    summaries.dispose();
  });
});

describe("revealing a cell", () => {
  it("uses the column of the editor already showing the notebook, else of its tab", () => {
    const visible = [{ notebook: { uri: "file:///b.ipynb" }, viewColumn: 1 }, { notebook: { uri: "file:///a.ipynb" }, viewColumn: 2 }];
    assert.equal(columnForNotebook("file:///a.ipynb", visible, () => 9), 2);
    assert.equal(columnForNotebook("file:///c.ipynb", visible, (u) => (u === "file:///c.ipynb" ? 3 : undefined)), 3);
    assert.equal(columnForNotebook("file:///d.ipynb", visible, () => undefined), undefined);
    const cells = [{ metadata: { id: "x" }, document: { uri: { fragment: "f0" } } }, { metadata: { id: "y" }, document: { uri: { fragment: "f1" } } }] as any[];
    assert.equal(cellIndexNow(cells, "y", 7), 1);
    assert.equal(cellIndexNow(cells, "gone", 7), 7);
  });

  it("shows the cell in the notebook's existing editor, never a second copy", async () => {
    const doc = { uri: vscode.Uri.parse("file:///a.ipynb"), cellCount: 3, getCells: () => [0, 1, 2].map((i) => ({ metadata: { id: `c${i}` }, document: { uri: { fragment: "" } } })) };
    v.workspace.notebookDocuments = [doc];
    v.window.visibleNotebookEditors = [{ notebook: doc, viewColumn: 1 }];
    v.window.tabGroups = { all: [] };
    const shown: any[] = [];
    const editor: any = { revealRange: (r: any) => shown.push(["revealRange", r.start]) };
    v.window.showNotebookDocument = async (d: unknown, options: unknown) => (shown.push([d, options]), editor);
    await revealCell("file:///a.ipynb", "c2", 0);
    assert.deepEqual(shown[0], [doc, { viewColumn: 1 }]);
    assert.equal(editor.selections[0].start, 2);
  });
});

describe("the focused notebook", () => {
  it("is the active one, else the last active one still shown, else the only one shown", () => {
    const a = { notebook: { uri: "a" } };
    const b = { notebook: { uri: "b" } };
    assert.equal(chooseNotebookEditor(a, b, [a, b]), a);
    assert.equal(chooseNotebookEditor(undefined, b, [a, b]), b);
    assert.equal(chooseNotebookEditor(undefined, b, [a]), a);
    assert.equal(chooseNotebookEditor(undefined, undefined, [a, b]), undefined);
    let active: typeof a | undefined = a;
    const focused = new FocusedNotebook(() => active, () => [a, b]);
    focused.note(b);
    focused.note(undefined); // focus moved to the tree: the last one stays
    active = undefined;
    assert.equal(focused.current(), b);
  });

  it("acts on the cell selected now, else the one selected last (a notebook that lost focus may report none)", () => {
    const editor: { notebook: { uri: string }; selections: { start: number; end: number }[] } = { notebook: { uri: "n" }, selections: [{ start: 4, end: 5 }] };
    const focused = new FocusedNotebook(() => editor, () => [editor]);
    focused.note(editor);
    assert.deepEqual(focused.currentCell()!.selection, { start: 4 });
    editor.selections = []; // focus moved to the tree
    focused.note(editor);
    assert.deepEqual(focused.currentCell()!.selection, { start: 4 });
    editor.selections = [{ start: 7, end: 8 }];
    assert.deepEqual(focused.currentCell()!.selection, { start: 7 });
    assert.equal(new FocusedNotebook(() => editor, () => [editor]).currentCell()!.selection!.start, 7);
    editor.selections = [];
    assert.equal(new FocusedNotebook(() => editor, () => [editor]).currentCell()!.selection, undefined);
  });
});

describe("Show data lineage", () => {
  it("asks about the argument's variable, a cell's last write as of its latest run, or the word under the cursor", () => {
    assert.deepEqual(questionFor({ notebookUri: "u", variable: "df", seq: 4 }, undefined, undefined, undefined), { notebookUri: "u", variable: "df", seq: 4, session: undefined, experimentId: undefined });
    const cell = { last_seq: 3, writes: ["X", "df"] };
    assert.deepEqual(questionFor({ notebookUri: "u", cellId: "c3" }, undefined, undefined, cell), { notebookUri: "u", variable: "df", seq: 3, session: undefined, experimentId: undefined });
    assert.deepEqual(questionFor({ notebookUri: "u", cellId: "c3" }, undefined, undefined, { last_seq: 3, writes: [] }), { notebookUri: "u", seq: 3, variable: undefined, session: undefined, experimentId: undefined }, "nothing written: that run itself");
    assert.deepEqual(questionFor({ notebookUri: "u", cellId: "c3" }, undefined, undefined, { last_seq: null, writes: [] }), { notebookUri: "u", seq: undefined, variable: undefined, session: undefined, experimentId: undefined }, "never ran: the latest");
    assert.deepEqual(questionFor({ notebookUri: "u", cellId: "c3", variable: "df", seq: 7 }, undefined, undefined, cell)!.seq, 7, "a hover link's run wins");
    assert.equal(questionFor(undefined, "file:///x.ipynb", "model", undefined)!.variable, "model");
    assert.equal(questionFor(undefined, "file:///x.ipynb", "3.5", undefined)!.variable, undefined);
    assert.equal(questionFor(undefined, undefined, "df", undefined), undefined);
    assert.deepEqual(toArgs({ lineage: { notebookUri: "u", variable: "v" } }), { notebookUri: "u", variable: "v" });
    assert.deepEqual(toArgs({ kind: 2, notebook: { uri: "file:///n.ipynb" }, metadata: { id: "c9" }, document: { uri: { fragment: "" } } }), { notebookUri: "file:///n.ipynb", cellId: "c9" });
  });

  it("a cell's toolbar asks the sidecar for that cell's annotation (one session), never the whole notebook", async () => {
    const asked: string[] = [];
    const shown: GraphQuestion[] = [];
    const cellArg = { kind: 2, notebook: { uri: "file:///n.ipynb" }, metadata: { id: "c9" }, document: { uri: { fragment: "" } } };
    await showDataLineage(cellArg, {
      annotationOf: async (uri, cellId) => {
        asked.push(`${uri}#${cellId}`);
        return { ...ANNOTATION, cell_id: cellId, last_seq: 12, writes: ["df"] };
      },
      show: async (q) => void shown.push(q),
    });
    assert.deepEqual(asked, ["file:///n.ipynb#c9"]);
    assert.deepEqual(shown, [{ notebookUri: "file:///n.ipynb", variable: "df", seq: 12, session: undefined, experimentId: undefined } as GraphQuestion]);
    // a hover link carries its run: nothing to ask
    await showDataLineage({ notebookUri: "file:///n.ipynb", variable: "df", seq: 5 }, { annotationOf: async () => assert.fail("asked"), show: async (q) => void shown.push(q) });
    assert.equal(shown[1].seq, 5);
  });

  it("hover links name the hovered variable as of the hovered cell's latest run, and the cell", () => {
    const md = hoverLinks("file:///a.ipynb", "c2", "df", 6);
    const [lineage, history, gather] = md.split(" \u00b7 ");
    assert.deepEqual(JSON.parse(decodeURIComponent(gather.split("?")[1].slice(0, -1))), ["file:///a.ipynb", "df"]);
    assert.ok(lineage.startsWith("[$(type-hierarchy) Show data lineage of df](command:trackit.showDataLineage?"));
    assert.deepEqual(JSON.parse(decodeURIComponent(lineage.split("?")[1].slice(0, -1))), [{ notebookUri: "file:///a.ipynb", variable: "df", seq: 6 }]);
    const unknownRun = hoverLinks("file:///a.ipynb", "c2", "df").split(" \u00b7 ")[0];
    assert.deepEqual(JSON.parse(decodeURIComponent(unknownRun.split("?")[1].slice(0, -1))), [{ notebookUri: "file:///a.ipynb", variable: "df" }]);
    assert.deepEqual(JSON.parse(decodeURIComponent(history.split("?")[1].slice(0, -1))), ["file:///a.ipynb", "c2"]);
    assert.match(hoverLinks("file:///a.ipynb", "c2", "("), /Show data lineage\]/);
    assert.doesNotMatch(hoverLinks("file:///a.ipynb", "c2", "("), /Gather/, "no variable, nothing to gather");
    assert.deepEqual(treeNodeArgs([{ lineage: { notebookUri: "u", variable: "df", seq: 4 } }]), ["u", "df", 4]);
    assert.deepEqual(treeNodeArgs(["u", "df", 4]), ["u", "df", 4]);
  });
});
