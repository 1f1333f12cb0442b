// The data lineage graph webview's DOM layer: draws the layout graph/model.ts computes (SVG), shows hover
// cards, moves focus with the keyboard, and tells the host what the user picked or clicked. Nothing else.
import dagre from "@dagrejs/dagre";
import type { FromGraphView, ToGraphView } from "../src/webviews/graph/messages";
import { graphDirection, GraphLayout, layoutGraph, LayoutEngine, NodeBox, SIZES } from "../src/webviews/graph/model";
import { clampScale, fitScale, initialScale, initialScroll, keyboardMove, NavigationKey, zoomStep } from "../src/webviews/graph/navigation";
import { actionTarget, ariaLabel, codeRuns, hoverCard } from "../src/webviews/graph/nodeText";
import type { ProvenanceGraph } from "../src/sidecar/protocol";

const vscode = acquireVsCodeApi();
const post = (message: FromGraphView) => vscode.postMessage(message);
const SVG = "http://www.w3.org/2000/svg";

const app = document.getElementById("app")!;
app.innerHTML = "";
const header = el("header", "toolbar");
const title = el("h1", "title");
const scopeLabel = el("label", "picker");
scopeLabel.append("Run ");
const scopeSelect = el("select") as HTMLSelectElement;
scopeSelect.setAttribute("aria-label", "Run or experiment");
scopeLabel.append(scopeSelect);
const variableLabel = el("label", "picker");
variableLabel.append("Variable ");
const variableSelect = el("select") as HTMLSelectElement;
variableSelect.setAttribute("aria-label", "Variable");
variableLabel.append(variableSelect);
const actions = el("span", "actions");
const gatherButton = el("button") as HTMLButtonElement;
gatherButton.textContent = "Gather code";
gatherButton.title = "The minimal code that recomputes the selected value, in a new notebook";
const verifyButton = el("button") as HTMLButtonElement;
verifyButton.textContent = "Verify reproducibility";
verifyButton.title = "Re-run that code in a fresh kernel and compare with what was recorded";
actions.append(gatherButton, verifyButton);
const zoom = el("span", "zoom");
const zoomOut = el("button") as HTMLButtonElement;
zoomOut.textContent = "\u2212";
zoomOut.title = "Zoom out (-)";
const zoomFit = el("button") as HTMLButtonElement;
zoomFit.textContent = "Fit";
zoomFit.title = "Fit the whole graph in the view (0)";
const zoomIn = el("button") as HTMLButtonElement;
zoomIn.textContent = "+";
zoomIn.title = "Zoom in (+)";
zoom.append(zoomOut, zoomFit, zoomIn);
header.append(title, scopeLabel, variableLabel, actions, zoom);
const message = el("p", "message");
message.setAttribute("role", "status");
const canvas = el("div", "canvas");
canvas.setAttribute("role", "application");
canvas.setAttribute("aria-label", "Data lineage graph: arrow keys move between nodes, Enter reveals the cell");
const card = el("div", "card");
card.hidden = true;
app.append(header, message, canvas, card);

let layout: GraphLayout | undefined;
let shown: ProvenanceGraph | undefined;
let focused: string | undefined;
let scale = 1;
let root: SVGSVGElement | undefined;

function applyScale(next: number): void {
  scale = clampScale(next);
  if (!root || !layout) return;
  root.setAttribute("width", String(Math.ceil(layout.width * scale)));
  root.setAttribute("height", String(Math.ceil(layout.height * scale)));
}
const elements = new Map<string, SVGGElement>();

function el(tag: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}
function options(select: HTMLSelectElement, items: { value: string; label: string }[], selected: string): void {
  select.replaceChildren(...items.map((o) => {
    const option = document.createElement("option");
    option.value = o.value;
    option.textContent = o.label;
    option.selected = o.value === selected;
    return option;
  }));
}

function textLine(parent: SVGElement, text: string, x: number, y: number, className: string): void {
  const line = svg("text", { x, y, class: className });
  for (const run of codeRuns(text)) {
    const span = svg("tspan", run.code ? { class: "code" } : {});
    span.textContent = run.text;
    line.append(span);
  }
  parent.append(line);
}

