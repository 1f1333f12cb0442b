import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notebookSources, SOURCES_DEBOUNCE_MS, SourcesReporter } from "../../src/notebook/sources";
import type { NotebookSources } from "../../src/sidecar/protocol";
import { sha256Hex } from "../../src/notebook/outputs";
import { FakeNotebook } from "../fakes";

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    pending,
    setTimeout: (fn: () => void, _ms: number) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    fire: () => {
      const due = [...pending.values()];
      pending.clear();
      for (const fn of due) fn();
    },
  };
}

describe("notebook sources", () => {
  it("hashes every code cell (empty ones too) by cell id, never sending text; markdown is left out", () => {
    const nb = new FakeNotebook("/work/nb/a.ipynb");
    nb.add("# title", { kind: 1, id: "md" });
    nb.add("import pandas as pd", { id: "c1" });
    nb.add("", { id: "c2" });
    const message = notebookSources(nb);
    assert.deepEqual(message, {
      notebook_uri: "file:///work/nb/a.ipynb",
      cell_shas: { c1: sha256Hex("import pandas as pd"), c2: sha256Hex("") },
    });
    assert.doesNotMatch(JSON.stringify(message), /pandas/);
  });

  it("sends at once on report, once per burst of edits on reportSoon, and asks the views again after sending", () => {
    const timers = manualTimers();
    const sent: NotebookSources[] = [];
    const refreshed: string[] = [];
    let running = true;
    const reporter = new SourcesReporter({
      send: (m) => running && sent.push(m) > 0,
      onSent: (uri) => refreshed.push(uri),
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
    });
    const nb = new FakeNotebook("/work/nb/a.ipynb");
    const cell = nb.add("x = 1", { id: "c1" });
    assert.equal(reporter.report(nb), true);
    cell.source = "x = 2";
    reporter.reportSoon(nb);
    cell.source = "x = 3";
    reporter.reportSoon(nb);
    assert.equal(timers.pending.size, 1, `one timer per notebook (${SOURCES_DEBOUNCE_MS} ms)`);
    timers.fire();
    assert.deepEqual(sent.map((m) => m.cell_shas.c1), [sha256Hex("x = 1"), sha256Hex("x = 3")]);
    assert.deepEqual(refreshed, ["file:///work/nb/a.ipynb", "file:///work/nb/a.ipynb"]);
    running = false;
    assert.equal(reporter.report(nb), false, "not running: nothing to refresh, the next start sends it again");
    assert.equal(refreshed.length, 2);
    reporter.reportSoon(nb);
    reporter.dispose();
    assert.equal(timers.pending.size, 0);
  });
});
