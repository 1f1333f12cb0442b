// The view classes against the mocked `vscode` module (test/mocks/vscode.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import type { CellAnnotation, LineageDocument } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { annotationText, annotationTooltip, CellAnnotationProvider, problemsText, problemsTooltip, withoutCodeMarks } from "../../src/views/cellAnnotations";
import { LineageTreeProvider, orderNotebookRoots, REVEAL_CELL_COMMAND } from "../../src/views/lineageTree";
import { statusView } from "../../src/statusBar";

const fixture = (): LineageDocument =>
  JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "lineage-sample.json"), "utf8"));
const log = { warn: () => undefined, debug: () => undefined, info: () => undefined } as unknown as vscode.LogOutputChannel;
const ws = vscode.workspace as any;
const win = vscode.window as any;

function notebook(uri: string, cells: { id: string; text: string }[]) {
  const nb: any = { uri: vscode.Uri.parse(uri), isClosed: false, cellCount: cells.length };
  nb.getCells = () =>
    cells.map((c, index) => ({
      index,
      kind: vscode.NotebookCellKind.Code,
      notebook: nb,
      metadata: { id: c.id },
      document: { getText: () => c.text, uri: vscode.Uri.parse(`vscode-notebook-cell:${nb.uri.path}#c${index}`), languageId: "python" },
      outputs: [],
    }));
  return nb;
}

class FakeSource {
  running = true;
  calls: [string, any][] = [];
  constructor(private readonly answers: Record<string, (params: any) => unknown>) {}
  isRunning() {
    return this.running;
  }
  async request<R>(method: string, params: any): Promise<R> {
    this.calls.push([method, params]);
    const answer = this.answers[method];
    if (!answer) throw new Error(`unexpected ${method}`);
    return answer(params) as R;
  }
}

afterEach(() => {
  ws.notebookDocuments = [];
  win.activeNotebookEditor = undefined;
});

describe("LineageTreeProvider", () => {
  it("orders roots with the active notebook first", () => {
    assert.deepEqual(orderNotebookRoots(["a", "b", "c"], "b"), ["b", "a", "c"]);
    assert.deepEqual(orderNotebookRoots(["a", "b"], "zzz"), ["a", "b"]);
  });

  it("loads lineage for open notebooks and renders items with reveal commands and stale markers", async () => {
    const doc = fixture();
    // the sidecar judged the clean run stale from the sources the editor sent
    Object.assign(doc.executions.find((e) => e.cell_id === "c-clean")!, { stale: "edited", stale_because: [4] });
    const titanic = notebook(doc.notebook_uri, [
      { id: "c-import", text: "import pandas as pd" },
      { id: "c-clean", text: "df_clean = df.dropna()  # edited" },
    ]);
    const other = notebook("file:///work/nb/other.ipynb", []);
    ws.notebookDocuments = [other, titanic];
    win.activeNotebookEditor = { notebook: titanic };
    const source = new FakeSource({
      [Methods.LINEAGE]: (p) => (p.notebook_uri === doc.notebook_uri ? doc : { ...doc, notebook_uri: p.notebook_uri, sessions: [], executions: [] }),
    });
    const tree = new LineageTreeProvider(source, log);
    let changes = 0;
    tree.onDidChangeTreeData(() => changes++);
    await tree.refresh();
    assert.ok(changes >= 1);
    assert.deepEqual(
      source.calls.map(([m, p]) => [m, p.notebook_uri, p.include_source]),
      [
        [Methods.LINEAGE, "file:///work/nb/other.ipynb", false],
        [Methods.LINEAGE, doc.notebook_uri, false],
      ],
    );
    const roots = await tree.getChildren();
    assert.deepEqual(roots.map((r) => r.label), ["titanic.ipynb", "other.ipynb"]);
    assert.equal(roots[1].description, "no runs recorded yet");
    const runs = await tree.getChildren((await tree.getChildren(roots[0]))[1]);
    const clean = runs.find((r) => r.label === "[3] Cell 4")!;
    assert.equal(clean.description, "ok \u00b7 4 ms (edited since)");
    const item = tree.getTreeItem(clean);
    assert.equal(item.label, "[3] Cell 4");
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual(item.command, { command: REVEAL_CELL_COMMAND, title: "Reveal cell", arguments: [doc.notebook_uri, "c-clean", 3] });
    assert.equal((item.iconPath as vscode.ThemeIcon).id, "pass");
    assert.equal(item.tooltip, undefined, "sent when hovered, not with every repaint");
    const hovered = tree.resolveTreeItem(item, clean);
    assert.ok(hovered.tooltip instanceof vscode.MarkdownString);
    assert.equal((hovered.tooltip as vscode.MarkdownString).value, clean.tooltip);
    tree.dispose();
  });

  it("shows why a notebook has no tree when the sidecar is down", async () => {
    const nb = notebook("file:///work/nb/x.ipynb", []);
    ws.notebookDocuments = [nb];
    const source = new FakeSource({});
    source.running = false;
    const tree = new LineageTreeProvider(source, log);
    await tree.refresh();
    assert.deepEqual((await tree.getChildren()).map((r) => [r.label, r.description]), [["x.ipynb", "sidecar not running"]]);
    assert.equal(source.calls.length, 0);
    tree.dispose();
  });

  it("shows a load failure without losing the other notebooks", async () => {
    const good = fixture();
    ws.notebookDocuments = [notebook("file:///bad.ipynb", []), notebook(good.notebook_uri, [])];
    const source = new FakeSource({
      [Methods.LINEAGE]: (p) => {
        if (p.notebook_uri === "file:///bad.ipynb") throw new Error("boom");
        return good;
      },
    });
    const tree = new LineageTreeProvider(source, log);
    await tree.refresh();
    assert.deepEqual(
      (await tree.getChildren()).map((r) => [r.label, r.description]),
      [
        ["bad.ipynb", "could not load lineage (see logs)"],
        ["titanic.ipynb", "2 sessions \u00b7 6 runs"],
      ],
    );
    tree.dispose();
  });
});

