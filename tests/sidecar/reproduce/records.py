"""Small recorded histories for the pure reproduce tests: ExecutionRecords as the store returns them."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.code_names import mark_code_names
from trackit_sidecar.lineage.graph import link_parents
from trackit_sidecar.protocol import ErrorInfo, ExecutionRecord, LineageDocument, SessionInfo, source_sha256


def history(runs: list[tuple], notebook: str = "/work/nb/analysis.ipynb") -> LineageDocument:
    """runs: (cell_id, source[, cell_index[, status[, session]]]) in the order they ran."""
    executions = []
    for seq, run in enumerate(runs, 1):
        cell_id, source = run[0], run[1]
        cell_index = run[2] if len(run) > 2 else (int(cell_id[1:]) - 1 if cell_id[1:].isdigit() else 0)
        status = run[3] if len(run) > 3 else "ok"
        session = run[4] if len(run) > 4 else 1
        analysis = analyze_source(source)
        executions.append(ExecutionRecord(
            seq=seq, session=session, cell_id=cell_id, cell_index=cell_index, execution_count=seq,
            status=status, started_at=f"2026-11-29T10:00:{seq:02d}+00:00",
            ended_at=f"2026-11-29T10:00:{seq:02d}.5+00:00", duration_ms=500.0, source=source,
            source_sha256=source_sha256(source), reads=analysis.reads, writes=analysis.writes,
            derivations=analysis.derivations, steps=analysis.steps, analysis_error=analysis.analysis_error,
            error=ErrorInfo(name="NameError", message="boom") if status == "error" else None,
        ))
    link_parents(executions)
    mark_code_names(executions)  # as the service's lineage has them (records.complete)
    sessions = sorted({e.session for e in executions})
    return LineageDocument(
        notebook=notebook, notebook_uri="file://" + notebook,
        sessions=[SessionInfo(id=s, started_at="2026-11-29T10:00:00+00:00", kernel_name="python3",
                              executions=sum(1 for e in executions if e.session == s)) for s in sessions],
        executions=executions,
    )
