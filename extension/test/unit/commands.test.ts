// Command flows against the mocked `vscode` module; the sidecar is a fake requester.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { historyMarkdown, showCellHistory, statusesText, versionsNewestFirst } from "../../src/commands/cellHistory";
import type { CommandContext } from "../../src/commands/context";
import { notebookStem, previewPrompt, summarizeNotebook, summaryMarkdown } from "../../src/commands/summarize";
import { targetNotebookUri } from "../../src/commands/target";
import { fakeCommandContext } from "../commandContext";
import type { CellHistory, SummaryResult } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";

const v = vscode as any;
const saved = { workspace: { ...v.workspace }, window: { ...v.window }, commands: { ...v.commands } };
afterEach(() => {
  for (const key of ["fs", "openTextDocument"]) delete v.workspace[key];
  for (const key of ["activeNotebookEditor", "withProgress", "showInformationMessage", "showWarningMessage", "showTextDocument", "showQuickPick"]) v.window[key] = saved.window[key];
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

function context(answers: Record<string, (params: any) => unknown>, calls: [string, any][]): CommandContext {
  return fakeCommandContext(answers, calls, { provider: "ollama" });
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

  it("orders cell history newest first and renders it", () => {
    const history: CellHistory = {
      notebook_uri: "file:///a.ipynb",
      versions: [
        { cell_id: "c", source_sha256: "aaa", source: "x = 1", first_run_at: "2026-11-29T10:00:00Z", last_run_at: "2026-11-29T10:05:00Z", runs: 2, statuses: { ok: 2 } },
        { cell_id: "c", source_sha256: "bbb", source: "x = 2", first_run_at: "2026-11-29T11:00:00Z", last_run_at: "2026-11-29T11:00:00Z", runs: 1, statuses: { ok: 0, error: 1 } },
      ],
    };
    assert.deepEqual(versionsNewestFirst(history).map((x) => x.source_sha256), ["bbb", "aaa"]);
    assert.equal(statusesText({ ok: 0, error: 1 }), "error 1");
    const md = historyMarkdown(history, "History");
    assert.ok(md.indexOf("## Version 2") < md.indexOf("## Version 1"));
    assert.match(md, /```python\nx = 2\n```/);
  });
});

describe("command flows", () => {
  it("summarize: asks for the stored summary, writes it to extension storage and previews it beside", async () => {
    const calls: [string, any][] = [];
    const written = new Map<string, string>();
    const executed: [string, unknown][] = [];
    v.workspace.fs = {
      createDirectory: async () => undefined,
      writeFile: async (uri: vscode.Uri, data: Uint8Array) => void written.set(uri.toString(), Buffer.from(data).toString("utf8")),
    };
    v.window.withProgress = (_o: unknown, task: () => Promise<unknown>) => task();
    v.window.showInformationMessage = async () => undefined;
    v.commands.executeCommand = async (id: string, arg: unknown) => void executed.push([id, arg]);
    v.window.activeNotebookEditor = { notebook: { uri: vscode.Uri.parse(summary.notebook_uri) } };
    await summarizeNotebook(context({ [Methods.SUMMARIZE]: () => summary }, calls));
    assert.deepEqual(calls, [[Methods.SUMMARIZE, { notebook_uri: summary.notebook_uri, regenerate: false }]]);
    assert.equal(written.size, 1);
    const [file, text] = [...written][0];
    assert.match(file, /^file:\/\/\/storage\/summaries\/titanic-[0-9a-f]{8}\.summary\.md$/);
    assert.equal(text, summaryMarkdown(summary));
    assert.equal(executed.length, 1);
    assert.equal(executed[0][0], "markdown.showPreviewToSide");
    assert.equal(String(executed[0][1]), file);
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

  it("cell history: asks for the given cell and opens the picked version", async () => {
    const calls: [string, any][] = [];
    const opened: { content: string }[] = [];
    v.workspace.openTextDocument = async (o: { content: string }) => (opened.push(o), o);
    v.window.showTextDocument = async () => undefined;
    v.window.showQuickPick = async (items: { version?: unknown }[]) => items.find((i) => i.version);
    const history: CellHistory = {
      notebook_uri: "file:///a.ipynb",
      versions: [{ cell_id: "c7", source_sha256: "abc", source: "df = df.dropna()", first_run_at: "t1", last_run_at: "t2", runs: 3, statuses: { ok: 3 } }],
    };
    await showCellHistory(context({ [Methods.CELL_HISTORY]: () => history }, calls), "file:///a.ipynb", "c7");
    assert.deepEqual(calls, [[Methods.CELL_HISTORY, { notebook_uri: "file:///a.ipynb", cell_id: "c7" }]]);
    assert.equal(opened.length, 1);
    assert.match(opened[0].content, /## Version 1 \u00b7 3 runs \(ok 3\)/);
    assert.match(opened[0].content, /df = df\.dropna\(\)/);
  });
});
