// Pure view model of the data lineage graph webview: node boxes, a layout by the graph-layout library (dagre,
// passed in so this file runs anywhere) left to right in a wide panel, top to bottom in a narrow one (beside a
// notebook), keyboard navigation, the opening scale and scroll, hover text and the scope picker.
// No DOM and no `vscode` here: webview/graph.ts draws what this returns, graphPanel.ts feeds it.
// Every word on a node is the sidecar's (render/graph.py); this file only arranges them.
import type { ExperimentSummary, GraphNode, ProvenanceGraph, SessionInfo } from "../../sidecar/protocol";

export const SIZES = {
  // an estimate, so 500 nodes are sized without measuring text in the DOM: the width of a 12px monospace
  // character (names are set in the editor's font), so a line with names in it is not clipped
  charWidth: 7.3,
  lineHeight: 16,
  padX: 10,
  padY: 7,
  minWidth: 110,
  maxWidth: 300,
  maxLabelLines: 4,
  rankSep: 46,
  nodeSep: 14,
  rankSepVertical: 26, // top to bottom: edges are short, the height is what a narrow panel lacks
};

/** "LR": what it was made from on the left; "TB": above. */
export type GraphDirection = "LR" | "TB";

/** A panel beside a notebook is narrow and tall: a chain read downwards shows many nodes at a readable
 * scale there, where left to right it shows two or three. Wide panels keep left to right. */
export function graphDirection(viewWidth: number, viewHeight: number): GraphDirection {
  return viewWidth > 0 && viewWidth < Math.max(800, viewHeight) ? "TB" : "LR";
}

export interface NodeBox {
  id: string;
  node: GraphNode;
  x: number; // top-left corner
  y: number;
  width: number;
  height: number;
  lines: string[]; // the label, wrapped
  details: string[]; // the detail, wrapped (at most two lines)
  rank: number;
  classes: string[];
}

export interface EdgePath {
  source: string;
  target: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgePath[];
  width: number;
  height: number;
  byId: Map<string, NodeBox>;
  predecessors: Map<string, string[]>;
  successors: Map<string, string[]>;
  target?: string;
  direction: GraphDirection;
}

/** The part of dagre's API the layout uses (the real library in the webview and in tests). */
export interface LayoutEngine {
  graphlib: { Graph: new (options?: object) => DagreGraph };
  layout(graph: DagreGraph, options?: object): void;
}
export interface DagreGraph {
  nodes(): string[];
  predecessors(id: string): string[] | undefined;
  successors(id: string): string[] | undefined;
  setGraph(label: object): unknown;
  setDefaultEdgeLabel(fn: () => object): unknown;
  setNode(id: string, label: object): unknown;
  setEdge(v: string, w: string): unknown;
  node(id: string): { x: number; y: number; width: number; height: number; rank?: number; order?: number };
  edge(v: string, w: string): { points?: { x: number; y: number }[] };
  graph(): { width?: number; height?: number };
}

/** Words wrapped to `maxChars` per line, at most `maxLines` lines (the last one ends in "…" when cut). */
export function wrap(text: string, maxChars: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    const piece = word.length > maxChars ? `${word.slice(0, maxChars - 1)}\u2026` : word;
    if (!current) current = piece;
    else if (current.length + 1 + piece.length <= maxChars) current += ` ${piece}`;
    else {
      lines.push(current);
      current = piece;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines.length ? lines : [""];
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1];
  kept[maxLines - 1] = last.length >= maxChars ? `${last.slice(0, maxChars - 1)}\u2026` : `${last}\u2026`;
  return kept;
}

export function nodeClasses(node: GraphNode, isTarget: boolean): string[] {
  const classes = ["node", `kind-${node.kind}`, ...node.marks.map((m) => `mark-${m}`)];
  if (isTarget) classes.push("target");
  if (node.cell_id) classes.push("revealable");
  return classes;
}

export function nodeSize(node: GraphNode): { width: number; height: number; lines: string[]; details: string[] } {
  const maxChars = Math.floor((SIZES.maxWidth - 2 * SIZES.padX) / SIZES.charWidth);
  const lines = wrap(node.label, maxChars, SIZES.maxLabelLines);
  const details = node.detail ? wrap(node.detail, maxChars, 2) : [];
  const longest = Math.max(...lines.map((l) => l.length), ...details.map((l) => l.length));
  const width = Math.min(SIZES.maxWidth, Math.max(SIZES.minWidth, Math.ceil(longest * SIZES.charWidth) + 2 * SIZES.padX));
  const height = (lines.length + details.length) * SIZES.lineHeight + 2 * SIZES.padY;
  return { width, height, lines, details };
}

