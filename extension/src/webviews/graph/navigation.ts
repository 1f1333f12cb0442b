// Pure: moving around a laid-out lineage graph (model.ts): the keyboard's moves along and across the ranks, zoom
// steps, the scale and scroll the view opens at, and the scale that fits the whole graph.
import type { GraphLayout, NodeBox } from "./model";

/** A box's position along the ranks (x left to right, y top to bottom) and across them. */
const along = (layout: GraphLayout, box: NodeBox) => (layout.direction === "TB" ? box.y : box.x);
const across = (layout: GraphLayout, box: NodeBox) => (layout.direction === "TB" ? box.x + box.width / 2 : box.y + box.height / 2);

function nearest(layout: GraphLayout, from: NodeBox, candidates: string[]): string | undefined {
  let best: NodeBox | undefined;
  const distance = (box: NodeBox) => Math.abs(across(layout, box) - across(layout, from));
  for (const id of candidates) {
    const box = layout.byId.get(id);
    if (box && (!best || distance(box) < distance(best))) best = box;
  }
  return best?.id;
}

export type NavigationKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End";

/** Keyboard, along the drawing: the arrow towards the sources (Left, or Up top to bottom) goes upstream (what it
 * was made from), the opposite one downstream, the other two within the same rank; Home to the value asked
 * about, End to the first source. */
export function keyboardMove(layout: GraphLayout, from: string | undefined, key: NavigationKey): string | undefined {
  if (layout.nodes.length === 0) return undefined;
  const start = (from && layout.byId.get(from)) || layout.byId.get(layout.target ?? "") || layout.nodes[0];
  const vertical = layout.direction === "TB";
  const upstreamKey = vertical ? "ArrowUp" : "ArrowLeft";
  const downstreamKey = vertical ? "ArrowDown" : "ArrowRight";
  const previousKey = vertical ? "ArrowLeft" : "ArrowUp";
  switch (key) {
    case "Home":
      return layout.target ?? layout.nodes[0].id;
    case "End":
      return [...layout.nodes].sort((a, b) => along(layout, a) - along(layout, b) || across(layout, a) - across(layout, b))[0].id;
    case upstreamKey:
      return nearest(layout, start, layout.predecessors.get(start.id) ?? []) ?? start.id;
    case downstreamKey:
      return nearest(layout, start, layout.successors.get(start.id) ?? []) ?? start.id;
    default: {
      const rank = layout.nodes.filter((n) => n.rank === start.rank).sort((a, b) => across(layout, a) - across(layout, b));
      const at = rank.findIndex((n) => n.id === start.id);
      const next = rank[at + (key === previousKey ? -1 : 1)];
      return (next ?? start).id;
    }
  }
}

// ------------------------------------------------------------ zoom (view state)
export const ZOOM = { min: 0.1, max: 2, step: 1.25, readable: 0.8 };

export function clampScale(scale: number): number {
  return Math.min(ZOOM.max, Math.max(ZOOM.min, Number.isFinite(scale) ? scale : 1));
}

export function zoomStep(scale: number, direction: 1 | -1): number {
  return clampScale(direction > 0 ? scale * ZOOM.step : scale / ZOOM.step);
}

/** The scale a graph opens at: fitted to the view's width (never enlarged), but never below the smallest
 * readable scale; what does not fit is scrolled to (`initialScroll`). A 13-step chain fitted whole into a panel
 * beside the notebook is drawn at ~0.25, where no label can be read. */
export function initialScale(layout: Pick<GraphLayout, "width" | "height">, width: number, _height: number): number {
  if (layout.width <= 0 || width <= 0) return 1;
  return clampScale(Math.max(ZOOM.readable, Math.min(1, width / layout.width)));
}

/** Where the view opens (scroll offsets at `scale`): the value asked about in view with what made it (its nearest
 * steps) filling the rest: at the right edge left to right, at the bottom top to bottom, centred across. */
export function initialScroll(
  layout: Pick<GraphLayout, "byId" | "target" | "direction">,
  scale: number,
  width: number,
  height: number,
): { left: number; top: number } {
  const target = layout.target ? layout.byId.get(layout.target) : undefined;
  if (!target) return { left: 0, top: 0 };
  const margin = 24; // the layout's own margin: the target's outline and the view's edge stay apart
  const centreX = (target.x + target.width / 2) * scale - width / 2;
  const centreY = (target.y + target.height / 2) * scale - height / 2;
  const clamp = (v: number) => Math.max(0, Math.round(v));
  return layout.direction === "TB"
    ? { left: clamp(centreX), top: clamp((target.y + target.height + margin) * scale - height) }
    : { left: clamp((target.x + target.width + margin) * scale - width), top: clamp(centreY) };
}

/** The scale that shows the whole graph in a `width` × `height` view (never enlarged past 1). */
export function fitScale(layout: Pick<GraphLayout, "width" | "height">, width: number, height: number): number {
  if (layout.width <= 0 || layout.height <= 0 || width <= 0 || height <= 0) return 1;
  return clampScale(Math.min(1, width / layout.width, height / layout.height));
}
