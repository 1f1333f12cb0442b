// Which notebook a command is about: its argument (a Uri, a URI string, or the notebook toolbar's
// context object) or else the active notebook editor's.
import type * as vscode from "vscode";
import { activeNotebookEditor, uriParse } from "../common/vscodeapi";

export function targetNotebookUri(arg: unknown): string | undefined {
  if (typeof arg === "string" && arg.length > 0) return uriParse(arg).toString();
  if (arg && typeof arg === "object") {
    const a = arg as { scheme?: unknown; notebookEditor?: { notebookUri?: unknown }; notebook?: { uri?: unknown }; uri?: unknown };
    if (typeof a.scheme === "string") return String(arg);
    if (a.notebookEditor?.notebookUri) return String(a.notebookEditor.notebookUri);
    if (a.notebook?.uri) return String(a.notebook.uri);
    if (a.uri && typeof (a.uri as { scheme?: unknown }).scheme === "string") return String(a.uri);
  }
  return activeNotebookEditor()?.notebook.uri.toString();
}

export function activeNotebook(): vscode.NotebookDocument | undefined {
  return activeNotebookEditor()?.notebook;
}

export const NO_NOTEBOOK_MESSAGE = "TrackIT: open a notebook first (this command works on the active notebook).";
