// Cell history as a read-only virtual document (scheme trackit-history): nothing to save, no save prompt on
// close. Its text is made by `historyText` (pure): every version of the cell, newest first, labelled by cell
// number and time in the user's locale, each with what its latest run wrote and its diff against the version
// before it (the sidecar's `diff` and `facts`).
import type * as vscode from "vscode";
import type { CellHistory, CellVersion } from "../sidecar/protocol";

export const HISTORY_SCHEME = "trackit-history";

export function statusesText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
}

/** Pure: versions in the order they first ran (as the sidecar lists them), numbered from 1. */
export function numberedVersions(history: CellHistory): { version: CellVersion; number: number }[] {
  return history.versions.map((version, i) => ({ version, number: i + 1 }));
}

export interface HistoryTextOptions {
  notebookName: string;
  /** ISO timestamp -> the user's locale ("29 Nov 2026, 14:03:09"); injected so tests do not depend on the machine. */
  formatTime: (iso: string) => string;
}

/** Pure: the document. `history` holds one cell's versions, oldest first. */
export function historyText(history: CellHistory, options: HistoryTextOptions): string {
  const versions = numberedVersions(history);
  const latest = versions[versions.length - 1]?.version;
  const cellNumber = latest?.cell_index !== undefined && latest?.cell_index !== null ? latest.cell_index + 1 : undefined;
  const cell = cellNumber !== undefined ? `Cell ${cellNumber}` : "This cell";
  const lines = [
    `# ${cell} of ${options.notebookName}: ${versions.length} version${versions.length === 1 ? "" : "s"}`,
    "",
    "_Read-only: recorded by TrackIT. Newest first; each version shows what its latest run wrote and what changed from the version before it._",
    "",
  ];
  for (const { version, number } of [...versions].reverse()) {
    const at = version.cell_index !== undefined && version.cell_index !== null ? `Cell ${version.cell_index + 1}` : cell;
    lines.push(`## Version ${number} \u00b7 ${at} \u00b7 ${options.formatTime(version.last_run_at)}`, "");
    const runs = `${version.runs} run${version.runs === 1 ? "" : "s"}${statusesText(version.statuses) ? ` (${statusesText(version.statuses)})` : ""}`;
    const span = version.runs > 1 ? `, first ${options.formatTime(version.first_run_at)}` : "";
    lines.push(`${runs}${span} \u00b7 sha256 \`${version.source_sha256.slice(0, 12)}\``, "");
    const facts = version.facts ?? [];
    lines.push("**Data it wrote:** " + (facts.length > 0 ? facts.join(" \u00b7 ") : "nothing measured"), "");
    if (version.diff) {
      lines.push(`**Changed from version ${number - 1}:**`, "", "```diff", version.diff, "```", "");
    } else if (number > 1) {
      lines.push(`**Same code as version ${number - 1}.**`, "");
    }
    lines.push("```" + "python", version.source, "```", "");
  }
  return lines.join("\n");
}

/** The document's address: a readable title for the tab; the notebook and cell in the query as base64url JSON,
 * which no URI encoding step can alter. */
export function historyUri(make: (value: string) => vscode.Uri, notebookUri: string, notebookName: string, cellId: string, cellNumber?: number): vscode.Uri {
  const title = `${cellNumber !== undefined ? `Cell ${cellNumber}` : "Cell"} history (${notebookName})`;
  const query = Buffer.from(JSON.stringify({ notebook: notebookUri, cell: cellId }), "utf8").toString("base64url");
  return make(`${HISTORY_SCHEME}:/${encodeURIComponent(title)}?${query}`);
}

export function parseHistoryUri(uri: vscode.Uri): { notebookUri: string; cellId: string } | undefined {
  try {
    const { notebook, cell } = JSON.parse(Buffer.from(uri.query, "base64url").toString("utf8"));
    return typeof notebook === "string" && typeof cell === "string" ? { notebookUri: notebook, cellId: cell } : undefined;
  } catch {
    return undefined;
  }
}

/** The provider: texts the command put there, or (after a reload) asked again through `fetch`. */
export class HistoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  constructor(private readonly fetch: (notebookUri: string, cellId: string) => Promise<string>) {}

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const known = this.texts.get(uri.toString());
    if (known !== undefined) return known;
    const target = parseHistoryUri(uri);
    if (!target) return "This TrackIT history link names no notebook cell.";
    return this.fetch(target.notebookUri, target.cellId);
  }
}
