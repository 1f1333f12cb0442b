"""Which recorded cell each citation of a summary means ("[cell 3]", "[cells 2, 5]", "[cells 1–40]"), so the
editor can make them links that reveal the cell. The citation grammar is the faithfulness check's (one home)."""

from __future__ import annotations

from ..protocol import CellRef, ExecutionRecord, LineageDocument, SummaryCitation
from .faithfulness import CITATION, _cell_numbers


def _ref(e: ExecutionRecord) -> CellRef:
    return CellRef(seq=e.seq, cell_id=e.cell_id, cell_index=e.cell_index, execution_count=e.execution_count)


def find_citations(markdown: str, doc: LineageDocument) -> list[SummaryCitation]:
    """Each distinct citation in the text with the cells it names: a cell number is the 1-based position the
    cell had when it ran (as the summary says it), resolved to the latest execution at that position."""
    by_number: dict[int, ExecutionRecord] = {}
    for e in sorted(doc.executions, key=lambda rec: rec.seq):
        by_number[e.cell_index + 1] = e
    found: dict[str, SummaryCitation] = {}
    for match in CITATION.finditer(markdown):
        text = match.group(0)
        if text in found:
            continue
        cells = [_ref(by_number[n]) for n in dict.fromkeys(_cell_numbers(match.group(1))) if n in by_number]
        if cells:
            found[text] = SummaryCitation(text=text, cells=cells)
    return list(found.values())
