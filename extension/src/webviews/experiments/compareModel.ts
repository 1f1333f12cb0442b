// Pure view model of the Experiments panel's compare and hypotheses views, from the sidecar's answers to
// trackit/diff (ExperimentDiff) and trackit/hypotheses (HypothesisList). The words inside are the sidecar's
// (Divergence.label, Cause.label, ExperimentDiff.model_note and .other_decisions, Evidence.label); this file arranges them into sections, tables, side-by-side
// code and a metric trend.
import type { ExperimentDiff, Hypothesis, ValueChange } from "../../sidecar/protocol";
import { formatDifference, formatMetric } from "../metricFormat";
import { CompareSection, CompareView, sideBySide } from "./model";

const value = (v: unknown): string =>
  v === undefined || v === null ? "\u2014" : typeof v === "number" ? formatMetric(v) : typeof v === "string" ? v : JSON.stringify(v);

/** A feature change's value on one side: a model parameter missing there is the class's default ("1 (default)" with
 * the value the kernel read, as the sidecar's render.diff_values.missing_side says it), or, after a class change,
 * belongs to another class. */
const featureValue = (f: ExperimentDiff["feature_changes"][number], side: "before" | "after"): string => {
  const v = f[side];
  const missing = (side === "before" && f.change === "added") || (side === "after" && f.change === "removed");
  if (!missing || !f.unset_means) return value(v);
  if (f.unset_means === "another_class") return "(another class)";
  return v === undefined || v === null ? "default" : `${value(v)} (default)`;
};

const revision = (id: string | null | undefined, sha256: string | null | undefined, path: string | null | undefined): string =>
  [id, sha256 ? `sha256 ${sha256.slice(0, 8)}` : "", path].filter(Boolean).join(" \u00b7 ") || "\u2014";

const cellName = (index: number | null | undefined) => (index === undefined || index === null ? "cell ?" : `cell ${index + 1}`);

/** A run-level diff compares each metric model by model (the same cell's experiment on the same model in each run):
 * "accuracy (LinearDiscriminantAnalysis, cell 37: E0014 → E0025)". */
const metricName = (m: ExperimentDiff["metrics"][number]): string =>
  m.a_experiment || m.b_experiment
    ? `${m.name} (${[m.model, cellName(m.cell_index)].filter(Boolean).join(", ")}: ${m.a_experiment ?? "\u2014"} \u2192 ${m.b_experiment ?? "\u2014"})`
    : m.name;

/** Which side is better, only as far as the recorded spread tells (the sidecar's render.metric_moves.metric_line says
 * the same in `trackit diff`): 07 cross-validation's cv_rmse +0.012 read "run 2" while its folds spread ±0.45. */
const better = (m: ExperimentDiff["metrics"][number], a: string, b: string): string => {
  if (m.better === "same") return "same";
  if (m.better !== "a" && m.better !== "b") return "\u2014";
  if (m.exceeds_noise === false && typeof m.noise === "number") return `neither (within \u00b1${Number(m.noise.toPrecision(2))})`;
  const side = m.better === "a" ? a : b;
  return m.exceeds_noise === true ? side : `${side} (no spread recorded)`;
};

/** The features of the cells a side's run never reached (it stopped at an error): not compared, and no decision
 * that changed (rev24: the CLI and hovers said them, the panel did not). */
function notReachedSection(diff: ExperimentDiff): CompareSection | undefined {
  if (!diff.features_not_reached || diff.features_not_reached.length === 0) return undefined;
  const stopped = [diff.a, diff.b]
    .filter((side) => side.stopped_at_cell_index !== undefined && side.stopped_at_cell_index !== null)
    .map((side) => `${side.ref} stopped at the error in ${cellName(side.stopped_at_cell_index)}`);
  return {
    title: "Features of cells not reached",
    lines: [`${stopped.join("; ") || "A run stopped at an error"}: these were not compared.`],
    table: { head: ["feature", diff.a.ref, diff.b.ref], rows: diff.features_not_reached.map((f) => [f.path, value(f.before), value(f.after)]) },
  };
}

/** The diff of A and B: metrics, the first divergent step and its cause (with its code change side by side),
 * then features, code and data that differ. */
