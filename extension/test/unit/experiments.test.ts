// The Experiments panel: its view models (DAG with the real layout library, table, selection, side-by-side
// code, the compare and hypotheses views from issue 12's answers), the Explorer's forest, and the panel's host
// side against a fake webview and a fake sidecar.
import dagre from "@dagrejs/dagre";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as vscode from "vscode";
import type { Evidence, Experiment, ExperimentDiff, ExperimentSummary, Hypothesis, Metric } from "../../src/sidecar/protocol";
import { Methods } from "../../src/sidecar/protocol";
import { compareView, dagOrder, hypothesisViews, trendPoints } from "../../src/webviews/experiments/compareModel";
import {
  alsoLookedAtText, cellText, changedText, changedTitle, dataShortText, dataText, comparePair, experimentsDag, INITIAL_TABLE, KERNEL_LAST_LOOP_PASS, metricColumns, metricText, parentText, rows, shownMetricColumns, sideBySide, sortBy, toggleSelected, trend, visibleRows,
} from "../../src/webviews/experiments/model";
import { type LayoutEngine } from "../../src/webviews/graph/model";
import { formatDifference } from "../../src/webviews/metricFormat";
import { ExperimentsPanel } from "../../src/views/experimentsPanel";
import { childRows, experimentForest } from "../../src/views/experimentsTree";

const acc = (value: number): Metric => ({ name: "accuracy", value, source: "kernel", direction: "higher" });
const rmse = (value: number): Metric => ({ name: "rmse", value, source: "kernel", direction: "lower" });
function exp(id: string, parent: string | null, metric: Metric | null, extra: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    id, notebook_uri: "file:///nb/t.ipynb", seq: Number(id.slice(1)), session: 1, cell_id: `c${id}`, cell_index: 9,
    created_at: `2026-11-29T10:0${id.slice(-1)}:00Z`, status: "ok", origin: "auto", parent, parent_set_by_user: false,
    primary_metric: metric, changed: [], datasets: [], data_changed: false, ...extra,
  };
}
const LIST = [
  exp("E0001", null, acc(0.78)),
  exp("E0002", "E0001", acc(0.81), { name: "median age", changed: ["impute.Age.strategy"] }),
  exp("E0003", "E0001", acc(0.74), { changed: ["model.params.C"] }),
  exp("E0004", "E0002", null, { status: "failed" }),
];

