// "TrackIT Experiments" in the Explorer: the active notebook's experiments as their DAG (each under the one it
// builds on), with the primary metric and whether it moved the right way against its parent. A click opens the
// Experiments panel on it. Loaded when the view is shown, again after new runs of that notebook.
import * as vscode from "vscode";
import { activeNotebookEditor } from "../common/vscodeapi";
import type { ExperimentList, ExperimentSummary } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { experimentTitle, metricText, trend, Trend } from "../webviews/experiments/model";
import { SHOW_EXPERIMENTS_COMMAND } from "./experimentsPanel";
import type { LineageSource } from "./lineageTree";

export interface ExperimentNode {
  id: string;
  notebookUri: string;
  label: string;
  description: string;
  trend: Trend;
  failed: boolean;
  children: ExperimentNode[];
}

const TREND_WORDS: Record<Trend, string> = { better: " \u25b2", worse: " \u25bc", same: " =", unknown: "" };

/** Pure: the experiments as a forest by their recorded parents (a parent not in the list makes a root). */
export function experimentForest(experiments: readonly ExperimentSummary[]): ExperimentNode[] {
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const nodes = new Map<string, ExperimentNode>();
  for (const e of experiments) {
    const parent = e.parent ? byId.get(e.parent) : undefined;
    const t = parent ? trend(e.primary_metric, parent.primary_metric) : "unknown";
    nodes.set(e.id, {
      id: e.id,
      notebookUri: e.notebook_uri,
      label: experimentTitle(e),
      description: metricText(e.primary_metric) + TREND_WORDS[t] + (e.status === "failed" ? " \u00b7 failed" : ""),
      trend: t,
      failed: e.status === "failed",
      children: [],
    });
  }
  const roots: ExperimentNode[] = [];
  for (const e of experiments) {
    const node = nodes.get(e.id)!;
    const parent = e.parent ? nodes.get(e.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private forest: { notebookUri: string; roots: ExperimentNode[] } | undefined;

  constructor(
    private readonly source: LineageSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `${node.notebookUri}#${node.id}`;
    item.description = node.description;
    const icon = node.failed ? "error" : node.trend === "better" ? "arrow-up" : node.trend === "worse" ? "arrow-down" : "beaker";
    const color = node.failed || node.trend === "worse" ? "testing.iconFailed" : node.trend === "better" ? "testing.iconPassed" : undefined;
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = "trackit.experiment";
    item.command = { command: SHOW_EXPERIMENTS_COMMAND, title: "Show experiments", arguments: [node.notebookUri, node.id] };
    return item;
  }

  async getChildren(node?: ExperimentNode): Promise<ExperimentNode[]> {
    if (node) return node.children;
    const uri = activeNotebookEditor()?.notebook.uri.toString() ?? this.forest?.notebookUri;
    if (!uri || !this.source.isRunning()) return [];
    try {
      const list = await this.source.request<ExperimentList>(Methods.EXPERIMENTS, { notebook_uri: uri });
      this.forest = { notebookUri: uri, roots: experimentForest(list.experiments) };
    } catch (error) {
      this.log.warn(`experiments for the Explorer view: ${String(error)}`);
    }
    return this.forest?.notebookUri === uri ? this.forest.roots : [];
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
