// Probe (not a test): does the lineage tree lose a key press while runs are being stored? In real code-server +
// Chromium, a notebook of CELLS cells that each sleep a little is Run All'd ROUNDS times; during each burst the
// keyboard walks the TrackIT Lineage tree: ArrowDown to the last row, ArrowUp back to the first, again and again,
// a key every --key-ms (as a user holding or tapping the key). After each key the probe waits up to 1.5 s for the
// tree's focused row to move. A key is "lost" when the focused row did not move although a row exists beyond it.
// Printed: keys pressed, keys lost (with the rows around them), tree repaints seen (rows re-rendered) during the
// walk. The last CI failure (44e0370): a tree walk stopped after the notebook row while the last run was stored.
//
//   npm run package && node bench/probe_tree_keys.mjs [--cells 40] [--rounds 3] [--sleep-ms 150] [--key-ms 60]
//     [--expand] (ArrowRight on collapsed rows on the way down)
//     [--ci-walks N] (instead: N times, a short Run All then at once the e2e harness's tree walk as it was before its
//     retry (44e0370): click the first row, Home, ArrowRight on the notebook and session rows, ArrowDown until the
//     focus stops; a walk that stops while a next row exists lost its key)
import fs from "node:fs";
import path from "node:path";
import { notebookJson } from "./notebook_json.mjs";
import { Harness, waitFor } from "../tests/e2e/lib/harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const CELLS = Number(arg("--cells", 40));
const ROUNDS = Number(arg("--rounds", 3));
const SLEEP_MS = Number(arg("--sleep-ms", 150));
const KEY_MS = Number(arg("--key-ms", 60));
const EXPAND = process.argv.includes("--expand");
const CI_WALKS = Number(arg("--ci-walks", 0));
const NOTEBOOK = "keys.ipynb";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const h = new Harness({
  name: "probe-keys",
  populate: (ws) => fs.writeFileSync(path.join(ws, NOTEBOOK), notebookJson(Array.from({ length: CELLS }, (_, i) =>
    `import time\ntime.sleep(${SLEEP_MS / 1000})\nv${i} = ${i}`))),
});
const result = { cells: CELLS, rounds: ROUNDS, key_ms: KEY_MS, expand: EXPAND, keys: 0, lost: [], no_focused_row: 0, rerendered_rows: 0, walks: 0, walk_rows: [] };
try {
  await h.start();
  await h.openNotebook(NOTEBOOK);
  await h.runAllCells();
  await h.waitForExecutions(NOTEBOOK, CELLS, 300000);
  const pane = await h.showLineageView();
  await waitFor(async () => (await h.lineageRows()).some((r) => r.startsWith(`${NOTEBOOK} |`) && new RegExp(`\\b${CELLS} runs\\b`).test(r)), {
    timeout: 60000, message: "the notebook in the lineage tree with its first Run All",
  });
  // Count rows re-rendered in the tree (VS Code replaces a row's label when the row is refreshed).
  await h.page.evaluate(() => {
    const pane = [...document.querySelectorAll(".pane")].find((p) => p.querySelector(".pane-header")?.textContent.includes("TrackIT Lineage"));
    window.__rerendered = 0;
    new MutationObserver((records) => { window.__rerendered += records.length; })
      .observe(pane.querySelector(".monaco-list-rows"), { subtree: true, childList: true, characterData: true });
  });
  const focused = pane.locator(".monaco-list-row.focused");
  const indexOf = () => focused.getAttribute("data-index", { timeout: 2000 }).then(Number).catch(() => NaN);
  const exists = async (i) => (await pane.locator(`.monaco-list-row[data-index="${i}"]`).count()) > 0;

  /** walkLineageTree of tests/e2e/lib/harness.mjs before 44e0370 (no retry); where it stopped and whether a row followed. */
  const ciWalk = async () => {
    // The harness clicks the first row; once the list has scrolled, the first row in the DOM is under the pane's
    // header, so the probe clicks the top row only when it is row 0, else gives the list focus.
    const top = pane.locator('.monaco-list-row[data-index="0"]');
    if (await top.count()) await top.click();
    else await pane.locator(".monaco-list").first().focus();
    await h.page.keyboard.press("Home");
    let rows = 0;
    for (;;) {
      const index = await focused.getAttribute("data-index", { timeout: 5000 });
      const text = await focused.innerText({ timeout: 1000 }).catch(() => "?");
      rows++;
      if (/^keys\.ipynb|^Session/.test(text) && (await focused.getAttribute("aria-expanded")) === "false") {
        const level = Number(await focused.getAttribute("aria-level"));
        await h.page.keyboard.press("ArrowRight");
        const next = pane.locator(`.monaco-list-row[data-index="${Number(index) + 1}"]`);
        await waitFor(async () => Number(await next.getAttribute("aria-level", { timeout: 200 })) > level, { timeout: 5000, interval: 50 }).catch(() => {});
      }
      const nextBefore = (await pane.locator(`.monaco-list-row[data-index="${Number(index) + 1}"]`).count()) > 0;
      await h.page.keyboard.press("ArrowDown");
      result.keys++;
      const moved = await waitFor(async () => (await focused.getAttribute("data-index")) !== index, { timeout: 1500, interval: 50 }).catch(() => false);
      if (moved) continue;
      const nextExists = (await pane.locator(`.monaco-list-row[data-index="${Number(index) + 1}"]`).count()) > 0;
      // what has the keyboard now, and is the focused row the same one (a lost key) or another at the same index
      const active = await h.page.evaluate(() => {
        const el = document.activeElement;
        return `${el?.tagName ?? "-"}.${`${el?.className ?? ""}`.split(" ").slice(0, 3).join(".")} in ${el?.closest(".pane")?.querySelector(".pane-header")?.textContent?.slice(0, 30) ?? (el?.closest(".editor-instance, .notebook-editor") ? "an editor" : "?")}`;
      });
      const after = await focused.innerText({ timeout: 1000 }).catch(() => "?");
      return { rows, stoppedAt: text.replace(/\s+/g, " ").slice(0, 60), nextBefore, nextExists, sameRow: after === text, active };
    }
  };
  for (let walk = 1; walk <= CI_WALKS; walk++) {
    await h.runAllCells();
    await sleep((walk * 337) % 1500); // start the walk at different points of the burst and of its last run being stored
    const done = await ciWalk();
    result.walks++;
    result.walk_rows.push(done.rows);
    // A row that arrived after the key (the walk outran the runs being stored) is not a lost key: the harness's
    // walk stopped there before its retry, but the key had no row to go to.
    if (done.nextExists) {
      result.lost.push({ walk, ...done, t: new Date().toISOString() });
      console.log(`${done.nextBefore ? "LOST" : "OUTRAN"} walk ${walk}: stopped at row ${done.rows} (${done.stoppedAt}) with a row after it` +
        ` (${done.nextBefore ? "there before the key" : "arrived after the key"}); keyboard: ${done.active}`);
    }
    await h.waitForExecutions(NOTEBOOK, CELLS * (walk + 1), 300000);
  }
  for (let round = 1; round <= (CI_WALKS > 0 ? 0 : ROUNDS); round++) {
    await h.runAllCells(); // the burst: a cell ends every ~SLEEP_MS for CELLS * SLEEP_MS
    const burstEnds = Date.now() + CELLS * SLEEP_MS;
    const list = pane.locator(".monaco-list").first();
    await list.focus(); // not a click: a click toggles a collapsible row
    await h.page.keyboard.press("Home");
    let key = "ArrowDown";
    while (Date.now() < burstEnds + 2000) {
      const before = await indexOf();
      if (Number.isNaN(before)) {
        result.no_focused_row++;
        await list.focus();
        await h.page.keyboard.press("Home");
        continue;
      }
      const target = key === "ArrowDown" ? before + 1 : before - 1;
      if (target < 0 || !(await exists(target))) {
        // the end of the list (as rendered): turn round
        key = key === "ArrowDown" ? "ArrowUp" : "ArrowDown";
        result.walks++;
        continue;
      }
      if (EXPAND && key === "ArrowDown" && (await focused.getAttribute("aria-expanded").catch(() => null)) === "false") {
        await h.page.keyboard.press("ArrowRight");
        await sleep(KEY_MS);
      }
      const text = await focused.innerText({ timeout: 1000 }).catch(() => "?");
      await h.page.keyboard.press(key);
      result.keys++;
      const moved = await waitFor(async () => (await indexOf()) !== before, { timeout: 1500, interval: 20 }).catch(() => false);
      if (!moved) {
        const active = await h.page.evaluate(() => `${document.activeElement?.className ?? "-"}`.slice(0, 80));
        result.lost.push({ round, key, at: before, row: text.replace(/\s+/g, " ").slice(0, 60), active, t: new Date().toISOString() });
        console.log(`LOST ${key} at row ${before} (${text.replace(/\s+/g, " ").slice(0, 60)}); active element: ${active}`);
        await list.focus();
      }
      await sleep(KEY_MS);
    }
    await h.waitForExecutions(NOTEBOOK, CELLS * (round + 1), 300000);
  }
  result.rerendered_rows = await h.page.evaluate(() => window.__rerendered);
} catch (err) {
  console.error((await h.diagnose("probe-keys", err)).message);
  process.exitCode = 1;
} finally {
  await h.close();
}
console.log(JSON.stringify(result, null, 2));
const outran = result.lost.filter((l) => l.nextBefore === false).length;
console.log(`keys pressed ${result.keys}, lost ${result.lost.length - outran} (+ ${outran} walks that outran the runs), no focused row ${result.no_focused_row}; walks end to end ${result.walks}; tree DOM mutations ${result.rerendered_rows}`);
