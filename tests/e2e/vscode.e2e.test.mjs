// End-to-end: the built VSIX (dist/trackit-<platform>-*.vsix, from `npm run package`) in real VS Code
// (code-server 4.100.3 = VS Code 1.100) driven by Debian's Chromium through playwright-core. Cells run in a
// real ipykernel through the test-only controller (test-controller/ + kernel_bridge.py).
//
//   node --test --test-concurrency=1 tests/e2e/vscode.e2e.test.mjs
//
// Prerequisites (scripts/setup_e2e.sh): code-server, chromium, tests/e2e/node_modules. If any is missing the
// tests FAIL with what to run; they never skip. Screenshots go to test-artifacts/e2e/.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Harness, REPO_ROOT, E2E_DIR, kernelHasProbe, lineageJson, readControllerLog, sidecarPids, waitFor } from "./lib/harness.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The bundled example when it exists; our own small pandas notebook otherwise. Each names a filtering cell
// (hover must show its row delta) and what the tree and the summary must mention.
const TITANIC = path.join(REPO_ROOT, "examples", "titanic", "preprocess.ipynb");
const EXAMPLE = fs.existsSync(TITANIC)
  ? {
      source: path.join(REPO_ROOT, "examples"),
      notebook: "preprocess.ipynb",
      relative: path.join("titanic", "preprocess.ipynb"),
      filterLine: 'df = df[df["Embarked"].notna()]',
      // the summary's Problems on the cell: its median fill learned from the rows cell 22's split sets apart
      problem: { line: 'df["Age"] = df["Age"].fillna(', text: /train\/test leakage\) \(with cell 22\)/, statusBar: "1 problem" },
      variables: ["passengers", "tickets", "df", "model", "accuracy"],
      // the files, then the columns of its filter (Embarked), join (Ticket) and derived feature (FamilySize)
      summaryMentions: ["preprocess.ipynb", "passengers.csv", "tickets.csv", "Embarked", "Ticket", "FamilySize"],
    }
  : {
      source: path.join(E2E_DIR, "fixtures"),
      notebook: "clean_sales.ipynb",
      relative: path.join("sales", "clean_sales.ipynb"),
      filterLine: 'sales = orders[orders["amount"] > 0]',
      variables: ["orders", "sales", "by_region"],
      summaryMentions: ["clean_sales.ipynb", "sales.csv", "amount", "unit_price", "by_region"],
    };

function codeCellCount(notebookPath) {
  const nb = JSON.parse(fs.readFileSync(notebookPath, "utf8"));
  return nb.cells.filter((c) => c.cell_type === "code").length;
}

/** Text of the first webview frame (Markdown preview, notebook outputs: page -> iframe -> #active-frame) matching `pattern`. */
async function webviewText(page, pattern) {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.locator("body").first().innerText({ timeout: 500 }).catch(() => "");
    if (pattern.test(text)) return text;
  }
  return "";
}

