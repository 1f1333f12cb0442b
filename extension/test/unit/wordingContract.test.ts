// The Experiments panel words two things `trackit experiments` / `trackit diff` also word, in its own TypeScript
// because it renders offline from the listing: a metric difference to the decimals its values are shown with
// (metricFormat.formatDifference ~ render/diff_values.difference) and the "changed" cell that counts decisions by section
// past CHANGED_CELL_WIDTH (experiments/model.changedText ~ render/experiments.changed_cell), and a loop's last pass's
// metric (experiments/model.metricText ~ render/experiments.metric_text, by experiments/kb.KERNEL_LAST_LOOP_PASS), the
// data cell (experiments/model.dataText ~ render/experiments.table's data column) and the later cells that showed a
// table of an experiment's result (experiments/model.alsoLookedAtText ~ render/experiments.show's "also looked at").
// The Explorer's experiments tree says the data and the second looks with the same functions (views/experimentsTree),
// its row the data cell's first name and how many more (experiments/model.dataShortText).
// This test runs the sidecar's functions over the same cases as the panel's and the tree's, so the copies cannot drift
// apart.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import {
  alsoLookedAtText, CHANGED_CELL_WIDTH, changedText, dataShortText, dataText, KERNEL_LAST_LOOP_PASS, LAST_PASS_NOTE, metricText,
} from "../../src/webviews/experiments/model";
import { formatDifference, formatMetric } from "../../src/webviews/metricFormat";
import { childRows, experimentForest } from "../../src/views/experimentsTree";
import type { ExperimentSummary, Metric, SecondLook } from "../../src/sidecar/protocol";
import { venvPython } from "../repo";

// [difference, ...the values it is the difference of]: decimals shown, halves, one digit below them, none shown
const DIFFERENCES: number[][] = [
  [0.004484, 0.8525, 0.857], [-0.25, 0.75, 0.5], [0.00002, 0.85244, 0.85246], [0, 0.5, 0.5], [12.5, 1000.5, 1013],
  [3, 10, 13], [-0.0449, 0.9, 0.8551], [0.1, 0.2, 0.3], [-1.5e-7, 0.12345671, 0.12345656], [250, 1250, 1500],
  [0.0000096, 0.5, 0.5], [12.5], [-0.96],
];

const sections = ["data", "preprocessing", "model", "training", "evaluation"];
const CHANGED: string[][] = [
  ["model.params.C"],
  ["split.test_size", "model.params.C", "training.seed"],
  Array.from({ length: 12 }, (_, i) => `${sections[i % sections.length]}.decision_${i}`),
  ["preprocessing.scale.with_mean", "preprocessing.scale.with_std", "model.class", "model.params.n_estimators"],
];

// a metric's value: whole, past 1e4 (`.4g` wrote "1.235e+04"), near 1000 (999.97 was cut to "1"), tiny, negative,
// huge (an MSE), halves, four digits
const VALUES: number[] = [
  0.85, 0.8525, 12345.678, 999.97, 1.2e-7, 1e-7, -0.0045, 2.5e10, 1234.5, 100, 0.1 + 0.2, 9.99996, 0.00001,
  0.000123456, -12.5, 5, 0.12345671, 1000.5, -98765.4321, 0.9999,
];

// a loop's last pass's value (experiments/kb.KERNEL_LAST_LOOP_PASS) and a metric read otherwise, at 4 digits (the
// sidecar's table writes `.4g`, the panel formatMetric: the same for these values)
const METRICS: Metric[] = [
  { name: "accuracy", value: 0.9732, source: "kernel (the value its loop's last pass left)", direction: "higher" },
  { name: "rmse", value: 3.25, source: "kernel", direction: "lower" },
];

// what an experiment's data is: an input file's revision, a data set a library's loader gave, both, a new revision
type DataCase = Pick<ExperimentSummary, "datasets" | "packaged_data_sets" | "data_changed">;
const DATA: DataCase[] = [
  { datasets: [], packaged_data_sets: ["iris (scikit-learn)"], data_changed: false },
  { datasets: ["titanic/passengers.csv@D0002"], packaged_data_sets: [], data_changed: true },
  { datasets: ["a/train.csv@D0001", "b/test.csv@D0003"], packaged_data_sets: ["tips (seaborn)"], data_changed: false },
  { datasets: ["titanic/passengers.csv@D0002", "titanic/tickets.csv@D0004"], packaged_data_sets: [], data_changed: true },
];

// later cells that only showed a table of the result: one function, two, none named
const LOOKS: SecondLook[][] = [
  [{ seq: 6, cell_id: "c6", cell_index: 5, functions: ["confusion_matrix"] }],
  [{ seq: 6, cell_id: "c6", cell_index: 5, functions: ["confusion_matrix", "classification_report"] },
    { seq: 9, cell_id: "c9", cell_index: 8, functions: [] }],
];