function drawNode(box: NodeBox): SVGGElement {
  const g = svg("g", { class: box.classes.join(" "), transform: `translate(${box.x},${box.y})`, tabindex: -1, role: "button" });
  g.setAttribute("aria-label", ariaLabel(box.node));
  g.dataset.id = box.id;
  g.append(svg("rect", { width: box.width, height: box.height, rx: box.node.kind === "variable" ? box.height / 2 : 4 }));
  let y = SIZES.padY + SIZES.lineHeight - 4;
  for (const line of box.lines) {
    textLine(g, line, SIZES.padX, y, "label");
    y += SIZES.lineHeight;
  }
  for (const detail of box.details) {
    textLine(g, detail, SIZES.padX, y, "detail");
    y += SIZES.lineHeight;
  }
  return g;
}

function draw(next: GraphLayout): void {
  layout = next;
  elements.clear();
  root = svg("svg", { width: next.width, height: next.height, viewBox: `0 0 ${next.width} ${next.height}`, class: "graph" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }));
  defs.append(marker);
  root.append(defs);
  const edges = svg("g", { class: "edges" });
  for (const edge of next.edges) {
    if (edge.points.length < 2) continue;
    const d = edge.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    edges.append(svg("path", { d, class: "edge", "marker-end": "url(#arrow)" }));
  }
  root.append(edges);
  const nodes = svg("g", { class: "nodes" });
  for (const box of next.nodes) {
    const g = drawNode(box);
    elements.set(box.id, g);
    nodes.append(g);
  }
  root.append(nodes);
  canvas.replaceChildren(root);
  canvas.dataset.direction = next.direction;
  applyScale(initialScale(next, canvas.clientWidth, canvas.clientHeight));
  focusNode(next.target ?? next.nodes[0]?.id, false);
  // the value asked about is what the user came for: in view, what made it filling the rest
  const { left, top } = initialScroll(next, scale, canvas.clientWidth, canvas.clientHeight);
  canvas.scrollLeft = left;
  canvas.scrollTop = top;
}

/** Lays the graph out for the canvas's shape now (top to bottom when narrow) and draws it. */
function layOutAndDraw(graph: ProvenanceGraph): GraphLayout {
  const next = layoutGraph(graph, dagre as unknown as LayoutEngine, graphDirection(canvas.clientWidth, canvas.clientHeight));
  draw(next);
  return next;
}

// The panel moved beside the notebook or was widened: the graph is drawn again the other way round.
new ResizeObserver(() => {
  if (shown && layout && graphDirection(canvas.clientWidth, canvas.clientHeight) !== layout.direction) {
    const keep = focused;
    layOutAndDraw(shown);
    focusNode(keep, false);
  }
}).observe(canvas);

function showCard(box: NodeBox | undefined): void {
  if (!box) {
    card.hidden = true;
    return;
  }
  const view = hoverCard(box.node);
  const parts: HTMLElement[] = [];
  const heading = el("div", "card-title");
  for (const run of codeRuns(view.title)) {
    const span = el(run.code ? "code" : "span");
    span.textContent = run.text;
    heading.append(span);
  }
  parts.push(heading);
  for (const [text, className] of [[view.detail, "card-detail"], [view.note, "card-note"]] as const) {
    if (!text) continue;
    const p = el("div", className);
    p.textContent = text;
    parts.push(p);
  }
  if (view.code) {
    const pre = el("pre", "card-code");
    pre.textContent = view.code;
    parts.push(pre);
  }
  card.replaceChildren(...parts);
  card.hidden = false;
  // CSSOM, not a style attribute: the page's CSP allows no inline styles
  const target = elements.get(box.id)!.getBoundingClientRect();
  const page = app.getBoundingClientRect();
  card.style.left = `${Math.max(4, Math.min(target.left - page.left, app.clientWidth - 380))}px`;
  card.style.top = `${target.bottom - page.top + 6}px`;
}

function updateActions(): void {
  const target = actionTarget(focused ? layout?.byId.get(focused)?.node : undefined);
  for (const button of [gatherButton, verifyButton]) {
    button.disabled = !target;
    button.dataset.variable = target?.variable ?? "";
  }
  gatherButton.textContent = target ? `Gather code for ${target.variable}` : "Gather code";
}