test("example notebook: lineage tree, hover annotation, summary", { timeout: 420000 }, async () => {
  const h = new Harness({ name: "example", populate: (ws) => fs.cpSync(EXAMPLE.source, ws, { recursive: true }) });
  try {
    await h.start();
    const notebookPath = path.join(h.ws, EXAMPLE.relative);
    const cells = codeCellCount(notebookPath);
    await h.openNotebook(EXAMPLE.notebook);
    await h.runAllCells();
    await h.waitForExecutions(EXAMPLE.notebook, cells);

    // The sidecar that runs is the FROZEN one shipped in the VSIX, not a Python fallback.
    const pids = await waitFor(() => sidecarPids(h.dbPath).length && sidecarPids(h.dbPath), { message: "a running sidecar" });
    const argv0 = fs.readFileSync(`/proc/${pids[0]}/cmdline`, "utf8").split("\0")[0];
    assert.match(argv0, /sidecar-bin[\\/]trackit[\\/]trackit(\.exe)?$/, `sidecar is not the bundled binary: ${argv0}`);

    // ---- lineage tree: one row per execution, and the variables they read/write
    const pane = await h.showLineageView();
    const runsRow = await waitFor(
      async () => (await h.lineageRows()).find((r) => new RegExp(`^${EXAMPLE.notebook} \\|.*\\b${cells} runs?\\b`).test(r)),
      { timeout: 60000, message: `the lineage tree to show ${EXAMPLE.notebook} with ${cells} runs` },
    );
    assert.ok(runsRow);
    // Expand the executions (their children are the variables read and written), not the ancestry below.
    const rows = await h.walkLineageTree((text) => /^\[\d+\] /.test(text) || /session/i.test(text) || text.startsWith(EXAMPLE.notebook));
    for (let n = 1; n <= cells; n++) {
      assert.ok(rows.some((r) => r.startsWith(`[${n}] `)), `no tree row for execution [${n}]; rows: ${rows.slice(0, 40).join(" | ")}`);
    }
    for (const variable of EXAMPLE.variables) {
      assert.ok(
        rows.some((r) => new RegExp(`^writes: ${variable}( \\||$)`).test(r)),
        `the tree shows no "writes: ${variable}"; rows: ${rows.slice(0, 60).join(" | ")}`,
      );
    }
    await h.page.keyboard.press("Home"); // the walk left the tree focused at its bottom
    await h.screenshot("tree");

    // ---- hover over the filtering cell's code: TrackIT annotation with the row delta
    // From the FIRST Run All in a fresh kernel: the controller announces its kernel as it starts
    // (trackit.notebookKernel) and the sidecar installs its probe then, before the queued cells run.
    const line = await h.notebookLine(EXAMPLE.filterLine);
    const hoverText = await waitFor(
      async () => {
        await h.page.mouse.move(0, 0);
        await line.locator("span > span").first().hover();
        const hover = h.page.locator(".monaco-hover:visible", { hasText: "TrackIT" }).first();
        await hover.waitFor({ state: "visible", timeout: 3000 });
        const text = await hover.innerText();
        // Runtime facts reach the hover after the kernel is probed: retry until the row delta is there.
        return /rows?/i.test(text) && /[−-]\s?\d/.test(text) ? text : null;
      },
      { timeout: 45000, interval: 1000, message: `a TrackIT hover with a row delta ("rows", −n) over \`${EXAMPLE.filterLine}\`` },
    ).catch(async (err) => {
      const shown = await h.page.locator(".monaco-hover:visible").allInnerTexts().catch(() => []);
      err.message += `\nhover shown: ${JSON.stringify(shown)}`;
      throw err;
    });
    assert.match(hoverText, /TrackIT/);
    await h.screenshot("hover");

    // ---- a problem the summary finds, on the cell it is about: the hover's ⚠ section and the cell's status bar
    if (EXAMPLE.problem) {
      const fill = await h.notebookLine(EXAMPLE.problem.line);
      const problemHover = await waitFor(
        async () => {
          await h.page.mouse.move(0, 0);
          await fill.locator("span > span").first().hover();
          const hover = h.page.locator(".monaco-hover:visible", { hasText: "TrackIT" }).first();
          await hover.waitFor({ state: "visible", timeout: 3000 });
          const text = await hover.innerText();
          return EXAMPLE.problem.text.test(text) ? text : null;
        },
        { timeout: 45000, interval: 1000, message: `a TrackIT hover saying ${EXAMPLE.problem.text} over \`${EXAMPLE.problem.line}\`` },
      );
      assert.match(problemHover, /problems/);
      const statusBars = await h.page.locator(".cell-statusbar-container").allInnerTexts();
      assert.equal(statusBars.filter((t) => t.includes(EXAMPLE.problem.statusBar)).length >= 1, true, `status bars: ${JSON.stringify(statusBars)}`);
      await h.screenshot("problem-hover");
    }

    // ---- F1 "TrackIT: Summarize notebook": a summary naming the notebook's steps
    await h.page.mouse.move(0, 0);
    await h.runCommand("TrackIT: Summarize notebook");
    const summary = await waitFor(
      async () => {
        const text = await webviewText(h.page, /session|executions?/i);
        return EXAMPLE.summaryMentions.every((m) => text.includes(m)) ? text : null;
      },
      { timeout: 60000, interval: 1000, message: `a summary preview mentioning ${EXAMPLE.summaryMentions.join(", ")}` },
    );
    assert.ok(summary.length > 200, "summary is suspiciously short");
    await h.screenshot("summary");
  } catch (err) {
    throw await h.diagnose("example", err);
  } finally {
    await h.close();
  }
});

