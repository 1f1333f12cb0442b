// Reveal a recorded cell in the notebook's EXISTING editor: the tree, the lineage graph and summary citations
// call this while their own view has focus, and a plain showNotebookDocument would open a second copy of the
// notebook in the focused view's editor group.
import type * as vscode from "vscode";
import {
  notebookDocuments, notebookTabColumn, openNotebookDocument, showNotebookDocument, uriParse, visibleNotebookEditors,
} from "../common/vscodeapi";
import { cellIdOf } from "../notebook/reducer";

export const REVEAL_CELL_COMMAND = "trackit.revealCell";

/** Pure: the column of an editor already showing the notebook, else of a group holding a tab of it. */
export function columnForNotebook<C>(
  notebookUri: string,
  visible: readonly { notebook: { uri: { toString(): string } }; viewColumn?: C }[],
  tabColumn: (uri: string) => C | undefined,
): C | undefined {
  const shown = visible.find((e) => e.notebook.uri.toString() === notebookUri && e.viewColumn !== undefined);
  return shown?.viewColumn ?? tabColumn(notebookUri);
}

/** Pure: where the cell is now: by id (it may have moved since it ran), else its recorded index. */
export function cellIndexNow(cells: readonly Parameters<typeof cellIdOf>[0][], cellId: string, recordedIndex: number): number {
  const found = cells.findIndex((c) => cellIdOf(c) === cellId);
  return found >= 0 ? found : recordedIndex;
}

export async function revealCell(notebookUri: string, cellId: string, cellIndex: number): Promise<vscode.NotebookEditor> {
  const uri = uriParse(notebookUri).toString();
  const doc = notebookDocuments().find((nb) => nb.uri.toString() === uri) ?? (await openNotebookDocument(uriParse(uri)));
  const column = columnForNotebook(uri, visibleNotebookEditors(), notebookTabColumn);
  return showNotebookDocument(doc, cellIndexNow(doc.getCells(), cellId, cellIndex), column);
}
