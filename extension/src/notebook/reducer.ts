// Pure: notebook change events -> finished execution records.
// VS Code fires several change events per run: first `executionSummary: {}` or `{executionOrder}`, then
// `{executionOrder, success, timing}`; outputs may arrive in later events. A run is finished when
// `success` is defined and `timing.endTime` is set. The finished record is held for a settle window
// (reset by each later output change of that cell) and then emitted with the outputs seen by then.
// No timers and no clock here: the caller passes `now` and asks `nextDeadline()` when to call `flush()`.
import { randomUUID } from "node:crypto";
import type { CellExecution, ExecutionStatus, NotebookKernel } from "../sidecar/protocol";
import { kernelFieldsFor } from "./kernels";
import { capOutputs, CapLimits, findError, OutputLike } from "./outputs";

export const CODE_CELL_KIND = 2; // vscode.NotebookCellKind.Code
// Controllers append a run's outputs before they end it (VS Code's Jupyter extension and ours await them): when
// the finished summary arrives the outputs are already there, so the run is emitted at once (the tracker flushes
// in the same call; the user is waiting for the tree). A run held back behind an earlier cell of its notebook
// still takes the outputs that arrive meanwhile; a positive settle (tests, other callers) waits for stragglers.
export const DEFAULT_SETTLE_MS = 0;
const DEDUPE_MEMORY = 5000;

export interface ExecutionSummaryLike {
  readonly executionOrder?: number;
  readonly success?: boolean;
  readonly timing?: { readonly startTime: number; readonly endTime: number };
}
export interface CellLike {
  readonly index: number;
  readonly kind: number;
  readonly document: { readonly uri: { toString(): string; readonly fragment: string }; readonly languageId: string; getText(): string };
  readonly metadata: { readonly [key: string]: any };
  readonly outputs: readonly OutputLike[];
  readonly executionSummary?: ExecutionSummaryLike;
}
export interface NotebookLike {
  readonly uri: { toString(): string; readonly scheme: string; readonly fsPath: string };
  readonly metadata?: { readonly [key: string]: any };
}
export interface CellChangeLike {
  readonly cell: CellLike;
  readonly executionSummary?: ExecutionSummaryLike;
  readonly outputs?: readonly OutputLike[];
}
export interface ContentChangeLike {
  readonly range?: { readonly start: number; readonly end: number };
  readonly removedCells: readonly CellLike[];
  readonly addedCells: readonly CellLike[];
}
export interface NotebookChangeLike {
  readonly notebook: NotebookLike;
  readonly cellChanges: readonly CellChangeLike[];
  readonly contentChanges: readonly ContentChangeLike[];
}

export interface ReducerOptions {
  settleMs: number;
  limits: CapLimits;
  newId?: () => string;
  /** The kernel a controller announced for a notebook (kernels.ts): it names the kernel that ran. */
  kernelOf?: (notebookUri: string) => NotebookKernel | undefined;
}

interface Pending {
  notebook: NotebookLike;
  cell: CellLike;
  lastKnownIndex: number;
  summary: ExecutionSummaryLike;
  outputs: readonly OutputLike[];
  source: string; // taken when the run finished: an edit during the settle window did not run
  deadline: number;
}

/** nbformat cell id kept by the ipynb serializer, else the cell document URI fragment. */
export function cellIdOf(cell: CellLike): string {
  const md = cell.metadata ?? {};
  // Current ipynb serializer: metadata.id; older ones nested it under `custom`.
  const id = md.id ?? md.custom?.id ?? md.custom?.metadata?.id ?? md.metadata?.id;
  if (typeof id === "string" && id.length > 0) return id;
  return cell.document.uri.fragment;
}

/** The kernelspec the notebook's metadata declares (what ran only if no controller said otherwise). */
export function declaredKernelOf(notebook: NotebookLike): { name?: string; displayName?: string } {
  const md = notebook.metadata ?? {};
  const spec = md.metadata?.kernelspec ?? md.custom?.metadata?.kernelspec ?? md.kernelspec;
  return {
    name: typeof spec?.name === "string" ? spec.name : undefined,
    displayName: typeof spec?.display_name === "string" ? spec.display_name : undefined,
  };
}

export function isFinished(summary: ExecutionSummaryLike | undefined): boolean {
  return summary !== undefined && summary.success !== undefined && typeof summary.timing?.endTime === "number";
}

export function statusOf(success: boolean, outputs: readonly OutputLike[]): { status: ExecutionStatus; errorName?: string; errorMessage?: string } {
  if (success) return { status: "ok" };
  const error = findError(outputs);
  // No error output, or an interrupt: the user (or the controller) stopped the run.
  if (error === undefined || error.name === "KeyboardInterrupt") {
    return { status: "cancelled", errorName: error?.name, errorMessage: error?.message };
  }
  return { status: "error", errorName: error.name, errorMessage: error.message };
}

export class ExecutionReducer {
  private readonly pending = new Map<CellLike, Pending>();
  private readonly emittedKeys = new Set<string>();
  private readonly newId: () => string;

