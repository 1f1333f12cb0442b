// Command flows against the mocked `vscode` module; the sidecar is a fake requester.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { cellTarget, showCellHistory } from "../../src/commands/cellHistory";
import type { CommandContext } from "../../src/commands/context";
import { notebookFileName, notebookStem, previewPrompt, regenerateSummary, summarizeNotebook, summaryMarkdown } from "../../src/commands/summarize";
import { targetNotebookUri } from "../../src/commands/target";
import { fakeCommandContext, Shown } from "../commandContext";
import type { CellHistory, SummaryResult } from "../../src/sidecar/protocol";
import { HistoryDocuments, historyText, statusesText } from "../../src/views/historyDocument";
import { Methods } from "../../src/sidecar/protocol";

const v = vscode as any;
const saved = { workspace: { ...v.workspace }, window: { ...v.window }, commands: { ...v.commands } };
afterEach(() => {
  for (const key of ["fs", "openTextDocument"]) delete v.workspace[key];
  for (const key of ["activeNotebookEditor", "withProgress", "showInformationMessage", "showWarningMessage", "showTextDocument", "showQuickPick"]) v.window[key] = saved.window[key];
  delete v.languages.setTextDocumentLanguage;
  delete v.commands.executeCommand;
});

const summary: SummaryResult = {
  notebook_uri: "file:///work/nb/titanic.ipynb",
  markdown: "# titanic\n\nLoaded train.csv.\n",
  provider: "builtin",
  model: null,
  created_at: "2026-11-29T14:00:00Z",
  cached: true,
  warnings: ["2 cells not analysed"],
};

function context(answers: Record<string, (params: any) => unknown>, calls: [string, any][], shown: Shown[] = []): CommandContext {
  return fakeCommandContext(answers, calls, { provider: "ollama" }, shown);
}

