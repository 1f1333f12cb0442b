// TrackIT: Pause / Resume tracking for this notebook (persisted per workspace).
import { showInformationMessage, showWarningMessage } from "../common/vscodeapi";
import type { CommandContext } from "./context";
import { NO_NOTEBOOK_MESSAGE, targetNotebookUri } from "./target";

export async function setTrackingPaused(ctx: CommandContext, paused: boolean, arg?: unknown): Promise<void> {
  const notebookUri = targetNotebookUri(arg);
  if (!notebookUri) {
    void showWarningMessage(NO_NOTEBOOK_MESSAGE);
    return;
  }
  await ctx.pause.set(notebookUri, paused);
  ctx.log.info(`tracking ${paused ? "paused" : "resumed"} for ${notebookUri}`);
  void showInformationMessage(paused ? "TrackIT: tracking paused for this notebook." : "TrackIT: tracking resumed for this notebook.");
}
