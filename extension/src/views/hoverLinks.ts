// Actions under the sidecar's hover (its text comes over LSP): "Show data lineage" and "Gather code" for the
// word hovered and "Cell history" for the cell. Added by the language client's middleware as trusted command
// links, allowed for these commands only. The lineage link answers as of the hovered cell's latest run (the run
// the hover describes), not for the variable's latest value.
import * as vscode from "vscode";
import { notebookDocuments } from "../common/vscodeapi";
import { cellIdOf } from "../notebook/reducer";
import type { CellAnnotation } from "../sidecar/protocol";
import { GATHER_CODE_COMMAND } from "../commands/gatherCode";
import { SHOW_CELL_HISTORY_COMMAND, SHOW_DATA_LINEAGE_COMMAND } from "./cellAnnotations";

export const HOVER_COMMANDS = [SHOW_DATA_LINEAGE_COMMAND, SHOW_CELL_HISTORY_COMMAND, GATHER_CODE_COMMAND];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const commandLink = (title: string, command: string, args: unknown[]) =>
  `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;

/** Pure: the links' Markdown. `seq`: the hovered cell's latest run, when known. */
export function hoverLinks(notebookUri: string, cellId: string, word: string | undefined, seq?: number): string {
  const variable = word && IDENTIFIER.test(word) ? word : undefined;
  const asOf = seq === undefined ? {} : { seq };
  return [
    commandLink(`$(type-hierarchy) Show data lineage${variable ? ` of ${variable}` : ""}`, SHOW_DATA_LINEAGE_COMMAND, [
      variable ? { notebookUri, variable, ...asOf } : { notebookUri, cellId, ...asOf },
    ]),
    commandLink("$(history) Cell history", SHOW_CELL_HISTORY_COMMAND, [notebookUri, cellId]),
    ...(variable ? [commandLink(`$(file-code) Gather code for ${variable}`, GATHER_CODE_COMMAND, [notebookUri, variable])] : []),
  ].join(" \u00b7 ");
}

/** Middleware for the client's provideHover: the sidecar's hover, then the links (only over a recorded cell). */
export async function withLinks(
  document: vscode.TextDocument,
  position: vscode.Position,
  hover: vscode.Hover | null | undefined,
  annotationOf: (notebookUri: string, cellId: string) => Promise<Pick<CellAnnotation, "last_seq"> | null>,
): Promise<vscode.Hover | null | undefined> {
  if (!hover || document.uri.scheme !== "vscode-notebook-cell") return hover;
  for (const notebook of notebookDocuments()) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === document.uri.toString());
    if (!cell) continue;
    const range = document.getWordRangeAtPosition(position);
    const notebookUri = notebook.uri.toString();
    const cellId = cellIdOf(cell);
    const seq = (await annotationOf(notebookUri, cellId))?.last_seq ?? undefined;
    const links = new vscode.MarkdownString(hoverLinks(notebookUri, cellId, range ? document.getText(range) : undefined, seq), true);
    links.isTrusted = { enabledCommands: HOVER_COMMANDS };
    return new vscode.Hover([...hover.contents, links], hover.range);
  }
  return hover;
}