describe("command helpers", () => {
  it("names and formats summaries", () => {
    assert.equal(notebookStem("file:///work/nb/My%20Analysis.ipynb"), "My Analysis");
    assert.equal(notebookStem("untitled:Untitled-1.ipynb"), "Untitled-1");
    assert.equal(notebookStem("vscode-interactive:/Interactive-1.interactive"), "Interactive-1.interactive");
    const md = summaryMarkdown(summary);
    assert.ok(md.startsWith("# titanic\n\nLoaded train.csv.\n\n---\n_Summary by builtin, 2026-11-29T14:00:00Z (stored)._"));
    assert.match(md, /> \u26a0 2 cells not analysed/);
  });

  it("finds the target notebook from a URI string, a Uri, the toolbar context, or the active editor", () => {
    assert.equal(targetNotebookUri("file:///a.ipynb"), "file:///a.ipynb");
    assert.equal(targetNotebookUri(vscode.Uri.file("/b.ipynb")), "file:///b.ipynb");
    assert.equal(targetNotebookUri({ notebookEditor: { notebookUri: vscode.Uri.file("/c.ipynb") } }), "file:///c.ipynb");
    v.window.activeNotebookEditor = { notebook: { uri: vscode.Uri.file("/d.ipynb") } };
    assert.equal(targetNotebookUri(undefined), "file:///d.ipynb");
    v.window.activeNotebookEditor = undefined;
    assert.equal(targetNotebookUri(undefined), undefined);
  });

  it("renders a cell's history: newest first, cell number and local time, data facts, diffs", () => {
    const history: CellHistory = {
      notebook_uri: "file:///a.ipynb",
      versions: [
        { cell_id: "c", source_sha256: "aaa", source: "x = 1", first_run_at: "2026-11-29T10:00:00Z", last_run_at: "2026-11-29T10:05:00Z", runs: 2, statuses: { ok: 2 }, cell_index: 3, diff: null, facts: ["`x`: 3 rows"] },
        { cell_id: "c", source_sha256: "bbb", source: "x = 2", first_run_at: "2026-11-29T11:00:00Z", last_run_at: "2026-11-29T11:00:00Z", runs: 1, statuses: { ok: 0, error: 1 }, cell_index: 4, diff: "--- version 1\n+++ version 2\n@@ -1 +1 @@\n-x = 1\n+x = 2", facts: [] },
      ],
    };
    assert.equal(statusesText({ ok: 0, error: 1 }), "error 1");
    const text = historyText(history, { notebookName: "a.ipynb", formatTime: (iso) => `<${iso.slice(11, 16)}>` });
    assert.ok(text.startsWith("# Cell 5 of a.ipynb: 2 versions\n"));
    const second = text.indexOf("## Version 2 \u00b7 Cell 5 \u00b7 <11:00>");
    const first = text.indexOf("## Version 1 \u00b7 Cell 4 \u00b7 <10:05>");
    assert.ok(second > 0 && first > second, "newest first");
    assert.match(text, /1 run \(error 1\) \u00b7 sha256 `bbb`/);
    assert.match(text, /2 runs \(ok 2\), first <10:00>/);
    assert.match(text, /\*\*Changed from version 1:\*\*\n\n```diff\n--- version 1\n\+\+\+ version 2\n@@ -1 \+1 @@\n-x = 1\n\+x = 2\n```/);
    assert.match(text, /\*\*Data it wrote:\*\* `x`: 3 rows/);
    assert.match(text, /\*\*Data it wrote:\*\* nothing measured/);
  });

  it("finds the cell from the status bar's arguments, a cell toolbar's cell, or the focused notebook's selection", () => {
    const nb = { uri: vscode.Uri.file("/n.ipynb"), cellCount: 2, cellAt: (i: number) => ({ kind: 2, metadata: { id: `c${i}` }, document: { uri: { fragment: "f" } } }) };
    assert.deepEqual(cellTarget("file:///n.ipynb", "c9", undefined), { notebookUri: "file:///n.ipynb", cellId: "c9" });
    const cell = { kind: 2, notebook: nb, metadata: { id: "c1" }, document: { uri: { fragment: "f" } } };
    assert.deepEqual(cellTarget(cell, undefined, undefined), { notebookUri: "file:///n.ipynb", cellId: "c1" });
    // focus is in the Command Palette, the tree or a summary: the focused notebook's selected cell
    assert.deepEqual(cellTarget(undefined, undefined, { notebook: nb, selection: { start: 1 } } as any), { notebookUri: "file:///n.ipynb", cellId: "c1" });
    assert.equal(cellTarget(undefined, undefined, undefined), undefined);
    assert.equal(cellTarget(undefined, undefined, { notebook: nb, selection: { start: 5 } } as any), undefined);
  });
});

