// Extension-level figures of the built VSIX in real VS Code (code-server + Chromium, same setup as tests/e2e):
//   - VSIX size
//   - activation: VS Code's own activation time of trackit.trackit (Developer: Show Running Extensions),
//     and activation -> sidecar serving (the extension's log channel vs TRACKIT_LOG_FILE)
//   - cell finished -> lineage tree shows it: p50/p95 over N executions (default 200) of one cell, run one
//     after another with the cell's run button. "Finished" is the controller's execution.end() time (extension host
//     clock), "shows it" is when a MutationObserver in the page sees the notebook row's run count reach that
//     execution (browser clock): both are Date.now() on this machine.
//
//   - with --facts N: the same on a new notebook whose cell is a pandas cell with runtime facts that change its row
//     (row counts in its description, known once the kernel's pushed facts are stored), N runs; also how many times
//     the tree was told of a change (onDidChangeTreeData) per run, from the latency trace's `fire` marks
//   - the same on a notebook that already has --history executions (2,000 by default: 50 earlier kernel
//     sessions written into the database before the editor opens it; the live runs are a new session)
//   - with --baseline-vsix PATH (e.g. main's dist/ VSIX), every scenario is measured with that build too, in
//     the same run, and the ratios printed
//   - where the time goes, for a build that writes the latency trace (TRACKIT_LATENCY_TRACE: extension/src/common/
//     latencyTrace.ts and trackit_sidecar/latency_trace.py, off unless the variable is set): each run's way from
//     the controller's end() to the row, part by part, p50/p95
//
//   npm run package && node bench/bench_extension.mjs [--executions 200] [--history 2000] [--histories 0,2000]
//     [--baseline-vsix PATH] [--keep-trace DIR] (each scenario's latency traces and runs kept in DIR/<scenario>/)
//     [--run-all CELLS [--run-all-rounds 5]] (also: Run All of CELLS trivial cells, cells finishing back to back; each
//     cell's end() -> the row counting it, and each round's last cell -> the row counting all; printed separately)
//     [--facts N] (also: the pandas-cell scenario, N runs, printed separately; --histories '' runs only it)
//     [--prefill-python PY] (a Python with the baseline's trackit_sidecar when the baseline's schema is older)
//     [--record] (also the README table's rows of the scenarios run, bench/results/<row>.json: bench/extension_rows.mjs)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { notebookJson } from "./notebook_json.mjs";
import { Harness, REPO_ROOT, waitFor } from "../tests/e2e/lib/harness.mjs";
import { extensionRows } from "./extension_rows.mjs";
import { RECORDING, rawResultsDir, recordRows } from "./record_rows.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EXECUTIONS = Number(arg("--executions", 200));
const HISTORY = Number(arg("--history", 2000));
const BASELINE_VSIX = arg("--baseline-vsix", undefined);
const HISTORIES = arg("--histories", `0,${HISTORY}`).split(",").filter((h) => h !== "").map(Number); // which scenarios ("": none)
const NOTEBOOK = "bench.ipynb";
const KEEP_TRACE = arg("--keep-trace", undefined); // a folder: each scenario's latency traces are copied there
const RUN_ALL = Number(arg("--run-all", 0)); // cells of the Run All scenario (0: not run)
const RUN_ALL_ROUNDS = Number(arg("--run-all-rounds", 5));
const FACTS_RUNS = Number(arg("--facts", 0)); // runs of the pandas-cell scenario (0: not run)
// One cell, re-run: the frame it cleans has a different length each run, so its facts (rows before -> after) and
// the row's description change every run, and only once the kernel's facts are in.
const TRIVIAL_CELL = 'n = globals().get("n", 0) + 1';
const FACTS_CELL = [
  "import pandas as pd\n",
  'n = globals().get("n", 0) + 1\n',
  'raw = pd.DataFrame({"a": [None if i % 3 == 0 else float(i) for i in range(10 + n % 7)]})\n',
  "clean = raw.dropna()",
].join("");

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function parseLogTime(line) {
  // "2026-11-29 19:10:00.820 [info] ..." (VS Code log) or "2026-11-29 19:11:28,833 INFO ..." (Python logging).
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)[.,](\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}.${m[3]}`).getTime() : null; // both are local time
}

function findFile(dir, name) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    } else if (entry.name === name) return full;
  }
  return null;
}

/** The notebook's earlier executions, straight into the database the extension will open: 50 kernel sessions
 * of 40 runs of nine cells. Written with --prefill-python (default: the repo's .venv) through the store's own
 * API, so a baseline build with an older schema can be given a database it opens (a newer sidecar migrates it). */
function prefill(dbPath, notebookPath, executions) {
  const python = arg("--prefill-python", path.join(REPO_ROOT, ".venv", "bin", "python"));
  const script = `