describe("cell annotations", () => {
  const annotation: CellAnnotation = {
    cell_id: "c-clean",
    run_count: 3,
    last_status: "ok",
    last_run_at: "2026-11-29T14:03:09Z",
    reads: ["df"],
    writes: ["df_clean"],
    last_seq: 9,
    upstream: [{ seq: 3, cell_id: "c-load", cell_index: 2 }],
    downstream: [
      { seq: 5, cell_id: "c-bad", cell_index: 4 },
      { seq: 7, cell_id: "c-model", cell_index: 6 },
    ],
    steps: [],
    problems: [],
    markdown: "",
  };
  const leakage =
    "`df['age'] = df['age'].fillna(df['age'].median())` took the median from every row before `train_test_split` set test rows apart, so the test rows' values went into the training data (train/test leakage) (with cell 5).";
  const conversion = "`df['age'] = pd.to_numeric(df['age'], errors='coerce')` could not convert 2 values of `age`; they are now missing.";

  it("formats the status bar text", () => {
    assert.equal(annotationText(annotation), "$(history) ran 3\u00d7 \u00b7 ok \u00b7 2 downstream");
    assert.equal(annotationText({ ...annotation, run_count: 0 }), undefined);
    assert.equal(annotationText({ ...annotation, stale: "edited" }), "$(history) ran 3\u00d7 \u00b7 ok \u00b7 $(warning) edited since \u00b7 2 downstream");
    assert.equal(annotationText({ ...annotation, stale: "upstream" }), "$(history) ran 3\u00d7 \u00b7 ok \u00b7 $(warning) stale \u00b7 2 downstream");
    assert.match(annotationTooltip({ ...annotation, stale: "upstream" }), /Stale: its last run used results of a cell edited since/);
    assert.match(annotationTooltip(annotation), /downstream: Cell 5, Cell 7/);
  });

  it("asks the sidecar once per cell until lineage changes", async () => {
    const nb = notebook("file:///work/nb/titanic.ipynb", [{ id: "c-clean", text: "x" }]);
    const source = new FakeSource({ [Methods.CELL_ANNOTATION]: () => annotation });
    const provider = new CellAnnotationProvider(source, log);
    const token = { isCancellationRequested: false } as vscode.CancellationToken;
    const cell = nb.getCells()[0];
    const [item, lineage] = await provider.provideCellStatusBarItems(cell, token);
    assert.equal(item.text, "$(history) ran 3\u00d7 \u00b7 ok \u00b7 2 downstream");
    // its lineage as of this cell's latest run, not the variable's latest value
    assert.deepEqual(lineage.command, { command: "trackit.showDataLineage", title: "Show data lineage", arguments: [{ notebookUri: "file:///work/nb/titanic.ipynb", cellId: "c-clean", seq: 9, variable: "df_clean" }] });
    assert.equal(await provider.annotation("file:///work/nb/titanic.ipynb", "c-clean"), annotation, "the hover's links read the same cache");
    assert.deepEqual(item.command, { command: "trackit.showCellHistory", title: "Show cell history", arguments: ["file:///work/nb/titanic.ipynb", "c-clean"] });
    await provider.provideCellStatusBarItems(cell, token);
    assert.equal(source.calls.length, 1, "cached");
    let fired = 0;
    provider.onDidChangeCellStatusBarItems(() => fired++);
    provider.invalidate("file:///work/nb/titanic.ipynb");
    assert.equal(fired, 1);
    await provider.provideCellStatusBarItems(cell, token);
    assert.equal(source.calls.length, 2);
    assert.deepEqual(source.calls[0], [Methods.CELL_ANNOTATION, { notebook_uri: "file:///work/nb/titanic.ipynb", cell_id: "c-clean" }]);
  });

  it("counts a cell's problems behind a warning mark, with their texts in the tooltip", () => {
    assert.equal(problemsText(annotation), undefined);
    assert.equal(problemsText({ problems: [leakage] }), "$(warning) 1 problem");
    assert.equal(problemsText({ problems: [leakage, conversion] }), "$(warning) 2 problems");
    assert.equal(
      problemsTooltip({ problems: [leakage, conversion] }),
      "TrackIT found 2 problems in this cell's latest run:\n" +
        "\u26a0 df['age'] = df['age'].fillna(df['age'].median()) took the median from every row before train_test_split set test rows apart, so the test rows' values went into the training data (train/test leakage) (with cell 5).\n" +
        "\u26a0 df['age'] = pd.to_numeric(df['age'], errors='coerce') could not convert 2 values of age; they are now missing.\n" +
        "Click for the notebook's summary.",
    );
    assert.match(problemsTooltip({ problems: [leakage] }), /^TrackIT found a problem in this cell's latest run:\n/);
  });

  it("shows a problem's code marks as plain text: a cell status bar tooltip is no markdown", () => {
    assert.equal(withoutCodeMarks("before `train_test_split` set"), "before train_test_split set");
    assert.equal(withoutCodeMarks("the column ``a`b`` and `` `c` ``"), "the column a`b and `c`");
    assert.equal(withoutCodeMarks("no marks here"), "no marks here");
    assert.doesNotMatch(problemsTooltip({ problems: [leakage, conversion] }), /`/);
  });

  it("puts the warning item first on a cell with problems, opening the notebook's summary, and none on a clean cell", async () => {
    const nb = notebook("file:///work/nb/titanic.ipynb", [{ id: "c-fill", text: "x" }, { id: "c-clean", text: "y" }]);
    const source = new FakeSource({
      [Methods.CELL_ANNOTATION]: (params: unknown) =>
        (params as { cell_id: string }).cell_id === "c-fill" ? { ...annotation, cell_id: "c-fill", problems: [leakage] } : annotation,
    });
    const provider = new CellAnnotationProvider(source, log);
    const token = { isCancellationRequested: false } as vscode.CancellationToken;
    const [fill, clean] = nb.getCells();
    const items = await provider.provideCellStatusBarItems(fill, token);
    assert.deepEqual(items.map((i) => i.text), ["$(warning) 1 problem", "$(history) ran 3\u00d7 \u00b7 ok \u00b7 2 downstream", "$(type-hierarchy) lineage"]);
    assert.equal(items[0].tooltip, problemsTooltip({ problems: [leakage] }));
    assert.equal(items[0].accessibilityInformation?.label, `TrackIT: ${problemsTooltip({ problems: [leakage] })}`);
    assert.deepEqual(items[0].command, { command: "trackit.summarizeNotebook", title: "Summarize notebook", arguments: ["file:///work/nb/titanic.ipynb"] });
    const plain = await provider.provideCellStatusBarItems(clean, token);
    assert.deepEqual(plain.map((i) => i.text), ["$(history) ran 3\u00d7 \u00b7 ok \u00b7 2 downstream", "$(type-hierarchy) lineage"]);
  });
});

describe("status bar", () => {
  it("shows on / paused / error", () => {
    assert.equal(statusView("on").text, "$(pulse) TrackIT");
    assert.equal(statusView("on").ariaLabel, "TrackIT: recording");
    assert.equal(statusView("paused").ariaLabel, "TrackIT: paused");
    assert.equal(statusView("paused").text, "$(debug-pause) TrackIT paused");
    assert.equal(statusView("error", "no Python").text, "$(error) TrackIT");
    assert.match(statusView("error", "no Python").tooltip, /no Python/);
  });
});
