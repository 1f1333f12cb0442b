// TrackIT: Show data lineage: from the Command Palette (the variable under the cursor, else the sidecar's
// default: the last model), the lineage tree's context menu (a variable or a run), a hover's link (the word
// hovered) and a cell's status bar item (what the cell last wrote).
import { activeNotebookEditor, activeTextEditor, showWarningMessage } from "../common/vscodeapi";
import { cellIdOf, CellLike } from "../notebook/reducer";
import type { ExecutionRecord, LineageDocument } from "../sidecar/protocol";
import type { GraphQuestion } from "../views/graphPanel";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

/** What callers pass: a tree node, a hover link's argument, a status bar item's argument. */
export interface DataLineageArgs {
  notebookUri?: string;
  variable?: string;
  seq?: number;
  cellId?: string;
  session?: number;
  experimentId?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pure: the last run of a cell, and the data variable it last wrote (imports and functions are not data). */
export function lastRunOfCell(doc: LineageDocument, cellId: string): { run?: ExecutionRecord; variable?: string } {
  const runs = doc.executions.filter((e) => e.cell_id === cellId).sort((a, b) => a.seq - b.seq);
  const run = runs[runs.length - 1];
  if (!run) return {};
  const writes = run.writes.filter((name) => run.code_names?.[name] === undefined);
  return { run, variable: writes[writes.length - 1] };
}

/** Pure: the question to ask. `word`: the identifier under the cursor in a cell of `activeUri`, if any. */
export function questionFor(
  arg: DataLineageArgs | undefined,
  activeUri: string | undefined,
  word: string | undefined,
  doc: LineageDocument | undefined,
): GraphQuestion | undefined {
  const notebookUri = arg?.notebookUri ?? activeUri;
  if (!notebookUri) return undefined;
  const q: GraphQuestion = { notebookUri, session: arg?.session, experimentId: arg?.experimentId, seq: arg?.seq };
  if (arg?.variable && IDENTIFIER.test(arg.variable)) q.variable = arg.variable;
  else if (arg?.cellId && doc) {
    const { run, variable } = lastRunOfCell(doc, arg.cellId);
    q.seq = run?.seq;
    q.variable = variable;
  } else if (!arg && word && IDENTIFIER.test(word)) q.variable = word;
  return q;
}

/** The identifier under the cursor when a cell of the active notebook has focus. */
export function wordAtCursor(): string | undefined {
  const editor = activeTextEditor();
  const notebook = activeNotebookEditor()?.notebook;
  if (!editor || !notebook || editor.document.uri.scheme !== "vscode-notebook-cell") return undefined;
  if (!notebook.getCells().some((c) => c.document.uri.toString() === editor.document.uri.toString())) return undefined;
  const range = editor.document.getWordRangeAtPosition(editor.selection.active);
  return range ? editor.document.getText(range) : undefined;
}

export async function showDataLineage(
  arg: unknown,
  deps: { lineageOf: (uri: string) => Promise<LineageDocument | undefined>; show: (q: GraphQuestion) => Promise<void> },
): Promise<void> {
  const args = toArgs(arg);
  const activeUri = targetNotebookUri(undefined);
  const notebookUri = args?.notebookUri ?? activeUri;
  const doc = args?.cellId && notebookUri ? await deps.lineageOf(notebookUri) : undefined;
  const q = questionFor(args, activeUri, args ? undefined : wordAtCursor(), doc);
  if (!q) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  await deps.show(q);
}

/** A tree node ({ lineage: {...} }), a cell (its toolbar), a plain object, or a notebook URI. */
export function toArgs(arg: unknown): DataLineageArgs | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (typeof arg === "string") return { notebookUri: targetNotebookUri(arg) };
  const cell = arg as CellLike & { notebook?: { uri: { toString(): string } } };
  if (cell.notebook && cell.document && "kind" in cell) return { notebookUri: cell.notebook.uri.toString(), cellId: cellIdOf(cell) };
  const a = arg as { lineage?: DataLineageArgs } & DataLineageArgs;
  return a.lineage ?? a;
}
