// End-to-end (issue 8): records that tell the truth, in real VS Code (code-server) with the built VSIX and a
// real ipykernel (test-controller + kernel_bridge.py). A merge/join notebook with empty code cells and a
// markdown-only section: Run All is ONE session; a filter edited into a typo fails and the tree, the hover and
// the record carry only what it did; fixed and re-run, it is measured against its input (2,476 -> 495 rows);
// editing the merge above it marks it and what used its result stale. Screenshots of the tree and the hover
// after the failed run and after the re-run, and of the stale tree, go to test-artifacts/e2e/records-*.png.
//
//   node --test --test-concurrency=1 tests/e2e/records.e2e.test.mjs     (after `npm run package`)
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Harness, lineageJson, sidecarPids, waitFor } from "./lib/harness.mjs";

const NOTEBOOK = "merge_join.ipynb";
const FILTER = "data2010 = final.query('year == 2010')";
const TYPO = "data2010 = final.query('yeer >= 2010')";
const WIDER = "data2010 = final.query('year >= 2010')";
const MERGE = "final = left.merge(right, on='id')";
const MERGE_EDITED = "final = left.merge(right, on='id', how='inner')";

// id, kind, source. The empty code cells: one opening a section, two in a row, one at the end.
const CELLS = [
  ["m0", "markdown", "# Merge and join\nTwo tables joined on `id`."],
  ["c1", "code", "import pandas as pd"],
  ["c2", "code", ""],
  ["c3", "code", "left = pd.read_csv('left.csv')"],
  ["c4", "code", "right = pd.read_csv('right.csv')"],
  ["m5", "markdown", "## Joining\nOnly text in this section."],
  ["c6", "code", ""],
  ["c7", "code", ""],
  ["c8", "code", MERGE],
  ["c9", "code", FILTER],
  ["c10", "code", "n2010 = len(data2010)"],
  ["c11", "code", ""],
];
const FILTER_INDEX = CELLS.findIndex(([id]) => id === "c9");

function populate(ws) {
  const cells = CELLS.map(([id, kind, source]) => ({
    id, cell_type: kind, metadata: {}, source, ...(kind === "code" ? { execution_count: null, outputs: [] } : {}),
  }));
  const nb = { cells, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }, nbformat: 4, nbformat_minor: 5 };
  fs.writeFileSync(path.join(ws, NOTEBOOK), JSON.stringify(nb, null, 1));
  const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join("\n") + "\n";
  fs.writeFileSync(path.join(ws, "left.csv"), "id,year\n" + rows(3000, (i) => `${i},${1990 + (i % 25)}`));
  fs.writeFileSync(path.join(ws, "right.csv"), "id,pop\n" + rows(2476, (i) => `${i},${i * 10}`));
}

/** Replace a cell's whole text in the notebook editor (no auto-closing quotes: the text goes in as typed). */
async function replaceCell(h, currentLine, text) {
  const line = await h.notebookLine(currentLine);
  await line.click();
  await h.page.keyboard.press("Control+A");
  await h.page.keyboard.insertText(text);
}

/** The TrackIT hover over a cell's line, once `ready(text)` holds. */
async function hoverOver(h, lineText, ready, what) {
  const line = await h.notebookLine(lineText);
  return waitFor(
    async () => {
      await h.page.mouse.move(0, 0);
      await line.locator("span > span").first().hover();
      const hover = h.page.locator(".monaco-hover:visible", { hasText: "TrackIT" }).first();
      await hover.waitFor({ state: "visible", timeout: 3000 });
      const text = await hover.innerText();
      return ready(text) ? text : null;
    },
    { timeout: 60000, interval: 1000, message: what },
  ).catch(async (err) => {
    const shown = await h.page.locator(".monaco-hover:visible").allInnerTexts().catch(() => []);
    err.message += `\nhover shown: ${JSON.stringify(shown)}`;
    throw err;
  });
}

async function treeRow(h, pattern, what) {
  await h.showLineageView();
  return waitFor(async () => (await h.lineageRows()).find((r) => pattern.test(r)), { timeout: 60000, interval: 500, message: what })
    .catch(async (err) => {
      err.message += `\ntree rows: ${JSON.stringify(await h.lineageRows().catch(() => []))}`;
      throw err;
    });
}

const doneAt = (h, index) => h.doneExecutions(NOTEBOOK).filter((e) => e.cell_index === index);