test("50 cells, sidecar killed mid-run: restarted, nothing lost, nothing doubled", { timeout: 420000 }, async () => {
  const CELLS = 50;
  const KILL_AFTER = 20;
  const notebookName = "fifty.ipynb";
  const h = new Harness({
    name: "crash",
    populate: (ws) => {
      const cells = [];
      for (let i = 0; i < CELLS; i++) {
        // ~0.2 s a cell keeps the run long enough to kill the sidecar in the middle of it.
        const source = i === 0 ? "import time\nv0 = 0" : `time.sleep(0.2)\nv${i} = v${i - 1} + 1`;
        cells.push({ cell_type: "code", id: `cell-${String(i).padStart(2, "0")}`, metadata: {}, execution_count: null, outputs: [], source });
      }
      const nb = {
        cells,
        metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" }, language_info: { name: "python" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      fs.writeFileSync(path.join(ws, notebookName), JSON.stringify(nb, null, 1));
    },
  });
  try {
    await h.start();
    const notebookPath = path.join(h.ws, notebookName);
    await h.openNotebook(notebookName);
    await h.runAllCells();

    await h.waitForExecutions(notebookName, KILL_AFTER);
    const before = sidecarPids(h.dbPath);
    assert.equal(before.length, 1, `expected one sidecar serving ${h.dbPath}, found ${JSON.stringify(before)}`);
    process.kill(before[0], "SIGKILL");
    const killedAt = h.doneExecutions(notebookName).length;
    assert.ok(killedAt < CELLS, `the run was already over (${killedAt} done) when the sidecar was killed`);

    await h.waitForExecutions(notebookName, CELLS);
    const restarted = await waitFor(
      () => {
        const now = sidecarPids(h.dbPath).filter((pid) => pid !== before[0]);
        return now.length ? now : null;
      },
      { timeout: 90000, message: "the extension to restart the killed sidecar" },
    );
    assert.equal(restarted.length, 1, `more than one sidecar after restart: ${restarted}`);

    // Re-sent events are durable once the tree (fed by trackit/lineageChanged) counts all of them.
    await h.showLineageView();
    await waitFor(
      async () => {
        const row = (await h.lineageRows()).find((r) => r.startsWith(`${notebookName} |`));
        const runs = Number(/(\d+) runs?\b/.exec(row || "")?.[1] || 0);
        if (runs > CELLS) throw new Error(`the tree counts ${runs} runs for ${CELLS} cells: duplicates stored`);
        return runs === CELLS;
      },
      { timeout: 90000, interval: 500, message: `the lineage tree to count ${CELLS} runs after the restart` },
    );
    await h.screenshot("crash-tree");

    await h.stopCodeServer();
    await waitFor(() => sidecarPids(h.dbPath).length === 0, { timeout: 20000, message: "the sidecar to exit with code-server" });

    const doc = lineageJson(h.tools.python, notebookPath, h.dbPath);
    const executions = doc.executions;
    const perCell = new Map();
    for (const e of executions) perCell.set(e.cell_id, (perCell.get(e.cell_id) || 0) + 1);
    const doubled = [...perCell].filter(([, n]) => n > 1);
    assert.deepEqual(doubled, [], `cells stored more than once: ${JSON.stringify(doubled)}`);
    assert.equal(executions.length, CELLS, `stored ${executions.length} executions, expected ${CELLS}`);
    assert.equal(perCell.size, CELLS, `stored executions of ${perCell.size} distinct cells, expected ${CELLS}`);
    const expectedIds = Array.from({ length: CELLS }, (_, i) => `cell-${String(i).padStart(2, "0")}`);
    assert.deepEqual([...perCell.keys()].sort(), expectedIds);
  } catch (err) {
    throw await h.diagnose("crash", err);
  } finally {
    await h.close();
  }
});

test("outputs reach the store: stream, image/png, error (and Run All stops at the error)", { timeout: 300000 }, async () => {
  const notebookName = "outputs.ipynb";
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  const sources = [
    'print("hello from the kernel")',
    `import base64\nfrom IPython.display import display\ndisplay({"image/png": base64.b64decode("${png}")}, raw=True)`,
    "1 / 0",
    "never_runs = 1",
  ];
  const h = new Harness({
    name: "outputs",
    populate: (ws) => {
      const cells = sources.map((source, i) => ({ cell_type: "code", id: `out-${i}`, metadata: {}, execution_count: null, outputs: [], source }));
      const nb = { cells, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }, nbformat: 4, nbformat_minor: 5 };
      fs.writeFileSync(path.join(ws, notebookName), JSON.stringify(nb));
    },
  });
  try {
    await h.start();
    await h.openNotebook(notebookName);
    await h.runAllCells();
    const done = await h.waitForExecutions(notebookName, 3, 120000, { allowErrors: true });
    assert.deepEqual(done.map((e) => e.status), ["ok", "ok", "error"]);
    // VS Code renders the error output (in the notebook's output webview).
    await waitFor(() => webviewText(h.page, /ZeroDivisionError: division by zero/), { timeout: 20000, message: "the rendered error output" });
    await h.showLineageView();
    await waitFor(async () => (await h.lineageRows()).some((r) => r.startsWith(`${notebookName} |`) && /\b3 runs\b/.test(r)), {
      timeout: 60000, message: "the lineage tree to count 3 runs",
    });
    await h.screenshot("outputs");
    await sleep(500);
    await h.stopCodeServer();
    await waitFor(() => sidecarPids(h.dbPath).length === 0, { timeout: 20000, message: "the sidecar to exit with code-server" });

    const doc = lineageJson(h.tools.python, path.join(h.ws, notebookName), h.dbPath);
    const byCell = Object.fromEntries(doc.executions.map((e) => [e.cell_id, e]));
    assert.deepEqual(Object.keys(byCell).sort(), ["out-0", "out-1", "out-2"], "cell out-3 must not run after the error");
    const stream = byCell["out-0"].outputs.find((o) => o.output_type === "stream");
    assert.ok(stream && stream.text.includes("hello from the kernel"), `no stream output: ${JSON.stringify(byCell["out-0"].outputs)}`);
    const image = byCell["out-1"].outputs.find((o) => o.mime === "image/png");
    assert.ok(image && image.size === Buffer.from(png, "base64").length, `no image/png output: ${JSON.stringify(byCell["out-1"].outputs)}`);
    assert.equal(byCell["out-2"].status, "error");
    assert.equal(byCell["out-2"].error?.name, "ZeroDivisionError");
    // The kernel is named as the controller announced it, and the facts came from that kernel.
    const announced = readControllerLog(h.controllerLog).find((e) => e.event === "kernel_announced");
    assert.ok(announced && announced.accepted === true, "the controller announced its kernel and TrackIT accepted it");
    assert.equal(doc.sessions.length, 1);
    assert.equal(doc.sessions[0].kernel_name, "python3");
    assert.match(doc.sessions[0].kernel_display_name ?? "", /^Python 3/);
    assert.deepEqual(doc.executions.map((e) => [e.runtime_status, e.runtime_evidence]), Array(3).fill(["captured", "announced"]));
  } catch (err) {
    throw await h.diagnose("outputs", err);
  } finally {
    await h.close();
  }
});

