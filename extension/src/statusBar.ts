// "$(pulse) TrackIT" / "$(debug-pause) TrackIT paused" / "$(error) TrackIT"; click -> logs.
import type * as vscode from "vscode";
import { createStatusBarItem } from "./common/vscodeapi";

export type StatusKind = "on" | "paused" | "disabled" | "starting" | "error";
export interface StatusView {
  text: string;
  tooltip: string;
  ariaLabel: string; // stable text for screen readers (and UI tests): "TrackIT: recording" etc.
}

/** Pure: what the status bar item shows. */
export function statusView(kind: StatusKind, detail?: string): StatusView {
  switch (kind) {
    case "on":
      return { text: "$(pulse) TrackIT", ariaLabel: "TrackIT: recording", tooltip: `TrackIT is recording cell executions.${detail ? `\n${detail}` : ""}\nClick to show logs.` };
    case "paused":
      return { text: "$(debug-pause) TrackIT paused", ariaLabel: "TrackIT: paused", tooltip: "TrackIT is paused for this notebook. Click to show logs." };
    case "disabled":
      return { text: "$(debug-pause) TrackIT paused", ariaLabel: "TrackIT: disabled", tooltip: "TrackIT is disabled (trackit.enabled is false). Click to show logs." };
    case "starting":
      return { text: "$(sync~spin) TrackIT", ariaLabel: "TrackIT: starting", tooltip: `TrackIT sidecar is starting; executions are kept until it is ready.${detail ? `\n${detail}` : ""}` };
    case "error":
      return { text: "$(error) TrackIT", ariaLabel: "TrackIT: error", tooltip: `TrackIT: ${detail ?? "the sidecar is not running"}. Click to show logs.` };
  }
}

export class TrackitStatusBar {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = createStatusBarItem("trackit.status", 100);
    this.item.name = "TrackIT";
    this.item.command = "trackit.showLogs";
    this.show("starting");
  }

  show(kind: StatusKind, detail?: string): void {
    const view = statusView(kind, detail);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.ariaLabel };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
