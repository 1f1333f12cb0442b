// TrackIT: Show cell history: every recorded version of a cell's source, newest first.
import type * as vscode from "vscode";
import { activeNotebookEditor, openUntitledDocument, showInformationMessage, showQuickPick, showTextDocument, showWarningMessage } from "../common/vscodeapi";
import { cellIdOf } from "../notebook/reducer";
import type { CellHistory, CellHistoryParams, CellVersion } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import type { CommandContext } from "./context";
import { targetNotebookUri } from "./target";

export function statusesText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
}

/** Pure: newest first (by last run). */
export function versionsNewestFirst(history: CellHistory): CellVersion[] {
  return [...history.versions].sort((a, b) => b.last_run_at.localeCompare(a.last_run_at));
}

/** Pure: one version as Markdown. */
export function versionMarkdown(v: CellVersion, n: number, language = "python"): string {
  return [
    `## Version ${n} \u00b7 ${v.runs} run${v.runs === 1 ? "" : "s"} (${statusesText(v.statuses) || "no status"})`,
    "",
    `first run ${v.first_run_at}, last run ${v.last_run_at}, sha256 \`${v.source_sha256.slice(0, 12)}\``,
    "",
    "```" + language,
    v.source,
    "```",
  ].join("\n");
}

export function historyMarkdown(history: CellHistory, title: string): string {
  const versions = versionsNewestFirst(history);
  const parts = [`# ${title}`, ""];
  versions.forEach((v, i) => parts.push(versionMarkdown(v, versions.length - i), ""));
  return parts.join("\n");
}

interface VersionPick extends vscode.QuickPickItem {
  version?: CellVersion;
  ordinal?: number;
}

export async function showCellHistory(ctx: CommandContext, notebookArg?: unknown, cellIdArg?: unknown): Promise<void> {
  let notebookUri = targetNotebookUri(notebookArg);
  let cellId = typeof cellIdArg === "string" ? cellIdArg : undefined;
  if (!cellId) {
    // No cell given: the selected cell of the active notebook.
    const editor = activeNotebookEditor();
    const index = editor?.selection?.start;
    if (editor && index !== undefined && index < editor.notebook.cellCount) {
      notebookUri = editor.notebook.uri.toString();
      cellId = cellIdOf(editor.notebook.cellAt(index));
    }
  }
  if (!notebookUri || !cellId) {
    void showWarningMessage("TrackIT: select a cell in a notebook first.");
    return;
  }
  const params: CellHistoryParams = { notebook_uri: notebookUri, cell_id: cellId };
  const history = await ctx.sidecar.request<CellHistory>(Methods.CELL_HISTORY, params);
  const versions = versionsNewestFirst(history);
  if (versions.length === 0) {
    void showInformationMessage("TrackIT: no recorded runs of this cell yet.");
    return;
  }
  const items: VersionPick[] = [
    { label: "$(list-flat) All versions", description: `${versions.length} version${versions.length === 1 ? "" : "s"}` },
    ...versions.map((v, i) => ({
      label: `$(history) Version ${versions.length - i}`,
      description: `${v.runs} run${v.runs === 1 ? "" : "s"} \u00b7 last ${v.last_run_at}`,
      detail: v.source.split("\n").find((l) => l.trim().length > 0)?.slice(0, 120) ?? "",
      version: v,
      ordinal: versions.length - i,
    })),
  ];
  const pick = await showQuickPick(items, { title: "TrackIT: cell history", placeHolder: "Pick a version to open" });
  if (!pick) return;
  const text = pick.version ? versionMarkdown(pick.version, pick.ordinal ?? 1) : historyMarkdown(history, `History of cell ${cellId}`);
  await showTextDocument(await openUntitledDocument(text, "markdown"));
}
