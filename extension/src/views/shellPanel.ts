// Opens a TrackIT webview panel on its bundled page: dist/webview/<page>.js styled by media/<page>.css, in the
// strict shell of webviewShell.ts. Each panel (graph, experiments, summary) keeps its own state and messages.
import type * as vscode from "vscode";
import { createWebviewPanel, uriJoin } from "../common/vscodeapi";
import { shellHtml } from "./webviewShell";

export interface ShellPanelOptions {
  viewType: string;
  tabTitle: string; // the editor tab
  pageTitle: string; // the page's <title>
  page: string; // the bundle's name: dist/webview/<page>.js and media/<page>.css
}

export function openShellPanel(extensionUri: vscode.Uri, options: ShellPanelOptions): vscode.WebviewPanel {
  const media = uriJoin(extensionUri, "media");
  const scripts = uriJoin(extensionUri, "dist", "webview");
  const panel = createWebviewPanel(options.viewType, options.tabTitle, [media, scripts]);
  panel.webview.html = shellHtml({
    title: options.pageTitle,
    cspSource: panel.webview.cspSource,
    scriptUri: panel.webview.asWebviewUri(uriJoin(scripts, `${options.page}.js`)).toString(),
    styleUri: panel.webview.asWebviewUri(uriJoin(media, `${options.page}.css`)).toString(),
  });
  return panel;
}
