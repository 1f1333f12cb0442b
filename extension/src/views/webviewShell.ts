// Pure: the HTML shell every TrackIT webview loads. Strict Content-Security-Policy: no inline script or style,
// scripts only with this page's nonce, styles and images only from the extension (webview.cspSource), no
// network. The page's content comes from its bundled script (webview/<name>.ts), fed by postMessage.
import { randomBytes } from "node:crypto";

export interface ShellOptions {
  title: string;
  cspSource: string; // webview.cspSource
  scriptUri: string; // webview.asWebviewUri(dist/webview/<name>.js)
  styleUri: string; // webview.asWebviewUri(media/<name>.css)
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString("base64").replace(/[^A-Za-z0-9]/g, "");
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function shellHtml(options: ShellOptions): string {
  const nonce = options.nonce ?? makeNonce();
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(options.cspSource, nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">`,
    `<title>${escapeAttribute(options.title)}</title>`,
    "</head>",
    "<body>",
    '<main id="app" aria-busy="true"></main>',
    `<script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>`,
    "</body>",
    "</html>",
  ].join("\n");
}