describe("experiments view model", () => {
  it("colours a node by whether its metric moved the right way against its parent's", () => {
    assert.equal(trend(acc(0.81), acc(0.78)), "better");
    assert.equal(trend(acc(0.74), acc(0.78)), "worse");
    assert.equal(trend(rmse(3), rmse(4)), "better", "lower is better for rmse");
    assert.equal(trend(acc(0.8), acc(0.8)), "same");
    assert.equal(trend(acc(0.8), rmse(0.8)), "unknown", "different metrics are not compared");
    assert.equal(trend(null, acc(0.8)), "unknown");
    assert.equal(trend({ ...acc(1), direction: "unknown" }, acc(0.5)), "unknown");
  });

  it("lays the DAG out parents above children with the real layout library", () => {
    const dag = experimentsDag(LIST, dagre as unknown as LayoutEngine);
    const y = (id: string) => dag.nodes.find((n) => n.id === id)!.y;
    assert.ok(y("E0001") < y("E0002") && y("E0002") < y("E0004") && y("E0001") < y("E0003"));
    assert.deepEqual(dag.nodes.map((n) => [n.id, n.title, n.metric, n.trend, n.failed]), [
      ["E0001", "E0001", "accuracy 0.78", "unknown", false],
      ["E0002", "E0002 median age", "accuracy 0.81", "better", false],
      ["E0003", "E0003", "accuracy 0.74", "worse", false],
      ["E0004", "E0004", "no metric", "unknown", true],
    ]);
    assert.equal(dag.edges.length, 3);
  });

  it("says a loop's last pass's metric is that, in the DAG, the table and the compare picker", () => {
    // rev14: `trackit experiments` said "accuracy 0.9732 (last pass of a loop)" for banana's SVC over 5 C x 10 seeds,
    // the panel "accuracy 0.9732", as if it were the cell's result
    const looped: Metric = { ...acc(0.9732), source: KERNEL_LAST_LOOP_PASS };
    const list = [exp("E0001", null, acc(0.78)), exp("E0002", "E0001", looped)];
    const dag = experimentsDag(list, dagre as unknown as LayoutEngine);
    assert.deepEqual(dag.nodes.map((n) => [n.metric, n.note]), [["accuracy 0.78", ""], ["accuracy 0.9732", "last pass of a loop"]]);
    assert.ok(dag.nodes[1].height > dag.nodes[0].height, "the note has its own line");
    assert.equal(metricText(looped), "accuracy 0.9732 (last pass of a loop)");
    const table = rows(list, new Map());
    assert.deepEqual([cellText(table[0], "accuracy"), cellText(table[1], "accuracy")], ["0.78", "0.9732 (last pass of a loop)"]);
  });

  it("tables experiments × metrics × changed features: NaN where a metric is missing, sorted and filtered", () => {
    const details = new Map<string, Experiment>([
      ["E0002", { ...LIST[1], metrics: [acc(0.81), { ...rmse(0.4) }] } as Experiment],
    ]);
    const table = rows(LIST, details);
    assert.deepEqual(metricColumns(LIST, table), ["accuracy", "rmse"]);
    assert.equal(cellText(table[1], "rmse"), "0.4");
    assert.equal(cellText(table[0], "rmse"), "NaN");
    assert.equal(cellText(table[3], "accuracy"), "NaN");
    let state = sortBy(INITIAL_TABLE, "metric:accuracy");
    assert.equal(state.descending, true, "metrics sort best-looking first");
    assert.deepEqual(visibleRows(table, state).map((r) => r.id), ["E0002", "E0001", "E0003", "E0004"]);
    state = sortBy(state, "metric:accuracy");
    assert.deepEqual(visibleRows(table, state).map((r) => r.id), ["E0003", "E0001", "E0002", "E0004"], "missing last either way");
    assert.deepEqual(visibleRows(table, { ...state, filter: "age" }).map((r) => r.id), ["E0002"]);
    assert.deepEqual(visibleRows(table, { ...state, filter: "model.params" }).map((r) => r.id), ["E0003"]);
    assert.deepEqual(visibleRows(table, { ...INITIAL_TABLE, sortBy: "changed", descending: true }).map((r) => r.id)[0], "E0002");
  });

  it("counts the changed decisions by section when they do not fit the cell, as the CLI's table does", () => {
    // sklearn-videos 07's E0006 listed twelve paths, a 300-character column; ztm-ml heart-disease's E0004 eleven
    const many = ["data.sources.df", "data.sources.rf_grid", "preprocessing.drop_columns(X)", "model.class", "model.estimator.class",
      "model.params.param_distributions", "model.best_params.max_depth", "training.inputs", "evaluation.functions"];
    assert.equal(changedText({ changed: many, dataChanged: true }), "data (3), preprocessing (1), model (4), training (1), evaluation (1)");
    assert.equal(changedTitle({ changed: many, dataChanged: false }).split("\n").length, 9, "every path in the tooltip");
    assert.equal(changedText({ changed: ["model.params.C"], dataChanged: true }), "model.params.C, data");
    assert.equal(changedText({ changed: [], dataChanged: false }), "\u2014");
  });

  it("names the data, packaged data sets too, and the later cells that showed a table of the result, as the CLI does", () => {
    // s26: `trackit experiments` said "iris (scikit-learn)" in its data column and `trackit show` "also looked at:
    // confusion_matrix in cell 6"; the panel showed neither
    const iris = exp("E0001", null, acc(0.97), {
      packaged_data_sets: ["iris (scikit-learn)"],
      also_looked_at: [{ seq: 6, cell_id: "c6", cell_index: 5, functions: ["confusion_matrix"] }],
    });
    const file = exp("E0002", "E0001", acc(0.95), { datasets: ["titanic/passengers.csv@D0002"], data_changed: true });
    const table = rows([iris, file, exp("E0003", "E0001", null)], new Map());
    assert.deepEqual(table.map((r) => r.data), ["iris (scikit-learn)", "passengers.csv@D0002 (new revision)", "\u2014"]);
    assert.deepEqual(table.map((r) => r.alsoLookedAt), ["also looked at: confusion_matrix in cell 6", "", ""]);
    assert.deepEqual(visibleRows(table, { ...INITIAL_TABLE, filter: "iris" }).map((r) => r.id), ["E0001"], "the filter finds the data");
    assert.equal(dataText({ datasets: ["a/x.csv@D1"], packaged_data_sets: ["tips (seaborn)"], data_changed: false }), "x.csv@D1, tips (seaborn)");
    assert.equal(alsoLookedAtText([
      { seq: 6, cell_id: "c6", cell_index: 5, functions: ["confusion_matrix", "classification_report"] },
      { seq: 8, cell_id: "c8", cell_index: 7, functions: [] },
    ]), "also looked at: confusion_matrix, classification_report in cell 6, a table in cell 8");
  });

  it("sorts by the data column like the other columns, by the text the cell shows", () => {
    // s27: every column but the data one sorted the table
    const table = rows([
      exp("E0001", null, acc(0.97), { packaged_data_sets: ["iris (scikit-learn)"] }),
      exp("E0002", "E0001", acc(0.95), { datasets: ["titanic/passengers.csv@D0002"], data_changed: true }),
      exp("E0003", "E0001", null),
    ], new Map());
    let state = sortBy(INITIAL_TABLE, "data");
    assert.deepEqual(visibleRows(table, state).map((r) => [r.id, r.data]), [
      ["E0003", "\u2014"], ["E0001", "iris (scikit-learn)"], ["E0002", "passengers.csv@D0002 (new revision)"],
    ], "sorted by the data cell's text");
    state = sortBy(state, "data");
    assert.equal(state.descending, true, "a second click flips it");
    assert.deepEqual(visibleRows(table, state).map((r) => r.id), ["E0002", "E0001", "E0003"]);
  });

  it("sorts by the parent column like the other columns, by the text the cell shows: roots first, last descending", () => {
    // s28: every column but the parent one sorted the table
    const table = rows([
      exp("E0001", null, acc(0.78)),
      exp("E0002", "E0003", acc(0.81)),
      exp("E0003", "E0001", acc(0.74)),
      exp("E0004", "E0001", null),
      exp("E0005", null, acc(0.8)),
    ], new Map());
    let state = sortBy(INITIAL_TABLE, "parent");
    assert.equal(state.descending, false);
    assert.deepEqual(visibleRows(table, state).map((r) => [r.id, parentText(r)]), [
      ["E0001", "\u2014"], ["E0005", "\u2014"], ["E0003", "E0001"], ["E0004", "E0001"], ["E0002", "E0003"],
    ], "sorted by the parent cell's text, a root's dash before every id, ties by id");
    state = sortBy(state, "parent");
    assert.equal(state.descending, true, "a second click flips it");
    assert.deepEqual(visibleRows(table, state).map((r) => r.id), ["E0002", "E0003", "E0004", "E0001", "E0005"], "roots last descending");
  });

  it("shows the first metric columns, all on request, and keeps the one sorted by", () => {
    const columns = ["accuracy", "f1.0", "f1.1", "precision.0", "precision.1", "recall.0", "recall.1"];
    assert.deepEqual(shownMetricColumns(columns, INITIAL_TABLE), columns.slice(0, 5));
    assert.deepEqual(shownMetricColumns(columns, { ...INITIAL_TABLE, allMetrics: true }), columns);
    assert.deepEqual(shownMetricColumns(columns, { ...INITIAL_TABLE, sortBy: "metric:recall.1" }), [...columns.slice(0, 5), "recall.1"]);
  });

  it("selects at most two to compare, older first", () => {
    let state = toggleSelected(INITIAL_TABLE, "E0003");
    state = toggleSelected(state, "E0001");
    state = toggleSelected(state, "E0002");
    assert.deepEqual(state.selected, ["E0001", "E0002"]);
    assert.deepEqual(comparePair(toggleSelected(toggleSelected(INITIAL_TABLE, "E0002"), "E0001"), rows(LIST, new Map())), ["E0001", "E0002"]);
    assert.equal(comparePair(toggleSelected(INITIAL_TABLE, "E0002"), rows(LIST, new Map())), undefined);
    assert.deepEqual(toggleSelected(state, "E0001").selected, ["E0002"], "ticking again unticks");
  });

  it("puts a unified diff side by side", () => {
    const rowsOut = sideBySide("--- a\n+++ b\n@@ -1,3 +1,3 @@\n import pandas as pd\n-df = df.dropna()\n+df = df.fillna(0)\n+df = df[df.age > 0]\n x = 1\n");
    assert.deepEqual(rowsOut, [
      { left: "@@ -1,3 +1,3 @@", right: "@@ -1,3 +1,3 @@", kind: "hunk" },
      { left: "import pandas as pd", right: "import pandas as pd", kind: "same" },
      { left: "df = df.dropna()", right: "df = df.fillna(0)", kind: "changed" },
      { left: undefined, right: "df = df[df.age > 0]", kind: "added" },
      { left: "x = 1", right: "x = 1", kind: "same" },
    ]);
  });

  it("builds the Explorer's forest by parent", () => {
    const forest = experimentForest(LIST);
    assert.deepEqual(forest.map((n) => n.id), ["E0001"]);
    assert.deepEqual(forest[0].children.map((n) => [n.id, n.description]), [["E0002", "accuracy 0.81 \u25b2"], ["E0003", "accuracy 0.74 \u25bc"]]);
    assert.deepEqual(forest[0].children[0].children.map((n) => n.description), ["no metric \u00b7 failed"]);
  });

  it("names in the Explorer's tree the data an experiment read and the later cells that showed a table of its result", () => {
    // s27: `trackit experiments` / `show` and the panel said "iris (scikit-learn)" and "also looked at: confusion_matrix
    // in cell 6" since ui25; the Explorer's tree said neither
    const iris = exp("E0001", null, acc(0.97), {
      packaged_data_sets: ["iris (scikit-learn)"],
      also_looked_at: [{ seq: 6, cell_id: "c6", cell_index: 5, functions: ["confusion_matrix"] }],
    });
    const file = exp("E0002", "E0001", acc(0.95), { datasets: ["titanic/passengers.csv@D0002"], data_changed: true });
    const [root] = experimentForest([iris, file, exp("E0003", "E0001", null)]);
    assert.equal(root.description, "accuracy 0.97 \u00b7 iris (scikit-learn)");
    assert.deepEqual(root.children.map((n) => n.description), ["accuracy 0.95 \u25bc \u00b7 passengers.csv@D0002 (new revision)", "no metric"]);
    assert.equal(root.tooltip, "E0001\naccuracy 0.97\ndata: iris (scikit-learn)\nalso looked at: confusion_matrix in cell 6");
    assert.equal(root.children[1].tooltip, "E0003\nno metric\ndata: \u2014", "no data named: said so in the tooltip only");
    const rowsUnder = childRows(root);
    assert.deepEqual(rowsUnder.map((r) => [r.kind, r.id]), [["look", "E0001/looks"], ["experiment", "E0002"], ["experiment", "E0003"]]);
    assert.equal(rowsUnder[0].kind === "look" && rowsUnder[0].label, "also looked at: confusion_matrix in cell 6");
    assert.deepEqual(childRows(root.children[0]), [], "no second look, no experiment built on it: a leaf");
  });

  it("names the first data file and how many more in the Explorer's row, every one in its tooltip", () => {
    // s27: VS Code cut off "accuracy 0.95 \u00b7 train.csv@D0001, test.csv@D0003, tips (seaborn)" at the Explorer's width
    const [several, changed, one] = experimentForest([
      exp("E0001", null, acc(0.97), { datasets: ["a/train.csv@D0001", "b/test.csv@D0003"], packaged_data_sets: ["tips (seaborn)"] }),
      exp("E0002", null, acc(0.95), { datasets: ["a/train.csv@D0004", "b/test.csv@D0003"], data_changed: true }),
      exp("E0003", null, acc(0.9), { datasets: ["a/train.csv@D0001"] }),
    ]);
    assert.equal(several.description, "accuracy 0.97 \u00b7 train.csv@D0001 +2 more");
    assert.equal(several.tooltip, "E0001\naccuracy 0.97\ndata: train.csv@D0001, test.csv@D0003, tips (seaborn)");
    assert.equal(changed.description, "accuracy 0.95 \u00b7 train.csv@D0004 +1 more (new revision)", "a new revision still said");
    assert.equal(changed.tooltip.split("\n")[2], "data: train.csv@D0004, test.csv@D0003 (new revision)");
    assert.equal(one.description, "accuracy 0.9 \u00b7 train.csv@D0001", "one file: named whole");
    assert.equal(dataShortText({ datasets: [], packaged_data_sets: [], data_changed: false }), "\u2014");
  });
});

