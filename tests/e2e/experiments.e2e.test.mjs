// End-to-end: the Explorer's experiments tree and the Experiments panel on a notebook whose result is looked at a
// second time, in real VS Code (code-server) with the built VSIX and a real ipykernel. The model reads two data files;
// one cell scores its predictions, a later one shows their confusion matrix (no experiment of its own: a second look
// at the first one's result); a stronger penalty is the next experiment. The tree: E0001 with the first data file and
// "+1 more" (its tooltip names both), its "also looked at" row before E0002; the panel: the same line under E0001, the
// data cell naming both files, the parent column sorting. Screenshots: test-artifacts/e2e/experiments-*.png.
//
//   node --test --test-concurrency=1 tests/e2e/experiments.e2e.test.mjs     (after `npm run package`)
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Harness, waitFor } from "./lib/harness.mjs";
import { webviewFrame } from "./lib/views.mjs";

const NOTEBOOK = "scores.ipynb";

// id, kind, source. The confusion matrix is cell 11 (markdown cells count, as the editor numbers them).
const CELLS = [
  ["intro", "markdown", "# A model scored, then its result looked at again"],
  ["imports", "code", "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import accuracy_score, confusion_matrix"],
  ["h-load", "markdown", "## Load"],
  ["load", "code", 'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")'],
  ["split", "code", 'features = ["x1", "x2"]\nX_train, y_train = train[features], train["label"]\nX_test, y_test = test[features], test["label"]'],
  ["h-fit", "markdown", "## Fit"],
  ["fit", "code", "model = LogisticRegression().fit(X_train, y_train)\npredictions = model.predict(X_test)"],
  ["h-score", "markdown", "## Score"],
  ["score", "code", "accuracy_score(y_test, predictions)"],
  ["h-look", "markdown", "## Look again\nThe same predictions as a table."],
  ["look", "code", "confusion_matrix(y_test, predictions)"],
  ["h-refit", "markdown", "## A stronger penalty"],
  ["refit", "code", "model = LogisticRegression(C=0.01).fit(X_train, y_train)\npredictions = model.predict(X_test)\naccuracy_score(y_test, predictions)"],
];
const CODE_CELLS = CELLS.filter(([, kind]) => kind === "code").length;
const LOOK_CELL = CELLS.findIndex(([id]) => id === "look") + 1;
const LOOKED_AT = `also looked at: confusion_matrix in cell ${LOOK_CELL}`;
const DATA = /^train\.csv@D\d+, test\.csv@D\d+$/;

function populate(ws) {
  const cells = CELLS.map(([id, kind, source]) => ({
    id, cell_type: kind, metadata: {}, source, ...(kind === "code" ? { execution_count: null, outputs: [] } : {}),
  }));
  const nb = { cells, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }, nbformat: 4, nbformat_minor: 5 };
  fs.writeFileSync(path.join(ws, NOTEBOOK), JSON.stringify(nb, null, 1));
  // two features, a label that mostly follows them: any fixed rows a logistic regression can score
  const rows = (n, offset) => Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const [x1, x2] = [((i * 37) % 61) / 10 - 3, ((i * 53) % 47) / 8 - 3];
    return `${x1.toFixed(2)},${x2.toFixed(2)},${2 * x1 - x2 + (((i * 29) % 7) - 3) * 0.8 > 0 ? 1 : 0}`;
  }).join("\n");
  fs.writeFileSync(path.join(ws, "train.csv"), `x1,x2,label\n${rows(60, 0)}\n`);
  fs.writeFileSync(path.join(ws, "test.csv"), `x1,x2,label\n${rows(20, 60)}\n`);
}

/** Drag the sash on the Side Bar's right edge until the Side Bar is `width` px wide. */
async function widenSideBar(h, width) {
  const bar = await h.page.locator(".part.sidebar").boundingBox();
  const edge = bar.x + bar.width;
  const sash = await waitFor(async () => {
    for (const candidate of await h.page.locator(".monaco-sash.vertical").all()) {
      const box = await candidate.boundingBox().catch(() => null);
      if (box && Math.abs(box.x + box.width / 2 - edge) < 4) return box;
    }
    return null;
  }, { timeout: 10000, message: "the Side Bar's sash" });
  const y = sash.y + sash.height / 2;
  await h.page.mouse.move(edge, y);
  await h.page.mouse.down();
  await h.page.mouse.move(bar.x + width, y, { steps: 8 });
  await h.page.mouse.up();
  await waitFor(async () => Math.abs((await h.page.locator(".part.sidebar").boundingBox()).width - width) < 8,
    { timeout: 10000, message: `the Side Bar ${width} px wide` });
}

