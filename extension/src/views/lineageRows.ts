// Pure: finding a row of the lineage tree by its id (`uri`, `uri#s2`, `uri#e3/w:df`) in a tree built from a
// notebook's model (lineageModel.ts): the notebook an id names, and the row itself, each node's children built
// once per model. The tree provider (lineageTree.ts) rebuilds touched rows in place with them.
import type { LineageNode } from "./lineageModel";

/** The notebook URI a row id starts with (`uri`, `uri#s2`, `uri#e3/w:df`). */
export function notebookOf(id: string): string {
  const hash = id.indexOf("#");
  return hash < 0 ? id : id.slice(0, hash);
}

/** A node's children, built once per model (the cache is the built tree's). */
export function kidsOf(kids: Map<string, LineageNode[]>, node: LineageNode): LineageNode[] {
  let list = kids.get(node.id);
  if (!list) kids.set(node.id, (list = node.children()));
  return list;
}

/** The node with `id` under `root`: only the branch the id names is walked. Execution ids (`uri#e3`) do not
 * name their session, so sessions are looked into (their children lists are kept for the next lookup). */
export function findNode(root: LineageNode, id: string, kids: Map<string, LineageNode[]>): LineageNode | undefined {
  if (root.id === id) return root;
  for (const child of kidsOf(kids, root)) {
    if (child.id === id) return child;
    const below = id.startsWith(`${child.id}/`) || (child.kind === "session" && /#e\d+/.test(id));
    if (below) {
      const found = findNode(child, id, kids);
      if (found) return found;
    }
  }
  return undefined;
}
