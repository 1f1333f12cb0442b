// The Experiments panel's DOM layer: draws the DAG, the table and the compare and hypotheses views that the
// view models (src/webviews/experiments/) arrange, keeps the table's view state (sort, filter, selection), and
// sends the user's actions to the host. Nothing else.
import dagre from "@dagrejs/dagre";
import type { LayoutEngine } from "../src/webviews/graph/model";
import { codeRuns } from "../src/webviews/graph/nodeText";
import { formatMetric } from "../src/webviews/metricFormat";
import type { HypothesisView } from "../src/webviews/experiments/compareModel";
import { trendPoints } from "../src/webviews/experiments/compareModel";
import {
  cellText, changedText, changedTitle, comparePair, CompareView, Dag, experimentsDag, ExperimentsViewData, FromExperimentsView, INITIAL_TABLE,
  metricColumns, parentText, Row, rows, shownMetricColumns, sortBy, TableState, toggleSelected, ToExperimentsView, visibleRows,
} from "../src/webviews/experiments/model";

const vscode = acquireVsCodeApi();
const post = (message: FromExperimentsView) => vscode.postMessage(message);
const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}
function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", undefined, label);
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

const app = document.getElementById("app")!;
app.innerHTML = "";
const header = el("header", "toolbar");
const title = el("h1", "title");
const filter = el("input");
filter.type = "search";
filter.placeholder = "Filter: id, name, changed feature, metric, data";
filter.setAttribute("aria-label", "Filter experiments");
const compareButton = button("Compare the two selected", "Tick two experiments in the table, then compare them", () => {
  const pair = data ? comparePair(state, table) : undefined;
  if (pair) post({ type: "compare", a: pair[0], b: pair[1] });
});
header.append(title, filter, compareButton, button("Refresh", "Ask the sidecar again", () => post({ type: "refresh" })));
const status = el("p", "message");
status.setAttribute("role", "status");
const dagSection = el("section", "dag");
dagSection.setAttribute("aria-label", "Experiments DAG");
const tableSection = el("section", "table");
const compareSection = el("section", "compare");
compareSection.hidden = true;
const hypothesesSection = el("section", "hypotheses");
app.append(header, status, dagSection, tableSection, compareSection, hypothesesSection);

let data: ExperimentsViewData | undefined;
let state: TableState = INITIAL_TABLE;
let table: Row[] = [];

filter.addEventListener("input", () => {
  state = { ...state, filter: filter.value };
  drawTable();
});

function drawDag(dag: Dag): void {
  if (dag.nodes.length === 0) {
    dagSection.replaceChildren(el("p", "empty", "No experiments recorded for this notebook yet: a cell that evaluates a model is one, or mark a cell as one."));
    return;
  }
  const root = svg("svg", { width: dag.width, height: dag.height, class: "graph" });
  const edges = svg("g");
  for (const e of dag.edges) {
    if (e.points.length < 2) continue;
    edges.append(svg("path", { d: e.points.map((p, i) => `${i ? "L" : "M"}${p.x},${p.y}`).join(" "), class: "edge" }));
  }
  root.append(edges);
  for (const n of dag.nodes) {
    const g = svg("g", { class: `node trend-${n.trend}${n.failed ? " failed" : ""}${data?.focus === n.id ? " focus" : ""}`, transform: `translate(${n.x},${n.y})`, tabindex: 0, role: "button" });
    g.setAttribute("aria-label", `${n.title}, ${n.metric}${n.note ? ` (${n.note})` : ""}, ${n.trend === "unknown" ? "no comparison with its parent" : `${n.trend} than its parent`}`);
    g.append(svg("rect", { width: n.width, height: n.height, rx: 4 }));
    const t1 = svg("text", { x: 8, y: 18, class: "label" });
    t1.textContent = n.title;
    const t2 = svg("text", { x: 8, y: 35, class: "detail" });
    t2.textContent = `${n.metric}${n.trend === "better" ? " \u25b2" : n.trend === "worse" ? " \u25bc" : ""}`;
    g.append(t1, t2);
    if (n.note) {
      const t3 = svg("text", { x: 8, y: 49, class: "detail" });
      t3.textContent = `(${n.note})`;
      g.append(t3);
    }
    const pick = () => {
      state = toggleSelected(state, n.id);
      drawTable();
    };
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pick();
      }
    });
    root.append(g);
  }
  dagSection.replaceChildren(root);
}

