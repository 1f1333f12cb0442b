// TrackIT: Show experiments (the panel on a notebook, optionally on one experiment) and TrackIT: Mark cell as
// experiment (a cell's latest run, from the cell toolbar or the focused notebook's selected cell).
import { showInformationMessage, showInputBox, showWarningMessage } from "../common/vscodeapi";
import type { ExperimentSummary, MarkExperimentParams } from "../sidecar/protocol";
import { Methods } from "../sidecar/protocol";
import { cellTarget, NO_CELL_MESSAGE, SelectedCellEditor } from "./cellHistory";
import type { CommandContext } from "./context";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

export const MARK_EXPERIMENT_COMMAND = "trackit.markExperiment";

export async function showExperiments(
  show: (notebookUri: string, focus?: string) => Promise<void>,
  focused: SelectedCellEditor | undefined,
  notebookArg?: unknown,
  focusArg?: unknown,
): Promise<void> {
  const notebookUri = targetNotebookUri(notebookArg) ?? focused?.notebook.uri.toString();
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  await show(notebookUri, typeof focusArg === "string" ? focusArg : undefined);
}

export async function markExperiment(
  ctx: CommandContext,
  focused: SelectedCellEditor | undefined,
  after: (notebookUri: string, id: string) => Promise<void>,
  cellArg?: unknown,
): Promise<void> {
  const target = cellTarget(cellArg, undefined, focused);
  if (!target) {
    void showWarningMessage(NO_CELL_MESSAGE);
    return;
  }
  const name = await showInputBox({ title: "TrackIT: Mark cell as experiment", prompt: "A name for it (optional)" });
  if (name === undefined) return;
  const params: MarkExperimentParams = { notebook_uri: target.notebookUri, cell_id: target.cellId, name: name || null };
  const marked = await ctx.sidecar.request<ExperimentSummary>(Methods.MARK_EXPERIMENT, params);
  ctx.log.info(`${marked.id} marked: cell ${marked.cell_index + 1} of ${target.notebookUri}`);
  void showInformationMessage(`TrackIT: the cell's latest run is experiment ${marked.id}${marked.name ? ` (${marked.name})` : ""}.`);
  await after(target.notebookUri, marked.id);
}
