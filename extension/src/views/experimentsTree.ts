// "TrackIT Experiments" in the Explorer: the active notebook's experiments as their DAG (each under the one it
// builds on), with the primary metric, whether it moved the right way against its parent, and the data it read (the
// first name and how many more; the tooltip names them all). A later cell that only showed a table of its result is a
// row under it. A click opens the Experiments panel on it. Loaded when the view is shown, again after new runs of that
// notebook. The words are the panel's (its model's dataText, dataShortText, alsoLookedAtText), which `trackit
// experiments` / `show` also say (wordingContract.test.ts).
import * as vscode from "vscode";
import { activeNotebookEditor } from "../common/vscodeapi";
import type { ExperimentList, ExperimentSummary } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { alsoLookedAtText, dataShortText, dataText, experimentTitle, metricText, trend, Trend } from "../webviews/experiments/model";
import { SHOW_EXPERIMENTS_COMMAND } from "./experimentsPanel";
import type { LineageSource } from "./lineageTree";

export interface ExperimentNode {
  kind: "experiment";
  id: string;
  notebookUri: string;
  label: string;
  description: string; // "accuracy 0.81 \u25b2 \u00b7 iris (scikit-learn)", "... \u00b7 train.csv@D0001 +2 more" (dataShortText)
  tooltip: string; // the title, the metric, "data: ..." (every name), "also looked at: ..." (one a line)
  trend: Trend;
  failed: boolean;
  data: string; // dataText: "passengers.csv@D0002 (new revision)", "\u2014" when it read no known data
  alsoLookedAt: string; // alsoLookedAtText: "" when no later cell showed a table of its result
  children: ExperimentNode[];
}

/** A row under an experiment: the later cells that only showed a table of its result (no experiments of their own). */
export interface SecondLookRow {
  kind: "look";
  id: string; // the experiment's id + "/looks"
  notebookUri: string;
  experimentId: string;
  label: string; // alsoLookedAtText
}

export type ExperimentTreeRow = ExperimentNode | SecondLookRow;

const TREND_WORDS: Record<Trend, string> = { better: " \u25b2", worse: " \u25bc", same: " =", unknown: "" };
const NO_DATA = dataText({ datasets: [], packaged_data_sets: [], data_changed: false });

/** Pure: the experiments as a forest by their recorded parents (a parent not in the list makes a root). */
export function experimentForest(experiments: readonly ExperimentSummary[]): ExperimentNode[] {
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const nodes = new Map<string, ExperimentNode>();
  for (const e of experiments) {
    const parent = e.parent ? byId.get(e.parent) : undefined;
    const t = parent ? trend(e.primary_metric, parent.primary_metric) : "unknown";
    const data = dataText(e);
    const alsoLookedAt = alsoLookedAtText(e.also_looked_at ?? []);
    const metric = metricText(e.primary_metric) + TREND_WORDS[t] + (e.status === "failed" ? " \u00b7 failed" : "");
    nodes.set(e.id, {
      kind: "experiment",
      id: e.id,
      notebookUri: e.notebook_uri,
      label: experimentTitle(e),
      description: data === NO_DATA ? metric : `${metric} \u00b7 ${dataShortText(e)}`,
      tooltip: [experimentTitle(e), metric, `data: ${data}`, alsoLookedAt].filter(Boolean).join("\n"),
      trend: t,
      failed: e.status === "failed",
      data,
      alsoLookedAt,
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

/** Pure: the rows under an experiment: its second looks first (they are about it), then the experiments built on it. */
export function childRows(node: ExperimentNode): ExperimentTreeRow[] {
  const looks: SecondLookRow[] = node.alsoLookedAt
    ? [{ kind: "look", id: `${node.id}/looks`, notebookUri: node.notebookUri, experimentId: node.id, label: node.alsoLookedAt }]
    : [];
  return [...looks, ...node.children];
}

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<ExperimentTreeRow>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private forest: { notebookUri: string; roots: ExperimentNode[] } | undefined;

  constructor(
    private readonly source: LineageSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(row: ExperimentTreeRow): vscode.TreeItem {
    if (row.kind === "look") {
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
      item.id = `${row.notebookUri}#${row.id}`;
      item.iconPath = new vscode.ThemeIcon("eye");
      item.command = { command: SHOW_EXPERIMENTS_COMMAND, title: "Show experiments", arguments: [row.notebookUri, row.experimentId] };
      return item;
    }
    const node = row;
    const item = new vscode.TreeItem(node.label, childRows(node).length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `${node.notebookUri}#${node.id}`;
    item.description = node.description;
    item.tooltip = node.tooltip;
    const icon = node.failed ? "error" : node.trend === "better" ? "arrow-up" : node.trend === "worse" ? "arrow-down" : "beaker";
    const color = node.failed || node.trend === "worse" ? "testing.iconFailed" : node.trend === "better" ? "testing.iconPassed" : undefined;
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = "trackit.experiment";
    item.command = { command: SHOW_EXPERIMENTS_COMMAND, title: "Show experiments", arguments: [node.notebookUri, node.id] };
    return item;
  }

  async getChildren(row?: ExperimentTreeRow): Promise<ExperimentTreeRow[]> {
    if (row) return row.kind === "experiment" ? childRows(row) : [];
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