test("issue 8 in the editor: one session over empty cells, a failed run, a re-run, stale after an edit", { timeout: 600000 }, async () => {
  const h = new Harness({ name: "records", populate });
  try {
    await h.start();
    await h.openNotebook(NOTEBOOK);

    // ---- Run All over empty cells and a markdown-only section: one session
    await h.runAllCells();
    const codeCells = CELLS.filter(([, kind]) => kind === "code").length;
    await waitFor(() => h.doneExecutions(NOTEBOOK).length === codeCells, { timeout: 180000, message: `Run All over ${codeCells} code cells` });
    const ran = h.doneExecutions(NOTEBOOK);
    assert.ok(ran.every((e) => e.status === "ok"), JSON.stringify(ran));
    const rootRow = await treeRow(h, new RegExp(`^${NOTEBOOK} \\| 1 session · ${ran.length} runs$`),
      `the tree to show ${NOTEBOOK} with 1 session and ${ran.length} runs`);
    assert.ok(rootRow);

    // ---- the filter edited into a typo and run: it fails
    await replaceCell(h, FILTER, TYPO);
    await h.runCommand("Notebook: Execute Cell");
    await waitFor(() => doneAt(h, FILTER_INDEX).some((e) => e.status === "error"), { timeout: 60000, message: "the typo to fail" });
    const failedRow = await treeRow(h, /^\[\d+\] Cell 10 \| error: UndefinedVariableError/, "the failed run in the tree");
    await h.page.mouse.move(0, 0);
    await h.screenshot("records-failed-tree");
    const failedHover = await hoverOver(h, TYPO, (t) => /UndefinedVariableError/.test(t), "a hover for the failed run");
    const headline = failedHover.split("\n").find((l) => l.trim()) || "";
    assert.match(headline, /failed.*UndefinedVariableError/, `the hover does not lead with the error: ${failedHover}`);
    assert.doesNotMatch(failedHover, /\u2192|rows \u00d7/, `the failed run's hover shows row counts: ${failedHover}`);
    assert.match(failedHover, /[Nn]o data changed before the error/);
    await h.screenshot("records-failed-hover");

    // ---- fixed with a wider condition and run again: measured against its input, not the previous result
    await h.page.mouse.move(0, 0);
    await h.page.keyboard.press("Escape");
    await replaceCell(h, TYPO, WIDER);
    await h.runCommand("Notebook: Execute Cell");
    await waitFor(() => doneAt(h, FILTER_INDEX).filter((e) => e.status === "ok").length === 2, { timeout: 60000, message: "the re-run" });
    const rerunHover = await hoverOver(h, WIDER, (t) => /2,476 \u2192 495 rows/.test(t),
      "the re-run's hover to say 2,476 → 495 rows (final's rows before, data2010's after)");
    assert.doesNotMatch(rerunHover, /99 \u2192 495/);
    await h.screenshot("records-rerun-hover");
    await h.page.mouse.move(0, 0);
    await h.page.keyboard.press("Escape");
    // the row itself says what the run did (issue 13): its main step and effect, then its duration
    const rerunRow = await treeRow(h, /^\[\d+\] Cell 10 \| Filtered rows of final into data2010: 2,476 \u2192 495 rows \(\u22121,981\) · \d+ ms$/,
      "the re-run in the tree, with its effect in the row");
    await h.screenshot("records-rerun-tree");

    // ---- an edit to the merge, not run: it and every later run that used its result are stale
    await replaceCell(h, MERGE, MERGE_EDITED);
    await h.page.keyboard.press("Escape");
    await treeRow(h, /^\[\d+\] Cell 9 \| Joined left with right on id into final.* · \d+ ms \(edited since\)$/,
      "the merge's run marked (edited since)");
    // cell 10's runs and cell 11's: the two whose code is still current are (stale), the filter's earlier
    // versions are (edited since) themselves; the runs above the merge are neither
    const rows = await waitFor(async () => {
      const all = await h.lineageRows();
      return all.filter((r) => /^\[\d+\] Cell 1[01] \| .*\(stale\)$/.test(r)).length === 2 ? all : null;
    }, { timeout: 30000, message: "the current runs of cells 10 and 11 marked (stale)" });
    const below = rows.filter((r) => /^\[\d+\] Cell 1[01] \|/.test(r));
    assert.equal(below.length, 4, `runs of cells 10 and 11: ${below}`);
    assert.ok(below.every((r) => /\((stale|edited since)\)$/.test(r)), `unmarked runs below the merge: ${below}`);
    assert.ok(!rows.some((r) => /^\[\d+\] Cell [2-8] \| .*(stale|edited)/.test(r)), `runs above the merge marked: ${rows}`);
    const staleStatus = await waitFor(
      async () => (await h.page.locator(".cell-statusbar-container").allInnerTexts()).find((t) => /stale/.test(t)),
      { timeout: 30000, message: "a cell status bar saying stale" },
    );
    assert.match(staleStatus, /ran \d+/);
    await h.screenshot("records-stale-tree");

    // ---- what was stored
    await h.stopCodeServer();
    await waitFor(() => sidecarPids(h.dbPath).length === 0, { timeout: 20000, message: "the sidecar to exit with code-server" });
    const doc = lineageJson(h.tools.python, path.join(h.ws, NOTEBOOK), h.dbPath);
    assert.equal(doc.sessions.length, 1, `sessions: ${JSON.stringify(doc.sessions)}`);
    const filterRuns = doc.executions.filter((e) => e.cell_id === "c9");
    assert.deepEqual(filterRuns.map((e) => e.status), ["ok", "error", "ok"]);
    const rowsOf = (e) => {
      const step = e.steps.find((s) => s.op === "filter_rows" && s.output === "data2010");
      return step && step.runtime ? [step.runtime.rows_before ?? null, step.runtime.rows_after ?? null] : null;
    };
    assert.deepEqual(filterRuns.map(rowsOf), [[2476, 99], null, [2476, 495]]);
    assert.deepEqual(filterRuns[1].applied_writes, []);
    const reader = doc.executions.filter((e) => e.cell_id === "c10").at(-1);
    assert.deepEqual(reader.read_from, { data2010: filterRuns[0].seq }, "n2010 read data2010 from the first filter run");
    assert.ok(failedRow && rerunRow);
  } catch (err) {
    throw await h.diagnose("records", err);
  } finally {
    await h.close();
  }
});