/** Rank of each node, as late as it can be: the value asked about (the sink) is rightmost and every node sits
 * just left of what it feeds, so a file joined late is drawn next to its join, not at the far left with an edge
 * across the whole graph (such edges cost the layout most of its time). The longest path to a sink, counted
 * from the right. Cycles cannot happen (the sidecar walks backwards in execution order); a malformed one is
 * broken rather than looped on. */
export function ranks(graph: Pick<ProvenanceGraph, "nodes" | "edges" | "target">): Map<string, number> {
  const target = graph.target ?? undefined;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const id of ids) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  for (const e of graph.edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    outgoing.get(e.source)!.push(e.target);
    incoming.get(e.target)!.push(e.source);
  }
  const fromEnd = new Map<string, number>();
  const remaining = new Map([...ids].map((id) => [id, outgoing.get(id)!.length]));
  let frontier = [...ids].filter((id) => remaining.get(id) === 0);
  for (const id of frontier) fromEnd.set(id, 0);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const from of incoming.get(id)!) {
        fromEnd.set(from, Math.max(fromEnd.get(from) ?? 0, fromEnd.get(id)! + 1));
        const left = remaining.get(from)! - 1;
        remaining.set(from, left);
        if (left === 0) next.push(from);
      }
    }
    frontier = next;
  }
  for (const id of ids) if (!fromEnd.has(id)) fromEnd.set(id, 0); // only on a cycle
  const last = Math.max(0, ...fromEnd.values());
  const rank = new Map([...fromEnd].map(([id, n]) => [id, last - n]));
  // A dead end that is not the value asked about (only in a malformed or cut graph) goes right after what made
  // it, not to the last column with an edge across the graph.
  for (const id of ids) {
    if (outgoing.get(id)!.length > 0 || id === target || incoming.get(id)!.length === 0) continue;
    rank.set(id, Math.max(...incoming.get(id)!.map((from) => rank.get(from)!)) + 1);
  }
  return rank;
}

const LARGE_GRAPH = 150;

/** dagre's `customOrder`: the position of every node (dummies included) within its rank, depth first from the
 * sinks through predecessors, so what feeds a node sits together next to it. */
export function depthFirstOrder(g: DagreGraph): void {
  const next = new Map<number, number>();
  const seen = new Set<string>();
  const place = (v: string) => {
    const label = g.node(v);
    const rank = label.rank ?? 0;
    label.order = next.get(rank) ?? 0;
    next.set(rank, label.order + 1);
  };
  const all = g.nodes();
  const sinks = all.filter((v) => (g.successors(v) ?? []).length === 0);
  for (const sink of sinks) {
    const stack = [sink];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      place(v);
      const preds = g.predecessors(v) ?? [];
      for (let i = preds.length - 1; i >= 0; i--) if (!seen.has(preds[i])) stack.push(preds[i]);
    }
  }
  for (const v of all) if (!seen.has(v)) place(v);
}

/** What it was made from on the left (or above), the value asked about on the right (or below). Ranks are ours
 * (see `ranks`), so dagre only orders and places (ranker "none"), which keeps 500 nodes fast. */
