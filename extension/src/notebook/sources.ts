// Tells the sidecar what each open notebook's code cells hold now (trackit/notebookSources): the sha256
// of every code cell's text by cell id, never the text. The sidecar judges staleness against it (one home:
// sidecar/trackit_sidecar/lineage/staleness.py). Sent when a notebook opens, after edits (debounced per
// notebook) and after every sidecar start. No `vscode` import: extension.ts passes the notebooks in.
import type { NotebookSources } from "../sidecar/protocol";
import { sha256Hex } from "./outputs";
import { CODE_CELL_KIND, cellIdOf, CellLike } from "./reducer";

export const SOURCES_DEBOUNCE_MS = 300;

export interface SourcesNotebook {
  readonly uri: { toString(): string };
  getCells(): readonly CellLike[];
}

/** Pure: the message for one notebook as it is now. */
export function notebookSources(notebook: SourcesNotebook): NotebookSources {
  const cellShas: Record<string, string> = {};
  for (const cell of notebook.getCells()) {
    if (cell.kind === CODE_CELL_KIND) cellShas[cellIdOf(cell)] = sha256Hex(cell.document.getText());
  }
  return { notebook_uri: notebook.uri.toString(), cell_shas: cellShas };
}

export interface SourcesReporterDeps {
  /** Sends the message; false when the sidecar is not running (it gets everything again on start). */
  send: (sources: NotebookSources) => boolean;
  /** Called after a notebook's sources were sent: its tree and annotations should be asked for again. */
  onSent: (notebookUri: string) => void;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export class SourcesReporter {
  private readonly timers = new Map<string, unknown>();

  constructor(private readonly deps: SourcesReporterDeps) {}

  /** Now (a notebook opened, the sidecar started); false when it could not be sent. */
  report(notebook: SourcesNotebook): boolean {
    const uri = notebook.uri.toString();
    this.cancel(uri);
    const sent = this.deps.send(notebookSources(notebook));
    if (sent) this.deps.onSent(uri);
    return sent;
  }

  /** After typing stops: one message per burst of edits. */
  reportSoon(notebook: SourcesNotebook): void {
    const uri = notebook.uri.toString();
    this.cancel(uri);
    this.timers.set(uri, this.deps.setTimeout(() => {
      this.timers.delete(uri);
      this.report(notebook);
    }, SOURCES_DEBOUNCE_MS));
  }

  cancel(notebookUri: string): void {
    const timer = this.timers.get(notebookUri);
    if (timer !== undefined) this.deps.clearTimeout(timer);
    this.timers.delete(notebookUri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) this.deps.clearTimeout(timer);
    this.timers.clear();
  }
}