const SIDECAR = String.raw`
import json, sys
from trackit_sidecar.render.diff_values import difference, number
from trackit_sidecar.experiments.kb import KERNEL_LAST_LOOP_PASS
from trackit_sidecar.protocol import Experiment, ExperimentSummary, Metric
from trackit_sidecar.render.experiments import CHANGED_CELL_WIDTH, LAST_PASS_NOTE, changed_cell, metric_text, show, table
cases = json.load(sys.stdin)
base = dict(id="E0001", notebook_uri="file:///t.ipynb", seq=1, session=1, cell_id="c", cell_index=0, status="ok",
            created_at="2026-11-29T10:00:00Z", origin="auto", parent_set_by_user=False, changed=[])
def data_cell(case):
    header, row = table([ExperimentSummary.model_validate({**base, **case})]).splitlines()[:2]
    return row[header.index("data"):header.index("dirty")].rstrip()
def looked_at(looks):
    e = Experiment.model_validate({**base, "datasets": [], "data_changed": False, "format": "1", "metrics": [], "slice": [],
                                   "features": {}, "feature_changes": [], "data": [], "frames": [], "seeds": [], "also_looked_at": looks})
    return next(line for line in show(e).splitlines() if line.startswith("also looked at"))
print(json.dumps({"width": CHANGED_CELL_WIDTH, "loop_source": KERNEL_LAST_LOOP_PASS, "loop_note": LAST_PASS_NOTE,
                  "metrics": [metric_text(Metric.model_validate(m)) for m in cases["metrics"]],
                  "differences": [difference(*case) for case in cases["differences"]],
                  "values": [number(v) for v in cases["values"]],
                  "changed": [changed_cell(paths) for paths in cases["changed"]],
                  "data": [data_cell(case) for case in cases["data"]],
                  "looks": [looked_at(looks) for looks in cases["looks"]]}))
`;

describe("the panel's wording agrees with the sidecar's renderer", () => {
  const sidecar = JSON.parse(execFileSync(venvPython(), ["-c", SIDECAR], {
    encoding: "utf8", timeout: 60_000, input: JSON.stringify({ differences: DIFFERENCES, changed: CHANGED, metrics: METRICS, values: VALUES, data: DATA, looks: LOOKS }),
  })) as {
    width: number; differences: string[]; values: string[]; changed: string[]; loop_source: string; loop_note: string; metrics: string[];
    data: string[]; looks: string[];
  };

  it("uses the same width for the changed cell", () => {
    assert.equal(CHANGED_CELL_WIDTH, sidecar.width);
  });

  it("words every metric difference as render.diff_values.difference does", () => {
    assert.deepEqual(DIFFERENCES.map(([delta, ...values]) => formatDifference(delta, ...values)), sidecar.differences);
  });

  it("writes every metric value as render.diff_values.number does", () => {
    assert.deepEqual(VALUES.map(formatMetric), sidecar.values);
    assert.ok(sidecar.values.includes("12346") && sidecar.values.includes("1000"), "past 1e4 and near 1000 are cases");
  });

  it("says a loop's last pass's metric as `trackit experiments` does, recognised by the same source", () => {
    assert.equal(KERNEL_LAST_LOOP_PASS, sidecar.loop_source);
    assert.equal(LAST_PASS_NOTE, sidecar.loop_note);
    assert.deepEqual(METRICS.map(metricText), sidecar.metrics);
    assert.ok(sidecar.metrics[0].endsWith(`(${LAST_PASS_NOTE})`), "the case names the loop's last pass");
  });

  it("words every changed cell as render.experiments.changed_cell does", () => {
    assert.deepEqual(CHANGED.map((changed) => changedText({ changed, dataChanged: false })), sidecar.changed);
    assert.ok(sidecar.changed.some((text) => text.includes("(")), "a case past the width counts by section");
  });

  it("words the data cell as `trackit experiments` does, packaged data sets too", () => {
    assert.deepEqual(DATA.map(dataText), sidecar.data);
    assert.ok(sidecar.data[0] === "iris (scikit-learn)", "a packaged data set is a case");
  });

  it("words the later cells that showed a table of the result as `trackit show` does", () => {
    assert.deepEqual(LOOKS.map(alsoLookedAtText), sidecar.looks);
  });

  // one experiment of each case, as the tree gets them from the listing
  const summary = (i: number, extra: Partial<ExperimentSummary>): ExperimentSummary => ({
    id: `E000${i + 1}`, notebook_uri: "file:///t.ipynb", seq: i + 1, session: 1, cell_id: "c", cell_index: 0,
    created_at: "2026-11-29T10:00:00Z", status: "ok", origin: "auto", parent: null, parent_set_by_user: false,
    primary_metric: null, changed: [], datasets: [], data_changed: false, ...extra,
  });

  it("words the data in the Explorer's tree as `trackit experiments` does, its row the first name and how many more", () => {
    const forest = experimentForest(DATA.map((data, i) => summary(i, data)));
    assert.deepEqual(forest.map((node) => node.tooltip.split("\n").find((line) => line.startsWith("data: "))), sidecar.data.map((d) => `data: ${d}`));
    // the row's description shortens the sidecar's data cell: its first name, how many others it lists, its revision note
    const REVISION = " (new revision)";
    const shortened = sidecar.data.map((cell) => {
      const [first, ...rest] = cell.replace(REVISION, "").split(", ");
      return (rest.length ? `${first} +${rest.length} more` : first) + (cell.endsWith(REVISION) ? REVISION : "");
    });
    assert.deepEqual(forest.map((node) => node.description.split(" \u00b7 ").slice(1).join(" \u00b7 ")), shortened);
    assert.deepEqual(DATA.map(dataShortText), shortened);
    assert.ok(shortened.includes("passengers.csv@D0002 +1 more (new revision)"), "several files with a new revision are a case");
  });

  it("words the second looks in the Explorer's tree as `trackit show` does", () => {
    const forest = experimentForest(LOOKS.map((looks, i) => summary(i, { also_looked_at: looks })));
    assert.deepEqual(forest.map((node) => childRows(node).map((row) => row.kind === "look" ? row.label : "")), sidecar.looks.map((look) => [look]));
  });
});
