// Which notebook editor a command is about when focus is elsewhere (the tree, a summary, the Command Palette's
// own input, the status bar): the active notebook editor, else the last one that was active and is still shown,
// else the only notebook on screen. VS Code's activeNotebookEditor is undefined as soon as another editor or
// view has focus, which made "Show cell history" say "select a cell first" with a cell selected.
export interface EditorLike {
  notebook: { uri: { toString(): string } };
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

  constructor(
    private readonly active: () => E | undefined,
    private readonly visible: () => readonly E[],
  ) {}

  /** onDidChangeActiveNotebookEditor / onDidChangeNotebookEditorSelection: remember the last notebook editor. */
  note(editor: E | undefined): void {
    if (editor) this.last = editor;
  }

  current(): E | undefined {
    return chooseNotebookEditor(this.active(), this.last, this.visible());
  }
}
