// The webviews' view models (no DOM): the lineage graph's layout with the real layout library, its keyboard
// moves and picker; the summary's citations as links with the real Markdown renderer; the pages' CSP shell.
import dagre from "@dagrejs/dagre";
import MarkdownIt from "markdown-it";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GraphNode, ProvenanceGraph, SessionInfo, SummaryCitation } from "../../src/sidecar/protocol";
import { graphDirection, layoutGraph, LayoutEngine, NodeBox, nodeClasses, nodeSize, ranks, SIZES, wrap } from "../../src/webviews/graph/model";
import { clampScale, fitScale, initialScale, initialScroll, keyboardMove, zoomStep } from "../../src/webviews/graph/navigation";
import { actionTarget, codeRuns } from "../../src/webviews/graph/nodeText";
import { parseScope, scopeOptions, scopeValue } from "../../src/webviews/graph/scope";
import { formatMetric } from "../../src/webviews/metricFormat";
import { citationPieces, summaryView, useCitations } from "../../src/webviews/summary/model";
import { contentSecurityPolicy, shellHtml } from "../../src/views/webviewShell";

const engine = dagre as unknown as LayoutEngine;

function node(id: string, kind: GraphNode["kind"], label: string, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind, label, marks: [], ...extra };
}

// passengers.csv -> load -> passengers -> drop_duplicates -> dropna -> df   (+ tickets.csv -> load -> tickets -> merge)
const GRAPH: ProvenanceGraph = {
  notebook_uri: "file:///nb/titanic.ipynb",
  variable: "df",
  target: "var:5:df",
  nodes: [
    node("file:p", "source", "passengers.csv", { detail: "49.0 KB · sha256 5efb7e27", cell_id: "c0", cell_index: 0 }),
    node("step:1:0", "step", "Loaded `passengers.csv` into `passengers`: 900 rows × 10 columns", { cell_id: "c0", cell_index: 0 }),
    node("var:1:passengers", "variable", "`passengers`", { detail: "after [1] Cell 1" }),
    node("step:2:0", "step", "Dropped duplicate rows from `passengers` into `df`: 900 → 891 rows (−9)", { cell_id: "c1", cell_index: 1, marks: ["rerun"] }),
    node("step:3:0", "step", "Dropped rows with missing values in `Embarked` from `df`: 891 → 889 rows (−2)", { cell_id: "c2", cell_index: 2, marks: ["failed"] }),
    node("file:t", "source", "tickets.csv"),
    node("step:1:1", "step", "Loaded `tickets.csv` into `tickets`"),
    node("var:1:tickets", "variable", "`tickets`"),
    node("step:5:0", "step", "Joined `df` with `tickets` on `Ticket`", { cell_id: "c4", cell_index: 4 }),
    node("var:5:df", "variable", "`df`", { detail: "after [5] Cell 5 · 889 rows × 13 columns", cell_id: "c4", cell_index: 4 }),
  ],
  edges: [
    ["file:p", "step:1:0"], ["step:1:0", "var:1:passengers"], ["var:1:passengers", "step:2:0"], ["step:2:0", "step:3:0"],
    ["step:3:0", "step:5:0"], ["file:t", "step:1:1"], ["step:1:1", "var:1:tickets"], ["var:1:tickets", "step:5:0"],
    ["step:5:0", "var:5:df"],
  ].map(([source, target]) => ({ source, target })),
  variables: ["passengers", "tickets", "df"],
  truncated: false,
};

