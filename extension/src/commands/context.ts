import type * as vscode from "vscode";
import type { PauseState } from "../notebook/pauseState";
import type { TrackitSettings } from "../config";

export interface Requester {
  request<R>(method: string, params: unknown): Promise<R>;
}

export interface CommandContext {
  sidecar: Requester;
  log: vscode.LogOutputChannel;
  pause: PauseState;
  /** Where generated files (summary previews) go: the extension's storage. */
  storageUri: vscode.Uri;
  settings: () => TrackitSettings;
  trusted: () => boolean;
}