test("experiments: a second look at a result in the Explorer's tree and the panel; several data files; the parent column sorts", { timeout: 600000 }, async () => {
  const h = new Harness({ name: "experiments", populate });
  try {
    await h.start();
    await h.openNotebook(NOTEBOOK);
    await h.runAllCells();
    await h.waitForExecutions(NOTEBOOK, CODE_CELLS);

    // ---- the Explorer's tree: E0001, its second look under it before E0002 (built on it); the data shortened
    await h.runCommand("View: Show Explorer");
    const header = h.page.locator(".pane-header", { hasText: "TrackIT Experiments" }).first();
    await header.waitFor({ state: "visible", timeout: 30000 });
    if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
    const treeRows = await waitFor(async () => {
      const texts = await h.viewRows("TrackIT Experiments");
      return texts.length >= 3 ? texts : null;
    }, { timeout: 90000, interval: 500, message: "the Explorer's experiments tree with two experiments and a second look" });
    assert.equal(treeRows.length, 3, `tree: ${treeRows.join(" / ")}`);
    assert.match(treeRows[0], /^E0001 \| accuracy [\d.]+ \u00b7 train\.csv@D\d+ \+1 more$/, `E0001's row: ${treeRows[0]}`);
    assert.equal(treeRows[1], LOOKED_AT, `the second look's row: ${treeRows.join(" / ")}`);
    assert.match(treeRows[2], /^E0002 \| accuracy [\d.]+( [\u25b2\u25bc=])? \u00b7 train\.csv@D\d+ \+1 more$/, `E0002's row: ${treeRows[2]}`);
    const pane = h.page.locator(".pane", { has: header });
    const lookRow = pane.locator(".monaco-list-row", { hasText: LOOKED_AT }).first();
    assert.equal(await lookRow.getAttribute("aria-level"), "2", "the second look is a row under E0001");
    await h.screenshot("experiments-tree");
    // the tooltip names every file the row shortened
    const firstRow = pane.locator(".monaco-list-row", { hasText: /^E0001/ }).first();
    const tooltip = await waitFor(async () => {
      await h.page.mouse.move(0, 0);
      await firstRow.locator(".label-name").hover();
      const hover = h.page.locator(".monaco-hover:visible, .workbench-hover:visible", { hasText: "data: " }).first();
      return (await hover.isVisible({ timeout: 3000 }).catch(() => false)) ? hover.innerText() : null;
    }, { timeout: 30000, interval: 500, message: "E0001's tooltip" });
    const lines = tooltip.split("\n").map((l) => l.trim()).filter(Boolean);
    assert.match(lines.find((l) => l.startsWith("data: ")) ?? "", /^data: train\.csv@D\d+, test\.csv@D\d+$/, `tooltip: ${tooltip}`);
    assert.ok(lines.includes(LOOKED_AT), `the tooltip says the second look: ${tooltip}`);
    await h.screenshot("experiments-tree-tooltip");
    await h.page.mouse.move(0, 0);
    // the Explorer at its default width cuts even the short row; a wider one shows it whole
    await widenSideBar(h, 520);
    const clipped = await pane.locator(".monaco-list-row .monaco-icon-label-container").evaluateAll((all) =>
      all.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
    assert.deepEqual(clipped, [], "rows cut off in a 520 px wide Explorer");
    await h.screenshot("experiments-tree-wide");

    // ---- the panel: the same second look under E0001, both files in the data cell
    await h.page.locator(".tabs-container .tab", { hasText: NOTEBOOK }).first().click();
    await h.runCommand("TrackIT: Show experiments");
    const { panel } = await waitFor(async () => {
      const found = await webviewFrame(h.page, /E0002/);
      const count = found && (await found.frame.locator("tbody tr").count().catch(() => 0));
      return count === 2 ? { panel: found } : null;
    }, { timeout: 90000, interval: 500, message: "the experiments panel with two experiments" });
    // (the id cell's text runs on into its "also looked at" line: "E0001also looked at ...")
    const row = (id) => panel.frame.locator("tbody tr").filter({ has: panel.frame.locator("td.id", { hasText: new RegExp(`^\\s*${id}(?!\\d)`) }) });
    assert.equal((await row("E0001").locator("td.id .also").innerText()).trim(), LOOKED_AT);
    assert.equal(await row("E0002").locator("td.id .also").count(), 0, "E0002 was not looked at again");
    for (const id of ["E0001", "E0002"]) assert.match((await row(id).locator("td.data").innerText()).trim(), DATA, `${id}'s data cell`);
    // the parent column sorts: ascending the root first (its "\u2014"), a second click descending
    const ids = async () => (await panel.frame.locator("tbody td.id").allInnerTexts()).map((t) => t.trim().split(/\s/)[0]);
    const sortParent = panel.frame.locator("thead button[title='Sort by parent']");
    await sortParent.click();
    await waitFor(async () => (await panel.frame.locator("thead th[aria-sort='ascending']").innerText().catch(() => "")).startsWith("parent"),
      { timeout: 10000, message: "the table sorted by parent, ascending" });
    assert.deepEqual(await ids(), ["E0001", "E0002"], "ascending by parent: the root first");
    await panel.frame.locator("thead button[title='Sort by parent']").click();
    await waitFor(async () => (await panel.frame.locator("thead th[aria-sort='descending']").innerText().catch(() => "")).startsWith("parent"),
      { timeout: 10000, message: "the table sorted by parent, descending" });
    assert.deepEqual(await ids(), ["E0002", "E0001"], "descending by parent: the root last");
    await h.screenshot("experiments-panel");
    await panel.frame.locator("thead th[aria-sort='descending']").evaluate((e) => e.scrollIntoView({ inline: "center" }));
    await h.screenshot("experiments-panel-parent");
  } catch (err) {
    throw await h.diagnose("experiments", err);
  } finally {
    await h.close();
  }
});