export function layoutGraph(graph: ProvenanceGraph, engine: LayoutEngine, direction: GraphDirection = "LR"): GraphLayout {
  const rankOf = ranks(graph);
  const g = new engine.graphlib.Graph();
  const ranksep = direction === "TB" ? SIZES.rankSepVertical : SIZES.rankSep;
  g.setGraph({ rankdir: direction, ranker: "none", ranksep, nodesep: SIZES.nodeSep, marginx: 24, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const sizes = new Map<string, ReturnType<typeof nodeSize>>();
  for (const node of graph.nodes) {
    const size = nodeSize(node);
    sizes.set(node.id, size);
    // dagre doubles ranks internally (edge label slots): ours are given in its units
    g.setNode(node.id, { width: size.width, height: size.height, rank: 2 * rankOf.get(node.id)! });
  }
  const predecessors = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const successors = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const edges = graph.edges.filter((e) => sizes.has(e.source) && sizes.has(e.target) && e.source !== e.target);
  for (const e of edges) {
    g.setEdge(e.source, e.target);
    successors.get(e.source)!.push(e.target);
    predecessors.get(e.target)!.push(e.source);
  }
  // Large graphs: one depth-first pass from the value asked about orders each column (a provenance graph is
  // nearly a tree converging on it, so this crosses few edges); dagre's sweeps would cost most of the time.
  if (graph.nodes.length > 0) engine.layout(g, graph.nodes.length > LARGE_GRAPH ? { customOrder: depthFirstOrder } : {});
  const nodes: NodeBox[] = graph.nodes.map((node) => {
    const placed = g.node(node.id);
    const size = sizes.get(node.id)!;
    return {
      id: node.id,
      node,
      x: placed.x - size.width / 2,
      y: placed.y - size.height / 2,
      width: size.width,
      height: size.height,
      lines: size.lines,
      details: size.details,
      rank: rankOf.get(node.id)!,
      classes: nodeClasses(node, node.id === graph.target),
    };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const paths = edges.map((e) => ({ source: e.source, target: e.target, points: g.edge(e.source, e.target)?.points ?? [] }));
  const size = g.graph();
  return {
    nodes,
    edges: paths,
    width: size.width ?? 0,
    height: size.height ?? 0,
    byId,
    predecessors,
    successors,
    target: graph.target ?? undefined,
    direction,
  };
}

/** A box's position along the ranks (x left to right, y top to bottom) and across them. */
const along = (layout: GraphLayout, box: NodeBox) => (layout.direction === "TB" ? box.y : box.x);
const across = (layout: GraphLayout, box: NodeBox) => (layout.direction === "TB" ? box.x + box.width / 2 : box.y + box.height / 2);

function nearest(layout: GraphLayout, from: NodeBox, candidates: string[]): string | undefined {
  let best: NodeBox | undefined;
  const distance = (box: NodeBox) => Math.abs(across(layout, box) - across(layout, from));
  for (const id of candidates) {
    const box = layout.byId.get(id);
    if (box && (!best || distance(box) < distance(best))) best = box;
  }
  return best?.id;
}

export type NavigationKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End";

/** Keyboard, along the drawing: the arrow towards the sources (Left, or Up top to bottom) goes upstream (what it
 * was made from), the opposite one downstream, the other two within the same rank; Home to the value asked
 * about, End to the first source. */
export function keyboardMove(layout: GraphLayout, from: string | undefined, key: NavigationKey): string | undefined {
  if (layout.nodes.length === 0) return undefined;
  const start = (from && layout.byId.get(from)) || layout.byId.get(layout.target ?? "") || layout.nodes[0];
  const vertical = layout.direction === "TB";
  const upstreamKey = vertical ? "ArrowUp" : "ArrowLeft";
  const downstreamKey = vertical ? "ArrowDown" : "ArrowRight";
  const previousKey = vertical ? "ArrowLeft" : "ArrowUp";
  switch (key) {
    case "Home":
      return layout.target ?? layout.nodes[0].id;
    case "End":
      return [...layout.nodes].sort((a, b) => along(layout, a) - along(layout, b) || across(layout, a) - across(layout, b))[0].id;
    case upstreamKey:
      return nearest(layout, start, layout.predecessors.get(start.id) ?? []) ?? start.id;
    case downstreamKey:
      return nearest(layout, start, layout.successors.get(start.id) ?? []) ?? start.id;
    default: {
      const rank = layout.nodes.filter((n) => n.rank === start.rank).sort((a, b) => across(layout, a) - across(layout, b));
      const at = rank.findIndex((n) => n.id === start.id);
      const next = rank[at + (key === previousKey ? -1 : 1)];
      return (next ?? start).id;
    }
  }
}

// ------------------------------------------------------------ zoom (view state)
export const ZOOM = { min: 0.1, max: 2, step: 1.25, readable: 0.8 };

export function clampScale(scale: number): number {
  return Math.min(ZOOM.max, Math.max(ZOOM.min, Number.isFinite(scale) ? scale : 1));
}

export function zoomStep(scale: number, direction: 1 | -1): number {
  return clampScale(direction > 0 ? scale * ZOOM.step : scale / ZOOM.step);
}

/** The scale a graph opens at: fitted to the view's width (never enlarged), but never below the smallest
 * readable scale; what does not fit is scrolled to (`initialScroll`). A 13-step chain fitted whole into a panel
 * beside the notebook is drawn at ~0.25, where no label can be read. */
export function initialScale(layout: Pick<GraphLayout, "width" | "height">, width: number, _height: number): number {
  if (layout.width <= 0 || width <= 0) return 1;
  return clampScale(Math.max(ZOOM.readable, Math.min(1, width / layout.width)));
}

/** Where the view opens (scroll offsets at `scale`): the value asked about in view with what made it (its nearest
 * steps) filling the rest: at the right edge left to right, at the bottom top to bottom, centred across. */
export function initialScroll(
  layout: Pick<GraphLayout, "byId" | "target" | "direction">,
  scale: number,
  width: number,
  height: number,
): { left: number; top: number } {
  const target = layout.target ? layout.byId.get(layout.target) : undefined;
  if (!target) return { left: 0, top: 0 };
  const margin = 24; // the layout's own margin: the target's outline and the view's edge stay apart
  const centreX = (target.x + target.width / 2) * scale - width / 2;
  const centreY = (target.y + target.height / 2) * scale - height / 2;
  const clamp = (v: number) => Math.max(0, Math.round(v));
  return layout.direction === "TB"
    ? { left: clamp(centreX), top: clamp((target.y + target.height + margin) * scale - height) }
    : { left: clamp((target.x + target.width + margin) * scale - width), top: clamp(centreY) };
}

/** The scale that shows the whole graph in a `width` × `height` view (never enlarged past 1). */
export function fitScale(layout: Pick<GraphLayout, "width" | "height">, width: number, height: number): number {
  if (layout.width <= 0 || layout.height <= 0 || width <= 0 || height <= 0) return 1;
  return clampScale(Math.min(1, width / layout.width, height / layout.height));
}

/** Text split into plain and `code` runs (the sidecar marks names with backticks). */
export function codeRuns(text: string): { text: string; code: boolean }[] {
  const runs: { text: string; code: boolean }[] = [];
  text.split("`").forEach((part, i) => {
    if (part) runs.push({ text: part, code: i % 2 === 1 });
  });
  return runs;
}

/** What a node's hover card shows. */
export function hoverCard(node: GraphNode): { title: string; detail?: string; note?: string; code?: string } {
  return {
    title: node.label,
    detail: node.detail ?? undefined,
    note: node.note ?? undefined,
    code: node.code ?? undefined,
  };
}

/** What "Gather code" / "Verify reproducibility" would act on for this node: its value, as its run left it. */
export function actionTarget(node: GraphNode | undefined): { variable: string; seq?: number } | undefined {
  if (!node?.variable || node.marks.includes("unknown")) return undefined;
  return { variable: node.variable, seq: node.seq ?? undefined };
}

/** Accessible name of a node, for screen readers and tests. */
export function ariaLabel(node: GraphNode): string {
  return [node.label.replace(/`/g, ""), node.detail, node.note].filter(Boolean).join(". ");
}

// ------------------------------------------------------------ the scope picker
export interface ScopeOption {
  value: string; // "latest" | "run:<seq>" | "session:<id>" | "experiment:<id>"
  label: string;
}

/** `seq`: as one run left it (a hover's or a cell's "Show data lineage"), not the latest value. */
export type Scope = { session?: number; experiment_id?: string; seq?: number };

export function parseScope(value: string): Scope {
  if (value.startsWith("run:")) return { seq: Number(value.slice("run:".length)) };
  if (value.startsWith("session:")) return { session: Number(value.slice("session:".length)) };
  if (value.startsWith("experiment:")) return { experiment_id: value.slice("experiment:".length) };
  return {};
}

export function scopeValue(scope: Scope): string {
  if (scope.experiment_id) return `experiment:${scope.experiment_id}`;
  if (scope.seq !== undefined && scope.seq !== null) return `run:${scope.seq}`;
  if (scope.session !== undefined && scope.session !== null) return `session:${scope.session}`;
  return "latest";
}

/** "Latest run", the run asked about when there is one ("As of [5] Cell 10": the picker must not say "Latest run"
 * over an earlier value), each session as the tree names it, each experiment with its primary metric. */
export function scopeOptions(
  sessions: readonly SessionInfo[],
  experiments: readonly ExperimentSummary[],
  sessionLabel: (s: SessionInfo, ordinal: number) => string,
  asOf?: { seq: number; label: string },
): ScopeOption[] {
  const ordered = [...sessions].sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id - b.id);
  const options: ScopeOption[] = [{ value: "latest", label: "Latest run" }];
  if (asOf) options.push({ value: `run:${asOf.seq}`, label: `As of ${asOf.label}` });
  ordered.forEach((s, i) => options.push({ value: `session:${s.id}`, label: sessionLabel(s, i + 1) }));
  for (const e of experiments) {
    const metric = e.primary_metric ? ` \u00b7 ${e.primary_metric.name} ${formatMetric(e.primary_metric.value)}` : "";
    options.push({ value: `experiment:${e.id}`, label: `${e.id}${e.name ? ` ${e.name}` : ""}${metric}` });
  }
  return options;
}

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4).replace(/\.?0+$/, "");
}

/** A difference of two metrics, signed, to the decimals formatMetric shows its values with: accuracy 0.8525 → 0.857
 * is "+0.0045", not "+0.004508", a precision neither value shows (the sidecar's render.compare.difference says it
 * the same way in `trackit diff` and the evidence lines). One below their last decimal keeps a digit. */
export function formatDifference(delta: number | null | undefined, ...values: (number | null | undefined)[]): string {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return "NaN";
  if (delta === 0) return "\u00b10";
  const decimals = values
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v))
    .map((v) => (formatMetric(v).split(".")[1] ?? "").length);
  const places = decimals.length > 0 ? Math.max(...decimals) : undefined;
  const rounded = places !== undefined ? delta.toFixed(places) : "";
  const text = rounded && Number(rounded) !== 0 ? rounded : delta.toPrecision(1);
  return text.startsWith("-") ? `\u2212${text.slice(1)}` : `+${text}`;
}