describe("lineage graph view model", () => {
  it("wraps labels and sizes nodes without measuring the DOM", () => {
    assert.deepEqual(wrap("a bb ccc dddd", 6, 3), ["a bb", "ccc", "dddd"]);
    assert.deepEqual(wrap("one two three four five", 9, 2), ["one two", "three\u2026"]);
    assert.deepEqual(wrap("", 10, 2), [""]);
    const size = nodeSize(GRAPH.nodes[3]);
    assert.ok(size.width <= SIZES.maxWidth && size.width >= SIZES.minWidth);
    assert.equal(size.height, size.lines.length * SIZES.lineHeight + 2 * SIZES.padY);
  });

  it("ranks each node just left of what it feeds, the value asked about rightmost", () => {
    const rank = ranks(GRAPH);
    assert.equal(rank.get("var:5:df"), 6);
    assert.equal(rank.get("step:5:0"), 5);
    assert.equal(rank.get("file:p"), 0); // the long chain: passengers.csv is 6 steps from df
    // tickets.csv feeds the join through two nodes: drawn next to it, not at the far left
    assert.deepEqual([rank.get("file:t"), rank.get("step:1:1"), rank.get("var:1:tickets")], [2, 3, 4]);
    for (const e of GRAPH.edges) assert.ok(rank.get(e.source)! < rank.get(e.target)!);
    assert.equal(ranks({ nodes: [node("a", "step", "a"), node("b", "step", "b")], edges: [{ source: "a", target: "b" }, { source: "b", target: "a" }] }).size, 2);
    // a dead end that is not the target sits right after what made it
    const dead = ranks({ ...GRAPH, nodes: [...GRAPH.nodes, node("x", "variable", "x")], edges: [...GRAPH.edges, { source: "file:p", target: "x" }] });
    assert.equal(dead.get("x"), 1);
  });

  it("lays the graph out left to right with the real layout library", () => {
    const layout = layoutGraph(GRAPH, engine);
    assert.equal(layout.nodes.length, 10);
    assert.equal(layout.edges.length, 9);
    const x = (id: string) => layout.byId.get(id)!.x;
    for (const e of GRAPH.edges) assert.ok(x(e.source) < x(e.target), `${e.source} left of ${e.target}`);
    assert.ok(layout.edges.every((e) => e.points.length >= 2));
    assert.ok(layout.width >= Math.max(...layout.nodes.map((n) => n.x + n.width)));
    // nodes of one column do not overlap
    for (const a of layout.nodes) for (const b of layout.nodes) {
      if (a === b || a.rank !== b.rank) continue;
      assert.ok(a.y + a.height <= b.y || b.y + b.height <= a.y, `${a.id} overlaps ${b.id}`);
    }
    assert.deepEqual(layout.byId.get("var:5:df")!.classes, ["node", "kind-variable", "target", "revealable"]);
    assert.deepEqual(nodeClasses(GRAPH.nodes[4], false), ["node", "kind-step", "mark-failed", "revealable"]);
  });

  it("moves with the keyboard: left upstream, right downstream, up/down in a column, Home to the target", () => {
    const layout = layoutGraph(GRAPH, engine);
    assert.equal(keyboardMove(layout, undefined, "Home"), "var:5:df");
    assert.equal(keyboardMove(layout, "var:5:df", "ArrowLeft"), "step:5:0");
    const upstream = keyboardMove(layout, "step:5:0", "ArrowLeft");
    assert.ok(upstream === "step:3:0" || upstream === "var:1:tickets");
    assert.equal(keyboardMove(layout, "step:3:0", "ArrowRight"), "step:5:0");
    assert.equal(keyboardMove(layout, "file:p", "ArrowLeft"), "file:p"); // nothing further upstream
    // tickets.csv shares a column with passengers (see the ranks): up and down move between them
    const down = keyboardMove(layout, "var:1:passengers", "ArrowDown");
    const up = keyboardMove(layout, "file:t", "ArrowUp");
    assert.ok((down === "file:t" && up === "var:1:passengers") || (down === "var:1:passengers" && up === "file:t"), `${down} ${up}`);
    assert.equal(layout.byId.get(keyboardMove(layout, "var:5:df", "End")!)!.rank, 0);
  });

  it("beside a notebook (narrow, tall) reads top to bottom: sources above, the value below, arrows along it", () => {
    assert.equal(graphDirection(620, 760), "TB", "half of a 1600 px window");
    assert.equal(graphDirection(1300, 760), "LR", "a wide panel keeps left to right");
    assert.equal(graphDirection(0, 0), "LR", "not laid out yet");
    const layout = layoutGraph(GRAPH, engine, "TB");
    assert.equal(layout.direction, "TB");
    const y = (id: string) => layout.byId.get(id)!.y;
    for (const e of GRAPH.edges) assert.ok(y(e.source) < y(e.target), `${e.source} above ${e.target}`);
    // two branches side by side: at the readable scale the whole width fits a 620 px wide panel
    assert.ok(layout.width * 0.8 <= 620, `${layout.width} wide`);
    // keys follow the drawing: Up goes upstream, Down downstream, Left/Right within a rank
    assert.equal(keyboardMove(layout, "var:5:df", "ArrowUp"), "step:5:0");
    assert.equal(keyboardMove(layout, "step:3:0", "ArrowDown"), "step:5:0");
    assert.equal(keyboardMove(layout, "file:p", "ArrowUp"), "file:p");
    const right = keyboardMove(layout, "var:1:passengers", "ArrowRight");
    const left = keyboardMove(layout, "file:t", "ArrowLeft");
    assert.ok((right === "file:t" && left === "var:1:passengers") || (right === "var:1:passengers" && left === "file:t"), `${right} ${left}`);
    assert.equal(layout.byId.get(keyboardMove(layout, "var:5:df", "End")!)!.rank, 0);
    // it opens on the value asked about, at the bottom of the view, with what made it above
    const scale = initialScale(layout, 620, 760);
    const { left: scrollLeft, top } = initialScroll(layout, scale, 620, 760);
    const target = layout.byId.get("var:5:df")!;
    assert.ok(target.y * scale >= top && (target.y + target.height) * scale <= top + 760, "the target in view");
    assert.ok(target.x * scale >= scrollLeft && (target.x + target.width) * scale <= scrollLeft + 620);
    const inView = layout.nodes.filter((n) => n.y * scale >= top && (n.y + n.height) * scale <= top + 760);
    assert.ok(inView.length >= 6, `${inView.length} of 10 nodes in view`);
  });

  it("opens left to right with the value asked about at the right edge, what made it to its left", () => {
    const layout = layoutGraph(GRAPH, engine, "LR");
    const scale = initialScale(layout, 620, 760);
    assert.equal(scale, 0.8, "a chain wider than the view opens at the smallest readable scale");
    const { left } = initialScroll(layout, scale, 620, 760);
    const target = layout.byId.get("var:5:df")!;
    assert.ok((target.x + target.width) * scale <= left + 620 && target.x * scale >= left, "the target in view");
    assert.deepEqual(initialScroll({ ...layout, target: undefined }, 1, 620, 760), { left: 0, top: 0 });
  });

  it("sizes a label for names set in the editor's monospace font, so a line is never clipped", () => {
    const label = "Dropped rows with missing values in `Embarked_and_some_long_column` from `passengers_clean`: 891 → 889 rows (−2)";
    const size = nodeSize(node("s", "step", label));
    const monospace12px = 7.2; // DejaVu Sans Mono / Consolas at 12px
    for (const line of size.lines) assert.ok(line.length * monospace12px + 2 * SIZES.padX <= size.width, `"${line}" fits ${size.width}`);
  });

  it("lays out 500 nodes converging on one value (ordered depth first), each column without overlaps", () => {
    const nodes: GraphNode[] = [];
    const edges: { source: string; target: string }[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      nodes.push(node(`n${i}`, i % 3 === 0 ? "variable" : "step", `Step number ${i} of a long chain: ${i} rows`));
      if (i < 499) edges.push({ source: `n${i}`, target: `n${Math.min(499, i + 1 + Math.floor(rnd() * 6))}` });
    }
    const started = process.cpuUsage();
    const layout = layoutGraph({ ...GRAPH, nodes, edges, target: "n499" }, engine);
    const cpu = process.cpuUsage(started);
    assert.equal(layout.nodes.length, 500);
    assert.ok(layout.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y)));
    for (const e of edges) assert.ok(layout.byId.get(e.source)!.x < layout.byId.get(e.target)!.x);
    const columns = new Map<number, NodeBox[]>();
    for (const n of layout.nodes) columns.set(n.rank, [...(columns.get(n.rank) ?? []), n]);
    for (const column of columns.values()) {
      column.sort((a, b) => a.y - b.y);
      for (let i = 1; i < column.length; i++) assert.ok(column[i - 1].y + column[i - 1].height <= column[i].y);
    }
    console.log(`500-node layout: ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU (bench/bench_graph.mjs measures it in the browser)`);
  });

  it("offers Gather/Verify on a node that is or makes a value, never on one never produced", () => {
    assert.equal(actionTarget(undefined), undefined);
    assert.deepEqual(actionTarget(node("var:5:df", "variable", "`df`", { variable: "df", seq: 5 })), { variable: "df", seq: 5 });
    assert.equal(actionTarget(node("unknown:x", "variable", "`x`", { variable: "x", marks: ["unknown"] })), undefined);
    assert.equal(actionTarget(node("file:p", "source", "passengers.csv")), undefined);
  });

  it("zooms in steps within bounds and fits the whole graph", () => {
    assert.equal(zoomStep(1, 1), 1.25);
    assert.equal(zoomStep(1, -1), 0.8);
    assert.equal(zoomStep(2, 1), 2, "never past the largest scale");
    assert.equal(fitScale({ width: 4000, height: 500 }, 1000, 800), 0.25);
    assert.equal(fitScale({ width: 400, height: 300 }, 1000, 800), 1, "a small graph is not enlarged");
    assert.equal(fitScale({ width: 100000, height: 100 }, 1000, 800), 0.1);
    assert.equal(clampScale(Number.NaN), 1);
    assert.equal(initialScale({ width: 4000, height: 500 }, 1000, 800), 0.8, "a long chain opens readable, not fitted");
    assert.equal(initialScale({ width: 1100, height: 500 }, 1000, 800), 1000 / 1100, "a graph that fits readably opens whole");
    assert.equal(initialScale({ width: 500, height: 3000 }, 620, 800), 1, "fitted to the width: a tall graph scrolls, it is not shrunk");
  });

  it("splits names in backticks out of a label", () => {
    assert.deepEqual(codeRuns("Joined `df` with `tickets`"), [
      { text: "Joined ", code: false }, { text: "df", code: true }, { text: " with ", code: false }, { text: "tickets", code: true },
    ]);
  });

  it("offers the latest run, each session and each experiment", () => {
    const sessions: SessionInfo[] = [
      { id: 7, started_at: "2026-11-29T15:00:00Z", executions: 3 },
      { id: 2, started_at: "2026-11-29T14:00:00Z", executions: 5 },
    ];
    const experiments = [{ id: "E0003", name: "median", primary_metric: { name: "accuracy", value: 0.8125, source: "kernel", direction: "higher" } } as any,
      { id: "E0004", name: null, primary_metric: null } as any];
    const options = scopeOptions(sessions, experiments, (s, n) => `Session ${n} (${s.id})`);
    assert.deepEqual(options, [
      { value: "latest", label: "Latest run" },
      { value: "session:2", label: "Session 1 (2)" },
      { value: "session:7", label: "Session 2 (7)" },
      { value: "experiment:E0003", label: "E0003 median \u00b7 accuracy 0.8125" },
      { value: "experiment:E0004", label: "E0004" },
    ]);
    assert.deepEqual(parseScope("session:7"), { session: 7 });
    assert.deepEqual(parseScope("experiment:E0003"), { experiment_id: "E0003" });
    assert.deepEqual(parseScope("latest"), {});
    assert.deepEqual(parseScope("run:12"), { seq: 12 });
    assert.equal(scopeValue({ seq: 12 }), "run:12");
    assert.deepEqual(scopeOptions(sessions, [], (s, n) => `Session ${n}`, { seq: 12, label: "[5] Cell 10" }).slice(0, 2),
      [{ value: "latest", label: "Latest run" }, { value: "run:12", label: "As of [5] Cell 10" }]);
    assert.equal(scopeValue({ session: 7 }), "session:7");
    assert.equal(scopeValue({}), "latest");
    assert.equal(formatMetric(Number.NaN), "NaN");
    assert.equal(formatMetric(0.81234567), "0.8123");
  });
});

