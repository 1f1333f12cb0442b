// The README performance table's rows that bench/bench_extension.mjs measures, from its scenarios' figures (this
// build's and, with --baseline-vsix, the baseline's in the same run). A scenario that failed gives no row. Activation
// and VSIX size come from the cell → tree scenarios (--histories) only, so a run of the facts or Run All scenario alone
// does not replace them with one scenario's figure.
const TREE_P95_MS = 200;
const ACTIVATION_MS = 50;
const VSIX_MB = 60;

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const of = (runs, build, pick) => runs.filter((r) => r.scenario.startsWith(build)).find(pick);

function p50p95(label, mine, base) {
  return [
    { name: `${label}p50`, value: mine.p50, unit: "ms", baseline: base?.p50 ?? null },
    { name: `${label}p95`, value: mine.p95, unit: "ms", baseline: base?.p95 ?? null },
  ];
}

export function extensionRows(runs, runAlls, { histories, executions, factsRuns, runAll, runAllRounds }) {
  const rows = [];
  const trivial = histories.map((history) => {
    const pick = (r) => r.history === history && r.cell === "trivial";
    return [history, of(runs, "this build", pick), of(runs, "baseline", pick)];
  }).filter(([, mine]) => mine?.tree_latency_ms);
  if (trivial.length) {
    rows.push({
      row: "extension-cell-to-tree",
      what: `cell finished → the lineage tree shows it, in code-server + Chromium, ${executions} runs of one cell one after another`,
      target: `p95 ≤ ${TREE_P95_MS} ms`,
      headline: trivial.flatMap(([history, mine, base]) => p50p95(history ? `${history.toLocaleString("en")} earlier ` : "new notebook ",
        mine.tree_latency_ms, base?.tree_latency_ms)),
      met: trivial.every(([, mine]) => mine.tree_latency_ms.p95 <= TREE_P95_MS),
      figures: Object.fromEntries(trivial.map(([history, mine, base]) => [`${history} earlier`, {
        tree_changes_per_run: mine.tree_changes_per_run?.mean, baseline_tree_changes_per_run: base?.tree_changes_per_run?.mean, parts_ms: mine.parts_ms }])),
    });
  }
  const facts = (build) => of(runs, build, (r) => r.cell === "pandas");
  if (factsRuns > 0 && facts("this build")?.tree_latency_ms) {
    const [mine, base] = [facts("this build"), facts("baseline")];
    rows.push({
      row: "extension-facts-row",
      what: `the same with a pandas cell whose runtime facts change its row, ${factsRuns} runs`,
      target: `p95 ≤ ${TREE_P95_MS} ms`,
      headline: [...p50p95("", mine.tree_latency_ms, base?.tree_latency_ms),
        { name: "tree changes per run", value: mine.tree_changes_per_run.mean, unit: "", baseline: base?.tree_changes_per_run?.mean ?? null }],
      met: mine.tree_latency_ms.p95 <= TREE_P95_MS,
      figures: { parts_ms: mine.parts_ms, runs_by_changes: mine.tree_changes_per_run.runs_by_changes },
    });
  }
  const runAllOf = (build) => runAlls.find((r) => r.scenario.startsWith(build));
  if (runAll > 0 && runAllOf("this build")?.cell_latency_ms) {
    const [mine, base] = [runAllOf("this build"), runAllOf("baseline")];
    rows.push({
      row: "extension-run-all",
      what: `Run All of ${runAll} trivial cells, cells finishing back to back, ${runAllRounds} rounds after a first: each cell's end() → the notebook row counting it`,
      target: "",
      headline: p50p95("", mine.cell_latency_ms, base?.cell_latency_ms),
      met: null,
      figures: { round_latency_ms: mine.round_latency_ms, cell_end_gap_ms: mine.cell_end_gap_ms },
    });
  }
  const treeRuns = runs.filter((r) => r.cell === "trivial");
  const activations = (build) => treeRuns.filter((r) => r.scenario.startsWith(build) && r.activation_ms != null).map((r) => r.activation_ms);
  if (activations("this build").length) {
    const [mine, base] = [activations("this build"), activations("baseline")];
    rows.push({
      row: "extension-activation",
      what: `extension activation (VS Code's own figure: loading the entry bundle + activate()), median of the ${mine.length} scenario${mine.length > 1 ? "s" : ""} run`,
      target: `≤ ${ACTIVATION_MS} ms`,
      headline: [{ name: "median", value: median(mine), unit: "ms", baseline: base.length ? median(base) : null }],
      met: median(mine) <= ACTIVATION_MS,
      figures: { activation_ms: mine, baseline_activation_ms: base },
    });
  }
  const sized = (build) => treeRuns.find((r) => r.scenario.startsWith(build) && r.vsix_mb != null);
  if (sized("this build")) {
    const [mine, base] = [sized("this build"), sized("baseline")];
    rows.push({
      row: "vsix-size",
      what: "VSIX size (linux-x64, frozen sidecar inside)",
      target: `≤ ${VSIX_MB} MB`,
      headline: [{ name: "", value: mine.vsix_mb, unit: "MB", baseline: base?.vsix_mb ?? null }],
      met: mine.vsix_mb <= VSIX_MB,
      figures: { vsix: mine.vsix },
    });
  }
  return rows;
}
