// TrackIT: Summarize notebook / Export summary / Preview what will be sent.
import * as path from "node:path";
import type * as vscode from "vscode";
import {
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

/** Pure: "analysis.ipynb" for file:///x/analysis.ipynb. */
export function notebookFileName(notebookUri: string): string {
  const uriPath = notebookUri.split(/[?#]/)[0].replace(/^[a-zA-Z][\w+.-]*:/, "");
  return decodeURIComponent(uriPath.split("/").pop() ?? "") || "notebook";
}

/** Pure: the Markdown document exported for a summary. */
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

/** Shows the answer itself in the notebook's summary panel: after new runs the panel shows the new text. */
export async function summarizeNotebook(ctx: CommandContext, arg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(arg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  const result = await summarize(ctx, notebookUri, false);
  ctx.summaries.show(notebookUri, notebookFileName(notebookUri), result);
  ctx.log.info(`summary of ${notebookFileName(notebookUri)} shown (${result.provider}${result.cached ? ", stored" : ""}, ${result.created_at})`);
}

export async function regenerateSummary(ctx: CommandContext, notebookUri: string): Promise<void> {
  ctx.summaries.busy(notebookUri, "Regenerating\u2026");
  const result = await summarize(ctx, notebookUri, true);
  ctx.summaries.show(notebookUri, notebookFileName(notebookUri), result);
  ctx.log.info(`summary of ${notebookFileName(notebookUri)} regenerated (${result.provider})`);
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
