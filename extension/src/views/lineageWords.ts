// Pure: what the "TrackIT Lineage" tree's rows say: session and run labels, descriptions, status icons, the
// staleness line and the tooltips. The words themselves are the sidecar's (render/, sent in the lineage document);
// this file puts them together. lineageModel.ts builds the rows with them.
import type { ExecutionRecord, LineageDocument, SessionInfo } from "../sidecar/protocol";

export function localHourMinute(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "?";
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "Session 2 · 14:03 · 12 runs": sessions are numbered in start order, timed in the user's zone. */
export function sessionLabel(s: Pick<SessionInfo, "started_at">, ordinal: number, runs: number, formatTime = localHourMinute): string {
  return `Session ${ordinal} \u00b7 ${formatTime(s.started_at)} \u00b7 ${plural(runs, "run")}`;
}

/** "[3] Cell 5": rendered by the sidecar (render/tree.py), like every word about steps. */
export function executionLabel(e: Pick<ExecutionRecord, "label" | "cell_index">): string {
  return e.label ?? `Cell ${e.cell_index + 1}`;
}

/** The sidecar decides staleness (lineage/staleness.py) from what the editor says the cells hold now. */
export function isStale(e: Pick<ExecutionRecord, "stale">): boolean {
  return e.stale === "edited" || e.stale === "upstream";
}

export function executionDescription(e: ExecutionRecord, withStale = true): string {
  const text = e.description ?? e.status;
  if (!withStale) return text;
  if (e.stale === "edited") return `${text} (edited since)`;
  if (e.stale === "upstream") return `${text} (stale)`;
  return text;
}

/** "The cell has been edited since this run." / "Stale: it used results of [3] Cell 4, edited since." */
export function staleLine(e: ExecutionRecord, doc: LineageDocument): string | undefined {
  if (e.stale === "edited") return "_The cell has been edited since this run._";
  if (e.stale !== "upstream") return undefined;
  const edited = e.stale_because
    .map((seq) => doc.executions.find((other) => other.seq === seq))
    .filter((other): other is ExecutionRecord => other !== undefined)
    .map(executionLabel);
  return `_Stale: it used results of ${edited.length > 0 ? edited.join(", ") : "a cell"}, edited since._`;
}

function statusIcon(status: ExecutionRecord["status"]): { icon: string; color: string } {
  switch (status) {
    case "ok":
      return { icon: "pass", color: "testing.iconPassed" };
    case "error":
      return { icon: "error", color: "testing.iconFailed" };
    case "cancelled":
      return { icon: "circle-slash", color: "testing.iconSkipped" };
  }
}

/** A run's icon: its status, except that an ok run one of whose steps is a guess (Step.inferred_from) shows
 * "question" in the ok colour. Its row's description ends with the sidecar's "(inferred from …)", which the Explorer
 * cuts at its default width; the icon is always in view, and the tooltip's step lines say the whole note. An error
 * or a cancel says more than a guess, and keeps its own icon. */
export function executionIcon(e: Pick<ExecutionRecord, "status" | "steps">): { icon: string; color: string } {
  const status = statusIcon(e.status);
  return e.status === "ok" && e.steps.some((step) => step.inferred_from) ? { ...status, icon: "question" } : status;
}

export function sessionTooltip(s: SessionInfo): string | undefined {
  const lines: string[] = [];
  if (s.kernel_label) lines.push(s.kernel_label);
  if (s.runtime_note) lines.push(`_${s.runtime_note}_`);
  return lines.length > 0 ? lines.join("\n\n") : undefined;
}

/** `sessionNote`: the note its session says for all of its runs, which the run's tooltip repeats. A failed run
 * leads with its error and what it left behind (`outcome`); its step lines are only what took effect. */
export function executionTooltip(
  e: ExecutionRecord,
  staleNote: string | undefined,
  formatTime: (iso: string) => string,
  sessionNote?: string | null,
): string {
  const lines = [`**${executionLabel(e)}** · ${executionDescription(e, false)}`];
  if (e.error && (e.error.name || e.error.message)) lines.push("", `${e.error.name ?? "Error"}: ${e.error.message ?? ""}`);
  if (e.outcome) lines.push("", e.outcome);
  lines.push("", `ran at ${formatTime(e.started_at)}`);
  if (staleNote) lines.push("", staleNote);
  const stepLines = e.step_lines ?? [];
  if (stepLines.length > 0) {
    lines.push("", "Steps:");
    for (const line of stepLines) lines.push(`- ${line}`);
  }
  if (e.analysis_error) lines.push("", `_${e.analysis_error}_`);
  const note = e.runtime_note ?? sessionNote;
  if (note) lines.push("", `_${note}_`);
  return lines.join("\n");
}
