// TrackIT: Show cell history, from the Command Palette, a cell's toolbar or its status bar item: every recorded
// version of the cell in a read-only document (views/historyDocument.ts). The cell is the argument's, else the
// selected cell of the focused notebook (notebook/focusedNotebook.ts), even while focus is elsewhere.
import type * as vscode from "vscode";
import {
  openTextDocument, setDocumentLanguage, showInformationMessage, showTextDocument, showWarningMessage, uiLanguage, uriParse,
} from "../common/vscodeapi";
import type { EditorLike } from "../notebook/focusedNotebook";
import { cellIdOf, CellLike } from "../notebook/reducer";
import type { CellHistory, CellHistoryParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { HistoryDocuments, historyText, historyUri } from "../views/historyDocument";
import type { CommandContext } from "./context";
import { notebookFileName } from "./summarize";
import { targetNotebookUri } from "./target";

export const NO_CELL_MESSAGE = "TrackIT: open a notebook and select a cell to see its history.";

export interface SelectedCellEditor extends EditorLike {
  notebook: EditorLike["notebook"] & { cellCount: number; cellAt(index: number): CellLike };
  selection?: { start: number };
}

/** Pure: which cell. (notebook, cellId) from the status bar; a NotebookCell from the cell toolbar; else the
 * focused notebook editor's selected cell. */
export function cellTarget(
  notebookArg: unknown,
  cellIdArg: unknown,
  focused: SelectedCellEditor | undefined,
): { notebookUri: string; cellId: string } | undefined {
  if (typeof cellIdArg === "string" && cellIdArg) {
    const notebookUri = targetNotebookUri(notebookArg) ?? focused?.notebook.uri.toString();
    return notebookUri ? { notebookUri, cellId: cellIdArg } : undefined;
  }
  const cell = notebookArg as (CellLike & { notebook?: { uri: { toString(): string } } }) | undefined;
  if (cell && typeof cell === "object" && cell.notebook && cell.document && "kind" in cell) {
    return { notebookUri: cell.notebook.uri.toString(), cellId: cellIdOf(cell) };
  }
  const index = focused?.selection?.start;
  if (!focused || index === undefined || index < 0 || index >= focused.notebook.cellCount) return undefined;
  return { notebookUri: focused.notebook.uri.toString(), cellId: cellIdOf(focused.notebook.cellAt(index)) };
}

export function localTime(iso: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return when.toLocaleString(uiLanguage(), { dateStyle: "medium", timeStyle: "medium" });
}

async function fetchHistory(ctx: CommandContext, notebookUri: string, cellId: string): Promise<CellHistory> {
  const params: CellHistoryParams = { notebook_uri: notebookUri, cell_id: cellId };
  return ctx.sidecar.request<CellHistory>(Methods.CELL_HISTORY, params);
}

/** The document's text for one cell, asked now (the provider calls this after a window reload). */
export async function historyDocumentText(ctx: CommandContext, notebookUri: string, cellId: string): Promise<string> {
  const history = await fetchHistory(ctx, notebookUri, cellId);
  if (history.versions.length === 0) return "No recorded runs of this cell.";
  return historyText(history, { notebookName: notebookFileName(notebookUri), formatTime: localTime });
}

export async function showCellHistory(
  ctx: CommandContext,
  documents: HistoryDocuments,
  focused: SelectedCellEditor | undefined,
  notebookArg?: unknown,
  cellIdArg?: unknown,
): Promise<void> {
  const target = cellTarget(notebookArg, cellIdArg, focused);
  if (!target) {
    ctx.log.warn(`cell history: no cell (${focused ? `notebook ${focused.notebook.uri.toString()} has no selected cell` : "no notebook editor"})`);
    void showWarningMessage(NO_CELL_MESSAGE);
    return;
  }
  const history = await fetchHistory(ctx, target.notebookUri, target.cellId);
  const name = notebookFileName(target.notebookUri);
  if (history.versions.length === 0) {
    void showInformationMessage("TrackIT: no recorded runs of this cell yet.");
    return;
  }
  const latest = history.versions[history.versions.length - 1];
  const cellNumber = latest.cell_index !== undefined && latest.cell_index !== null ? latest.cell_index + 1 : undefined;
  const uri = historyUri(uriParse, target.notebookUri, name, target.cellId, cellNumber);
  documents.set(uri, historyText(history, { notebookName: name, formatTime: localTime }));
  const doc: vscode.TextDocument = await setDocumentLanguage(await openTextDocument(uri), "markdown");
  await showTextDocument(doc);
  ctx.log.info(`history of cell ${cellNumber ?? target.cellId} in ${name}: ${history.versions.length} version(s)`);
}
