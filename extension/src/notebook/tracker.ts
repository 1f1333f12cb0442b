// Turns notebook change events into `trackit/cellExecuted` notifications, for any notebook and any
// controller. Each sent event waits in the re-send buffer until a `trackit/lineageChanged` lists its
// event_id as durable; after a sidecar (re)start the unconfirmed ones are sent again, in order.
// No `vscode` import: extension.ts subscribes the events and passes them in, so tests drive it directly.
import type { CellExecution, LineageChanged } from "../sidecar/protocol";
import type { ExecutionReducer, NotebookChangeLike, NotebookLike } from "./reducer";
import type { ResendBuffer } from "./resendBuffer";
import { TRACE_ON, traceMark } from "../common/latencyTrace";
import type { TimerApi } from "../common/timers";

export interface TrackerLog {
  info(message: string): void;
  warn(message: string): void;
}
export interface TrackerDeps {
  reducer: ExecutionReducer;
  buffer: ResendBuffer<CellExecution>;
  /** Sends one event to the sidecar; false when it is not running (the event stays buffered). */
  send: (event: CellExecution) => boolean;
  isTracked: (notebook: NotebookLike) => boolean;
  log: TrackerLog;
  timers: TimerApi;
}

export class Tracker {
  private generation = 0; // 0 = no sidecar has been ready yet
  private timer: unknown;
  private timerDeadline: number | undefined;

  constructor(private readonly deps: TrackerDeps) {}

  handleChange(event: NotebookChangeLike): void {
    if (!this.deps.isTracked(event.notebook)) return;
    const now = this.deps.timers.now();
    if (TRACE_ON && event.cellChanges.some((c) => c.executionSummary?.timing?.endTime !== undefined)) traceMark("ended", "-");
    const ready = this.deps.reducer.handleChange(event, now);
    this.enqueue(ready);
    // A run whose end is known and that needs no settling (settle 0) goes now, not after a timer's turn of the loop.
    const deadline = this.deps.reducer.nextDeadline();
    if (deadline !== undefined && deadline <= now) this.enqueue(this.deps.reducer.flush(now));
    this.schedule();
  }

  /** A closing notebook's pending runs are emitted at once: its cells will not change any more. */
  handleClose(notebook: NotebookLike): void {
    this.enqueue(this.deps.reducer.flushNotebook(notebook.uri.toString()));
    this.schedule();
  }

  handleLineageChanged(params: LineageChanged): void {
    this.deps.buffer.confirm(params.event_ids ?? []);
  }

  /** The sidecar (re)started: everything unconfirmed goes again, oldest first. */
  handleSidecarReady(generation: number): void {
    this.generation = generation;
    this.sendUnsent();
  }

  /** Emits what has settled by now (timer callback; also used by tests). */
  flushDue(): void {
    this.timer = undefined;
    this.timerDeadline = undefined;
    this.enqueue(this.deps.reducer.flush(this.deps.timers.now()));
    this.schedule();
  }

  dispose(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    // Whatever settled or not, hand it to the sidecar if it is still there.
    this.enqueue(this.deps.reducer.flush(this.deps.timers.now(), true));
  }

  get unconfirmed(): number {
    return this.deps.buffer.size;
  }

  private enqueue(events: CellExecution[]): void {
    if (events.length === 0) return;
    for (const event of events) {
      const dropped = this.deps.buffer.add(event);
      if (dropped.length > 0) {
        this.deps.log.warn(
          `re-send buffer full: dropped ${dropped.length} unconfirmed execution(s) (${this.deps.buffer.dropped} in total); ` +
            "the sidecar has not confirmed them, so they may be lost",
        );
      }
    }
    this.sendUnsent();
  }

  private sendUnsent(): void {
    if (this.generation === 0) return;
    for (const event of this.deps.buffer.takeUnsent(this.generation)) {
      if (TRACE_ON) traceMark("sent", event.event_id);
      if (!this.deps.send(event)) {
        // Not running any more: the next generation re-sends everything still unconfirmed.
        break;
      }
    }
  }

  private schedule(): void {
    const deadline = this.deps.reducer.nextDeadline();
    if (deadline === undefined) return;
    if (this.timer !== undefined && this.timerDeadline !== undefined && this.timerDeadline <= deadline) return;
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timerDeadline = deadline;
    this.timer = this.deps.timers.setTimeout(() => this.flushDue(), Math.max(0, deadline - this.deps.timers.now()));
  }
}
