import type * as vscode from "vscode";
import type { PauseState } from "../notebook/pauseState";
import type { TrackitSettings } from "../config";
import type { SummaryResult } from "../sidecar/protocol";

export interface Requester {
  request<R>(method: string, params: unknown): Promise<R>;
}

/** Where summaries are shown (views/summaryPanel.ts). */
export interface SummaryShower {
  show(notebookUri: string, notebookName: string, result: SummaryResult): void;
  busy(notebookUri: string, what: string): void;
}

export interface CommandContext {
  sidecar: Requester;
  log: vscode.LogOutputChannel;
  pause: PauseState;
  summaries: SummaryShower;
  settings: () => TrackitSettings;
  trusted: () => boolean;
}