function focusNode(id: string | undefined, withCard = true): void {
  if (!id) return;
  if (focused) elements.get(focused)?.setAttribute("tabindex", "-1");
  focused = id;
  const g = elements.get(id);
  updateActions();
  if (!g) return;
  g.setAttribute("tabindex", "0");
  if (withCard) {
    g.focus();
    showCard(layout?.byId.get(id));
  }
}

function reveal(id: string | undefined): void {
  const node = id ? layout?.byId.get(id)?.node : undefined;
  if (node?.cell_id && node.cell_index !== undefined && node.cell_index !== null) {
    post({ type: "reveal", cellId: node.cell_id, cellIndex: node.cell_index });
  }
}

const nodeOf = (target: EventTarget | null): string | undefined =>
  (target instanceof Element ? (target.closest("g.node") as SVGGElement | null)?.dataset.id : undefined);

canvas.addEventListener("click", (e) => {
  const id = nodeOf(e.target);
  if (!id) return;
  focusNode(id);
  reveal(id);
});
canvas.addEventListener("mouseover", (e) => {
  const id = nodeOf(e.target);
  if (id) showCard(layout?.byId.get(id));
});
canvas.addEventListener("mouseleave", () => showCard(undefined));
canvas.addEventListener("keydown", (e) => {
  if (!layout) return;
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    reveal(focused);
    return;
  }
  if (e.key === "Escape") {
    showCard(undefined);
    return;
  }
  if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "0") {
    e.preventDefault();
    applyScale(e.key === "0" ? fitScale(layout, canvas.clientWidth, canvas.clientHeight) : zoomStep(scale, e.key === "-" ? -1 : 1));
    return;
  }
  if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(e.key)) {
    e.preventDefault();
    focusNode(keyboardMove(layout, focused, e.key as NavigationKey));
    elements.get(focused!)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
});
for (const [button, type] of [[gatherButton, "gather"], [verifyButton, "verify"]] as const) {
  button.addEventListener("click", () => {
    const target = actionTarget(focused ? layout?.byId.get(focused)?.node : undefined);
    if (target) post({ type, ...target });
  });
}
zoomOut.addEventListener("click", () => applyScale(zoomStep(scale, -1)));
zoomIn.addEventListener("click", () => applyScale(zoomStep(scale, 1)));
zoomFit.addEventListener("click", () => layout && applyScale(fitScale(layout, canvas.clientWidth, canvas.clientHeight)));
scopeSelect.addEventListener("change", () => post({ type: "scope", value: scopeSelect.value }));
variableSelect.addEventListener("change", () => post({ type: "variable", name: variableSelect.value }));

window.addEventListener("message", (event: MessageEvent<ToGraphView>) => {
  const msg = event.data;
  title.textContent = msg.title;
  if (msg.type === "loading") {
    app.setAttribute("aria-busy", "true");
    message.textContent = "Loading\u2026";
    return;
  }
  if (msg.type === "error") {
    app.setAttribute("aria-busy", "false");
    message.textContent = msg.message;
    canvas.replaceChildren();
    return;
  }
  const started = performance.now();
  options(scopeSelect, msg.scopes, msg.scope);
  const variables = msg.graph.variables.includes(msg.graph.variable ?? "") || !msg.graph.variable
    ? msg.graph.variables
    : [...msg.graph.variables, msg.graph.variable];
  options(variableSelect, variables.map((v) => ({ value: v, label: v })), msg.graph.variable ?? "");
  message.textContent = msg.graph.message ?? "";
  shown = msg.graph;
  const next = layoutGraph(msg.graph, dagre as unknown as LayoutEngine, graphDirection(canvas.clientWidth, canvas.clientHeight));
  const laidOut = performance.now();
  draw(next);
  // the second frame callback runs once the frame holding the new graph has been painted
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      app.setAttribute("aria-busy", "false");
      post({ type: "painted", nodes: next.nodes.length, layoutMs: laidOut - started, paintMs: performance.now() - started });
    }),
  );
});

post({ type: "ready" });
