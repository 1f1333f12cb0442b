// Pure: which rows of the lineage tree VS Code must be told about after the model changed, from what VS Code
// holds of the tree (the rows it was given, as it was given them). Telling it costs more than the repaint:
// VS Code's extension host debounces a tree's onDidChangeTreeData by 200 ms (each change restarts the wait), so
// a change that alters nothing on screen (a run's runtime status arriving after its row, a tooltip nobody has
// hovered yet) is not told at all, or the next run's row would wait behind it. No vscode here: the tree provider
// (lineageTree.ts) records what VS Code holds and maps nodes to tree items (`face`).

/** What VS Code holds, by row id: how each row was shown (its tree item as text, tooltip aside), the children
 * it was given for each row it expanded, and the tooltips it resolved on hover (kept until the row is repainted). */
export interface ShownRows {
  readonly faces: ReadonlyMap<string, string>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly tooltips: ReadonlyMap<string, string | undefined>;
}

export interface Row {
  readonly id: string;
  readonly tooltip?: string;
}

/** The rows to name in onDidChangeTreeData so that VS Code shows `touched` (rows a change touched, as the model
 * has them now) and everything below them as they are now: a row whose face or resolved tooltip changed, or
 * whose children (ids, in order) are not those VS Code was given; else the rows below it that VS Code holds are
 * looked at. A row below a named one is not named: VS Code refreshes a named row with its expanded rows. */
export function rowsToRepaint<N extends Row>(
  touched: readonly N[],
  shown: ShownRows,
  face: (row: N) => string,
  children: (row: N) => readonly N[],
): string[] {
  const named = new Set<string>();
  const seen = new Set<string>();
  const visit = (row: N): void => {
    if (seen.has(row.id) || !shown.faces.has(row.id)) return; // a row VS Code never got is read fresh when asked
    seen.add(row.id);
    const resolvedTip = shown.tooltips.has(row.id) && shown.tooltips.get(row.id) !== row.tooltip;
    if (shown.faces.get(row.id) !== face(row) || resolvedTip) {
      named.add(row.id);
      return;
    }
    const given = shown.children.get(row.id);
    if (!given) return; // never expanded: VS Code asks for its children when it is
    const now = children(row);
    if (now.length !== given.length || now.some((child, i) => child.id !== given[i])) {
      named.add(row.id);
      return;
    }
    for (const child of now) visit(child);
  };
  for (const row of touched) visit(row);
  const parent = new Map<string, string>();
  for (const [id, kids] of shown.children) for (const kid of kids) parent.set(kid, id);
  const underNamed = (id: string): boolean => {
    for (let up = parent.get(id); up !== undefined; up = parent.get(up)) if (named.has(up)) return true;
    return false;
  };
  return [...named].filter((id) => !underNamed(id));
}