describe("command flows", () => {
  it("summarize shows the answer it got in the notebook's panel; regenerate asks for a new one", async () => {
    const calls: [string, any][] = [];
    const shown: Shown[] = [];
    v.window.withProgress = (_o: unknown, task: () => Promise<unknown>) => task();
    v.window.activeNotebookEditor = { notebook: { uri: vscode.Uri.parse(summary.notebook_uri) } };
    const fresh = { ...summary, cached: false, markdown: "# titanic\n\nThis session ran 32 executions.\n" };
    const ctx = context({ [Methods.SUMMARIZE]: (p) => (p.regenerate ? fresh : summary) }, calls, shown);
    await summarizeNotebook(ctx);
    await regenerateSummary(ctx, summary.notebook_uri);
    assert.deepEqual(calls, [
      [Methods.SUMMARIZE, { notebook_uri: summary.notebook_uri, regenerate: false }],
      [Methods.SUMMARIZE, { notebook_uri: summary.notebook_uri, regenerate: true }],
    ]);
    assert.deepEqual(shown, [
      [summary.notebook_uri, "titanic.ipynb", summary],
      [summary.notebook_uri, "busy", "Regenerating\u2026"],
      [summary.notebook_uri, "titanic.ipynb", fresh],
    ]);
    assert.equal(notebookFileName("file:///work/My%20Analysis.ipynb"), "My Analysis.ipynb");
  });

  it("summarize without a notebook warns and asks nothing", async () => {
    const calls: [string, any][] = [];
    const warnings: string[] = [];
    v.window.showWarningMessage = async (m: string) => void warnings.push(m);
    await summarizeNotebook(context({}, calls));
    assert.equal(calls.length, 0);
    assert.match(warnings[0], /open a notebook first/);
  });

  it("preview prompt: opens exactly the prompt text, for the configured provider", async () => {
    const calls: [string, any][] = [];
    const opened: { content: string; language: string }[] = [];
    v.workspace.openTextDocument = async (o: { content: string; language: string }) => (opened.push(o), o);
    v.window.showTextDocument = async () => undefined;
    const prompt = "SYSTEM: be faithful\n\nUSER: cells...";
    await previewPrompt(context({ [Methods.PREVIEW_PROMPT]: (p) => ({ notebook_uri: p.notebook_uri, provider: p.provider, prompt }) }, calls), "file:///a.ipynb");
    assert.deepEqual(calls, [[Methods.PREVIEW_PROMPT, { notebook_uri: "file:///a.ipynb", provider: "ollama" }]]);
    assert.deepEqual(opened, [{ content: prompt, language: "markdown" }]);
  });

  it("cell history: asks for the given cell and opens a read-only document of its versions", async () => {
    const calls: [string, any][] = [];
    const opened: string[] = [];
    const languages: string[] = [];
    v.workspace.openTextDocument = async (uri: vscode.Uri) => (opened.push(uri.toString()), { uri, languageId: "plaintext" });
    v.languages.setTextDocumentLanguage = async (doc: any, language: string) => (languages.push(language), { ...doc, languageId: language });
    v.window.showTextDocument = async () => undefined;
    const history: CellHistory = {
      notebook_uri: "file:///a.ipynb",
      versions: [{ cell_id: "c7", source_sha256: "abc", source: "df = df.dropna()", first_run_at: "2026-11-29T10:00:00Z", last_run_at: "2026-11-29T10:05:00Z", runs: 3, statuses: { ok: 3 }, cell_index: 6, facts: [] }],
    };
    const documents = new HistoryDocuments(async () => "refetched");
    await showCellHistory(context({ [Methods.CELL_HISTORY]: () => history }, calls), documents, undefined, "file:///a.ipynb", "c7");
    assert.deepEqual(calls, [[Methods.CELL_HISTORY, { notebook_uri: "file:///a.ipynb", cell_id: "c7" }]]);
    assert.equal(opened.length, 1);
    const uri = vscode.Uri.parse(opened[0]);
    assert.equal(uri.scheme, "trackit-history");
    assert.equal(uri.path, "/Cell 7 history (a.ipynb)");
    assert.deepEqual(languages, ["markdown"]);
    const text = await documents.provideTextDocumentContent(uri);
    assert.match(text, /^# Cell 7 of a\.ipynb: 1 version/);
    assert.match(text, /## Version 1 \u00b7 Cell 7 \u00b7 /);
    assert.match(text, /df = df\.dropna\(\)/);
    // after a window reload the document asks again
    assert.equal(await new HistoryDocuments(async (nb, cell) => `${nb} ${cell}`).provideTextDocumentContent(uri), "file:///a.ipynb c7");
  });

  it("cell history with no cell to show says how to get one", async () => {
    const warnings: string[] = [];
    v.window.showWarningMessage = async (m: string) => void warnings.push(m);
    const calls: [string, any][] = [];
    await showCellHistory(context({}, calls), new HistoryDocuments(async () => ""), undefined);
    assert.equal(calls.length, 0);
    assert.match(warnings[0], /select a cell/);
  });
});