describe("summary view model", () => {
  const citations: SummaryCitation[] = [
    { text: "[cell 3]", cells: [{ seq: 3, cell_id: "c-load", cell_index: 2 }] },
    { text: "[cells 2, 5]", cells: [{ seq: 2, cell_id: "c-a", cell_index: 1 }, { seq: 9, cell_id: "c-b", cell_index: 4 }] },
    { text: "[cells 1–3]", cells: [{ seq: 1, cell_id: "c1", cell_index: 0 }, { seq: 2, cell_id: "c-a", cell_index: 1 }, { seq: 3, cell_id: "c-load", cell_index: 2 }] },
  ];

  it("cuts text into plain pieces and cited cell numbers", () => {
    assert.deepEqual(citationPieces("Loaded data [cell 3]. Then [cells 2, 5].", citations), [
      { text: "Loaded data [cell " }, { text: "3", cell: citations[0].cells[0] }, { text: "]. Then [cells " },
      { text: "2", cell: citations[1].cells[0] }, { text: ", " }, { text: "5", cell: citations[1].cells[1] }, { text: "]." },
    ]);
    const range = citationPieces("All of it [cells 1–3].", citations);
    assert.deepEqual(range.filter((p) => p.cell).map((p) => [p.text, p.cell!.cell_id]), [["1", "c1"], ["3", "c-load"]]);
    assert.deepEqual(citationPieces("No citation [cell 9].", citations), [{ text: "No citation [cell 9]." }]);
  });

  it("renders citations as links that name their cell, and raw HTML as text", () => {
    const md = new MarkdownIt({ html: false });
    let current: SummaryCitation[] = citations;
    useCitations(md, () => current);
    const html = md.render("# t\n\nLoaded `x` [cell 3] and <script>alert(1)</script> [cells 2, 5].");
    assert.match(html, /\[cell <a href="#" class="cite" data-cell-id="c-load" data-cell-index="2" title="Reveal cell 3">3<\/a>\]/);
    assert.match(html, /data-cell-id="c-b" data-cell-index="4" title="Reveal cell 5">5<\/a>\]/);
    assert.ok(!html.includes("<script>"));
    assert.match(html, /<code>x<\/code>/);
    current = [];
    assert.ok(!md.render("[cell 3]").includes("<a "));
  });

  it("keeps the summary's words and says where it came from", () => {
    const view = summaryView({ notebook_uri: "u", markdown: "m", provider: "ollama", model: "llama3", created_at: "t", cached: true, warnings: ["w"] }, "a.ipynb");
    assert.deepEqual(view, { title: "Summary of a.ipynb", markdown: "m", origin: "ollama \u00b7 llama3 \u00b7 stored", createdAt: "t", warnings: ["w"], citations: [] });
  });
});

describe("webview shell", () => {
  it("allows only nonce'd scripts and the extension's own styles", () => {
    const html = shellHtml({ title: "T <x>", cspSource: "vscode-webview://abc", scriptUri: "vscode-webview://abc/graph.js", styleUri: "vscode-webview://abc/graph.css", nonce: "n0nce" });
    assert.equal(contentSecurityPolicy("vscode-webview://abc", "n0nce"),
      "default-src 'none'; style-src vscode-webview://abc; img-src vscode-webview://abc; font-src vscode-webview://abc; script-src 'nonce-n0nce'");
    assert.match(html, /<script nonce="n0nce" src="vscode-webview:\/\/abc\/graph\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, "no inline script");
    assert.ok(!/style=/.test(html) && !/<style/.test(html), "no inline style");
    assert.match(html, /<title>T &lt;x&gt;<\/title>/);
    assert.ok(!/https?:/.test(html), "nothing from the network");
  });
});
