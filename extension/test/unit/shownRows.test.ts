// Which rows VS Code must be told about (shownRows.ts): only those that show something else now.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rowsToRepaint, ShownRows } from "../../src/views/shownRows";

interface R {
  id: string;
  text: string;
  tooltip?: string;
  kids?: R[];
}
const row = (id: string, text = id, kids?: R[], tooltip?: string): R => ({ id, text, kids, tooltip });
const face = (r: R) => r.text;
const children = (r: R) => r.kids ?? [];

/** What VS Code holds after it was given `rows` (and the children of those with `kids`, expanded). */
function shownOf(rows: R[], tooltips: [string, string | undefined][] = []): ShownRows {
  const faces = new Map<string, string>();
  const kids = new Map<string, string[]>();
  const walk = (r: R) => {
    faces.set(r.id, face(r));
    if (r.kids) {
      kids.set(r.id, r.kids.map((k) => k.id));
      r.kids.forEach(walk);
    }
  };
  rows.forEach(walk);
  return { faces, children: kids, tooltips: new Map(tooltips) };
}

describe("rowsToRepaint", () => {
  const before = () => [row("nb", "nb · 2 runs", [row("nb#s1", "Session 1", [row("nb#e1", "[1] ok"), row("nb#e2", "[2] ok", [row("nb#e2/r:df")])])])];

  it("names nothing when every row VS Code holds shows the same", () => {
    const now = before();
    assert.deepEqual(rowsToRepaint(now, shownOf(before()), face, children), []);
  });

  it("names a row whose text changed, and only the topmost of nested ones", () => {
    const now = before();
    now[0].kids![0].kids![0].text = "[1] error";
    assert.deepEqual(rowsToRepaint([now[0].kids![0].kids![0]], shownOf(before()), face, children), ["nb#e1"]);
    now[0].text = "nb · 3 runs";
    assert.deepEqual(rowsToRepaint([now[0].kids![0].kids![0], now[0]], shownOf(before()), face, children), ["nb"]);
  });

  it("names a row whose children VS Code was given are not the same ids any more, and looks below unchanged rows", () => {
    const now = before();
    now[0].kids![0].kids!.push(row("nb#e3", "[3] ok"));
    assert.deepEqual(rowsToRepaint(now, shownOf(before()), face, children), ["nb#s1"], "found from the notebook row down");
    const noteAdded = before();
    noteAdded[0].kids![0].kids![1].kids!.unshift(row("nb#e2/note", "runtime facts unavailable"));
    assert.deepEqual(rowsToRepaint([noteAdded[0].kids![0].kids![1]], shownOf(before()), face, children), ["nb#e2"]);
  });

  it("does not look into rows VS Code never expanded or never got", () => {
    const now = before();
    now[0].kids![0].kids![0].kids = [row("nb#e1/r:x", "reads: x")]; // e1 was never expanded
    const unseen = row("nb#e9", "[9] ok");
    assert.deepEqual(rowsToRepaint([now[0].kids![0].kids![0], unseen], shownOf(before()), face, children), []);
  });

  it("names a row whose tooltip changed only when VS Code resolved it (it keeps it until the row is repainted)", () => {
    const now = before();
    now[0].kids![0].kids![0].tooltip = "steps: dropped 3 rows";
    const e1 = now[0].kids![0].kids![0];
    assert.deepEqual(rowsToRepaint([e1], shownOf(before()), face, children), [], "never hovered");
    assert.deepEqual(rowsToRepaint([e1], shownOf(before(), [["nb#e1", undefined]]), face, children), ["nb#e1"]);
    assert.deepEqual(rowsToRepaint([e1], shownOf(before(), [["nb#e1", "steps: dropped 3 rows"]]), face, children), []);
  });
});
