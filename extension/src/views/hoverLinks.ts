// Actions under the sidecar's hover (its text comes over LSP): "Show data lineage" and "Gather code" for the
// word hovered and "Cell history" for the cell. Added by the language client's middleware as trusted command
// links, allowed for these commands only.
import * as vscode from "vscode";
import { notebookDocuments } from "../common/vscodeapi";
import { cellIdOf } from "../notebook/reducer";
import { GATHER_CODE_COMMAND } from "../commands/gatherCode";
import { SHOW_CELL_HISTORY_COMMAND, SHOW_DATA_LINEAGE_COMMAND } from "./cellAnnotations";

export const HOVER_COMMANDS = [SHOW_DATA_LINEAGE_COMMAND, SHOW_CELL_HISTORY_COMMAND, GATHER_CODE_COMMAND];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const commandLink = (title: string, command: string, args: unknown[]) =>
  `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;

/** Pure: the links' Markdown. */
export function hoverLinks(notebookUri: string, cellId: string, word: string | undefined): string {
  const variable = word && IDENTIFIER.test(word) ? word : undefined;
  return [
    commandLink(`$(type-hierarchy) Show data lineage${variable ? ` of ${variable}` : ""}`, SHOW_DATA_LINEAGE_COMMAND, [
      variable ? { notebookUri, variable } : { notebookUri, cellId },
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
): Promise<vscode.Hover | null | undefined> {
  if (!hover || document.uri.scheme !== "vscode-notebook-cell") return hover;
  for (const notebook of notebookDocuments()) {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === document.uri.toString());
    if (!cell) continue;
    const range = document.getWordRangeAtPosition(position);
    const links = new vscode.MarkdownString(hoverLinks(notebook.uri.toString(), cellIdOf(cell), range ? document.getText(range) : undefined), true);
    links.isTrusted = { enabledCommands: HOVER_COMMANDS };
    return new vscode.Hover([...hover.contents, links], hover.range);
  }
  return hover;
}