function drawTable(): void {
  if (!data) return;
  const allMetrics = metricColumns(data.experiments, table);
  const metrics = shownMetricColumns(allMetrics, state);
  const shown = visibleRows(table, state);
  const head = el("tr");
  const sortable = (label: string, key: string) => {
    const th = el("th");
    const b = button(label + (state.sortBy === key ? (state.descending ? " \u25bc" : " \u25b2") : ""), `Sort by ${label}`, () => {
      state = sortBy(state, key);
      drawTable();
    });
    th.setAttribute("aria-sort", state.sortBy === key ? (state.descending ? "descending" : "ascending") : "none");
    th.append(b);
    return th;
  };
  head.append(el("th", undefined, "compare"), sortable("experiment", "id"), sortable("changed", "changed"), sortable("data", "data"));
  for (const m of metrics) head.append(sortable(m, `metric:${m}`));
  head.append(sortable("run at", "created"), sortable("parent", "parent"), el("th", undefined, "actions"));
  const body = el("tbody");
  for (const r of shown) {
    const tr = el("tr", `trend-${r.trend}${r.status === "failed" ? " failed" : ""}`);
    const tick = el("input");
    tick.type = "checkbox";
    tick.checked = state.selected.includes(r.id);
    tick.setAttribute("aria-label", `Select ${r.id} to compare`);
    tick.addEventListener("change", () => {
      state = toggleSelected(state, r.id);
      drawTable();
    });
    const check = el("td");
    check.append(tick);
    const when = new Date(r.createdAt);
    const actions = el("td", "actions");
    actions.append(
      button("Cell", "Reveal the experiment's cell", () => post({ type: "reveal", id: r.id })),
      button("Lineage", "How the data it evaluated was made", () => post({ type: "lineage", id: r.id })),
      button("Name\u2026", "Name it and write notes", () => post({ type: "name", id: r.id })),
      button("Re-parent\u2026", "Choose the experiment it builds on", () => post({ type: "reparent", id: r.id })),
      button("Hypothesis\u2026", "Link it to a hypothesis (or state a new one)", () => post({ type: "link", id: r.id })),
      button("Export\u2026", "Export it (mtrack run folder or JSON)", () => post({ type: "export", id: r.id })),
    );
    const changed = el("td", "changed", changedText(r));
    changed.title = changedTitle(r);
    const experiment = el("td", "id", r.title);
    if (r.alsoLookedAt) experiment.append(el("div", "also", r.alsoLookedAt));
    tr.append(check, experiment, changed, el("td", "data", r.data));
    for (const m of metrics) tr.append(el("td", "number", cellText(r, m)));
    tr.append(el("td", "when", Number.isNaN(when.getTime()) ? r.createdAt : when.toLocaleString()), el("td", undefined, parentText(r)), actions);
    body.append(tr);
  }
  const t = el("table");
  const thead = el("thead");
  thead.append(head);
  t.append(thead, body);
  const more = el("p", "more");
  if (allMetrics.length > metrics.length || state.allMetrics) {
    const toggle = el("input");
    toggle.type = "checkbox";
    toggle.checked = state.allMetrics;
    toggle.id = "all-metrics";
    toggle.addEventListener("change", () => {
      state = { ...state, allMetrics: toggle.checked };
      drawTable();
    });
    const label = el("label", undefined, ` all ${allMetrics.length} metrics`);
    label.htmlFor = "all-metrics";
    more.append(toggle, label);
  }
  const scroller = el("div", "table-scroll");
  scroller.append(t);
  tableSection.replaceChildren(scroller, more);
  compareButton.disabled = !comparePair(state, table);
}

/** The sidecar's words, names in backticks set as code. */
function withCode(parent: HTMLElement, text: string): HTMLElement {
  for (const run of codeRuns(text)) {
    const span = el(run.code ? "code" : "span");
    span.textContent = run.text;
    parent.append(span);
  }
  return parent;
}

