// TrackIT: Summarize notebook / Export summary / Preview what will be sent.
import * as path from "node:path";
import type * as vscode from "vscode";
import {
  createDirectory,
  executeCommand,
  openUntitledDocument,
  showInformationMessage,
  showSaveDialog,
  showTextDocument,
  showWarningMessage,
  uriJoin,
  uriParse,
  withProgress,
  writeFile,
} from "../common/vscodeapi";
import { sha256Hex } from "../notebook/outputs";
import type { PreviewPromptParams, PromptPreview, SummarizeParams, SummaryResult } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import type { CommandContext } from "./context";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

/** Pure: "analysis" for file:///x/analysis.ipynb (also untitled and remote URIs). */
export function notebookStem(notebookUri: string): string {
  const uriPath = notebookUri.split(/[?#]/)[0].replace(/^[a-zA-Z][\w+.-]*:/, "");
  const last = decodeURIComponent(uriPath.split("/").pop() ?? "") || "notebook";
  return last.replace(/\.ipynb$/i, "");
}

/** Pure: the Markdown document shown and exported for a summary. */
export function summaryMarkdown(result: SummaryResult): string {
  const origin = [result.provider, result.model].filter(Boolean).join(" \u00b7 ");
  const lines = [result.markdown.trimEnd(), "", "---", `_Summary by ${origin}, ${result.created_at}${result.cached ? " (stored)" : ""}._`];
  for (const w of result.warnings) lines.push("", `> \u26a0 ${w}`);
  return lines.join("\n") + "\n";
}

async function summarize(ctx: CommandContext, notebookUri: string, regenerate: boolean): Promise<SummaryResult> {
  const params: SummarizeParams = { notebook_uri: notebookUri, regenerate };
  return withProgress(regenerate ? "TrackIT: regenerating summary\u2026" : "TrackIT: summarizing\u2026", () =>
    ctx.sidecar.request<SummaryResult>(Methods.SUMMARIZE, params),
  );
}

function previewFile(ctx: CommandContext, notebookUri: string): vscode.Uri {
  // One file per notebook (the hash keeps two "analysis.ipynb" in different folders apart).
  return uriJoin(ctx.storageUri, "summaries", `${notebookStem(notebookUri)}-${sha256Hex(notebookUri).slice(0, 8)}.summary.md`);
}

export async function summarizeNotebook(ctx: CommandContext, arg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(arg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  const file = previewFile(ctx, notebookUri);
  const show = async (result: SummaryResult) => {
    await createDirectory(uriJoin(ctx.storageUri, "summaries"));
    await writeFile(file, summaryMarkdown(result));
    await executeCommand("markdown.showPreviewToSide", file);
  };
  const result = await summarize(ctx, notebookUri, false);
  await show(result);
  // The command is done once the preview is open; the offer to regenerate stays in a notification.
  const label = `TrackIT summary of ${notebookStem(notebookUri)} (${result.provider}${result.cached ? ", stored" : ""}).`;
  void showInformationMessage(label, "Regenerate", "Export").then(async (choice) => {
    try {
      if (choice === "Regenerate") await show(await summarize(ctx, notebookUri, true));
      else if (choice === "Export") await exportSummary(ctx, notebookUri);
    } catch (error) {
      ctx.log.error(`summary ${choice}: ${error instanceof Error ? error.message : String(error)}`);
      void showWarningMessage(`TrackIT: ${choice} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

export async function exportSummary(ctx: CommandContext, arg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(arg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  const nb = uriParse(notebookUri);
  const defaultUri =
    nb.scheme === "file" ? uriJoin(nb.with({ path: path.posix.dirname(nb.path) }), `${notebookStem(notebookUri)}.summary.md`) : undefined;
  const target = await showSaveDialog({ defaultUri, filters: { Markdown: ["md"] }, saveLabel: "Export summary" });
  if (!target) return;
  const result = await summarize(ctx, notebookUri, false);
  await writeFile(target, summaryMarkdown(result));
  ctx.log.info(`summary of ${notebookUri} exported to ${target.toString()}`);
  void showInformationMessage(`TrackIT: summary exported to ${target.fsPath || target.toString()}`);
}

export async function previewPrompt(ctx: CommandContext, arg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(arg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  const params: PreviewPromptParams = { notebook_uri: notebookUri, provider: ctx.trusted() ? ctx.settings().provider : "builtin" };
  const preview = await ctx.sidecar.request<PromptPreview>(Methods.PREVIEW_PROMPT, params);
  // Exactly the text that would be sent, nothing added.
  const doc = await openUntitledDocument(preview.prompt, "markdown");
  await showTextDocument(doc);
}