describe("compare and hypotheses view model (trackit/diff, trackit/hypotheses)", () => {
  const side = (ref: string, session: number) => ({ ref, kind: "experiment" as const, notebook_uri: "file:///nb/t.ipynb", session, status: "ok" as const });
  const step = (seq: number, label: string) => ({ seq, cell_id: "c-impute", cell_index: 5, label });
  const diff: ExperimentDiff = {
    format: "trackit.diff/1",
    a: side("E0001", 1),
    b: side("E0002", 1),
    metrics: [{ name: "accuracy", a: 0.78, b: 0.81, delta: 0.03, direction: "higher", better: "b" }],
    steps_compared: 6,
    measured: true,
    divergence: {
      kind: "data",
      a: step(5, "[5] Cell 6 fillna"),
      b: step(12, "[12] Cell 6 fillna"),
      differences: [{ fact: "Age mean", a: 29.7, b: 28 }],
      matched_before: 3,
      label: "Filled missing values in `Age`: missing values 177 → 0 in both, but the values differ",
      cause: {
        kind: "code", cell_id: "c-impute", cell_index: 5, feature_changes: [], data: [], seeds: [], packages: [], environment: [],
        diff: "@@ -1 +1 @@\n-df.Age = df.Age.fillna(df.Age.mean())\n+df.Age = df.Age.fillna(df.Age.median())", label: "the code of cell 6 changed",
      },
    },
    feature_changes: [{ path: "impute.Age.strategy", change: "changed", before: "mean", after: "median" }],
    feature_tree: {},
    features_not_reached: [],
    code_changes: [{ cell_id: "c-impute", change: "changed", cell_index_a: 5, cell_index_b: 5, diff: "@@ -1 +1 @@\n-a\n+b" }],
    data_changes: [{ dataset_id: "D0001", a: "D0001", b: "D0002", sha256_a: "aaaaaaaaaaaa", sha256_b: "bbbbbbbbbbbb", path_a: "t.csv", path_b: "t.csv" }],
    seed_changes: [{ name: "random_state", a: 1, b: 2 }],
    environment_changes: [],
    git_changes: [],
  };

  it("shows metrics, the first divergent step with its facts and cause side by side, then what else changed", () => {
    const view = compareView(diff);
    assert.deepEqual(view.sections.map((s) => s.title), ["Metrics", "First divergent step", "Features changed", "Code changed", "Data revisions", "Seeds"]);
    assert.deepEqual(view.sections[0].table!.rows, [["accuracy", "0.78", "0.81", "+0.03", "E0002 (no spread recorded)"]]);
    // the values and the Δ are numbers: the panel writes them unwrapped (a narrow Δ column broke "+0.0045" in two)
    assert.deepEqual(view.sections[0].table!.numeric, [1, 2, 3]);
    assert.deepEqual(view.sections[1].lines, [diff.divergence!.label, "E0001: [5] Cell 6 fillna", "E0002: [12] Cell 6 fillna", "Because: the code of cell 6 changed"]);
    assert.deepEqual(view.sections[1].table!.rows, [["Age mean", "29.7", "28"]]);
    assert.equal(view.sections[1].diffs![0].title, "the change that explains it (cell 6)");
    assert.deepEqual(view.sections[1].diffs![0].rows[1], { left: "df.Age = df.Age.fillna(df.Age.mean())", right: "df.Age = df.Age.fillna(df.Age.median())", kind: "changed" });
    assert.deepEqual(view.sections[2].table!.rows, [["impute.Age.strategy", "changed", "mean", "median"]]);
    assert.equal(view.sections[3].diffs![0].title, "cell 6 (c-impute)");
    assert.deepEqual(view.sections[4].table!.rows, [["D0001", "D0001 \u00b7 sha256 aaaaaaaa \u00b7 t.csv", "D0002 \u00b7 sha256 bbbbbbbb \u00b7 t.csv"]]);
    assert.deepEqual(view.sections[5].table!.rows, [["random_state", "1", "2"]]);
    assert.deepEqual(compareView({ ...diff, divergence: null, feature_changes: [], code_changes: [] }).sections[1].lines, ["None: the 6 steps compared agree."]);
    assert.deepEqual(compareView({ ...diff, divergence: null, measured: false }).sections[1].lines, ["None: the 6 steps compared agree (by their code: the data were not measured)."]);
  });

  it("draws the change that explains the divergence once, and says a difference to the decimals of its values", () => {
    // ztm-ml heart-disease, E0003 vs E0004 in the panel: the cell's diff under "First divergent step" and again under
    // "Code changed"; the Δ read "0.004508" between 0.8525 and 0.857
    const same = diff.divergence!.cause.diff!;
    const view = compareView({
      ...diff,
      metrics: [{ name: "accuracy", a: 0.852459, b: 0.8569672, delta: 0.0045082, direction: "higher", better: "b" }],
      code_changes: [{ cell_id: "c-impute", change: "changed", cell_index_a: 5, cell_index_b: 5, diff: same },
        { cell_id: "c-model", change: "changed", cell_index_a: 6, cell_index_b: 6, diff: "@@ -1 +1 @@\n-C=1\n+C=2" }],
    });
    assert.deepEqual(view.sections[0].table!.rows, [["accuracy", "0.8525", "0.857", "+0.0045", "E0002 (no spread recorded)"]]);
    const code = view.sections.find((s) => s.title === "Code changed")!;
    assert.deepEqual(code.lines, ["cell 6 (c-impute): shown above, the change that explains it"]);
    assert.deepEqual(code.diffs!.map((d) => d.title), ["cell 7 (c-model)"]);
    const drawn = view.sections.flatMap((s) => s.diffs ?? []).filter((d) => d.rows.some((r) => r.right === "df.Age = df.Age.fillna(df.Age.median())"));
    assert.equal(drawn.length, 1, "the explaining diff is drawn once");
    assert.equal(formatDifference(-0.25, 0.75, 0.5), "\u22120.25");
    assert.equal(formatDifference(0.00002, 0.85244, 0.85246), "+0.00002");
    assert.equal(formatDifference(0, 0.5, 0.5), "\u00b10");
  });

  it("says under the divergence when a side scored a model that was not refitted after its data changed", () => {
    // rev19: "Because: a decision changed in cell 5: split.test_size: 0.2 → 0.3" alone read as test_size's effect on a
    // model trained with it; the sidecar's ExperimentDiff.model_note says the side's model is the earlier split's
    const note = "E0002's model was fitted on an earlier split: #11 split the data again into `X_train` and `y_train` after the fit (#10)";
    const lines = compareView({ ...diff, model_note: note }).sections[1].lines!;
    assert.equal(lines[lines.length - 1], `Also: ${note}`);
    assert.deepEqual(compareView({ ...diff, divergence: null, model_note: note }).sections[1].lines, ["None: the 6 steps compared agree.", `Also: ${note}`]);
    assert.ok(!compareView(diff).sections[1].lines!.some((line) => line.startsWith("Also:")));
  });

  it("says under the cause the other decisions that changed, as `trackit diff` and `ask` do", () => {
    // the bundled example with its Age fill and C both edited: the cause named the fill alone, as if the move were its
    const others = "model.params.C: (unset) → 0.3; with more than one decision changed, the records do not say how much of the difference each made";
    const lines = compareView({ ...diff, other_decisions: others }).sections[1].lines!;
    assert.equal(lines[lines.indexOf("Because: the code of cell 6 changed") + 1], `Also changed: ${others}`);
    assert.ok(!compareView(diff).sections[1].lines!.some((line) => line.startsWith("Also changed:")));
  });

  it("names the model, cell and experiments of each metric of a run-level diff", () => {
    // rev21, islr `diff "run 3" "run 4"`: "accuracy 0.93 → 0.93" was one accuracy per run across models; the sidecar
    // now compares each experiment with the same cell's on the same model in the other run
    const runs = { ...diff, a: { ...side("run 3", 3), kind: "run" as const }, b: { ...side("run 4", 4), kind: "run" as const },
      metrics: [{ name: "accuracy", a: 0.56, b: 0.591, delta: 0.031, direction: "higher" as const, better: "b" as const,
        a_experiment: "E0014", b_experiment: "E0025", model: "LinearDiscriminantAnalysis", cell_index: 36 }] };
    assert.deepEqual(compareView(runs).sections[0].table!.rows[0][0], "accuracy (LinearDiscriminantAnalysis, cell 37: E0014 \u2192 E0025)");
  });

  it("names a better side only beyond the recorded spread", () => {
    // rev24, 07 cross-validation: cv_rmse 1.68 → 1.691 read "run 2 better" while the folds' RMSEs spread ±0.45
    const row = (m: Partial<ExperimentDiff["metrics"][number]>) =>
      compareView({ ...diff, metrics: [{ name: "cv_rmse", a: 1.68, b: 1.691, delta: 0.011, direction: "lower", better: "a", ...m }] }).sections[0].table!.rows[0][4];
    assert.equal(row({ noise: 0.45, noise_source: "std", repeats: 20, exceeds_noise: false }), "neither (within \u00b10.45)");
    assert.equal(row({ noise: 0.004, noise_source: "std", repeats: 20, exceeds_noise: true }), "E0001");
    assert.equal(row({}), "E0001 (no spread recorded)");
    assert.equal(row({ delta: 0, better: "same" }), "same");
  });

  it("says a model parameter left to its default as the default, and a new class's parameter as another class's", () => {
    // rev28 left "model.params.C: (unset) → 0.3"; the panel's table read "added — 0.3"
    const rows = compareView({ ...diff, feature_changes: [
      { path: "model.params.C", change: "added", before: 1, after: 0.3, unset_means: "default" },
      { path: "model.steps[lr].params.C", change: "removed", before: 0.3, unset_means: "default" },
      { path: "model.params.n_neighbors", change: "added", after: 7, unset_means: "another_class" },
      { path: "preprocessing.filter_rows[x1]", change: "added", after: "x1 > 0" },
    ] }).sections[2].table!.rows;
    assert.deepEqual(rows, [
      ["model.params.C", "added", "1 (default)", "0.3"],
      ["model.steps[lr].params.C", "removed", "0.3", "default"],
      ["model.params.n_neighbors", "added", "(another class)", "7"],
      ["preprocessing.filter_rows[x1]", "added", "\u2014", "x1 > 0"],
    ]);
  });

  it("shows the features of cells a stopped run never reached, not compared", () => {
    // rev24, 07 cross-validation run 1 stopped at cell 31: `trackit diff` listed the later cells' features as not
    // reached, the panel showed nothing of them
    const stopped = { ...diff, a: { ...diff.a, stopped_at_cell_index: 30 },
      features_not_reached: [{ path: "KNeighborsClassifier in cell 33.model.params.n_neighbors", change: "added" as const, after: 7 }] };
    const section = compareView(stopped).sections.find((s) => s.title === "Features of cells not reached")!;
    assert.deepEqual(section.lines, ["E0001 stopped at the error in cell 31: these were not compared."]);
    assert.deepEqual(section.table!.rows, [["KNeighborsClassifier in cell 33.model.params.n_neighbors", "\u2014", "7"]]);
    assert.ok(!compareView(diff).sections.some((s) => s.title === "Features of cells not reached"));
  });

  it("names the variables a divergent step's measured difference is of", () => {
    // rev19, chili's split: rows 800 → 700 and 200 → 300 in one table, which parts had which unsaid
    const split = { ...diff.divergence!, differences: [{ fact: "rows", a: 800, b: 700, variables: ["X_train", "y_train"] }, { fact: "rows", a: 200, b: 300, variables: ["X_test", "y_test"] }] };
    assert.deepEqual(compareView({ ...diff, divergence: split }).sections[1].table!.rows, [["rows (X_train, y_train)", "800", "700"], ["rows (X_test, y_test)", "200", "300"]]);
  });

  it("lists hypotheses with their evidence and the metric by DAG order", () => {
    assert.deepEqual(dagOrder(LIST), ["E0001", "E0002", "E0004", "E0003"]);
    const evidence = (experiment_id: string, value: number, verdict: Evidence["verdict"], label: string): Evidence => ({
      experiment_id, metric: "accuracy", value, verdict, confidence: "high", reasons: [], decides: true, label,
    });
    const hypothesis: Hypothesis = {
      id: "H0001", statement: "median imputation beats dropping rows", metric: "accuracy", direction: "higher", baseline: "parent",
      thresholds: { min_effect: 0.01, min_confidence: "medium", min_evidence: 1 }, created_at: "2026-12-01T10:00:00Z",
      status: "supported", status_set_by_user: true, computed_status: "testing", experiments: ["E0003", "E0002"],
      evidence: [
        evidence("E0003", 0.74, "refutes", "E0003: accuracy 0.74, −0.04 against E0001"),
        evidence("E0002", 0.81, "supports", "E0002: accuracy 0.81, +0.03 against E0001"),
      ],
    };
    const [view] = hypothesisViews([hypothesis], dagOrder(LIST));
    assert.equal(view.status, "supported (set by you; computed: testing)");
    assert.equal(view.metric, "accuracy");
    assert.deepEqual(view.evidence.map((e) => e.verdict), ["refutes", "supports"]);
    assert.deepEqual(view.trend.map((t) => t.experiment), ["E0002", "E0003"], "DAG order, not link order");
    const points = trendPoints(view.trend, 100, 40);
    assert.deepEqual(points.map((p) => Math.round(p.x)), [6, 94]);
    assert.ok(points[0].y < points[1].y, "the higher value is drawn higher");
    assert.deepEqual(trendPoints([{ value: 1 }], 100, 40), []);
    const wide = trendPoints(view.trend, 360, 60, 32, 14);
    assert.deepEqual(wide.map((p) => Math.round(p.x)), [32, 328], "room at the sides for the labels");
    assert.deepEqual(wide.map((p) => Math.round(p.y)), [14, 46], "the higher value drawn higher, inside the vertical padding");
  });
});