export function compareView(diff: ExperimentDiff): CompareView {
  const a = diff.a.ref;
  const b = diff.b.ref;
  const sections: CompareSection[] = [];
  sections.push({
    title: "Metrics",
    table: {
      head: ["metric", a, b, "\u0394", "better"],
      numeric: [1, 2, 3],
      rows: diff.metrics.map((m) => [
        metricName(m), value(m.a), value(m.b), m.delta === undefined || m.delta === null ? "\u2014" : formatDifference(m.delta, m.a, m.b),
        better(m, a, b),
      ]),
    },
  });
  const d = diff.divergence;
  if (d) {
    const cause = d.cause;
    const where = [d.a?.label ? `${a}: ${d.a.label}` : "", d.b?.label ? `${b}: ${d.b.label}` : ""].filter(Boolean);
    sections.push({
      title: "First divergent step",
      lines: [d.label ?? "", ...where, cause.label ? `Because: ${cause.label}` : "",
        diff.other_decisions ? `Also changed: ${diff.other_decisions}` : "", diff.model_note ? `Also: ${diff.model_note}` : ""].filter(Boolean),
      table: d.differences.length > 0 ? { head: ["fact", a, b], rows: d.differences.map((f) => [f.variables?.length ? `${f.fact} (${f.variables.join(", ")})` : f.fact, value(f.a), value(f.b)]) } : undefined,
      diffs: cause.diff ? [{ title: cause.cell_index !== undefined && cause.cell_index !== null ? `the change that explains it (${cellName(cause.cell_index)})` : "the change that explains it", rows: sideBySide(cause.diff) }] : undefined,
    });
  } else {
    const none = `None: the ${diff.steps_compared} steps compared agree${diff.measured ? "" : " (by their code: the data were not measured)"}.`;
    sections.push({ title: "First divergent step", lines: [none, diff.model_note ? `Also: ${diff.model_note}` : ""].filter(Boolean) });
  }
  if (diff.feature_changes.length > 0) {
    sections.push({
      title: "Features changed",
      table: {
        head: ["feature", "change", a, b],
        rows: diff.feature_changes.map((f) => [f.path, f.change, featureValue(f, "before"), featureValue(f, "after")]),
      },
    });
  }
  const notReached = notReachedSection(diff);
  if (notReached) sections.push(notReached);
  // the cell whose change explains the divergence is drawn there already: the same diff again under "Code changed"
  // read as a second change
  const cause = d?.cause;
  const explained = cause?.diff ? diff.code_changes.find((c) => c.cell_id === cause.cell_id && c.diff === cause.diff) : undefined;
  const otherCode = diff.code_changes.filter((c) => c !== explained);
  if (explained || otherCode.length > 0) {
    sections.push({
      title: "Code changed",
      lines: explained ? [`${cellName(explained.cell_index_b ?? explained.cell_index_a)} (${explained.cell_id}): shown above, the change that explains it`] : undefined,
      diffs: otherCode.map((c) => ({
        title: c.change === "changed"
          ? `${cellName(c.cell_index_b ?? c.cell_index_a)} (${c.cell_id})`
          : `${cellName(c.change === "only_a" ? c.cell_index_a : c.cell_index_b)} (${c.cell_id}), only in ${c.change === "only_a" ? a : b}`,
        rows: sideBySide(c.diff),
      })),
    });
  }
  if (diff.data_changes.length > 0) {
    sections.push({
      title: "Data revisions",
      table: { head: ["dataset", a, b], rows: diff.data_changes.map((c) => [c.dataset_id, revision(c.a, c.sha256_a, c.path_a), revision(c.b, c.sha256_b, c.path_b)]) },
    });
  }
  for (const [title, changes] of [["Seeds", diff.seed_changes], ["Packages and environment", diff.environment_changes], ["Git", diff.git_changes]] as [string, ValueChange[]][]) {
    if (changes.length > 0) sections.push({ title, table: { head: ["name", a, b], rows: changes.map((c) => [c.name, value(c.a), value(c.b)]) } });
  }
  return { sections };
}

/** Experiments in DAG order: parents before children, older first among siblings. */
export function dagOrder(experiments: readonly { id: string; parent?: string | null; created_at: string }[]): string[] {
  const ids = new Set(experiments.map((e) => e.id));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  const sorted = [...experiments].sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id.localeCompare(y.id));
  for (const e of sorted) {
    if (e.parent && ids.has(e.parent)) children.set(e.parent, [...(children.get(e.parent) ?? []), e.id]);
    else roots.push(e.id);
  }
  const out: string[] = [];
  const visit = (id: string) => {
    if (out.includes(id)) return;
    out.push(id);
    for (const c of children.get(id) ?? []) visit(c);
  };
  roots.forEach(visit);
  return out;
}

export interface HypothesisView {
  id: string;
  statement: string;
  metric: string;
  status: string; // "supported (set by you; computed: testing)"
  evidence: { experiment: string; verdict: string; line: string }[];
  trend: { experiment: string; value: number }[]; // the metric by DAG order, for the chart
}

export function hypothesisViews(hypotheses: readonly Hypothesis[], order: readonly string[]): HypothesisView[] {
  const position = new Map(order.map((id, i) => [id, i]));
  return hypotheses.map((h) => ({
    id: h.id,
    statement: h.statement,
    metric: h.metric,
    status: h.status_set_by_user && h.status !== h.computed_status ? `${h.status} (set by you; computed: ${h.computed_status})` : h.status,
    evidence: h.evidence.map((e) => ({ experiment: e.experiment_id, verdict: e.verdict ?? "no evidence", line: e.label ?? "" })),
    trend: h.evidence
      .filter((e) => e.metric === h.metric && typeof e.value === "number" && Number.isFinite(e.value))
      .map((e) => ({ experiment: e.experiment_id, value: e.value as number }))
      .sort((x, y) => (position.get(x.experiment) ?? 1e9) - (position.get(y.experiment) ?? 1e9)),
  }));
}

/** A trend chart's polyline in a `width` × `height` box (y grows downwards), or [] with fewer than two points. */
export function trendPoints(trend: readonly { value: number }[], width: number, height: number, padX = 6, padY = padX): { x: number; y: number }[] {
  if (trend.length < 2) return [];
  const values = trend.map((t) => t.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return trend.map((t, i) => ({
    x: padX + (i * (width - 2 * padX)) / (trend.length - 1),
    y: height - padY - ((t.value - lo) * (height - 2 * padY)) / span,
  }));
}