  constructor(private options: ReducerOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  setLimits(limits: CapLimits): void {
    this.options = { ...this.options, limits };
  }

  /** Feed one change event; returns records that must be emitted now (a cell re-ran before settling). */
  handleChange(event: NotebookChangeLike, now: number): CellExecution[] {
    const ready: CellExecution[] = [];
    for (const change of event.contentChanges) {
      change.removedCells.forEach((removed, i) => {
        const p = this.pending.get(removed);
        // A removed cell reports index -1; its last index is its slot in the removed range.
        if (p && change.range) p.lastKnownIndex = change.range.start + i;
      });
    }
    this.refreshKnownIndices();
    for (const change of event.cellChanges) {
      const cell = change.cell;
      if (cell.kind !== CODE_CELL_KIND) continue;
      const pending = this.pending.get(cell);
      if (pending && cell.index >= 0) pending.lastKnownIndex = cell.index;

      if (change.executionSummary !== undefined) {
        const summary = change.executionSummary;
        if (isFinished(summary)) {
          if (pending && sameRun(pending.summary, summary)) {
            pending.deadline = now + this.options.settleMs;
          } else {
            if (pending) ready.push(...this.emit(pending));
            this.pending.set(cell, {
              notebook: event.notebook,
              cell,
              lastKnownIndex: cell.index,
              summary,
              outputs: change.outputs ?? cell.outputs,
              source: cell.document.getText(),
              deadline: now + this.options.settleMs,
            });
          }
          continue;
        }
        // A new run of this cell started: the previous one is final, whatever outputs it has by now.
        if (pending) {
          ready.push(...this.emit(pending));
          this.pending.delete(cell);
        }
      }
      if (change.outputs !== undefined) {
        const p = this.pending.get(cell);
        // An empty list after a finished run is the next run clearing outputs, not a late output.
        if (p && change.outputs.length > 0) {
          p.outputs = change.outputs;
          p.deadline = now + this.options.settleMs;
        }
      }
    }
    return ready;
  }

  /** Records whose settle window has passed (all of them with `force`, e.g. on notebook close). */
  flush(now: number, force = false): CellExecution[] {
    this.refreshKnownIndices();
    const ready: CellExecution[] = [];
    // Emit in the order the runs started, per notebook: a cell whose outputs are still arriving holds back
    // the cells that ran after it. Out-of-order delivery would look to the sidecar like a kernel restart
    // (a smaller execution count) and would number the runs out of execution order.
    const held = new Set<string>();
    const byStart = [...this.pending].sort(([, a], [, b]) => startOf(a) - startOf(b));
    for (const [cell, p] of byStart) {
      const notebook = p.notebook.uri.toString();
      if (!force && (held.has(notebook) || p.deadline > now)) {
        held.add(notebook);
        continue;
      }
      this.pending.delete(cell);
      ready.push(...this.emit(p));
    }
    return ready;
  }

  /** Force-emit the pending records of one notebook (it is closing). */
  flushNotebook(notebookUri: string): CellExecution[] {
    const ready: CellExecution[] = [];
    for (const [cell, p] of [...this.pending]) {
      if (p.notebook.uri.toString() !== notebookUri) continue;
      this.pending.delete(cell);
      ready.push(...this.emit(p));
    }
    return ready;
  }

  /** The earliest time a flush can emit something (a held-back run waits for the one before it). */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const p of this.pending.values()) if (min === undefined || p.deadline < min) min = p.deadline;
    return min;
  }

  pendingCount(): number {
    return this.pending.size;
  }

  private refreshKnownIndices(): void {
    for (const p of this.pending.values()) if (p.cell.index >= 0) p.lastKnownIndex = p.cell.index;
  }

  private emit(p: Pending): CellExecution[] {
    const cellId = cellIdOf(p.cell);
    const timing = p.summary.timing!;
    const key = `${p.notebook.uri.toString()}|${cellId}|${p.summary.executionOrder ?? ""}|${timing.endTime}`;
    if (this.emittedKeys.has(key)) return [];
    this.rememberKey(key);
    const index = p.cell.index >= 0 ? p.cell.index : p.lastKnownIndex;
    const { status, errorName, errorMessage } = statusOf(p.summary.success!, p.outputs);
    const uri = p.notebook.uri;
    return [
      {
        event_id: this.newId(),
        notebook_uri: uri.toString(),
        notebook_path: uri.scheme === "file" ? uri.fsPath : null,
        cell_id: cellId,
        cell_uri: p.cell.document.uri.toString(),
        cell_index: index,
        language: p.cell.document.languageId,
        source: p.source,
        execution_order: p.summary.executionOrder ?? null,
        started_at: timing.startTime,
        ended_at: timing.endTime,
        status,
        outputs: capOutputs(p.outputs, this.options.limits),
        error_name: errorName ?? null,
        error_message: errorMessage ?? null,
        ...kernelFieldsFor(this.options.kernelOf?.(uri.toString()), declaredKernelOf(p.notebook)),
      },
    ];
  }

  private rememberKey(key: string): void {
    this.emittedKeys.add(key);
    if (this.emittedKeys.size > DEDUPE_MEMORY) {
      // Sets iterate in insertion order: drop the oldest key.
      const oldest = this.emittedKeys.values().next().value;
      if (oldest !== undefined) this.emittedKeys.delete(oldest);
    }
  }
}

function sameRun(a: ExecutionSummaryLike, b: ExecutionSummaryLike): boolean {
  return a.executionOrder === b.executionOrder && a.timing?.endTime === b.timing?.endTime && a.success === b.success;
}

function startOf(p: { summary: { timing?: { startTime: number } } }): number {
  return p.summary.timing?.startTime ?? 0;
}
