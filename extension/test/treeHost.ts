// Stands in for VS Code's side of a TreeView, on a manual clock: its extension host's debounce of
// onDidChangeTreeData (ExtHostTreeView in VS Code 1.100: Event.debounce(onDidChangeTreeData, merge, 200, leading =
// true): a change with none pending goes at once; every change restarts a 200 ms wait, at whose end the changes
// since the one that went are delivered together) and its refresh, which reads a named row's item again and the
// children of every expanded row below it (rows say "expanded", or the test expanded them).
import type * as vscode from "vscode";
import type { LineageNode } from "../src/views/lineageModel";
import type { LineageTreeProvider } from "../src/views/lineageTree";
import type { FakeTimers } from "./fakes";

export const EXT_HOST_DEBOUNCE_MS = 200;

export class FakeTreeHost {
  /** Every delivery: when, and which rows were read again ("*": the whole tree). */
  readonly painted: { at: number; ids: string[] }[] = [];
  readonly items = new Map<string, vscode.TreeItem>();
  private readonly expanded = new Set<string>();

  constructor(
    private readonly tree: LineageTreeProvider,
    private readonly timers: FakeTimers,
  ) {
    let handle: unknown;
    let output: (LineageNode | undefined)[] | undefined;
    let calls = 0;
    tree.onDidChangeTreeData((change) => {
      calls++;
      output = [...(output ?? []), ...(Array.isArray(change) ? change : [change ?? undefined])];
      if (handle === undefined) {
        this.deliver(output);
        output = undefined;
      }
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = timers.setTimeout(() => {
        const pending = output;
        output = undefined;
        handle = undefined;
        if (calls > 1 && pending) this.deliver(pending);
        calls = 0;
      }, EXT_HOST_DEBOUNCE_MS);
    });
  }

  /** The view is opened: the roots and every expanded row below them are read. */
  async open(): Promise<LineageNode[]> {
    const roots = await this.tree.getChildren();
    for (const root of roots) await this.read(root);
    return roots;
  }

  /** The user expands a row. */
  async expand(node: LineageNode): Promise<LineageNode[]> {
    this.expanded.add(node.id);
    return this.childrenOf(node);
  }

  /** The user hovers a row: VS Code resolves its tooltip. */
  hover(node: LineageNode): string | undefined {
    const item = this.tree.resolveTreeItem(this.items.get(node.id) ?? this.tree.getTreeItem(node), node);
    return (item.tooltip as vscode.MarkdownString | undefined)?.value;
  }

  /** The last time a row was read again (its own id or a row above it named), or undefined. */
  lastPainted(id: string): number | undefined {
    return [...this.painted].reverse().find((p) => p.ids.includes("*") || p.ids.some((named) => id === named || id.startsWith(`${named}#`) || id.startsWith(`${named}/`)))?.at;
  }

  private deliver(rows: (LineageNode | undefined)[]): void {
    const whole = rows.some((row) => row === undefined);
    this.painted.push({ at: this.timers.now(), ids: whole ? ["*"] : [...new Set(rows.map((row) => row!.id))] });
    void (whole ? this.open() : Promise.all(rows.map((row) => this.read(row!))));
  }

  private async read(node: LineageNode): Promise<void> {
    const item = this.tree.getTreeItem(node);
    this.items.set(node.id, item);
    if (node.collapsible === "expanded" || this.expanded.has(node.id)) await this.childrenOf(node);
  }

  private async childrenOf(node: LineageNode): Promise<LineageNode[]> {
    const children = await this.tree.getChildren(node);
    for (const child of children) await this.read(child);
    return children;
  }
}
