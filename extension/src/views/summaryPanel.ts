// The summary webview panel's host side: one panel per notebook, reused; every summarize shows the answer it
// got (never a file a preview might not reload). The page (webview/summary.ts) renders it with its citations as
// links and offers Regenerate / Export / Preview what will be sent, which come back here as messages.
import type * as vscode from "vscode";
import type { SummaryResult } from "../sidecar/protocol";
import { FromSummaryView, summaryView, ToSummaryView } from "../webviews/summary/model";
import { openShellPanel } from "./shellPanel";

const VIEW_TYPE = "trackit.summary";

export interface SummaryActions {
  regenerate(notebookUri: string): Promise<void>;
  export(notebookUri: string): Promise<void>;
  preview(notebookUri: string): Promise<void>;
  reveal(notebookUri: string, cellId: string, cellIndex: number): Promise<unknown>;
}

interface Entry {
  panel: vscode.WebviewPanel;
  ready: boolean;
  latest?: ToSummaryView;
}

export class SummaryPanels implements vscode.Disposable {
  private readonly panels = new Map<string, Entry>();
  private actions: SummaryActions | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Set once by extension.ts (the actions call the summarize commands, which call `show`). */
  bind(actions: SummaryActions): void {
    this.actions = actions;
  }

  /** Show this notebook's summary panel (created on first use) with `result`. */
  show(notebookUri: string, notebookName: string, result: SummaryResult): void {
    const entry = this.entry(notebookUri, notebookName);
    entry.panel.title = `Summary \u00b7 ${notebookName}`;
    this.post(entry, { type: "summary", view: summaryView(result, notebookName) });
    entry.panel.reveal(undefined, true);
  }

  busy(notebookUri: string, what: string): void {
    const entry = this.panels.get(notebookUri);
    if (entry) this.post(entry, { type: "busy", title: entry.panel.title, what });
  }

  failed(notebookUri: string, message: string): void {
    const entry = this.panels.get(notebookUri);
    if (entry) this.post(entry, { type: "error", message });
  }

  dispose(): void {
    for (const entry of this.panels.values()) entry.panel.dispose();
    this.panels.clear();
  }

  private entry(notebookUri: string, notebookName: string): Entry {
    const existing = this.panels.get(notebookUri);
    if (existing) return existing;
    const panel = openShellPanel(this.extensionUri, {
      viewType: VIEW_TYPE, tabTitle: `Summary \u00b7 ${notebookName}`, pageTitle: `Summary of ${notebookName}`, page: "summary",
    });
    const entry: Entry = { panel, ready: false };
    panel.webview.onDidReceiveMessage((message: FromSummaryView) => this.onMessage(notebookUri, entry, message));
    panel.onDidDispose(() => this.panels.delete(notebookUri));
    this.panels.set(notebookUri, entry);
    return entry;
  }

  private post(entry: Entry, message: ToSummaryView): void {
    if (message.type === "summary" || !entry.latest) entry.latest = message;
    if (entry.ready) void entry.panel.webview.postMessage(message);
  }

  private async onMessage(notebookUri: string, entry: Entry, message: FromSummaryView): Promise<void> {
    const actions = this.actions;
    try {
      switch (message.type) {
        case "ready":
          entry.ready = true;
          if (entry.latest) void entry.panel.webview.postMessage(entry.latest);
          return;
        case "reveal":
          await actions?.reveal(notebookUri, message.cellId, message.cellIndex);
          return;
        case "regenerate":
          await actions?.regenerate(notebookUri);
          return;
        case "export":
          await actions?.export(notebookUri);
          return;
        case "preview":
          await actions?.preview(notebookUri);
          return;
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`summary ${message.type} for ${notebookUri}: ${text}`);
      this.failed(notebookUri, `${message.type} failed: ${text}`);
    }
  }
}
