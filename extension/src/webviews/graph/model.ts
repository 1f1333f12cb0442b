// Pure layout of the data lineage graph webview: node boxes (text wrapped and sized without the DOM) and a layout
// by the graph-layout library (dagre, passed in so this file runs anywhere), left to right in a wide panel, top to
// bottom in a narrow one (beside a notebook). Moving around the layout (keyboard, zoom, the opening scroll) is
// navigation.ts's; what a node says beyond its box, nodeText.ts's; the scope picker, scope.ts's.
// No DOM and no `vscode` here: webview/graph.ts draws what this returns, graphPanel.ts feeds it.
// Every word on a node is the sidecar's (render/graph.py); this file only arranges them.
import type { GraphNode, ProvenanceGraph } from "../../sidecar/protocol";

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
