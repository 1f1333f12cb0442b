"""A notebook's whole lineage document made from its records as JSON parts, a few sessions at a time.

Made in one go, a 2,000-run document held all its records at once (twice the views' bound), then its JSON text, then
that text encoded: the sidecar's high-water mark while serving (bench_sidecar.py, memory part; mem4 report). In parts,
at most CHUNK_EXECUTIONS records are read beyond what the views hold, and the parts are the bytes sent
(server/transport.RawJson). The parts joined are `public_lineage(notebook, include_experiments=False)` as document_parts
sends it: its records as protocol.records_on_the_wire says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from . import protocol as p

if TYPE_CHECKING:
    from .services import TrackitService

# Records read and serialised at a time (~8 KB each held, ~1.5 KB of JSON): the views' own bound. Each group costs
# ~5 queries: 400 at a time made a 2,000-run first touch x1.12 slower for ~3 MB less peak; 1,000 x1.02 (mem4 report)
CHUNK_EXECUTIONS = 1000
_NO_RUNS = '"executions":[]'


def chunks(ranges: dict[int, tuple[int, int]], size: int = CHUNK_EXECUTIONS) -> Optional[list[list[int]]]:
    """Sessions in seq order, grouped so each group has about `size` executions at most (a bigger session alone);
    None when sessions overlap in seq (then only the whole document sorts them)."""
    ordered = sorted(ranges, key=lambda sid: ranges[sid])
    groups: list[list[int]] = []
    held, last = 0, None
    for sid in ordered:
        first, end = ranges[sid]
        if last is not None and first <= last:
            return None
        last = end
        if groups and held + end - first + 1 <= size:
            groups[-1].append(sid)
            held += end - first + 1
        else:
            groups.append([sid])
            held = end - first + 1
    return groups


def document_parts(doc: p.LineageDocument, include_source: bool) -> list[bytes]:
    """A lineage document (whole or a window) as `trackit/lineage` answers it, as UTF-8 JSON parts: every field of
    the document and its sessions, its records as protocol.records_on_the_wire says."""
    runs = p.records_on_the_wire(doc.executions, include_source)
    head, tail = _around_the_runs(doc)
    return [head, runs[1:-1], tail] if doc.executions else [head, tail]


def _around_the_runs(doc: p.LineageDocument) -> tuple[bytes, bytes]:
    """The document's JSON before its records and after them (its `executions` array's brackets included)."""
    text = doc.model_copy(update={"executions": []}).model_dump_json()
    at = text.rfind(_NO_RUNS)  # the document's own: only experiments and latest_seq come after it
    return (text[:at] + '"executions":[').encode(), (']' + text[at + len(_NO_RUNS):]).encode()


def whole_lineage_parts(service: "TrackitService", notebook: str, include_source: bool,
                        chunk: Optional[int] = None) -> list[bytes]:
    """The whole document (sessions stamped, no experiments), as UTF-8 JSON parts to be sent one after another."""
    nb = service.views.notebook(notebook)
    groups = chunks(nb.ranges, chunk or CHUNK_EXECUTIONS) if nb is not None else None
    if not groups or len(groups) == 1:  # nothing to split
        return document_parts(service.public_lineage(notebook, include_experiments=False), include_source)
    parts: list[bytes] = []
    stamped: dict[int, p.SessionInfo] = {}
    doc = None
    for group in groups:
        doc = service.views.document(notebook, sessions=group)
        service.experiments.annotate(doc, include_experiments=False)  # the stamps of the sessions it has runs of
        stamped.update((info.id, info) for info in doc.sessions if info.id in group)
        if doc.executions:
            runs = p.records_on_the_wire(doc.executions, include_source)[1:-1]  # without its brackets
            parts.extend((b",", runs) if parts else (runs,))
    assert doc is not None
    # sessions with no runs are stamped as the whole document stamps them: from a document without their runs
    head, tail = _around_the_runs(doc.model_copy(update={"sessions": [stamped.get(info.id, info)
                                                                       for info in doc.sessions]}))
    return [head, *parts, tail]
