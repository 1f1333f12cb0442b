// Pure view model of the Experiments panel: the experiments DAG (parents as the sidecar recorded them, each
// node with its primary metric, coloured by whether it moved the right way against its parent), the table
// (experiment × metrics × changed features; sortable, filterable, NaN where a metric is missing) and the
// selection of two to compare. Everything shown comes from the sidecar's experiment requests; what is here is
// view state and arrangement. No DOM, no `vscode`.
import type { Experiment, ExperimentSummary, Metric, SecondLook } from "../../sidecar/protocol";
import { LayoutEngine } from "../graph/model";
import { formatMetric } from "../metricFormat";

export type Trend = "better" | "worse" | "same" | "unknown";

/** Did `child`'s primary metric move the way its direction says is better, against its parent's? Only the
 * same metric with a known direction is compared. */
export function trend(child: Metric | null | undefined, parent: Metric | null | undefined): Trend {
  if (!child || !parent || child.name !== parent.name || child.direction === "unknown") return "unknown";
  if (!Number.isFinite(child.value) || !Number.isFinite(parent.value)) return "unknown";
  if (child.value === parent.value) return "same";
  const up = child.value > parent.value;
  return up === (child.direction === "higher") ? "better" : "worse";
}

export interface DagNode {
  id: string;
  title: string; // "E0003 median imputation"
  metric: string; // "accuracy 0.8125" | "no metric"
  note: string; // "last pass of a loop" | "": a third line (the node is taller)
  trend: Trend;
  failed: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Dag {
  nodes: DagNode[];
  edges: { source: string; target: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

const NODE = { width: 190, height: 44 };
const NOTE_LINE = 14; // a node with a note under its metric

export function experimentTitle(e: Pick<ExperimentSummary, "id" | "name">): string {
  return e.name ? `${e.id} ${e.name}` : e.id;
}

// A metric the kernel read off a variable a loop left behind is one pass's value, not the cell's result (banana's SVC
// over 5 C x 10 seeds): its Metric.source is the sidecar's experiments/kb.KERNEL_LAST_LOOP_PASS, and `trackit
// experiments` says render/experiments.LAST_PASS_NOTE after it. wordingContract.test.ts holds these copies together.
export const KERNEL_LAST_LOOP_PASS = "kernel (the value its loop's last pass left)";
export const LAST_PASS_NOTE = "last pass of a loop";

/** "last pass of a loop" for a loop's last pass's value, else "". */
export function metricNote(m: Metric | null | undefined): string {
  return m?.source === KERNEL_LAST_LOOP_PASS ? LAST_PASS_NOTE : "";
}

/** "accuracy 0.9732", with the note in brackets as `trackit experiments` writes it. */
export function metricText(m: Metric | null | undefined): string {
  if (!m) return "no metric";
  const note = metricNote(m);
  return `${m.name} ${formatMetric(m.value)}${note ? ` (${note})` : ""}`;
}

/** Parents first (top to bottom), by the recorded parents; a parent outside the list starts a root. */
export function experimentsDag(experiments: readonly ExperimentSummary[], engine: LayoutEngine): Dag {
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const g = new engine.graphlib.Graph();
  g.setGraph({ rankdir: "TB", ranksep: 36, nodesep: 18, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const sized = (e: ExperimentSummary) => ({ ...NODE, height: NODE.height + (metricNote(e.primary_metric) ? NOTE_LINE : 0) });
  for (const e of experiments) g.setNode(e.id, sized(e));
  const edges = experiments.filter((e) => e.parent && byId.has(e.parent)).map((e) => ({ source: e.parent!, target: e.id }));
  for (const edge of edges) g.setEdge(edge.source, edge.target);
  if (experiments.length > 0) engine.layout(g);
  const nodes = experiments.map((e) => {
    const placed = g.node(e.id);
    const parent = e.parent ? byId.get(e.parent) : undefined;
    const { width, height } = sized(e);
    const m = e.primary_metric;
    return {
      id: e.id,
      title: experimentTitle(e),
      metric: m ? `${m.name} ${formatMetric(m.value)}` : metricText(m),
      note: metricNote(m),
      trend: parent ? trend(e.primary_metric, parent.primary_metric) : "unknown",
      failed: e.status === "failed",
      x: placed.x - width / 2,
      y: placed.y - height / 2,
      width,
      height,
    };
  });
  const size = g.graph();
  return {
    nodes,
    edges: edges.map((edge) => ({ ...edge, points: g.edge(edge.source, edge.target)?.points ?? [] })),
    width: size.width ?? 0,
    height: size.height ?? 0,
  };
}

// ------------------------------------------------------------ the table
export interface Row {
  id: string;
  title: string;
  status: string;
  createdAt: string;
  parent: string;
  metrics: Record<string, number>; // name -> value (a missing one is absent: shown NaN)
  notes: Record<string, string>; // name -> metricNote, for the metrics that have one
  changed: string[];
  dataChanged: boolean;
  data: string; // dataText: "passengers.csv@D0002", "iris (scikit-learn)"
  alsoLookedAt: string; // alsoLookedAtText: "" when no later cell showed a table of its result
  dirty: boolean | null;
  trend: Trend;
}

export interface TableState {
  sortBy: string; // "id" | "created" | "metric:<name>" | "changed" | "data" | "parent"
  descending: boolean;
  filter: string;
  selected: string[]; // at most two, in the order picked
  allMetrics: boolean; // every metric column, not only the first MAX_METRIC_COLUMNS
}

export const INITIAL_TABLE: TableState = { sortBy: "id", descending: false, filter: "", selected: [], allMetrics: false };
export const MAX_METRIC_COLUMNS = 5;

/** The metric columns drawn: primary metrics first; the rest on request (a report can add a dozen). A column the
 * table is sorted by stays. */
export function shownMetricColumns(columns: readonly string[], state: TableState): string[] {
  if (state.allMetrics || columns.length <= MAX_METRIC_COLUMNS) return [...columns];
  const shown = columns.slice(0, MAX_METRIC_COLUMNS);
  const sorted = state.sortBy.startsWith("metric:") ? state.sortBy.slice("metric:".length) : undefined;
  if (sorted && columns.includes(sorted) && !shown.includes(sorted)) shown.push(sorted);
  return shown;
}

/** One row per experiment; metrics from its full record when the panel has it, else its primary metric. */
export function rows(summaries: readonly ExperimentSummary[], details: ReadonlyMap<string, Experiment>): Row[] {
  const byId = new Map(summaries.map((e) => [e.id, e]));
  return summaries.map((e) => {
    const metrics: Record<string, number> = {};
    const notes: Record<string, string> = {};
    for (const m of details.get(e.id)?.metrics ?? (e.primary_metric ? [e.primary_metric] : [])) {
      if (m.name in metrics) continue;
      metrics[m.name] = m.value;
      if (metricNote(m)) notes[m.name] = metricNote(m);
    }
    const parent = e.parent ? byId.get(e.parent) : undefined;
    return {
      id: e.id,
      title: experimentTitle(e),
      status: e.status,
      createdAt: e.created_at,
      parent: e.parent ?? "",
      metrics,
      notes,
      changed: e.changed,
      dataChanged: e.data_changed,
      data: dataText(e),
      alsoLookedAt: alsoLookedAtText(e.also_looked_at ?? []),
      dirty: e.dirty_worktree ?? null,
      trend: parent ? trend(e.primary_metric, parent.primary_metric) : "unknown",
    };
  });
}

/** The metric columns: every metric any experiment has, primary metrics first, then by name. */
export function metricColumns(summaries: readonly ExperimentSummary[], table: readonly Row[]): string[] {
  const primary = [...new Set(summaries.map((e) => e.primary_metric?.name).filter((n): n is string => !!n))];
  const others = [...new Set(table.flatMap((r) => Object.keys(r.metrics)))].filter((n) => !primary.includes(n)).sort();
  return [...primary, ...others];
}

// Past this width the "changed" cell counts the changed decisions by section instead of listing them, as the CLI's
// table does (render/experiments.changed_cell, CHANGED_CELL_WIDTH): sklearn-videos 07's E0006 listed twelve paths
export const CHANGED_CELL_WIDTH = 60;

/** The "changed" cell: the changed decisions' paths (and "data" for a new revision), or, when they do not fit
 * CHANGED_CELL_WIDTH, each section with how many of its decisions changed, in the order they first appear. The full
 * list is the cell's tooltip (changedTitle). */
export function changedText(row: Pick<Row, "changed" | "dataChanged">): string {
  const paths = [...row.changed, ...(row.dataChanged ? ["data"] : [])];
  const listed = paths.join(", ");
  if (listed.length <= CHANGED_CELL_WIDTH) return listed || "\u2014";
  const sections = new Map<string, number>();
  for (const path of paths) {
    const section = path.split(".")[0];
    sections.set(section, (sections.get(section) ?? 0) + 1);
  }
  return [...sections].map(([section, count]) => `${section} (${count})`).join(", ");
}

export function changedTitle(row: Pick<Row, "changed" | "dataChanged">): string {
  return [...row.changed, ...(row.dataChanged ? ["data"] : [])].join("\n");
}

// The data cell and the "also looked at" line word what `trackit experiments` / `trackit show` word
// (render/experiments.table's data column, render/experiments.show): wordingContract.test.ts holds them together.

type DataRead = Pick<ExperimentSummary, "datasets" | "packaged_data_sets" | "data_changed">;

/** The input files' revisions by file name, then the data sets a library's loader gave ("iris (scikit-learn)"). */
function dataNames(e: DataRead): string[] {
  return [...e.datasets.map((d) => d.split("/").pop()!), ...(e.packaged_data_sets ?? [])];
}

/** The "data" cell: every name (dataNames), "(new revision)" after them when the data changed from the parent's. */
export function dataText(e: DataRead): string {
  const named = dataNames(e).join(", ") || "\u2014";
  return e.data_changed ? `${named} (new revision)` : named;
}

/** The data in a line as short as an Explorer row's description (VS Code cuts a long one off: a notebook that read
 * train.csv, test.csv and a packaged set): the first name and how many more, "train.csv@D0001 +2 more"; dataText,
 * with them all, goes where there is room (the row's tooltip, the panel's cell). */
export function dataShortText(e: DataRead): string {
  const [first, ...rest] = dataNames(e);
  const named = first === undefined ? "\u2014" : rest.length ? `${first} +${rest.length} more` : first;
  return e.data_changed ? `${named} (new revision)` : named;
}

/** "also looked at: confusion_matrix in cell 6": later cells that only showed a table of the experiment's result; ""
 * when none did. */
export function alsoLookedAtText(looks: readonly SecondLook[]): string {
  if (looks.length === 0) return "";
  const looked = looks.map((look) => `${look.functions.join(", ") || "a table"} in cell ${look.cell_index + 1}`);
  return `also looked at: ${looked.join(", ")}`;
}

/** The "parent" cell: the id of the experiment it builds on, "\u2014" for a root. */
export function parentText(row: Pick<Row, "parent">): string {
  return row.parent || "\u2014";
}

export function cellText(row: Row, metric: string): string {
  if (!(metric in row.metrics)) return "NaN";
  const note = row.notes[metric];
  return `${formatMetric(row.metrics[metric])}${note ? ` (${note})` : ""}`;
}

/** Rows the filter keeps (every word must appear in the id, name, a changed feature, a metric name or the data), sorted.
 * A missing metric sorts last whichever the direction. */
export function visibleRows(table: readonly Row[], state: TableState): Row[] {
  const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = table.filter((r) => {
    const haystack = [r.title, r.status, ...r.changed, ...Object.keys(r.metrics), r.data].join(" ").toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
  const sign = state.descending ? -1 : 1;
  const key = state.sortBy;
  return [...kept].sort((a, b) => {
    if (key.startsWith("metric:")) {
      const name = key.slice("metric:".length);
      const [va, vb] = [a.metrics[name], b.metrics[name]];
      const [ma, mb] = [va === undefined || Number.isNaN(va), vb === undefined || Number.isNaN(vb)];
      if (ma || mb) return ma === mb ? a.id.localeCompare(b.id) : ma ? 1 : -1;
      return sign * (va - vb) || a.id.localeCompare(b.id);
    }
    if (key === "created") return sign * a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
    if (key === "changed") return sign * (a.changed.length - b.changed.length) || a.id.localeCompare(b.id);
    if (key === "data") return sign * a.data.localeCompare(b.data) || a.id.localeCompare(b.id); // as the cell says it
    // as the cell says it: a root's "\u2014" sorts before every id, so roots come first ascending, last descending
    if (key === "parent") return sign * parentText(a).localeCompare(parentText(b)) || a.id.localeCompare(b.id);
    return sign * a.id.localeCompare(b.id);
  });
}

/** Clicking a column: sort by it, or flip the direction when it already is. */
export function sortBy(state: TableState, column: string): TableState {
  return state.sortBy === column ? { ...state, descending: !state.descending } : { ...state, sortBy: column, descending: column.startsWith("metric:") };
}

/** Ticking an experiment: at most two are selected; a third replaces the oldest pick. */
export function toggleSelected(state: TableState, id: string): TableState {
  if (state.selected.includes(id)) return { ...state, selected: state.selected.filter((s) => s !== id) };
  return { ...state, selected: [...state.selected, id].slice(-2) };
}

/** The pair to compare, older experiment first (as `trackit diff A B` reads). */
export function comparePair(state: TableState, table: readonly Row[]): [string, string] | undefined {
  if (state.selected.length !== 2) return undefined;
  const order = new Map(table.map((r) => [r.id, r.createdAt]));
  const [a, b] = [...state.selected].sort((x, y) => (order.get(x) ?? "").localeCompare(order.get(y) ?? "") || x.localeCompare(y));
  return [a, b];
}

// ------------------------------------------------------------ messages
export interface ExperimentsViewData {
  title: string;
  notebookUri: string;
  experiments: ExperimentSummary[];
  details: Experiment[];
  focus?: string;
  message?: string;
  hypotheses: import("./compareModel").HypothesisView[];
  hypothesesError?: string; // trackit/hypotheses failed: said in its section, the rest still shown
}

export type ToExperimentsView =
  | { type: "experiments"; data: ExperimentsViewData }
  | { type: "busy"; what: string }
  | { type: "error"; message: string }
  | { type: "compare"; a: string; b: string; view: CompareView };

export type FromExperimentsView =
  | { type: "ready" }
  | { type: "compare"; a: string; b: string }
  | { type: "reveal"; id: string }
  | { type: "name"; id: string }
  | { type: "reparent"; id: string }
  | { type: "link"; id: string }
  | { type: "export"; id: string }
  | { type: "lineage"; id: string }
  | { type: "refresh" };

/** What the compare view shows (compareModel.ts fills it from the sidecar's answer). */
export interface CompareView {
  sections: CompareSection[];
}
export interface CompareSection {
  title: string;
  lines?: string[];
  // numeric: the columns written as numbers (right-aligned and never wrapped: the panel's narrow Δ column broke
  // "+0.0045" over two lines)
  table?: { head: string[]; rows: string[][]; numeric?: number[] };
  diffs?: { title: string; rows: SideBySideRow[] }[];
}

// ------------------------------------------------------------ side-by-side code
export interface SideBySideRow {
  left?: string;
  right?: string;
  kind: "same" | "removed" | "added" | "changed" | "hunk";
}

/** A unified diff as two columns: removals on the left, additions on the right, paired line by line. */
export function sideBySide(unified: string): SideBySideRow[] {
  const rowsOut: SideBySideRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const left = removed[i];
      const right = added[i];
      rowsOut.push({ left, right, kind: left !== undefined && right !== undefined ? "changed" : left !== undefined ? "removed" : "added" });
    }
    removed = [];
    added = [];
  };
  for (const line of unified.split("\n")) {
    if (line.startsWith("---") || line.startsWith("+++")) continue;
    if (line.startsWith("@@")) {
      flush();
      rowsOut.push({ left: line, right: line, kind: "hunk" });
    } else if (line.startsWith("-")) removed.push(line.slice(1));
    else if (line.startsWith("+")) added.push(line.slice(1));
    else {
      flush();
      const text = line.startsWith(" ") ? line.slice(1) : line;
      if (line.length > 0 || rowsOut.length > 0) rowsOut.push({ left: text, right: text, kind: "same" });
    }
  }
  flush();
  while (rowsOut.length > 0 && rowsOut[rowsOut.length - 1].kind === "same" && !rowsOut[rowsOut.length - 1].left) rowsOut.pop();
  return rowsOut;
}
