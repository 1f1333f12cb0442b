// Pure: what a lineage graph node says beyond its box: its text as plain and `code` runs, its hover card, its
// accessible name, and what the node's actions ("Gather code", "Verify reproducibility") act on.
import type { GraphNode } from "../../sidecar/protocol";

/** Text split into plain and `code` runs (the sidecar marks names with backticks). */
export function codeRuns(text: string): { text: string; code: boolean }[] {
  const runs: { text: string; code: boolean }[] = [];
  text.split("`").forEach((part, i) => {
    if (part) runs.push({ text: part, code: i % 2 === 1 });
  });
  return runs;
}

/** What a node's hover card shows. */
export function hoverCard(node: GraphNode): { title: string; detail?: string; note?: string; code?: string } {
  return {
    title: node.label,
    detail: node.detail ?? undefined,
    note: node.note ?? undefined,
    code: node.code ?? undefined,
  };
}

/** What "Gather code" / "Verify reproducibility" would act on for this node: its value, as its run left it. */
export function actionTarget(node: GraphNode | undefined): { variable: string; seq?: number } | undefined {
  if (!node?.variable || node.marks.includes("unknown")) return undefined;
  return { variable: node.variable, seq: node.seq ?? undefined };
}

/** Accessible name of a node, for screen readers and tests. */
export function ariaLabel(node: GraphNode): string {
  return [node.label.replace(/`/g, ""), node.detail, node.note].filter(Boolean).join(". ");
}