describe("experiments panel (host side)", () => {
  const v = vscode as any;
  const saved = { ...v.window };
  afterEach(() => Object.assign(v.window, saved));

  it("lists the notebook's experiments with their metrics and hypotheses, compares two and acts on the page", async () => {
    const posted: any[] = [];
    let listener: ((m: any) => Promise<void>) | undefined;
    v.window.createWebviewPanel = () => ({
      webview: {
        cspSource: "vscode-webview://x", asWebviewUri: (u: vscode.Uri) => u, html: "",
        postMessage: async (m: any) => posted.push(m),
        onDidReceiveMessage: (fn: any) => ((listener = fn), { dispose() {} }),
      },
      reveal() {}, onDidDispose() { return { dispose() {} }; }, dispose() {}, title: "",
    });
    const calls: [string, any][] = [];
    const hypothesis = { id: "H0001", statement: "C helps", metric: "accuracy", status: "testing", computed_status: "testing", status_set_by_user: false, experiments: ["E0002"], evidence: [] };
    const source = {
      isRunning: () => true,
      request: async <R>(method: string, params: any): Promise<R> => {
        calls.push([method, params]);
        if (method === Methods.EXPERIMENTS) return { notebook_uri: params.notebook_uri, experiments: LIST } as R;
        if (method === Methods.EXPERIMENT) return { ...LIST.find((e) => e.id === params.experiment_id)!, metrics: [acc(0.5)] } as R;
        if (method === Methods.REPARENT_EXPERIMENT) return LIST[2] as R;
        if (method === Methods.HYPOTHESES) return { hypotheses: [hypothesis] } as R;
        if (method === Methods.DIFF) {
          return { a: { ref: params.a }, b: { ref: params.b }, metrics: [], divergence: null, steps_compared: 4, measured: true, feature_changes: [], code_changes: [], data_changes: [], seed_changes: [], environment_changes: [], git_changes: [] } as R;
        }
        if (method === Methods.ADD_HYPOTHESIS) return { ...hypothesis, id: "H0002" } as R;
        if (method === Methods.LINK_HYPOTHESIS) return hypothesis as R;
        if (method === Methods.NAME_EXPERIMENT) return LIST[2] as R;
        throw new Error(`unexpected ${method}`);
      },
    };
    const revealed: unknown[][] = [];
    const commands: unknown[][] = [];
    const panel = new ExperimentsPanel({
      source, log: { info() {}, warn() {}, error() {} } as any, extensionUri: vscode.Uri.file("/ext"),
      reveal: async (...a) => void revealed.push(a), runCommand: async (...a: unknown[]) => void commands.push(a),
    });
    await panel.show("file:///nb/t.ipynb", "E0002");
    await listener!({ type: "ready" });
    const shown = posted.find((m) => m.type === "experiments");
    assert.equal(shown.data.experiments.length, 4);
    assert.equal(shown.data.details.length, 4);
    assert.equal(shown.data.focus, "E0002");
    assert.deepEqual(shown.data.hypotheses.map((h: any) => h.id), ["H0001"]);
    assert.deepEqual(calls.find(([m]) => m === Methods.HYPOTHESES)![1], { notebook_uri: "file:///nb/t.ipynb" });
    await listener!({ type: "compare", a: "E0001", b: "E0002" });
    assert.deepEqual(calls.find(([m]) => m === Methods.DIFF)![1], { a: "E0001", b: "E0002", notebook_uri: "file:///nb/t.ipynb" });
    const compared = posted[posted.length - 1];
    assert.equal(compared.type, "compare");
    assert.deepEqual(compared.view.sections[1].lines, ["None: the 4 steps compared agree."]);
    // link: an existing hypothesis the experiment is in is unlinked; a new one is added, then linked
    const prompts: any[] = []; // the options of every prompt the page opened
    v.window.showQuickPick = async (items: any[], options: any) => (prompts.push(options), items.find((i) => i.hypothesis?.id === "H0001"));
    await listener!({ type: "link", id: "E0002" });
    assert.deepEqual(calls.filter(([m]) => m === Methods.LINK_HYPOTHESIS).pop()![1], { hypothesis_id: "H0001", experiment_ids: ["E0002"], unlink: true });
    v.window.showQuickPick = async (items: any[], options: any) => (prompts.push(options), items.find((i) => !i.hypothesis));
    v.window.showInputBox = async (options: any) => (prompts.push(options), "a smaller C generalises better");
    await listener!({ type: "link", id: "E0003" });
    assert.deepEqual(calls.find(([m]) => m === Methods.ADD_HYPOTHESIS)![1], { statement: "a smaller C generalises better", metric: "accuracy", baseline: "parent" });
    assert.deepEqual(calls.filter(([m]) => m === Methods.LINK_HYPOTHESIS).pop()![1], { hypothesis_id: "H0002", experiment_ids: ["E0003"], unlink: false });
    await listener!({ type: "reveal", id: "E0003" });
    assert.deepEqual(revealed, [["file:///nb/t.ipynb", "cE0003", 9]]);
    await listener!({ type: "lineage", id: "E0003" });
    assert.deepEqual(commands, [["trackit.showDataLineage", { notebookUri: "file:///nb/t.ipynb", experimentId: "E0003" }]]);
    v.window.showQuickPick = async (items: any[], options: any) => (prompts.push(options), items.find((i) => i.parent === "E0002"));
    await listener!({ type: "reparent", id: "E0003" });
    assert.deepEqual(calls.find(([m]) => m === Methods.REPARENT_EXPERIMENT)![1], { experiment_id: "E0003", parent_id: "E0002" });
    v.window.showInputBox = async (options: any) => (prompts.push(options), options.title.startsWith("Name") ? "smaller C" : "tried C=0.05");
    await listener!({ type: "name", id: "E0003" });
    assert.deepEqual(calls.find(([m]) => m === Methods.NAME_EXPERIMENT)![1], { experiment_id: "E0003", name: "smaller C", notes: "tried C=0.05" });
    v.window.showQuickPick = async (_items: any[], options: any) => (prompts.push(options), undefined); // export, cancelled
    await listener!({ type: "export", id: "E0003" });
    // a prompt that closes hands focus back to the webview a moment later: the next one must not close when it goes
    // (microsoft/vscode#93950)
    assert.deepEqual(prompts.map((o) => o.title), [
      "Link E0002 to a hypothesis", "Link E0003 to a hypothesis", "New hypothesis", "Which experiment does E0003 build on?",
      "Name E0003", "Notes for E0003", "Export E0003",
    ]);
    assert.deepEqual(prompts.filter((o) => o.ignoreFocusOut !== true).map((o) => o.title), [], "prompts that close when focus moves");
  });
});
