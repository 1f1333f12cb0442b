// Fake notebooks shaped like VS Code's NotebookDocument / NotebookCell / change events, for the pure
// reducer and the tracker. Cells are objects with identity (like VS Code's), `index` is live.
import type { CellLike, ExecutionSummaryLike, NotebookChangeLike, NotebookLike } from "../src/notebook/reducer";
import type { OutputLike } from "../src/notebook/outputs";
import { ERROR_MIME, STDOUT_MIME } from "../src/notebook/outputs";

export class FakeCell implements CellLike {
  outputs: OutputLike[] = [];
  executionSummary?: ExecutionSummaryLike;
  metadata: { [key: string]: any };
  document: { uri: { toString(): string; fragment: string }; languageId: string; getText(): string };
  constructor(
    readonly notebook: FakeNotebook,
    public source: string,
    readonly kind = 2,
    id?: string,
    language = "python",
  ) {
    const fragment = `W${notebook.nextFragment++}sZmlsZQ==`;
    this.metadata = id ? { id } : {};
    this.document = {
      uri: { toString: () => `vscode-notebook-cell:${notebook.path}#${fragment}`, fragment },
      languageId: language,
      getText: () => this.source,
    };
  }
  get index(): number {
    return this.notebook.cells.indexOf(this);
  }
}

export class FakeNotebook implements NotebookLike {
  cells: FakeCell[] = [];
  nextFragment = 0;
  metadata = { metadata: { kernelspec: { name: "python3" } } };
  readonly uri: { toString(): string; scheme: string; fsPath: string };
  constructor(readonly path = "/work/nb/analysis.ipynb") {
    this.uri = { toString: () => `file://${path}`, scheme: "file", fsPath: path };
  }
  add(source: string, opts: { kind?: number; id?: string; language?: string } = {}): FakeCell {
    const cell = new FakeCell(this, source, opts.kind ?? 2, opts.id, opts.language);
    this.cells.push(cell);
    return cell;
  }
  getCells(): readonly FakeCell[] {
    return this.cells;
  }
}

export function text(mime: string, value: string, metadata?: { [key: string]: unknown }): OutputLike {
  return { items: [{ mime, data: Buffer.from(value, "utf8") }], metadata };
}
export function stdout(value: string): OutputLike {
  return text(STDOUT_MIME, value);
}
export function errorOutput(name: string, message: string): OutputLike {
  return text(ERROR_MIME, JSON.stringify({ name, message, stack: `${name}: ${message}` }));
}

/** The change events VS Code fires for one run: start, (outputs), finish. */
export function runStarted(nb: FakeNotebook, cell: FakeCell, order: number): NotebookChangeLike {
  cell.executionSummary = { executionOrder: order };
  return { notebook: nb, contentChanges: [], cellChanges: [{ cell, executionSummary: cell.executionSummary }] };
}
export function outputsChanged(nb: FakeNotebook, cell: FakeCell, outputs: OutputLike[]): NotebookChangeLike {
  cell.outputs = outputs;
  return { notebook: nb, contentChanges: [], cellChanges: [{ cell, outputs }] };
}
export function runFinished(nb: FakeNotebook, cell: FakeCell, order: number, success: boolean, startTime: number, endTime: number): NotebookChangeLike {
  cell.executionSummary = { executionOrder: order, success, timing: { startTime, endTime } };
  return { notebook: nb, contentChanges: [], cellChanges: [{ cell, executionSummary: cell.executionSummary }] };
}
/** Deletes a contiguous run of cells, reported like VS Code: same cell objects, the range they had. */
export function cellsRemoved(nb: FakeNotebook, cells: FakeCell[]): NotebookChangeLike {
  const start = Math.min(...cells.map((c) => c.index));
  nb.cells = nb.cells.filter((c) => !cells.includes(c));
  return {
    notebook: nb,
    cellChanges: [],
    contentChanges: [{ range: { start, end: start + cells.length }, removedCells: cells, addedCells: [] }],
  };
}
export function cellMoved(nb: FakeNotebook, cell: FakeCell, to: number): NotebookChangeLike {
  const from = cell.index;
  nb.cells.splice(from, 1);
  nb.cells.splice(to, 0, cell);
  return {
    notebook: nb,
    cellChanges: [],
    contentChanges: [
      { range: { start: from, end: from + 1 }, removedCells: [cell], addedCells: [] },
      { range: { start: to, end: to }, removedCells: [], addedCells: [cell] },
    ],
  };
}
export function sequentialIds(prefix = "ev"): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** Manual clock: timers fire only when the test advances time, in time order (ties: in the order they were set,
 * as Node runs timers of the same duration), including timers set by a timer that are due by then. */
export class FakeTimers {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = until;
  }
}
