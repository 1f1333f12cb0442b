"""Each experiment's parent: the earlier experiment of the same notebook whose slice it extends or edits.

Slices are compared by cell: a cell that ran with another source version, or that only one of the two
slices has, is one difference. The parent is the earlier experiment with the fewest differences that
shares at least one cell version; on a tie the one sharing more cell versions (a model's cross-validation is
the child of the model's accuracy, not of a baseline computed from `y_test` alone after it: sklearn-videos 09),
then the most recent. So re-running after an edit makes a child of
the previous experiment, while going back to an earlier state and changing something else makes a
branch from the experiment that state produced (not from the latest one). Failed experiments are never
chosen automatically. The user's choice (`trackit reparent`) overrides all of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Node:
    number: int  # E number: creation order, so "earlier" is a smaller number
    notebook: str
    seq: int
    failed: bool
    signature: dict[str, tuple[str, ...]]  # slice.signature()


def distance(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> int:
    return sum(1 for cell in a.keys() | b.keys() if a.get(cell) != b.get(cell))


class _Bits:
    """Each distinct cell, (cell, versions) and (cell, version) as one bit: comparing two slices is then three
    integer operations (a notebook with 500 experiments compares ~125,000 pairs on its first listing)."""

    def __init__(self) -> None:
        self.index: dict[object, int] = {}

    def of(self, keys) -> int:
        bits = 0
        for key in keys:
            bits |= 1 << self.index.setdefault(key, len(self.index))
        return bits


def _shared_and_distance(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> Optional[tuple[int, int]]:
    """(distance(a, b), the cells both ran in the same versions) when the two slices share at least one cell
    version, else None."""
    if not any(v in b.get(cell, ()) for cell, shas in a.items() for v in shas):
        return None
    same = sum(1 for cell, shas in a.items() if b.get(cell) == shas)
    return len(a.keys() | b.keys()) - same, same


def choose(nodes: list[Node], overrides: Optional[dict[int, Optional[int]]] = None,
           decided: Optional[dict[int, Optional[int]]] = None) -> dict[int, Optional[int]]:
    """number -> parent number (None: a root). `overrides` (number -> parent or None) win; `decided` (number ->
    parent) are automatic choices already made from the same earlier nodes, kept rather than made again.
    The distance of two slices (distance()) is the cells in either minus the cells that ran the same versions."""
    overrides = overrides or {}
    decided = decided or {}
    ordered = sorted(nodes, key=lambda n: (n.notebook, n.seq))
    undecided = sum(1 for n in ordered if n.number not in overrides and n.number not in decided)
    if undecided * len(ordered) > 20_000:  # many pairs: each slice as bit sets once, each pair three integer operations
        bits = _Bits()
        masks = {n.number: (bits.of(("cell", c) for c in n.signature), bits.of(("item", i) for i in n.signature.items()),
                            bits.of(("version", c, v) for c, shas in n.signature.items() for v in shas)) for n in ordered}

        def measure(node: Node, candidate: Node) -> Optional[tuple[int, int]]:
            cells, items, versions = masks[node.number]
            their_cells, their_items, their_versions = masks[candidate.number]
            if not versions & their_versions:
                return None
            same = (items & their_items).bit_count()
            return (cells | their_cells).bit_count() - same, same
    else:  # a few new experiments: compared directly

        def measure(node: Node, candidate: Node) -> Optional[tuple[int, int]]:
            return _shared_and_distance(node.signature, candidate.signature)

    parents: dict[int, Optional[int]] = {}
    earlier: dict[str, list[Node]] = {}
    for node in ordered:
        if node.number in overrides:
            parents[node.number] = overrides[node.number]
        elif node.number in decided:
            parents[node.number] = decided[node.number]
        else:
            best: Optional[tuple[int, int, int, Node]] = None
            for candidate in earlier.get(node.notebook, []):
                if candidate.failed:
                    continue
                found = measure(node, candidate)
                if found is None:
                    continue
                key = (found[0], -found[1], -candidate.seq)
                if best is None or key < best[:3]:
                    best = (*key, candidate)
            parents[node.number] = best[3].number if best else None
        earlier.setdefault(node.notebook, []).append(node)
    return parents


def creates_cycle(parents: dict[int, Optional[int]], child: int, new_parent: Optional[int]) -> bool:
    """Would making `new_parent` the parent of `child` loop back to `child`?"""
    seen = set()
    current = new_parent
    while current is not None and current not in seen:
        if current == child:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