function drawCompare(a: string, b: string, view: CompareView): void {
  const parts: HTMLElement[] = [el("h2", undefined, `${a} \u2192 ${b}`)];
  for (const section of view.sections) {
    const s = el("div", "compare-section");
    s.append(el("h3", undefined, section.title));
    for (const line of section.lines ?? []) s.append(withCode(el("p"), line));
    if (section.table) {
      const t = el("table");
      const tr = el("tr");
      for (const h of section.table.head) tr.append(el("th", undefined, h));
      t.append(tr);
      for (const row of section.table.rows) {
        const r = el("tr");
        row.forEach((c, i) => r.append(el("td", section.table?.numeric?.includes(i) ? "number" : undefined, c)));
        t.append(r);
      }
      s.append(t);
    }
    for (const d of section.diffs ?? []) {
      s.append(el("h4", undefined, d.title));
      const t = el("table", "side-by-side");
      for (const row of d.rows) {
        const r = el("tr", row.kind);
        r.append(el("td", "left", row.left ?? ""), el("td", "right", row.right ?? ""));
        t.append(r);
      }
      s.append(t);
    }
    parts.push(s);
  }
  compareSection.replaceChildren(...parts);
  compareSection.hidden = false;
  compareSection.scrollIntoView({ block: "start" });
}

function drawHypotheses(views: HypothesisView[]): void {
  const parts: HTMLElement[] = [el("h2", undefined, "Hypotheses")];
  if (data?.hypothesesError) parts.push(el("p", "empty", data.hypothesesError));
  else if (views.length === 0) parts.push(el("p", "empty", "No hypotheses yet: link an experiment to one with its Hypothesis\u2026 button."));
  for (const h of views) {
    const card = el("div", "hypothesis");
    card.append(el("h3", undefined, `${h.id} \u00b7 ${h.status}`), el("p", undefined, h.statement));
    const list = el("ul");
    for (const e of h.evidence) list.append(withCode(el("li", `verdict-${e.verdict.replace(/\s+/g, "-")}`), e.line || `${e.experiment}: ${e.verdict}`)); // the sidecar's line names its experiment
    card.append(list);
    const points = trendPoints(h.trend, 360, 60, 32, 14); // room for a value label centred on the first and last point
    if (points.length > 0) {
      const chart = svg("svg", { width: 360, height: 80, class: "trend", role: "img" });
      chart.setAttribute("aria-label", `${h.metric} by experiment: ${h.trend.map((t) => `${t.experiment} ${t.value}`).join(", ")}`);
      chart.append(svg("polyline", { points: points.map((p) => `${p.x},${p.y}`).join(" ") }));
      points.forEach((p, i) => {
        chart.append(svg("circle", { cx: p.x, cy: p.y, r: 2.5 }));
        const value = svg("text", { x: p.x, y: Math.max(10, p.y - 5), "text-anchor": "middle", class: "value" });
        value.textContent = formatMetric(h.trend[i].value);
        const id = svg("text", { x: p.x, y: 76, "text-anchor": "middle", class: "experiment" });
        id.textContent = h.trend[i].experiment;
        chart.append(value, id);
      });
      card.append(chart);
    }
    parts.push(card);
  }
  hypothesesSection.replaceChildren(...parts);
}

window.addEventListener("message", (event: MessageEvent<ToExperimentsView>) => {
  const msg = event.data;
  if (msg.type === "busy") {
    status.textContent = msg.what;
    return;
  }
  if (msg.type === "error") {
    status.textContent = msg.message;
    return;
  }
  if (msg.type === "compare") {
    status.textContent = "";
    drawCompare(msg.a, msg.b, msg.view);
    return;
  }
  data = msg.data;
  status.textContent = data.message ?? "";
  title.textContent = data.title;
  const details = new Map(data.details.map((d) => [d.id, d]));
  table = rows(data.experiments, details);
  state = { ...state, selected: state.selected.filter((id) => table.some((r) => r.id === id)) };
  drawDag(experimentsDag(data.experiments, dagre as unknown as LayoutEngine));
  drawTable();
  drawHypotheses(data.hypotheses);
});

post({ type: "ready" });