import sys, uuid, time
from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.store import Store
db, nb, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cells = ["import pandas as pd", "df = pd.read_csv('data.csv')", "df = df.dropna()", "df = df[df.a > 0]",
         "df['b'] = df.a * 2", "X = df.drop(columns=['y'])", "y = df['y']", "total = df.b.sum()", "print(total)"]
t0 = time.time() * 1000 - 86_400_000
events = []
for i in range(n):
    c = i % len(cells)
    events.append(p.CellExecution(event_id=str(uuid.uuid4()), notebook_uri="file://" + nb, notebook_path=nb,
        cell_id=f"old-{c}", cell_index=c, source=cells[c] + f"\\n# run {i % 7}", execution_order=i % 40 + 1,
        started_at=t0 + i * 1000, ended_at=t0 + i * 1000 + 12, status="ok"))
store = Store.open(db)
store.ingest(events, {p.source_sha256(e.source): analyze_source(e.source) for e in events})
store.close()
`;
  execFileSync(python, ["-c", script, dbPath, notebookPath, String(executions)], { cwd: REPO_ROOT, stdio: "inherit" });
}

/** The notebook editor re-renders its rows while it opens: an element found a moment ago can be detached. */
async function retryDetached(fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 5 || !/not attached|detached/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** `<phase> <key> <epoch ms>` lines of a latency trace file, in file order. */
function readTrace(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => {
    const [phase, key, at] = line.split(" ");
    return { phase, key, at: Number(at) };
  });
}

/** Each run's parts from the two traces: runs go one after another, so a run's marks are the first of each phase
 * after its end() (and, for the sidecar, those of the event id the extension sent). */
function breakdown(traceDir, runs) {
  const ext = readTrace(path.join(traceDir, "extension.trace"));
  const side = readTrace(path.join(traceDir, "sidecar.trace"));
  if (ext.length === 0) return null;
  const sideOf = new Map();
  for (const m of side) {
    const marks = sideOf.get(m.key) ?? {};
    if (marks[m.phase] === undefined) marks[m.phase] = m.at;
    sideOf.set(m.key, marks);
  }
  const parts = {};
  const add = (name, ms) => (parts[name] ??= []).push(ms);
  for (const { end, seen } of runs) {
    const after = (phase, t, key) => ext.find((m) => m.phase === phase && m.at >= t && m.at <= seen && (!key || key(m.key)));
    const ended = after("ended", end - 2);
    const sent = ended && after("sent", ended.at);
    if (!sent) continue;
    const changed = after("changed", sent.at, (k) => k.split(",").includes(sent.key));
    const repaint = changed && after("repaint", changed.at);
    const children = repaint && after("children", repaint.at);
    const s = sideOf.get(sent.key) ?? {};
    const chain = [["end()", end], ["ext: end seen", ended.at], ["ext: cellExecuted sent", sent.at],
      ["sidecar: received", s.received], ["sidecar: stored (durable)", s.written], ["sidecar: views appended", s.appended],
      ["sidecar: lineageChanged sent", s.sent], ["ext: lineageChanged in", changed?.at], ["ext: repaint fired", repaint?.at],
      ["ext: VS Code asks for rows", children?.at], ["browser: row shows it", seen]].filter(([, t]) => t !== undefined);
    for (let i = 1; i < chain.length; i++) add(`${chain[i - 1][0]} -> ${chain[i][0]}`, chain[i][1] - chain[i - 1][1]);
  }
  const out = {};
  for (const [name, xs] of Object.entries(parts)) {
    xs.sort((a, b) => a - b);
    out[name] = { n: xs.length, p50: +percentile(xs, 50).toFixed(1), p95: +percentile(xs, 95).toFixed(1) };
  }
  return out;
}

/** Record every change of the notebook row's run count with the browser's clock, in window.__trackitRuns. */
async function watchRunCount(page, notebook) {
  await page.evaluate((notebook) => {
    const pane = [...document.querySelectorAll(".pane")].find((p) => p.querySelector(".pane-header")?.textContent.includes("TrackIT Lineage"));
    window.__trackitRuns = [];
    const read = () => {
      for (const row of pane.querySelectorAll(".monaco-list-row")) {
        if (row.querySelector(".label-name")?.textContent.trim() !== notebook) continue;
        const m = /(\d+) runs?/.exec(row.querySelector(".label-description")?.textContent || "");
        if (m) return Number(m[1]);
      }
      return null;
    };
    let last = read();
    new MutationObserver(() => {
      const runs = read();
      if (runs !== null && runs !== last) {
        last = runs;
        window.__trackitRuns.push([Date.now(), runs]);
      }
    }).observe(pane, { subtree: true, childList: true, characterData: true, attributes: true });
  }, notebook);
}

/** Each execution's end() -> the first time the notebook row counted it; executions `from` on (0-based). */
function endToRow(done, observed, from, history) {
  const timeline = [];
  for (let i = from; i < done.length; i++) {
    const seen = observed.find(([, runs]) => runs >= history + i + 1);
    if (seen) timeline.push({ end: done[i].end, seen: seen[0] });
  }
  return timeline;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { executions: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1], min: sorted[0] };
}

/** The build the next Harness installs: `vsix`, or this repo's dist/ VSIX. */
function useVsix(vsix) {
  if (vsix) process.env.TRACKIT_VSIX = vsix;
  else delete process.env.TRACKIT_VSIX;
}

/** A scenario that failed: its figures say so in one line, the harness's diagnosis goes to stderr. */
async function failed(h, name, figures, err) {
  console.error((await h.diagnose(name, err)).message);
  process.exitCode = 1;
  figures.error = String(err).split("\n")[0];
}

/** How many times the tree was told of a change (`fire` marks) between each run's end() and the next run's. */
function firesPerRun(traceDir, runs) {
  const fires = readTrace(path.join(traceDir, "extension.trace")).filter((m) => m.phase === "fire").map((m) => m.at);
  const counts = runs.map(({ end }, i) => {
    const until = i + 1 < runs.length ? runs[i + 1].end : Infinity;
    return fires.filter((at) => at >= end && at < until).length;
  });
  const histogram = {};
  for (const c of counts) histogram[c] = (histogram[c] ?? 0) + 1;
  return { mean: +(counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)).toFixed(2), runs_by_changes: histogram };
}

async function scenario(label, history, vsix, cell = TRIVIAL_CELL, executions = EXECUTIONS) {
  useVsix(vsix);
  const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), "trackit-trace-"));
  process.env.TRACKIT_LATENCY_TRACE = traceDir; // inherited by code-server, its extension host and the sidecar
  const h = new Harness({
    name: "bench",
    populate: (ws) => {
      fs.writeFileSync(path.join(ws, NOTEBOOK), notebookJson([cell]));
      if (history > 0) prefill(h.dbPath, path.join(ws, NOTEBOOK), history);
    },
  });
  const figures = { scenario: label, history, cell: cell === FACTS_CELL ? "pandas" : "trivial" };
  try {
    await h.start();
    figures.vsix = h.tools.vsix;
    figures.vsix_mb = +(fs.statSync(h.tools.vsix).size / 1048576).toFixed(1);

    await h.openNotebook(NOTEBOOK);
    const cellLine = await retryDetached(() => h.notebookLine("globals()"));
    const page = h.page;
    // The cell's own run button (left gutter), as a user would click it.
    const runButton = page.locator(".notebookOverlay .code-cell-row .run-button-container .action-label").first();
    const runCell = () => retryDetached(async () => {
      await cellLine.hover();
      await runButton.click();
    });

    // First run: kernel start + extension activation + sidecar start; not part of the latency figures.
    await runCell();
    await h.waitForExecutions(NOTEBOOK, 1, 120000);
    await h.showLineageView();
    await waitFor(async () => (await h.lineageRows()).some((r) => r.startsWith(`${NOTEBOOK} |`) && new RegExp(`\\b${history + 1} runs?\\b`).test(r)), {
      timeout: 60000, message: "the notebook in the lineage tree with its first run",
    });

    await watchRunCount(page, NOTEBOOK);

    for (let i = 2; i <= executions + 1; i++) {
      await runCell();
      await page.waitForFunction((n) => window.__trackitRuns.some(([, runs]) => runs >= n), history + i, { timeout: 30000, polling: 20 });
    }
    const observed = await page.evaluate(() => window.__trackitRuns);
    const timeline = endToRow(h.doneExecutions(NOTEBOOK), observed, 1, history); // the first run is not measured
    figures.parts_ms = breakdown(traceDir, timeline);
    if (KEEP_TRACE) Object.defineProperty(figures, "timeline", { value: timeline, enumerable: false });
    if (figures.parts_ms) {
      console.log(`[${label}] where the time goes (p50 / p95 ms):`);
      for (const [name, f] of Object.entries(figures.parts_ms)) console.log(`    ${name.padEnd(62)} ${String(f.p50).padStart(7)} ${String(f.p95).padStart(7)}  (n=${f.n})`);
    }
    figures.tree_latency_ms = summary(timeline.map((t) => t.seen - t.end));
    figures.tree_changes_per_run = firesPerRun(traceDir, timeline);
    console.log(`[${label}] cell end -> tree p50 ${figures.tree_latency_ms.p50} ms, p95 ${figures.tree_latency_ms.p95} ms (n=${timeline.length}); ` +
      `tree changes per run: mean ${figures.tree_changes_per_run.mean}, runs by changes ${JSON.stringify(figures.tree_changes_per_run.runs_by_changes)}`);
    await h.screenshot(`bench-${label.replace(/\W+/g, "-")}`);

    // VS Code's own measurement of activate(); a figure we read off its UI, so a changed layout must not lose the rest.
    try {
      await h.runCommand("Developer: Show Running Extensions");
      const row = page
        .locator(".runtime-extensions-editor .monaco-list-row", { hasText: /TrackIT\s*\d+\.\d+\.\d+/ })
        .filter({ hasNotText: /Test Kernel/ })
        .first();
      await row.waitFor({ state: "visible", timeout: 20000 });
      const rowText = (await row.innerText()).replace(/\s+/g, " ");
      const activation = /(?:Activation|activation)[^0-9]*(\d+)\s*ms|(\d+)\s*ms/.exec(rowText);
      figures.activation_ms = activation ? Number(activation[1] || activation[2]) : null;
    } catch (error) {
      figures.activation_ms = null;
      console.log(`activation time unavailable: ${String(error).split("\n")[0]}`);
    }

    // activation start (extension log) -> sidecar serving (sidecar log)
    const extLog = findFile(path.join(h.userData, "logs"), "TrackIT.log");
    const activating = extLog && fs.readFileSync(extLog, "utf8").split("\n").find((l) => /activating/i.test(l));
    const serving = fs.readFileSync(h.logFile, "utf8").split("\n").find((l) => /serving|opened/.test(l));
    if (activating && serving) figures.activation_to_sidecar_ready_ms = parseLogTime(serving) - parseLogTime(activating);
  } catch (err) {
    await failed(h, "bench", figures, err);
  } finally {
    await h.close();
    delete process.env.TRACKIT_LATENCY_TRACE;
    if (KEEP_TRACE) {
      const kept = path.join(KEEP_TRACE, label.replace(/\W+/g, "-"));
      fs.mkdirSync(kept, { recursive: true });
      fs.cpSync(traceDir, kept, { recursive: true });
      fs.writeFileSync(path.join(kept, "runs.json"), JSON.stringify(figures.timeline ?? []));
    }
    fs.rmSync(traceDir, { recursive: true, force: true });
  }
  return figures;
}

/** Run All of RUN_ALL trivial cells, RUN_ALL_ROUNDS times after a first one (kernel start, activation). */
async function runAllScenario(label, vsix) {
  useVsix(vsix);
  const file = "runall.ipynb";
  const h = new Harness({
    name: "bench-runall",
    populate: (ws) => fs.writeFileSync(path.join(ws, file), notebookJson(Array.from({ length: RUN_ALL }, (_, i) => `v${i} = ${i}`))),
  });
  const figures = { scenario: label, cells: RUN_ALL, rounds: RUN_ALL_ROUNDS };
  try {
    await h.start();
    await h.openNotebook(file);
    await h.runAllCells();
    await h.waitForExecutions(file, RUN_ALL, 120000);
    await h.showLineageView();
    await waitFor(async () => (await h.lineageRows()).some((r) => r.startsWith(`${file} |`) && new RegExp(`\\b${RUN_ALL} runs\\b`).test(r)), {
      timeout: 60000, message: "the notebook in the lineage tree with its first Run All",
    });
    await watchRunCount(h.page, file);
    for (let round = 2; round <= RUN_ALL_ROUNDS + 1; round++) {
      await h.runAllCells();
      await h.page.waitForFunction((n) => window.__trackitRuns.some(([, runs]) => runs >= n), round * RUN_ALL, { timeout: 60000, polling: 20 });
    }
    const timeline = endToRow(h.doneExecutions(file), await h.page.evaluate(() => window.__trackitRuns), RUN_ALL, 0);
    figures.cell_latency_ms = summary(timeline.map((t) => t.seen - t.end));
    figures.round_latency_ms = summary(timeline.filter((_, i) => i % RUN_ALL === RUN_ALL - 1).map((t) => t.seen - t.end));
    const gaps = timeline.slice(1).map((t, i) => t.end - timeline[i].end).filter((_, i) => (i + 1) % RUN_ALL !== 0);
    figures.cell_end_gap_ms = summary(gaps);
  } catch (err) {
    await failed(h, "bench-runall", figures, err);
  } finally {
    await h.close();
  }
  return figures;
}

const runs = [];
const builds = BASELINE_VSIX ? [["this build", undefined], ["baseline", BASELINE_VSIX]] : [["this build", undefined]];
for (const history of HISTORIES) {
  for (const [build, vsix] of builds) {
    runs.push(await scenario(`${build}, ${history} earlier executions`, history, vsix));
  }
}
if (FACTS_RUNS > 0) {
  for (const [build, vsix] of builds) runs.push(await scenario(`${build}, pandas cell with facts`, 0, vsix, FACTS_CELL, FACTS_RUNS));
}
const runAlls = [];
if (RUN_ALL > 0) for (const [build, vsix] of builds) runAlls.push(await runAllScenario(`${build}, Run All of ${RUN_ALL} cells`, vsix));
console.log(JSON.stringify([...runs, ...runAlls], null, 2));
for (const r of runs) {
  const t = r.tree_latency_ms;
  console.log(`${r.scenario}: ${t ? `cell end -> tree p50 ${t.p50} ms, p95 ${t.p95} ms (n=${t.executions})` : `failed: ${r.error}`}` +
    (t ? `; tree changes per run: mean ${r.tree_changes_per_run.mean} ${JSON.stringify(r.tree_changes_per_run.runs_by_changes)}` : "") +
    `; activate() ${r.activation_ms} ms; activation -> sidecar ready ${r.activation_to_sidecar_ready_ms} ms; VSIX ${r.vsix_mb} MB`);
}
if (BASELINE_VSIX) {
  const compared = [...HISTORIES.map((h) => [`${h} earlier executions`, h, "trivial"]), ...(FACTS_RUNS > 0 ? [["pandas cell with facts", 0, "pandas"]] : [])];
  for (const [name, history, cell] of compared) {
    const of = (build) => runs.find((r) => r.history === history && r.cell === cell && r.scenario.startsWith(build))?.tree_latency_ms;
    const [mine, base] = [of("this build"), of("baseline")];
    if (mine && base) console.log(`${name}: p95 ${mine.p95} vs baseline ${base.p95} ms (x${(mine.p95 / base.p95).toFixed(2)}), p50 ${mine.p50} vs ${base.p50} ms (x${(mine.p50 / base.p50).toFixed(2)})`);
  }
}
for (const r of runAlls) {
  const [c, l, g] = [r.cell_latency_ms, r.round_latency_ms, r.cell_end_gap_ms];
  console.log(`${r.scenario} x${r.rounds}: ${c ? `each cell end -> tree p50 ${c.p50} ms, p95 ${c.p95} ms (n=${c.executions}); ` +
    `last cell -> tree p50 ${l.p50} ms, max ${l.max} ms (n=${l.executions}); cells ended ${g.p50} ms apart (p50)` : `failed: ${r.error}`}`);
}
fs.writeFileSync(path.join(rawResultsDir(), `extension-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify([...runs, ...runAlls], null, 2));
if (RECORDING) {
  const e2e = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tests", "e2e", "package.json"), "utf8"));
  recordRows("bench/bench_extension.mjs", extensionRows(runs, runAlls, { histories: HISTORIES, executions: EXECUTIONS, factsRuns: FACTS_RUNS, runAll: RUN_ALL, runAllRounds: RUN_ALL_ROUNDS }),
    { baseline: BASELINE_VSIX ?? null, machine: { code_server: e2e.trackitE2e.codeServerVersion } });
}
