// The data lineage graph webview at 50 / 200 / 500 nodes, in Debian's Chromium (headless, as the e2e tests run
// it): the page's own script (extension/dist/webview/graph.js, the bundle the VSIX ships) gets a provenance
// graph by postMessage, as in VS Code, and reports the time to lay it out (dagre) and to its first paint (the
// frame after the SVG is in the DOM). Medians of several runs per size; the 50-node graph is the baseline
// measured in the same run (ratios below), because this machine is shared and its absolute times drift.
//
//   npm run build --workspace extension && node bench/bench_graph.mjs [--runs 7] [--record]
// --record also writes the README table's row, bench/results/graph-webview.json (bench/record_rows.mjs).
// Target (issue 13): layout + first paint of 500 nodes <= 1 s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { RECORDING, rawResultsDir, recordRows } from "./record_rows.mjs";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runsIndex = process.argv.indexOf("--runs");
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 7;
const SIZES = [50, 200, 500];
const script = path.join(ROOT, "extension", "dist", "webview", "graph.js");
const style = path.join(ROOT, "extension", "media", "graph.css");
if (!fs.existsSync(script)) {
  console.error(`no ${script}: run \`npm run build --workspace extension\` first`);
  process.exit(1);
}
const { chromium } = createRequire(path.join(ROOT, "tests", "e2e", "package.json"))("playwright-core");

/** A provenance-shaped graph (as trackit/provenance answers): one value asked about, everything it was made from
 * converging on it; chains of steps and variables, joins of several inputs, sources where nothing feeds a node. */
function provenanceGraph(n) {
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const nodes = [];
  const edges = [];
  const ops = ["filter_rows", "drop_missing", "join", "derive_feature", "impute_missing", "encode_categorical"];
  for (let i = 0; i < n; i++) {
    // node i feeds a later node (usually the next few, sometimes a join much later): all reach node n-1
    if (i < n - 1) {
      edges.push({ source: `n${i}`, target: `n${Math.min(n - 1, i + 1 + Math.floor(rnd() * 6))}` });
      if (rnd() < 0.2) edges.push({ source: `n${i}`, target: `n${Math.min(n - 1, i + 1 + Math.floor(rnd() * 40))}` });
    }
  }
  const fed = new Set(edges.map((e) => e.target));
  for (let i = 0; i < n; i++) {
    const kind = !fed.has(`n${i}`) ? "source" : i % 3 === 0 ? "variable" : "step";
    const label = kind === "source" ? `data/part-${i}.csv`
      : kind === "variable" ? `\`frame_${i}\``
      : `Filtered rows of \`frame_${i - 1}\` on \`col_${i % 7}\` into \`frame_${i}\`: ${2000 + i} → ${1900 + i} rows (−100)`;
    nodes.push({ id: `n${i}`, kind, label, detail: kind === "source" ? "56.6 KB · sha256 24f24c2b" : `[${i}] Cell ${i}`, marks: i % 41 === 0 ? ["rerun"] : [],
      op: kind === "step" ? ops[i % ops.length] : null, cell_id: `c${i}`, cell_index: i, seq: i, variable: `frame_${i}`, code: `frame_${i} = frame_${i - 1}.query("col_${i % 7} > 3")` });
  }
  const unique = [...new Map(edges.map((e) => [`${e.source}>${e.target}`, e])).values()];
  return { notebook_uri: "file:///bench/nb.ipynb", variable: `frame_${n - 1}`, target: `n${n - 1}`, nodes, edges: unique, variables: [], truncated: false };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trackit-bench-graph-"));
fs.copyFileSync(script, path.join(dir, "graph.js"));
fs.copyFileSync(style, path.join(dir, "graph.css"));
// What VS Code gives a webview page: acquireVsCodeApi; the page's messages are collected for the bench.
fs.writeFileSync(path.join(dir, "stub.js"), "window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState() {}, setState() {} });");
fs.writeFileSync(path.join(dir, "index.html"), '<!DOCTYPE html><html><head><link rel="stylesheet" href="graph.css"></head><body><main id="app"></main><script src="stub.js"></script><script src="graph.js"></script></body></html>');

const browser = await chromium.launch({
  executablePath: process.env.TRACKIT_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`file://${path.join(dir, "index.html")}`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"));
  for (const n of SIZES) {
    const graph = provenanceGraph(n);
    const layout = [];
    const paint = [];
    for (let r = 0; r < RUNS + 1; r++) {
      const painted = await page.evaluate(async (g) => {
        const before = window.__posted.length;
        window.postMessage({ type: "graph", title: "bench", graph: g, scopes: [{ value: "latest", label: "Latest run" }], scope: "latest" }, "*");
        for (;;) {
          const m = window.__posted.slice(before).find((x) => x.type === "painted");
          if (m) return m;
          await new Promise((res) => setTimeout(res, 5));
        }
      }, graph);
      if (r === 0) continue; // the first run of a size warms the JIT up
      layout.push(painted.layoutMs);
      paint.push(painted.paintMs);
      if (painted.nodes !== n) throw new Error(`drew ${painted.nodes} nodes, expected ${n}`);
    }
    const drawn = await page.locator("g.node").count();
    results[n] = { nodes: drawn, edges: graph.edges.length, layout_ms: +median(layout).toFixed(1), layout_and_first_paint_ms: +median(paint).toFixed(1) };
  }
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const base = results[SIZES[0]].layout_and_first_paint_ms;
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ${RUNS} runs per size (median)`);
for (const n of SIZES) {
  const r = results[n];
  console.log(`${String(n).padStart(4)} nodes (${r.edges} edges): layout ${r.layout_ms} ms, layout + first paint ${r.layout_and_first_paint_ms} ms, ${(r.layout_and_first_paint_ms / base).toFixed(1)}x the ${SIZES[0]}-node baseline`);
}
const at500 = results[500].layout_and_first_paint_ms;
console.log(`500 nodes: ${at500} ms layout + first paint (target <= 1000 ms): ${at500 <= 1000 ? "within" : "OVER"}`);
fs.writeFileSync(path.join(rawResultsDir(), `graph-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify({ runs: RUNS, loadavg: os.loadavg(), results }, null, 2));
if (RECORDING) {
  recordRows("bench/bench_graph.mjs", [{
    row: "graph-webview", what: `data lineage graph webview: layout (dagre) + first paint in Chromium, provenance-shaped graphs, median of ${RUNS} runs per size`,
    target: "500 nodes ≤ 1 s", headline: SIZES.map((n) => ({ name: `${n} nodes`, value: results[n].layout_and_first_paint_ms, unit: "ms" })),
    met: at500 <= 1000, figures: { results },
  }]);
}