test("a kernel nobody announced is left alone, and the tree says so", { timeout: 300000 }, async () => {
  // The controller runs the kernel under the editor but tells TrackIT nothing, and nothing sets
  // __vsc_ipynb_file__: TrackIT cannot tie it to the notebook, so it must not touch it.
  const notebookName = "unannounced.ipynb";
  const sources = [
    "import pandas as pd\nframe = pd.DataFrame({'a': range(6)})",
    "frame = frame[frame.a > 2]\nlen(frame)",
  ];
  const h = new Harness({
    name: "unannounced",
    env: { TRACKIT_E2E_ANNOUNCE: "0" },
    populate: (ws) => {
      const cells = sources.map((source, i) => ({ cell_type: "code", id: `un-${i}`, metadata: {}, execution_count: null, outputs: [], source }));
      const nb = { cells, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }, nbformat: 4, nbformat_minor: 5 };
      fs.writeFileSync(path.join(ws, notebookName), JSON.stringify(nb));
    },
  });
  try {
    await h.start();
    await h.openNotebook(notebookName);
    await h.runAllCells();
    await h.waitForExecutions(notebookName, sources.length);
    await h.showLineageView();
    // The session (latest: expanded) says it once, as its first row, above its runs.
    const rows = await waitFor(
      async () => {
        const all = await h.lineageRows();
        const at = all.findIndex((r) => r.startsWith("runtime facts unavailable (kernel not identified)"));
        return at > 0 && /^Session 1 .*\| Python 3/.test(all[at - 1]) && /^\[1\] Cell 1/.test(all[at + 1] || "") ? all : null;
      },
      { timeout: 60000, message: "a row under the session saying runtime facts are unavailable (kernel not identified)" },
    );
    assert.ok(rows);
    await h.screenshot("unannounced-tree");
    const ready = readControllerLog(h.controllerLog).find((e) => e.event === "kernel_ready");
    assert.ok(ready && ready.connection_file, "the controller logged its kernel");
    assert.equal(readControllerLog(h.controllerLog).filter((e) => e.event === "kernel_announced").length, 0);
    assert.equal(kernelHasProbe(h.tools.python, ready.connection_file), false, "TrackIT touched a kernel it could not tie");
    await h.stopCodeServer();
    await waitFor(() => sidecarPids(h.dbPath).length === 0, { timeout: 20000, message: "the sidecar to exit with code-server" });

    const doc = lineageJson(h.tools.python, path.join(h.ws, notebookName), h.dbPath);
    assert.deepEqual(doc.executions.map((e) => e.runtime_status), ["kernel_not_identified", "kernel_not_identified"]);
    assert.deepEqual(doc.executions.flatMap((e) => e.runtime), [], "no facts from any kernel");
    assert.equal(doc.sessions[0].runtime_status, "kernel_not_identified");
  } catch (err) {
    throw await h.diagnose("unannounced", err);
  } finally {
    await h.close();
  }
});
