// TrackIT: Gather code for this variable: the minimal code that recomputed it, as it ran, in a new untitled notebook.
// Callers (hover, lineage graph, tree) pass (notebookUri, variable, seq); from the palette it takes the word under
// the cursor of the active cell, else asks.
import type { UntitledCell } from "../common/vscodeapi";
import { openUntitledNotebook, showInformationMessage, showInputBox, showNotebookDocument, showWarningMessage, withProgress, wordAtCursor } from "../common/vscodeapi";
import type { GatherAnswer, GatherParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import type { CommandContext } from "./context";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

export const GATHER_CODE_COMMAND = "trackit.gatherCode";
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pure: `E0003` is an experiment, `#12` a run, anything else a variable name (or undefined when it is none). */
export function gatherParams(notebookUri: string, target: string | undefined, seq?: number): GatherParams | undefined {
  const text = (target ?? "").trim();
  if (/^E\d{4,}$/.test(text)) return { notebook_uri: notebookUri, experiment_id: text };
  const run = /^#(\d+)$/.exec(text);
  if (run) return { notebook_uri: notebookUri, seq: Number(run[1]) };
  if (IDENTIFIER.test(text)) return { notebook_uri: notebookUri, variable: text, seq: seq ?? null };
  if (!text && typeof seq === "number") return { notebook_uri: notebookUri, seq };
  return undefined;
}

/** Pure: nbformat 4 JSON (as the sidecar sends it) to the cells and metadata of a notebook to open. */
export function notebookCells(notebook: Record<string, unknown>): { cells: UntitledCell[]; metadata: Record<string, unknown> } {
  const raw = Array.isArray(notebook.cells) ? (notebook.cells as Record<string, unknown>[]) : [];
  const cells = raw.map((cell): UntitledCell => {
    const source = Array.isArray(cell.source) ? (cell.source as string[]).join("") : String(cell.source ?? "");
    const code = cell.cell_type === "code";
    return {
      kind: code ? "code" : "markup",
      value: source,
      languageId: code ? "python" : "markdown",
      // the Jupyter extension keeps cell metadata under `metadata` and the id beside it when it saves
      metadata: { id: cell.id, metadata: cell.metadata ?? {} },
    };
  });
  return { cells, metadata: { metadata: (notebook.metadata as Record<string, unknown>) ?? {} } };
}

/** Pure: the information line shown once the notebook is open. */
export function gatheredSummary(answer: GatherAnswer): string {
  const notes = answer.notes.length ? ` ${answer.notes.length} note${answer.notes.length === 1 ? "" : "s"} in the first cell.` : "";
  return `TrackIT gathered ${answer.target}: ${answer.cells} of ${answer.cells_in_session} cells, ${answer.statements} of ${answer.statements_in_session} statements.${notes}`;
}

export async function gatherCode(ctx: CommandContext, notebookArg?: unknown, variableArg?: unknown, seqArg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(notebookArg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  const seq = typeof seqArg === "number" ? seqArg : undefined;
  let target = typeof variableArg === "string" ? variableArg : undefined;
  if (target === undefined && seq === undefined) {
    target = wordAtCursor()?.word;
    target = await showInputBox({
      title: "TrackIT: Gather code for this variable",
      prompt: "A variable name, a run (#12) or an experiment (E0003)",
      value: target ?? "",
      validateInput: (value) => (gatherParams(notebookUri, value) ? undefined : "not a variable name, #run or E####"),
    });
    if (target === undefined) return;
  }
  const params = gatherParams(notebookUri, target, seq);
  if (!params) {
    void showWarningMessage(`TrackIT: ${JSON.stringify(target)} is not a variable name, a run (#12) or an experiment (E0003).`);
    return;
  }
  const answer = await withProgress("TrackIT: gathering code\u2026", () => ctx.sidecar.request<GatherAnswer>(Methods.GATHER, params));
  const { cells, metadata } = notebookCells(answer.notebook);
  const doc = await openUntitledNotebook("jupyter-notebook", cells, metadata);
  await showNotebookDocument(doc, undefined);
  ctx.log.info(gatheredSummary(answer));
  void showInformationMessage(gatheredSummary(answer));
}
