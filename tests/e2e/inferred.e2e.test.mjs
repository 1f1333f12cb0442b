// End-to-end: a step whose op is a guess (Step.inferred_from) says so where the user reads it, in real VS Code
// (code-server) with the built VSIX and a real ipykernel. The notebook loads its data through a function of its own
// project's module (`helpers.import_sales_data`, judged by its name: "helper_name") and then filters it (asserted: the
// syntax on a DataFrame). The sidecar words the guess once ("(inferred from the name `import_sales_data`)",
// render/inferred.py); this checks no TS layer drops or hides it: the Explorer tree's row for the run (its text, its
// icon, in view at the default width, its tooltip) and the cell hover say it for the guessed step and not for the
// asserted one.
// Screenshots: test-artifacts/e2e/inferred-*.png.
//
//   node --test --test-concurrency=1 tests/e2e/inferred.e2e.test.mjs     (after `npm run package`)
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Harness, waitFor } from "./lib/harness.mjs";

const NOTEBOOK = "sales.ipynb";
const GUESSED_LINE = 'sales = import_sales_data("2024")';
const ASSERTED_LINE = 'big = sales[sales["amount"] > 100]';
const CELLS = [
  "import pandas as pd\nfrom helpers import import_sales_data",
  GUESSED_LINE,
  ASSERTED_LINE,
];
// as the tree's plain text and the rendered markdown of the tooltip show it (no code marks)
const NOTE = "(inferred from the name import_sales_data)";

function populate(ws) {
  const cells = CELLS.map((source, i) => ({
    id: `c${i + 1}`, cell_type: "code", metadata: {}, source, execution_count: null, outputs: [],
  }));
  const nb = { cells, metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } }, nbformat: 4, nbformat_minor: 5 };
  fs.writeFileSync(path.join(ws, NOTEBOOK), JSON.stringify(nb, null, 1));
  // the project's own module: the notebook cannot see its body, so the classifier judges the call by its name
  fs.writeFileSync(path.join(ws, "helpers.py"), [
    "import pandas as pd",
    "",
    "",
    "def import_sales_data(year):",
    '    return pd.DataFrame({"region": ["north", "south", "east", "west"], "amount": [50, 150, 250, 80], "year": year})',
    "",
  ].join("\n"));
}

/** The text of the first visible hover holding `hasText` after pointing at `target`, once `accept(text)` holds. */
async function hoverText(h, target, hasText, accept, message) {
  return waitFor(async () => {
    await h.page.mouse.move(0, 0);
    await target.hover();
    const hover = h.page.locator(".monaco-hover:visible, .workbench-hover:visible", { hasText }).first();
    if (!(await hover.isVisible({ timeout: 3000 }).catch(() => false))) return null;
    const text = await hover.innerText();
    return accept(text) ? text : null;
  }, { timeout: 45000, interval: 1000, message }).catch(async (err) => {
    const shown = await h.page.locator(".monaco-hover:visible, .workbench-hover:visible").allInnerTexts().catch(() => []);
    err.message += `\nhover shown: ${JSON.stringify(shown)}`;
    throw err;
  });
}

test("a guessed step: the tree's row, icon and tooltip and the cell hover say it is inferred; an asserted one's do not", { timeout: 420000 }, async () => {
  const h = new Harness({ name: "inferred", populate });
  try {
    await h.start();
    await h.openNotebook(NOTEBOOK);
    await h.runAllCells();
    await h.waitForExecutions(NOTEBOOK, CELLS.length);

    // ---- the tree at the Explorer's default width: the guessed run's row says it, the asserted one's does not
    const pane = await h.showLineageView();
    const rows = await waitFor(async () => {
      const texts = await h.lineageRows();
      return texts.some((t) => t.startsWith("[2] Cell 2 |")) && texts.some((t) => t.startsWith("[3] Cell 3 |")) ? texts : null;
    }, { timeout: 60000, interval: 500, message: "the lineage tree's rows for Cell 2 and Cell 3" });
    const guessedRow = rows.find((t) => t.startsWith("[2] Cell 2 |"));
    const assertedRow = rows.find((t) => t.startsWith("[3] Cell 3 |"));
    assert.ok(guessedRow.includes(NOTE), `the guessed run's row: ${guessedRow}`);
    assert.ok(!/inferred/.test(assertedRow), `the asserted run's row: ${assertedRow}`);
    // What is in view, not only in the DOM: the Explorer at its default width cuts the row's description before its
    // note, so the guessed run's icon marks the guess ("question", lineageWords.ts executionIcon); the asserted run
    // keeps its status icon.
    const row = (label) => pane.locator(".monaco-list-row", { has: h.page.locator(".label-name", { hasText: label }) }).first();
    const noteInView = await row("[2] Cell 2").locator(".label-description").evaluate((d) => d.getBoundingClientRect().right <= d.closest(".monaco-icon-label-container").getBoundingClientRect().right + 1 && d.scrollWidth <= d.clientWidth + 1);
    console.log(`# the guessed run's description whole in view at the default width: ${noteInView}`);
    const icon = async (label) => row(label).locator(".custom-view-tree-node-item-icon").getAttribute("class");
    assert.match(await icon("[2] Cell 2"), /codicon-question\b/, "the guessed run's icon marks the guess");
    assert.match(await icon("[3] Cell 3"), /codicon-pass\b/, "the asserted run keeps its status icon");
    await h.screenshot("inferred-tree");

    // ---- the row's tooltip says the whole sentence
    const tooltip = await hoverText(h, row("[2] Cell 2").locator(".label-name"), "[2] Cell 2", (t) => t.includes(NOTE),
      "the guessed run's tooltip with its note");
    assert.ok(tooltip.includes("import_sales_data"), `tooltip: ${tooltip}`);
    await h.screenshot("inferred-tree-tooltip");
    const assertedTip = await hoverText(h, row("[3] Cell 3").locator(".label-name"), "[3] Cell 3", (t) => t.includes("Steps:"),
      "the asserted run's tooltip");
    assert.ok(!/inferred/.test(assertedTip), `the asserted run's tooltip: ${assertedTip}`);
    await h.page.mouse.move(0, 0);

    // ---- the cell hovers: the sidecar's sentence with its note over the guessed line, none over the asserted one.
    // Read from the editor's shown hover element (".monaco-hover" without "hidden"): a `:visible` locator found none.
    const cellHover = async (text, accept, message) => {
      const line = await h.notebookLine(text);
      return waitFor(async () => {
        const box = await line.boundingBox();
        await h.page.mouse.move(0, 0);
        await h.page.mouse.move(box.x + 20, box.y + box.height / 2, { steps: 4 });
        await new Promise((r) => setTimeout(r, 1500));
        const shown = await h.page.locator(".monaco-hover:not(.hidden)").evaluateAll((all) => all.map((e) => e.innerText));
        return shown.find((t) => t.includes("TrackIT") && accept(t)) ?? null;
      }, { timeout: 45000, interval: 500, message });
    };
    const guessedHover = await cellHover(GUESSED_LINE, (t) => t.includes("writes sales"), `a TrackIT hover over \`${GUESSED_LINE}\``);
    assert.ok(guessedHover.includes(NOTE), `the guessed step's hover: ${guessedHover}`);
    await h.screenshot("inferred-hover");
    const assertedHover = await cellHover(ASSERTED_LINE, (t) => t.includes("writes big"), `a TrackIT hover over \`${ASSERTED_LINE}\``);
    assert.ok(!/inferred/.test(assertedHover), `the asserted step's hover: ${assertedHover}`);
  } catch (err) {
    throw await h.diagnose("inferred", err);
  } finally {
    await h.close();
  }
});
