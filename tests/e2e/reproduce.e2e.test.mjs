// End-to-end (issue 14's editor commands, reached from issue 13's views): in real VS Code (code-server) with the
// built VSIX and a real ipykernel, on the bundled Titanic example. Run All; open the data lineage graph of `df`;
// its "Gather code for df" button opens the minimal code that made df in a new untitled notebook (read_csv kept,
// the model left out); "TrackIT: Verify reproducibility" on that notebook replays it in a fresh kernel and says
// "reproduced ✓"; then "Gather code for this variable" from the Command Palette with a name typed in.
// Screenshots: test-artifacts/e2e/reproduce-*.png.
// A fresh kernel needs a kernelspec, as on a user's machine with Jupyter installed: this run gets a `python3`
// kernelspec for the repo's .venv Python in its own JUPYTER_PATH (the frozen sidecar has no ipykernel of its own).
//
//   node --test --test-concurrency=1 tests/e2e/reproduce.e2e.test.mjs     (after `npm run package`)
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Harness, REPO_ROOT, waitFor } from "./lib/harness.mjs";
import { waitForWebview } from "./lib/views.mjs";

const EXAMPLE = path.join(REPO_ROOT, "examples");
const NOTEBOOK = "preprocess.ipynb";

function codeCells() {
  const nb = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "titanic", NOTEBOOK), "utf8"));
  return nb.cells.filter((c) => c.cell_type === "code");
}

/** Text of every notification so far: the toasts on screen and the Notifications center (toasts hide after a
 * while; the center keeps them). */
async function notifications(h) {
  const center = h.page.locator(".notifications-center");
  if (!(await center.isVisible().catch(() => false))) await h.runCommand("Notifications: Show Notifications");
  const items = await h.page.locator(".notifications-center .notification-list-item, .notifications-toasts .notification-toast").allInnerTexts().catch(() => []);
  return items.join("\n");
}

/** The code of the gathered notebooks on screen: each cell starts "# from cell N, run #M" (their markdown is drawn
 * in the notebook's webview, so it is not in the page's text; notebook editors live in overlays outside their
 * editor group). */
async function gatheredNotebookTexts(h) {
  const overlays = h.page.locator(".notebookOverlay:visible", { hasText: "# from cell" });
  const texts = [];
  for (const overlay of await overlays.all()) {
    texts.push((await overlay.locator(".view-lines").allInnerTexts().catch(() => [])).join("\n").replace(/\u00a0/g, " "));
  }
  return texts;
}

test("reproduce from the editor: Gather code from the lineage graph, Verify reproducibility, Gather from the palette", { timeout: 900000 }, async () => {
  const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "trackit-e2e-kernels-"));
  const python = process.env.TRACKIT_E2E_PYTHON || path.join(REPO_ROOT, ".venv", "bin", "python");
  fs.mkdirSync(path.join(jupyterPath, "kernels", "python3"), { recursive: true });
  fs.writeFileSync(path.join(jupyterPath, "kernels", "python3", "kernel.json"), JSON.stringify({
    argv: [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name: "Python 3", language: "python",
  }));
  const h = new Harness({
    name: "reproduce", populate: (ws) => fs.cpSync(EXAMPLE, ws, { recursive: true }), env: { JUPYTER_PATH: jupyterPath },
  });
  try {
    await h.start();
    await h.openNotebook(NOTEBOOK);
    await h.runAllCells();
    await h.waitForExecutions(NOTEBOOK, codeCells().length);

    // ---- the graph of df, then its Gather button
    await h.runCommand("TrackIT: Show data lineage");
    let graph = await waitForWebview(h, /Lineage of/, "the data lineage graph");
    // from the palette with no word under the cursor: the last model; pick df in the graph's own variable picker
    if (!/Lineage of df\b/.test(graph.text)) {
      await graph.frame.locator('select[aria-label="Variable"]').selectOption("df");
      graph = await waitForWebview(h, /Lineage of df\b/, "the data lineage graph of df");
    }
    await waitFor(async () => (await graph.frame.locator("g.node").count()) >= 5, { timeout: 30000, message: "the graph's nodes drawn" });
    const gather = graph.frame.locator("button", { hasText: /^Gather code for df$/ });
    await gather.waitFor({ state: "visible", timeout: 10000 });
    await gather.click();

    const untitled = h.page.locator(".tabs-container .tab", { hasText: /Untitled-\d+\.ipynb/ }).first();
    await untitled.waitFor({ state: "visible", timeout: 60000 });
    const gathered = await waitFor(async () => {
      return (await gatheredNotebookTexts(h)).find((text) => /read_csv/.test(text)) ?? null;
    }, { timeout: 30000, message: "the gathered notebook's cells" });
    assert.match(gathered, /drop_duplicates/, "the steps that made df are kept");
    assert.doesNotMatch(gathered, /LogisticRegression/, "the model does not feed df: it is left out");
    const gatheredNote = await waitFor(async () => {
      const t = await notifications(h);
      return /TrackIT gathered `df`[^:]*: \d+ of \d+ cells/.test(t) ? t : null;
    }, { timeout: 20000, message: "the 'gathered' notification" });
    const [, kept, all] = /gathered `df`[^:]*: (\d+) of (\d+) cells/.exec(gatheredNote).map(Number);
    assert.ok(kept > 1 && kept < all, `gathered ${kept} of ${all} cells: a slice, not the whole notebook`);
    await h.screenshot("reproduce-gathered");

    // ---- Verify reproducibility on the gathered notebook: a fresh kernel replays it, every step compared
    await untitled.click();
    await h.runCommand("TrackIT: Verify reproducibility");
    const verdict = await waitFor(async () => {
      const t = await notifications(h);
      return /TrackIT: reproduced ✓|not reproduced|diverge|kernel spec|failed/i.test(t) ? t : null;
    }, { timeout: 300000, interval: 1000, message: "the verification's answer" });
    await h.screenshot("reproduce-verified");
    assert.match(verdict, /TrackIT: reproduced ✓ \((\d+) of \1 steps match\)/, `not reproduced: ${verdict}`);

    // ---- Gather from the Command Palette, a name typed into its box
    await h.page.keyboard.press("Escape");
    await h.page.locator(".tabs-container .tab", { hasText: NOTEBOOK }).first().click(); // the notebook's own editor
    await h.runCommand("TrackIT: Gather code for this variable");
    const box = h.page.locator(".quick-input-widget input");
    await box.waitFor({ state: "visible", timeout: 10000 });
    await box.fill("X_train");
    await h.page.waitForTimeout(500); // the box validates what was typed before it takes Enter
    await h.page.keyboard.press("Enter");
    await box.waitFor({ state: "hidden", timeout: 10000 });
    await h.page.locator(".tabs-container .tab", { hasText: /Untitled-2\.ipynb/ }).first().waitFor({ state: "visible", timeout: 60000 });
    await waitFor(async () => /TrackIT gathered `X_train`/.test(await notifications(h)), { timeout: 60000, message: "X_train gathered" });
    const second = await waitFor(async () => {
      return (await gatheredNotebookTexts(h)).find((text) => /train_test_split/.test(text)) ?? null;
    }, { timeout: 30000, message: "X_train's gathered notebook, with the split" });
    assert.doesNotMatch(second, /LogisticRegression\(/, "the model does not feed X_train");
    await h.screenshot("reproduce-palette-gather");
  } catch (err) {
    throw await h.diagnose("reproduce", err);
  } finally {
    await h.close();
    fs.rmSync(jupyterPath, { recursive: true, force: true });
  }
});
