// TreeDataProvider for the `trackit.lineage` view: one root per open notebook (the active one first),
// built by lineageModel.ts from the sidecar's trackit/lineage answer. Refreshes on
// trackit/lineageChanged, debounced per notebook.
import * as path from "node:path";
import * as vscode from "vscode";
import { notebookDocuments, activeNotebookEditor } from "../common/vscodeapi";
import type { LineageDocument, LineageParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { REVEAL_CELL_COMMAND } from "../commands/revealCell";
import { buildNotebookNode, LineageNode } from "./lineageModel";

export { REVEAL_CELL_COMMAND };
const DEBOUNCE_MS = 100;

export interface LineageSource {
  request<R>(method: string, params: unknown): Promise<R>;
  isRunning(): boolean;
}

type Entry = { doc: LineageDocument } | { error: string } | { loading: true };

/** A command run from a row's context menu gets the row's node: as (notebook URI, variable, seq), the
 * arguments the reproduce commands take from everywhere else. Other arguments pass through. */
export function treeNodeArgs(args: readonly unknown[]): unknown[] {
  const node = args[0] as Partial<LineageNode> | undefined;
  if (node && typeof node === "object" && node.lineage) return [node.lineage.notebookUri, node.lineage.variable, node.lineage.seq];
  return [...args];
}

/** Ordered notebook URIs for the roots: active first, then the other open ones. */
export function orderNotebookRoots(open: readonly string[], active: string | undefined): string[] {
  const unique = [...new Set(open)];
  if (active && unique.includes(active)) return [active, ...unique.filter((u) => u !== active)];
  return unique;
}

function isTrackable(nb: vscode.NotebookDocument): boolean {
  // Notebooks opened for diffing or by other extensions still show up; untitled ones are fine too.
  return nb.uri.scheme !== "vscode-notebook-cell" && !nb.isClosed;
}

export class LineageTreeProvider implements vscode.TreeDataProvider<LineageNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<LineageNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  private filter = "";
  private latestRunOnly = false;

  constructor(
    private readonly source: LineageSource,
    private readonly log: vscode.LogOutputChannel,
    private readonly isPaused: (notebookUri: string) => boolean = () => false,
  ) {}

  /** The filter box (by variable, op, cell; see lineageModel.matchesFilter); "" shows every run. */
  setFilter(text: string): void {
    this.filter = text.trim();
    this.changeEmitter.fire();
  }

  get filterText(): string {
    return this.filter;
  }

  /** Only each notebook's latest run (session). */
  setLatestRunOnly(on: boolean): void {
    this.latestRunOnly = on;
    this.changeEmitter.fire();
  }

  /** What the view's title bar says about the view state: "filter: df · latest run only". */
  viewDescription(): string | undefined {
    const parts = [...(this.filter ? [`filter: ${this.filter}`] : []), ...(this.latestRunOnly ? ["latest run only"] : [])];
    return parts.length > 0 ? parts.join(" \u00b7 ") : undefined;
  }

  getTreeItem(node: LineageNode): vscode.TreeItem {
    const state =
      node.collapsible === "none"
        ? vscode.TreeItemCollapsibleState.None
        : node.collapsible === "expanded"
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    item.contextValue = node.contextValue;
    if (node.reveal) {
      item.command = {
        command: REVEAL_CELL_COMMAND,
        title: "Reveal cell",
        arguments: [node.reveal.notebookUri, node.reveal.cellId, node.reveal.cellIndex],
      };
    }
    return item;
  }

  getChildren(node?: LineageNode): LineageNode[] {
    if (node) return node.children();
    const open = notebookDocuments().filter(isTrackable);
    const byUri = new Map(open.map((nb) => [nb.uri.toString(), nb]));
    const order = orderNotebookRoots([...byUri.keys()], activeNotebookEditor()?.notebook.uri.toString());
    return order.map((uri) => this.rootFor(byUri.get(uri)!));
  }

  /** Reload one notebook (or every open one) from the sidecar. */
  async refresh(notebookUri?: string): Promise<void> {
    const uris = notebookUri ? [notebookUri] : notebookDocuments().filter(isTrackable).map((nb) => nb.uri.toString());
    await Promise.all(uris.map((u) => this.load(u)));
    this.changeEmitter.fire();
  }

  /** trackit/lineageChanged: coalesce bursts (one flush commits many events) into one reload. */
  scheduleRefresh(notebookUri: string): void {
    const existing = this.timers.get(notebookUri);
    if (existing) clearTimeout(existing);
    this.timers.set(
      notebookUri,
      setTimeout(() => {
        this.timers.delete(notebookUri);
        const open = notebookDocuments().some((nb) => nb.uri.toString() === notebookUri);
        if (open) void this.refresh(notebookUri);
      }, DEBOUNCE_MS),
    );
  }

  /** Repaint without reloading (the active editor changed: root order). */
  repaint(): void {
    this.changeEmitter.fire();
  }

  forget(notebookUri: string): void {
    this.entries.delete(notebookUri);
    this.changeEmitter.fire();
  }

  lineageOf(notebookUri: string): LineageDocument | undefined {
    const entry = this.entries.get(notebookUri);
    return entry && "doc" in entry ? entry.doc : undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.changeEmitter.dispose();
  }

  private rootFor(nb: vscode.NotebookDocument): LineageNode {
    const uri = nb.uri.toString();
    const name = nb.uri.scheme === "file" ? path.basename(nb.uri.fsPath) : path.posix.basename(nb.uri.path) || uri;
    const entry = this.entries.get(uri);
    if (entry && "doc" in entry) {
      return buildNotebookNode(entry.doc, name, { paused: this.isPaused(uri), filter: this.filter, latestRunOnly: this.latestRunOnly });
    }
    if (!entry) void this.refresh(uri);
    const description = !entry || "loading" in entry ? "loading\u2026" : entry.error;
    return {
      id: uri,
      kind: "notebook",
      label: name,
      description,
      icon: "notebook",
      collapsible: "none",
      contextValue: "trackit.notebook",
      children: () => [],
    };
  }

  private async load(notebookUri: string): Promise<void> {
    if (!this.source.isRunning()) {
      if (!this.entries.has(notebookUri)) this.entries.set(notebookUri, { error: "sidecar not running" });
      return;
    }
    if (!this.entries.has(notebookUri)) this.entries.set(notebookUri, { loading: true });
    try {
      const params: LineageParams = { notebook_uri: notebookUri, include_source: false };
      const doc = await this.source.request<LineageDocument>(Methods.LINEAGE, params);
      this.entries.set(notebookUri, { doc });
    } catch (error) {
      this.log.warn(`lineage for ${notebookUri}: ${String(error)}`);
      this.entries.set(notebookUri, { error: "could not load lineage (see logs)" });
    }
  }
}
