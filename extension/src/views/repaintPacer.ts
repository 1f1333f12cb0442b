// When the lineage tree tells VS Code of a change. VS Code's extension host debounces a tree's
// onDidChangeTreeData (ExtHostTreeView, VS Code 1.100: Event.debounce(..., 200, leading)): a change with none in
// the 200 ms before it goes at once; any other waits until 200 ms pass with no change, each change restarting that
// wait. So a change is told at once when the tree has been quiet that long, else at the end of the quiet time,
// never into the wait, which it would extend. The quiet timer is set right after VS Code's, for the same time: Node
// runs it after VS Code's, when VS Code's next change goes at once again.
import type { TimerApi } from "../common/timers";

export const VSCODE_TREE_DEBOUNCE_MS = 200;
export type Timers = Pick<TimerApi, "setTimeout" | "clearTimeout">;

export class RepaintPacer {
  private turn: unknown; // the end of this turn of the event loop: changes that arrive together are told together
  private quiet: unknown; // VS Code's wait after the last change told

  /** `repaint` tells VS Code what is waiting (and calls `told` if it told anything), or nothing. */
  constructor(
    private readonly repaint: () => void,
    private readonly timers: Timers,
  ) {}

  /** Something waits to be told: at the end of this turn (`now`: at once), or when VS Code's wait is over. */
  request(now = false): void {
    if (this.quiet !== undefined) return; // the quiet timer repaints
    if (now) {
      this.cancelTurn();
      this.repaint();
    } else if (this.turn === undefined) {
      this.turn = this.timers.setTimeout(() => {
        this.turn = undefined;
        this.repaint();
      }, 0);
    }
  }

  /** VS Code was just told of a change (call right after firing): keep quiet until its wait is over. */
  told(): void {
    this.cancelTurn();
    this.quiet = this.timers.setTimeout(() => {
      this.quiet = undefined;
      this.repaint();
    }, VSCODE_TREE_DEBOUNCE_MS);
  }

  dispose(): void {
    this.cancelTurn();
    if (this.quiet !== undefined) this.timers.clearTimeout(this.quiet);
    this.quiet = undefined;
  }

  private cancelTurn(): void {
    if (this.turn !== undefined) this.timers.clearTimeout(this.turn);
    this.turn = undefined;
  }
}
