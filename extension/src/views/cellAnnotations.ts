// Cell status bar: "$(history) ran 3× · ok · 2 downstream" under each executed cell, from
// trackit/cellAnnotation, refreshed on trackit/lineageChanged, and "$(warning) 2 problems" before it when the
// summary's Problems cite the cell's latest run. The hover over cell code comes from the sidecar over LSP
// (textDocument/hover) and needs no code here.
import * as vscode from "vscode";
import { cellIdOf } from "../notebook/reducer";
import type { CellAnnotation, CellAnnotationParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import type { LineageSource } from "./lineageTree";

export const SHOW_CELL_HISTORY_COMMAND = "trackit.showCellHistory";
export const SHOW_DATA_LINEAGE_COMMAND = "trackit.showDataLineage";
export const LINEAGE_ITEM_TEXT = "$(type-hierarchy) lineage";
export const SUMMARIZE_NOTEBOOK_COMMAND = "trackit.summarizeNotebook";

/** Pure: the status bar text for one cell, or undefined when it never ran. */
export function annotationText(a: Pick<CellAnnotation, "run_count" | "last_status" | "downstream" | "stale">): string | undefined {
  if (a.run_count <= 0) return undefined;
  const parts = [`$(history) ran ${a.run_count}\u00d7`];
  if (a.last_status) parts.push(a.last_status);
  if (a.stale === "edited") parts.push("$(warning) edited since");
  else if (a.stale === "upstream") parts.push("$(warning) stale");
  parts.push(`${a.downstream.length} downstream`);
  return parts.join(" \u00b7 ");
}

/** Pure: plain-text tooltip (status bar tooltips are plain strings). */
export function annotationTooltip(a: CellAnnotation): string {
  const lines = [`Ran ${a.run_count} time${a.run_count === 1 ? "" : "s"}${a.last_run_at ? `, last at ${a.last_run_at}` : ""}`];
  if (a.stale === "edited") lines.push("Stale: the cell was edited since its last run.");
  else if (a.stale === "upstream") lines.push("Stale: its last run used results of a cell edited since.");
  if (a.reads.length) lines.push(`reads: ${a.reads.join(", ")}`);
  if (a.writes.length) lines.push(`writes: ${a.writes.join(", ")}`);
  if (a.upstream.length) lines.push(`upstream: ${a.upstream.map((c) => `Cell ${c.cell_index + 1}`).join(", ")}`);
  if (a.downstream.length) lines.push(`downstream: ${a.downstream.map((c) => `Cell ${c.cell_index + 1}`).join(", ")}`);
  lines.push("Click for this cell's history.");
  return lines.join("\n");
}

/** Pure: the warning item's text, or undefined when the cell's latest run has no problems. A codicon, coloured by
 * the theme: a cell status bar item has no colour of its own. */
export function problemsText(a: Pick<CellAnnotation, "problems">): string | undefined {
  const count = a.problems.length;
  return count ? `$(warning) ${count} problem${count === 1 ? "" : "s"}` : undefined;
}

/** Pure: the warning item's plain-text tooltip: each problem as the sidecar worded it (the hover says the same).
 * The sidecar words problems in markdown for the hover; a cell status bar item's tooltip is a plain string (VS Code
 * takes no MarkdownString there), so code marks are taken off: "before `train_test_split`" showed its backticks. */
export function problemsTooltip(a: Pick<CellAnnotation, "problems">): string {
  const count = a.problems.length;
  const head = `TrackIT found ${count === 1 ? "a problem" : `${count} problems`} in this cell's latest run:`;
  return [head, ...a.problems.map((text) => `\u26a0 ${withoutCodeMarks(text)}`), "Click for the notebook's summary."].join("\n");
}

/** Pure: markdown code spans as their plain text: "`df`" -> "df", "`` a`b ``" -> "a`b" (CommonMark: a span opens and
 * closes with runs of as many backticks; one space inside each end is padding). */
export function withoutCodeMarks(markdown: string): string {
  return markdown.replace(/(`+)([\s\S]+?)(?<!`)\1(?!`)/g, (_span, _marks, code: string) =>
    code.length > 2 && code.startsWith(" ") && code.endsWith(" ") ? code.slice(1, -1) : code);
}

/** Pure: "as of this cell" for the lineage graph: the cell's latest run and the data it wrote last (the sidecar
 * answers for that run, not for the variable's latest value). Nothing when the cell never ran. */
export function asOfCell(a: Pick<CellAnnotation, "last_seq" | "writes">): { seq?: number; variable?: string } {
  if (a.last_seq === undefined || a.last_seq === null) return {};
  const variable = a.writes[a.writes.length - 1];
  return variable ? { seq: a.last_seq, variable } : { seq: a.last_seq };
}

export class CellAnnotationProvider implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changeEmitter.event;
  private readonly cache = new Map<string, Map<string, CellAnnotation | null>>(); // notebook -> cell_id -> annotation

  constructor(
    private readonly source: LineageSource,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideCellStatusBarItems(cell: vscode.NotebookCell, token: vscode.CancellationToken): Promise<vscode.NotebookCellStatusBarItem[]> {
    if (cell.kind !== vscode.NotebookCellKind.Code || !this.source.isRunning()) return [];
    const notebookUri = cell.notebook.uri.toString();
    const cellId = cellIdOf(cell);
    const annotation = await this.annotation(notebookUri, cellId);
    if (!annotation || token.isCancellationRequested) return [];
    const text = annotationText(annotation);
    if (!text) return [];
    const item = new vscode.NotebookCellStatusBarItem(text, vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = annotationTooltip(annotation);
    item.command = { command: SHOW_CELL_HISTORY_COMMAND, title: "Show cell history", arguments: [notebookUri, cellId] };
    const lineage = new vscode.NotebookCellStatusBarItem(LINEAGE_ITEM_TEXT, vscode.NotebookCellStatusBarAlignment.Left);
    lineage.tooltip = "How what this cell wrote was made: its data lineage graph";
    lineage.command = { command: SHOW_DATA_LINEAGE_COMMAND, title: "Show data lineage", arguments: [{ notebookUri, cellId, ...asOfCell(annotation) }] };
    const warning = problemsText(annotation);
    if (!warning) return [item, lineage];
    const problems = new vscode.NotebookCellStatusBarItem(warning, vscode.NotebookCellStatusBarAlignment.Left);
    problems.tooltip = problemsTooltip(annotation);
    problems.accessibilityInformation = { label: `TrackIT: ${problems.tooltip}` };
    problems.command = { command: SUMMARIZE_NOTEBOOK_COMMAND, title: "Summarize notebook", arguments: [notebookUri] };
    return [problems, item, lineage];
  }

  /** The cell's annotation (its latest run), asked once per notebook change; null when it cannot be had. */
  async annotation(notebookUri: string, cellId: string): Promise<CellAnnotation | null> {
    let perNotebook = this.cache.get(notebookUri);
    if (!perNotebook) this.cache.set(notebookUri, (perNotebook = new Map()));
    const cached = perNotebook.get(cellId);
    if (cached !== undefined) return cached;
    let annotation: CellAnnotation | null;
    try {
      const params: CellAnnotationParams = { notebook_uri: notebookUri, cell_id: cellId };
      annotation = await this.source.request<CellAnnotation>(Methods.CELL_ANNOTATION, params);
    } catch (error) {
      this.log.debug(`cell annotation ${cellId}: ${String(error)}`);
      annotation = null;
    }
    perNotebook.set(cellId, annotation);
    return annotation;
  }

  /** New lineage for a notebook (or all): drop cached annotations and ask VS Code to re-query. */
  invalidate(notebookUri?: string): void {
    if (notebookUri) this.cache.delete(notebookUri);
    else this.cache.clear();
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
