// TreeDataProvider for the `trackit.lineage` view: one root per open notebook (the active one first),
// built by lineageModel.ts from what the editor holds of each notebook (lineageDelta.ts): every session
// described, the latest one's runs read on open, others read when expanded and let go when collapsed.
// trackit/lineageChanged deltas are applied to that model and VS Code is told only of the rows that now show
// something else (shownRows.ts); a notebook is read again only on open, on a sequence gap, or when a message
// carries no delta.
import * as path from "node:path";
import * as vscode from "vscode";
import { notebookDocuments, activeNotebookEditor } from "../common/vscodeapi";
import type { LineageChanged, LineageDocument, LineageParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { REVEAL_CELL_COMMAND } from "../commands/revealCell";
import { applyChange, fromDocument, NotebookLineage, withoutSession, withSession } from "./lineageDelta";
import { buildNotebookNode, LineageNode } from "./lineageModel";
import { findNode, kidsOf, notebookOf } from "./lineageRows";
import { rowsToRepaint } from "./shownRows";
import { REAL_TIMERS } from "../common/timers";
import { RepaintPacer, Timers } from "./repaintPacer";
import { TRACE_ON, traceMark } from "../common/latencyTrace";

export { REVEAL_CELL_COMMAND };

export interface LineageSource {
  request<R>(method: string, params: unknown): Promise<R>;
  isRunning(): boolean;
}

type Entry = { model: NotebookLineage } | { error: string } | { loading: true };

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
  private readonly changeEmitter = new vscode.EventEmitter<LineageNode | LineageNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly entries = new Map<string, Entry>();
  /** The node objects VS Code was given, by id: a repaint names them, so they must stay the same objects. */
  private readonly nodes = new Map<string, LineageNode>();
  /** What VS Code holds, by row id (shownRows.ts): each row as it got it, the children it got, tooltips it resolved. */
  private readonly shown = {
    faces: new Map<string, string>(),
    children: new Map<string, readonly string[]>(),
    tooltips: new Map<string, string | undefined>(),
  };
  private readonly dirty = new Set<string>();
  private wholeTree = false; // every row is to be read again (roots, filter, toggles)
  /** Per notebook, the tree built from its current model and the children lists built so far (by node id). */
  private readonly built = new Map<string, { model: NotebookLineage; view: string; root: LineageNode; kids: Map<string, LineageNode[]> }>();
  private readonly pacer: RepaintPacer; // when VS Code is told (repaintPacer.ts: its 200 ms debounce)
  private readonly reloading = new Set<string>();

  private filter = "";
  private latestRunOnly = false;

  constructor(
    private readonly source: LineageSource,
    private readonly log: vscode.LogOutputChannel,
    private readonly isPaused: (notebookUri: string) => boolean = () => false,
    timers: Timers = REAL_TIMERS,
  ) {
    this.pacer = new RepaintPacer(() => this.repaintDirty(), timers);
  }

  /** The filter box (by variable, op, cell; see lineageFilter.matchesFilter); "" shows every run. */
  setFilter(text: string): void {
    this.filter = text.trim();
    this.repaintWholeTree();
  }

  get filterText(): string {
    return this.filter;
  }

  /** Only each notebook's latest run (session). */
  setLatestRunOnly(on: boolean): void {
    this.latestRunOnly = on;
    this.repaintWholeTree();
  }

  /** What the view's title bar says about the view state: "filter: df · latest run only". */
  viewDescription(): string | undefined {
    const parts = [...(this.filter ? [`filter: ${this.filter}`] : []), ...(this.latestRunOnly ? ["latest run only"] : [])];
    return parts.length > 0 ? parts.join(" \u00b7 ") : undefined;
  }

  getTreeItem(node: LineageNode): vscode.TreeItem {
    const item = this.treeItem(node);
    this.shown.faces.set(node.id, faceOf(item));
    this.shown.tooltips.delete(node.id); // a new item: VS Code resolves its tooltip again when hovered
    return item;
  }

  private treeItem(node: LineageNode): vscode.TreeItem {
    const state =
      node.collapsible === "none"
        ? vscode.TreeItemCollapsibleState.None
        : node.collapsible === "expanded"
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    // Run and session tooltips (steps, facts, errors) are sent when hovered (resolveTreeItem): every repaint of the
    // notebook row sends VS Code all the rows expanded below it, and the tooltips were most of those bytes.
    if (node.tooltip && node.kind === "notebook") item.tooltip = new vscode.MarkdownString(node.tooltip);
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

  resolveTreeItem(item: vscode.TreeItem, node: LineageNode): vscode.TreeItem {
    if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
    this.shown.tooltips.set(node.id, node.tooltip); // VS Code keeps it until the row is repainted
    return item;
  }

  getChildren(node?: LineageNode): LineageNode[] | Promise<LineageNode[]> {
    if (TRACE_ON) traceMark("children", node?.id ?? "-");
    if (node) {
      const lazy = node.loadSession;
      if (lazy) return this.loadSession(lazy.notebookUri, lazy.session).then(() => this.given(node.id, this.childrenOf(node.id)));
      return this.given(node.id, this.childrenOf(node.id));
    }
    const open = notebookDocuments().filter(isTrackable);
    const byUri = new Map(open.map((nb) => [nb.uri.toString(), nb]));
    const order = orderNotebookRoots([...byUri.keys()], activeNotebookEditor()?.notebook.uri.toString());
    return this.intern(order.map((uri) => this.rootFor(byUri.get(uri)!)));
  }

  /** Read one notebook (or every open one) from the sidecar again: its latest session, every session described. */
  async refresh(notebookUri?: string): Promise<void> {
    const uris = notebookUri ? [notebookUri] : notebookDocuments().filter(isTrackable).map((nb) => nb.uri.toString());
    await Promise.all(uris.map((u) => this.load(u)));
    this.repaintWholeTree();
  }

  /** Read a notebook only if nothing is held for it yet (it was just opened). */
  ensureLoaded(notebookUri: string): void {
    if (!this.entries.has(notebookUri)) void this.refresh(notebookUri);
  }

  /** trackit/lineageChanged: apply its delta, or read the notebook again (a gap, or no delta). */
  applyChange(change: LineageChanged): void {
    if (TRACE_ON) traceMark("changed", (change.event_ids ?? []).join(",") || "-");
    const uri = change.notebook_uri;
    const entry = this.entries.get(uri);
    if (!entry || !("model" in entry)) {
      if (entry && !("loading" in entry) && this.isOpen(uri)) void this.reload(uri);
      return; // not shown, or being read (the answer has it)
    }
    const result = applyChange(entry.model, change);
    if (result.kind === "reload") {
      void this.reload(uri);
      return;
    }
    this.entries.set(uri, { model: result.model });
    if (result.sessions.length > 0) this.dirty.add(uri); // the notebook row counts runs
    for (const session of result.sessions) this.dirty.add(`${uri}#s${session}`);
    for (const seq of result.executions) this.dirty.add(`${uri}#e${seq}`);
    this.pacer.request();
  }

  /** A session row was collapsed: let its runs go (read again when expanded). */
  collapsed(node: LineageNode): void {
    if (node.kind !== "session") return;
    const match = /#s(\d+)$/.exec(node.id);
    const uri = node.id.slice(0, node.id.lastIndexOf("#s"));
    const entry = this.entries.get(uri);
    if (!match || !entry || !("model" in entry)) return;
    const session = Number(match[1]);
    const model = withoutSession(entry.model, session);
    if (model === entry.model) return;
    const dropped = entry.model.doc.executions.filter((e) => e.session === session).map((e) => `${uri}#e${e.seq}`);
    this.forgetRows((id) => dropped.some((d) => id === d || id.startsWith(`${d}/`)));
    this.entries.set(uri, { model });
    // The tree built from the old model, and the rows VS Code keeps (the notebook's, the sessions'), closed over
    // its runs: built again from the new one, in place, so that nothing holds the collapsed session's runs.
    this.built.delete(uri);
    for (const [id, known] of this.nodes) {
      if (notebookOf(id) !== uri) continue;
      const fresh = this.freshNode(id);
      if (fresh) Object.assign(known, fresh);
    }
  }

  /** Repaint without reloading (the active editor changed: root order). */
  repaint(): void {
    this.repaintWholeTree();
  }

  forget(notebookUri: string): void {
    this.entries.delete(notebookUri);
    this.built.delete(notebookUri);
    this.forgetRows((id) => id === notebookUri || id.startsWith(`${notebookUri}#`));
    this.repaintWholeTree();
  }

  /** How many runs the tree holds in memory (for the benchmark and tests). */
  heldExecutions(): number {
    let n = 0;
    for (const entry of this.entries.values()) if ("model" in entry) n += entry.model.doc.executions.length;
    return n;
  }

  dispose(): void {
    this.pacer.dispose();
    this.changeEmitter.dispose();
  }

  private isOpen(uri: string): boolean {
    return notebookDocuments().some((nb) => nb.uri.toString() === uri);
  }

  /** Every row read again (roots, filter, toggles): at once, or when VS Code's wait is over. */
  private repaintWholeTree(): void {
    this.wholeTree = true;
    this.pacer.request(true);
  }

  /** Rebuild the touched rows in place (same objects) and tell VS Code of those that now show something else
   * (shownRows.ts): a change nothing on screen shows is not told (it would restart VS Code's wait). */
  private repaintDirty(): void {
    if (!this.wholeTree && this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    const touched: LineageNode[] = [];
    for (const id of ids) {
      const known = this.nodes.get(id);
      const fresh = known ? this.freshNode(id) : undefined;
      if (known && fresh) touched.push(Object.assign(known, fresh));
    }
    if (this.wholeTree) {
      this.wholeTree = false;
      this.fire(undefined);
      return;
    }
    const named = rowsToRepaint(touched, this.shown, (node) => faceOf(this.treeItem(node)), (node) => this.childrenOf(node.id));
    if (TRACE_ON) traceMark("repaint", named.join(",") || "-");
    if (named.length > 0) this.fire(named.map((id) => this.nodes.get(id)!));
  }

  /** Tell VS Code (`undefined`: every row). */
  private fire(nodes: LineageNode[] | undefined): void {
    if (TRACE_ON) traceMark("fire", nodes ? nodes.map((n) => n.id).join(",") : "-");
    this.changeEmitter.fire(nodes);
    this.pacer.told();
  }

  private given(id: string, children: LineageNode[]): LineageNode[] {
    this.shown.children.set(id, children.map((c) => c.id));
    return children;
  }

  private forgetRows(which: (id: string) => boolean): void {
    for (const id of [...this.nodes.keys()]) if (which(id)) this.nodes.delete(id);
    for (const map of [this.shown.faces, this.shown.children, this.shown.tooltips]) for (const id of [...map.keys()]) if (which(id)) map.delete(id);
  }

  /** A row's children as the notebook's current model has them (never a closure over an older model). */
  private childrenOf(id: string): LineageNode[] {
    const fresh = this.freshNode(id);
    const tree = this.built.get(notebookOf(id));
    if (!fresh || !tree) return [];
    const known = this.nodes.get(id);
    if (known && known !== fresh) Object.assign(known, fresh);
    return this.intern(kidsOf(tree.kids, fresh));
  }

  /** The row with this id in the tree built from the notebook's current model (built once per model). */
  private freshNode(id: string): LineageNode | undefined {
    const uri = notebookOf(id);
    const nb = notebookDocuments().find((d) => d.uri.toString() === uri);
    if (!nb) return undefined;
    const root = this.rootFor(nb);
    const tree = this.built.get(uri);
    if (!tree || id === uri) return root;
    return findNode(root, id, tree.kids);
  }

  /** The same object for the same row id across rebuilds (updated in place). */
  private intern(fresh: LineageNode[]): LineageNode[] {
    return fresh.map((node) => {
      const known = this.nodes.get(node.id);
      if (!known) {
        this.nodes.set(node.id, node);
        return node;
      }
      return Object.assign(known, node);
    });
  }

  private rootFor(nb: vscode.NotebookDocument): LineageNode {
    const uri = nb.uri.toString();
    const name = nb.uri.scheme === "file" ? path.basename(nb.uri.fsPath) : path.posix.basename(nb.uri.path) || uri;
    const entry = this.entries.get(uri);
    if (entry && "model" in entry) {
      // built once per model and view (the filter, latest-run toggle and paused state change the rows too)
      const view = `${this.isPaused(uri)}|${this.latestRunOnly}|${this.filter}`;
      const known = this.built.get(uri);
      if (known && known.model === entry.model && known.view === view) return known.root;
      const root = buildNotebookNode(entry.model.doc, name, {
        paused: this.isPaused(uri),
        filter: this.filter,
        latestRunOnly: this.latestRunOnly,
        loadedSessions: entry.model.loaded,
      });
      this.built.set(uri, { model: entry.model, view, root, kids: new Map() });
      return root;
    }
    this.built.delete(uri);
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

  private async reload(notebookUri: string): Promise<void> {
    if (this.reloading.has(notebookUri)) return;
    this.reloading.add(notebookUri);
    try {
      await this.refresh(notebookUri);
    } finally {
      this.reloading.delete(notebookUri);
    }
  }

  private async loadSession(notebookUri: string, session: number): Promise<void> {
    const entry = this.entries.get(notebookUri);
    if (!entry || !("model" in entry) || entry.model.loaded.has(session) || !this.source.isRunning()) return;
    try {
      const params: LineageParams = { notebook_uri: notebookUri, include_source: false, session };
      const answer = await this.source.request<LineageDocument>(Methods.LINEAGE, params);
      const now = this.entries.get(notebookUri);
      if (now && "model" in now) this.entries.set(notebookUri, { model: withSession(now.model, answer, session) });
    } catch (error) {
      this.log.warn(`lineage of session ${session} of ${notebookUri}: ${String(error)}`);
    }
  }

  private async load(notebookUri: string): Promise<void> {
    if (!this.source.isRunning()) {
      if (!this.entries.has(notebookUri)) this.entries.set(notebookUri, { error: "sidecar not running" });
      return;
    }
    if (!this.entries.has(notebookUri)) this.entries.set(notebookUri, { loading: true });
    try {
      const params: LineageParams = { notebook_uri: notebookUri, include_source: false, latest_session: true };
      const doc = await this.source.request<LineageDocument>(Methods.LINEAGE, params);
      this.entries.set(notebookUri, { model: fromDocument(doc, { latestSession: true }) });
    } catch (error) {
      this.log.warn(`lineage for ${notebookUri}: ${String(error)}`);
      this.entries.set(notebookUri, { error: "could not load lineage (see logs)" });
    }
  }
}

/** A tree item as VS Code shows it, as text: what tells whether a row must be repainted. */
function faceOf(item: vscode.TreeItem): string {
  return JSON.stringify(item);
}
