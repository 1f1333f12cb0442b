// Pure view model of the summary webview: the summary's Markdown rendered to HTML by markdown-it (raw HTML off,
// passed in so this runs anywhere), with every citation the sidecar resolved ("[cells 2, 5]") turned into links
// that reveal their cell. The words are the summary's; the cells are the sidecar's (SummaryResult.citations).
import type { MarkdownIt } from "markdown-it";
import type { CellRef, SummaryCitation, SummaryResult } from "../../sidecar/protocol";

export interface SummaryView {
  title: string;
  markdown: string;
  origin: string; // "builtin · stored" (the time is shown in the user's locale by the page)
  createdAt: string;
  warnings: string[];
  citations: SummaryCitation[];
}

export function summaryView(result: SummaryResult, notebookName: string): SummaryView {
  const origin = [result.provider, result.model].filter(Boolean).join(" \u00b7 ") + (result.cached ? " \u00b7 stored" : "");
  return {
    title: `Summary of ${notebookName}`,
    markdown: result.markdown,
    origin,
    createdAt: result.created_at,
    warnings: result.warnings,
    citations: result.citations ?? [],
  };
}

export type Piece = { text: string; cell?: CellRef };

/** Pure: `text` cut into plain pieces and cited cell numbers. Inside a citation each number that names a cell
 * the sidecar resolved becomes its own piece ("[cells " "2" ", " "5" "]"). */
export function citationPieces(text: string, citations: readonly SummaryCitation[]): Piece[] {
  const known = citations.filter((c) => c.text && text.includes(c.text)).sort((a, b) => b.text.length - a.text.length);
  if (known.length === 0) return [{ text }];
  const pieces: Piece[] = [];
  let rest = text;
  while (rest.length > 0) {
    let at = -1;
    let hit: SummaryCitation | undefined;
    for (const c of known) {
      const i = rest.indexOf(c.text);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        hit = c;
      }
    }
    if (!hit) {
      pieces.push({ text: rest });
      break;
    }
    if (at > 0) pieces.push({ text: rest.slice(0, at) });
    pieces.push(...numbersOf(hit));
    rest = rest.slice(at + hit.text.length);
  }
  return merge(pieces);
}

function numbersOf(citation: SummaryCitation): Piece[] {
  const byNumber = new Map(citation.cells.map((c) => [c.cell_index + 1, c]));
  const pieces: Piece[] = [];
  for (const part of citation.text.split(/(\d+)/)) {
    if (!part) continue;
    const cell = /^\d+$/.test(part) ? byNumber.get(Number(part)) : undefined;
    pieces.push(cell ? { text: part, cell } : { text: part });
  }
  return pieces;
}

function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && !last.cell && !p.cell) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** A markdown-it core rule: text tokens' citations become links `<a class="cite" data-cell-id data-cell-index>`. */
export function useCitations(md: MarkdownIt, citations: () => readonly SummaryCitation[]): void {
  md.core.ruler.push("trackit_citations", (state) => {
    const known = citations();
    if (known.length === 0) return;
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      const children: typeof block.children = [];
      for (const token of block.children) {
        if (token.type !== "text") {
          children.push(token);
          continue;
        }
        for (const piece of citationPieces(token.content, known)) {
          const text = new state.Token("text", "", 0);
          text.content = piece.text;
          if (!piece.cell) {
            children.push(text);
            continue;
          }
          const open = new state.Token("link_open", "a", 1);
          open.attrSet("href", "#");
          open.attrSet("class", "cite");
          open.attrSet("data-cell-id", piece.cell.cell_id);
          open.attrSet("data-cell-index", String(piece.cell.cell_index));
          open.attrSet("title", `Reveal cell ${piece.cell.cell_index + 1}`);
          children.push(open, text, new state.Token("link_close", "a", -1));
        }
      }
      block.children = children;
    }
  });
}

export type ToSummaryView = { type: "summary"; view: SummaryView } | { type: "busy"; title: string; what: string } | { type: "error"; message: string };
export type FromSummaryView =
  | { type: "ready" }
  | { type: "reveal"; cellId: string; cellIndex: number }
  | { type: "regenerate" }
  | { type: "export" }
  | { type: "preview" };
