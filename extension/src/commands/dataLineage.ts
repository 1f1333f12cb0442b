// TrackIT: Show data lineage: from the Command Palette (the variable under the cursor, else the sidecar's
// default: the last model), the lineage tree's context menu (a variable or a run), a hover's link (the word
// hovered, as of the hovered cell's latest run) and a cell's status bar item or toolbar (what the cell last wrote,
// as of its latest run).
import { activeNotebookEditor, activeTextEditor, showWarningMessage } from "../common/vscodeapi";
import { cellIdOf, CellLike } from "../notebook/reducer";
import type { CellAnnotation } from "../sidecar/protocol";
import { asOfCell } from "../views/cellAnnotations";
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

/** Pure: the question to ask. `word`: the identifier under the cursor in a cell of `activeUri`, if any;
 * `cell`: the annotation of the argument's cell when it named a cell but not its run. */
export function questionFor(
  arg: DataLineageArgs | undefined,
  activeUri: string | undefined,
  word: string | undefined,
  cell: Pick<CellAnnotation, "last_seq" | "writes"> | undefined,
): GraphQuestion | undefined {
  const notebookUri = arg?.notebookUri ?? activeUri;
  if (!notebookUri) return undefined;
  const q: GraphQuestion = { notebookUri, session: arg?.session, experimentId: arg?.experimentId, seq: arg?.seq };
  if (arg?.variable && IDENTIFIER.test(arg.variable)) q.variable = arg.variable;
  if (arg?.cellId && arg.seq === undefined && cell) {
    const asOf = asOfCell(cell);
    q.seq = asOf.seq;
    q.variable ??= asOf.variable;
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
  deps: { annotationOf: (uri: string, cellId: string) => Promise<CellAnnotation | null>; show: (q: GraphQuestion) => Promise<void> },
): Promise<void> {
  const args = toArgs(arg);
  const activeUri = targetNotebookUri(undefined);
  const notebookUri = args?.notebookUri ?? activeUri;
  // a cell without its run (the cell toolbar): its latest run, from its annotation (that run's session only)
  const cell = args?.cellId && args.seq === undefined && notebookUri ? await deps.annotationOf(notebookUri, args.cellId) : undefined;
  const q = questionFor(args, activeUri, args ? undefined : wordAtCursor(), cell ?? undefined);
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
