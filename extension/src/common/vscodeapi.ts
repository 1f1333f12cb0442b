// The one thin facade over the `vscode` API. Every call that a unit test may need to replace goes
// through here, so tests swap the `vscode` module at resolve time (test/setup.ts) and nothing else.
import * as vscode from "vscode";

export type Disposable = vscode.Disposable;

// ---------------------------------------------------------------- workspace
export function getConfiguration(section?: string, scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(section, scope);
}
export function onDidChangeConfiguration(
  listener: (e: vscode.ConfigurationChangeEvent) => unknown,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(listener);
}
export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}
export function onDidGrantWorkspaceTrust(listener: () => unknown): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(listener);
}
export function notebookDocuments(): readonly vscode.NotebookDocument[] {
  return vscode.workspace.notebookDocuments;
}
export function onDidChangeNotebookDocument(
  listener: (e: vscode.NotebookDocumentChangeEvent) => unknown,
): vscode.Disposable {
  return vscode.workspace.onDidChangeNotebookDocument(listener);
}
export function onDidOpenNotebookDocument(listener: (nb: vscode.NotebookDocument) => unknown): vscode.Disposable {
  return vscode.workspace.onDidOpenNotebookDocument(listener);
}
export function onDidCloseNotebookDocument(listener: (nb: vscode.NotebookDocument) => unknown): vscode.Disposable {
  return vscode.workspace.onDidCloseNotebookDocument(listener);
}
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}
export async function openNotebookDocument(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  return vscode.workspace.openNotebookDocument(uri);
}
export async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
}
export async function createDirectory(uri: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.createDirectory(uri);
}
export async function openUntitledDocument(content: string, language: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ content, language });
}
/** A cell of a notebook to open untitled: plain data, so callers stay free of `vscode` classes. */
export interface UntitledCell {
  kind: "code" | "markup";
  value: string;
  languageId: string;
  metadata?: Record<string, unknown>;
}
export async function openUntitledNotebook(
  notebookType: string,
  cells: UntitledCell[],
  metadata?: Record<string, unknown>,
): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(
    cells.map((c) => {
      const kind = c.kind === "code" ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup;
      const cell = new vscode.NotebookCellData(kind, c.value, c.languageId);
      cell.metadata = c.metadata;
      return cell;
    }),
  );
  data.metadata = metadata;
  return vscode.workspace.openNotebookDocument(notebookType, data);
}

// ---------------------------------------------------------------- window
export function createLogOutputChannel(name: string): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(name, { log: true });
}
export function createStatusBarItem(id: string, priority: number): vscode.StatusBarItem {
  return vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Right, priority);
}
export function createTreeView<T>(viewId: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
  return vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: true });
}
export function activeNotebookEditor(): vscode.NotebookEditor | undefined {
  return vscode.window.activeNotebookEditor;
}
export function onDidChangeActiveNotebookEditor(
  listener: (e: vscode.NotebookEditor | undefined) => unknown,
): vscode.Disposable {
  return vscode.window.onDidChangeActiveNotebookEditor(listener);
}
export async function showNotebookDocument(
  doc: vscode.NotebookDocument,
  cellIndex: number | undefined,
  viewColumn?: vscode.ViewColumn,
): Promise<vscode.NotebookEditor> {
  const options: vscode.NotebookDocumentShowOptions = viewColumn !== undefined ? { viewColumn } : {};
  const editor = await vscode.window.showNotebookDocument(doc, options);
  if (cellIndex !== undefined && cellIndex >= 0 && cellIndex < doc.cellCount) {
    const range = new vscode.NotebookRange(cellIndex, cellIndex + 1);
    editor.selections = [range];
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  }
  return editor;
}
export async function showTextDocument(doc: vscode.TextDocument): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}
export function visibleNotebookEditors(): readonly vscode.NotebookEditor[] {
  return vscode.window.visibleNotebookEditors;
}
export function onDidChangeNotebookEditorSelection(
  listener: (e: vscode.NotebookEditorSelectionChangeEvent) => unknown,
): vscode.Disposable {
  return vscode.window.onDidChangeNotebookEditorSelection(listener);
}
export function activeTextEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor;
}
/** The view column of the editor group that has a tab for this notebook (open but maybe not visible). */
export function notebookTabColumn(notebookUri: string): vscode.ViewColumn | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputNotebook && tab.input.uri.toString() === notebookUri) return group.viewColumn;
    }
  }
  return undefined;
}
export function createWebviewPanel(viewType: string, title: string, localResourceRoots: vscode.Uri[]): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots,
  });
}
export function registerTextDocumentContentProvider(scheme: string, provider: vscode.TextDocumentContentProvider): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(scheme, provider);
}
export async function openTextDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(uri);
}
export async function setDocumentLanguage(doc: vscode.TextDocument, languageId: string): Promise<vscode.TextDocument> {
  return doc.languageId === languageId ? doc : vscode.languages.setTextDocumentLanguage(doc, languageId);
}
export function showOpenDialog(options: vscode.OpenDialogOptions): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog(options);
}
export function uiLanguage(): string {
  return vscode.env.language;
}
export function showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(message, ...items);
}
export function showWarningMessage(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(message, ...items);
}
export function showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(message, ...items);
}
export function showQuickPick<T extends vscode.QuickPickItem>(
  items: T[],
  options: vscode.QuickPickOptions,
): Thenable<T | undefined> {
  return vscode.window.showQuickPick(items, options);
}
export function showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog(options);
}
export function showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox(options);
}
/** The identifier under the cursor of the active text editor (a notebook cell's editor), with its document's URI. */
export function wordAtCursor(): { word: string; documentUri: string } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z_][A-Za-z0-9_]*/);
  if (!range) return undefined;
  return { word: editor.document.getText(range), documentUri: editor.document.uri.toString() };
}
export function withProgress<R>(title: string, task: () => Promise<R>): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}

// ---------------------------------------------------------------- commands and providers
export function registerCommand(id: string, handler: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler);
}
export function executeCommand<T = unknown>(id: string, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(id, ...args);
}
export function registerNotebookCellStatusBarItemProvider(
  notebookType: string,
  provider: vscode.NotebookCellStatusBarItemProvider,
): vscode.Disposable {
  return vscode.notebooks.registerNotebookCellStatusBarItemProvider(notebookType, provider);
}
export function uriParse(value: string): vscode.Uri {
  return vscode.Uri.parse(value);
}
export function uriFile(path: string): vscode.Uri {
  return vscode.Uri.file(path);
}
export function uriJoin(base: vscode.Uri, ...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(base, ...segments);
}
