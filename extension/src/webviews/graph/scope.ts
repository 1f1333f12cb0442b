// Pure: the lineage graph's scope picker: the latest run, one run's value, a session or an experiment, as the
// picker's options and values.
import type { ExperimentSummary, SessionInfo } from "../../sidecar/protocol";
import { formatMetric } from "../metricFormat";

export interface ScopeOption {
  value: string; // "latest" | "run:<seq>" | "session:<id>" | "experiment:<id>"
  label: string;
}

/** `seq`: as one run left it (a hover's or a cell's "Show data lineage"), not the latest value. */
export type Scope = { session?: number; experiment_id?: string; seq?: number };

export function parseScope(value: string): Scope {
  if (value.startsWith("run:")) return { seq: Number(value.slice("run:".length)) };
  if (value.startsWith("session:")) return { session: Number(value.slice("session:".length)) };
  if (value.startsWith("experiment:")) return { experiment_id: value.slice("experiment:".length) };
  return {};
}

export function scopeValue(scope: Scope): string {
  if (scope.experiment_id) return `experiment:${scope.experiment_id}`;
  if (scope.seq !== undefined && scope.seq !== null) return `run:${scope.seq}`;
  if (scope.session !== undefined && scope.session !== null) return `session:${scope.session}`;
  return "latest";
}

/** "Latest run", the run asked about when there is one ("As of [5] Cell 10": the picker must not say "Latest run"
 * over an earlier value), each session as the tree names it, each experiment with its primary metric. */
export function scopeOptions(
  sessions: readonly SessionInfo[],
  experiments: readonly ExperimentSummary[],
  sessionLabel: (s: SessionInfo, ordinal: number) => string,
  asOf?: { seq: number; label: string },
): ScopeOption[] {
  const ordered = [...sessions].sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id - b.id);
  const options: ScopeOption[] = [{ value: "latest", label: "Latest run" }];
  if (asOf) options.push({ value: `run:${asOf.seq}`, label: `As of ${asOf.label}` });
  ordered.forEach((s, i) => options.push({ value: `session:${s.id}`, label: sessionLabel(s, i + 1) }));
  for (const e of experiments) {
    const metric = e.primary_metric ? ` \u00b7 ${e.primary_metric.name} ${formatMetric(e.primary_metric.value)}` : "";
    options.push({ value: `experiment:${e.id}`, label: `${e.id}${e.name ? ` ${e.name}` : ""}${metric}` });
  }
  return options;
}
