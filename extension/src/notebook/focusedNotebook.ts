// Which notebook editor (and cell) a command is about when focus is elsewhere (the tree, a summary, the Command
// Palette's own input, the status bar): the active notebook editor, else the last one that was active and is
// still shown, else the only notebook on screen; its selected cell, else the cell selected in it last. VS Code's
// activeNotebookEditor is undefined once another editor has focus, and a notebook editor that lost focus can
// report no selection: together they made "Show cell history" say "select a cell first" with a cell selected.
export interface EditorLike {
  notebook: { uri: { toString(): string } };
  selections?: readonly { start: number; end: number }[];
}

/** Pure. */
export function chooseNotebookEditor<E extends EditorLike>(active: E | undefined, last: E | undefined, visible: readonly E[]): E | undefined {
  if (active) return active;
  if (last && visible.some((e) => e === last || e.notebook.uri.toString() === last.notebook.uri.toString())) {
    return visible.find((e) => e === last) ?? visible.find((e) => e.notebook.uri.toString() === last.notebook.uri.toString());
  }
  return visible.length === 1 ? visible[0] : undefined;
}

export class FocusedNotebook<E extends EditorLike> {
  private last: E | undefined;
  private readonly lastSelected = new Map<string, number>(); // notebook URI -> index of the cell selected last

  constructor(
    private readonly active: () => E | undefined,
    private readonly visible: () => readonly E[],
  ) {}

  /** onDidChangeActiveNotebookEditor / onDidChangeNotebookEditorSelection: remember the editor and its cell. */
  note(editor: E | undefined): void {
    if (!editor) return;
    this.last = editor;
    const first = editor.selections?.[0];
    if (first && first.end > first.start) this.lastSelected.set(editor.notebook.uri.toString(), first.start);
  }

  current(): E | undefined {
    return chooseNotebookEditor(this.active(), this.last, this.visible());
  }

  /** The focused notebook with the cell a command should act on: selected now, else selected last. */
  currentCell(): { notebook: E["notebook"]; selection?: { start: number } } | undefined {
    const editor = this.current();
    if (!editor) return undefined;
    const first = editor.selections?.[0];
    const start = first && first.end > first.start ? first.start : this.lastSelected.get(editor.notebook.uri.toString());
    return { notebook: editor.notebook, selection: start !== undefined ? { start } : undefined };
  }
}
