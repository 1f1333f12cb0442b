"""Small lineage slices for the pure compare modules: executions built from cell sources the way the service
builds them (analysis + classifier with the notebook's context), with the runtime facts a kernel would have
measured given by hand. Handed out as fixtures: the suite runs with --import-mode=importlib, where test modules
cannot import sibling helpers."""

from __future__ import annotations

import uuid
from typing import Callable, Optional

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.compare.sides import Side
from trackit_sidecar.experiments import feature_diff, features
from trackit_sidecar.lineage import graph
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.steps import classify_cell


def facts(variable: str, rows: int, cols: Optional[int] = 3, fingerprint: Optional[str] = None,
          nulls: int = 0, added: tuple[str, ...] = (), removed: tuple[str, ...] = ()) -> p.RuntimeFacts:
    return p.RuntimeFacts(variable=variable, kind="DataFrame", rows_after=rows, cols_after=cols, nulls_after=nulls,
                          fingerprint=fingerprint or f"xxh3:{variable}-{rows}-{cols}-{nulls}",
                          added_columns=list(added), removed_columns=list(removed))


class Run:
    """One run (session) of a notebook: `cell(cell_id, source, facts=[...], files=[...])` appends an execution."""

    def __init__(self, session: int = 1, start_seq: int = 1) -> None:
        self.session = session
        self.seq = start_seq
        self.env: dict = {}
        self.executions: list[p.ExecutionRecord] = []

    def cell(self, cell_id: str, source: str, facts: Optional[list[p.RuntimeFacts]] = None,
             files: Optional[list[p.InputFile]] = None, status: str = "ok") -> p.ExecutionRecord:
        analysis = analyze_source(source)
        steps, after = classify_cell(source, self.env)
        self.env.clear()
        self.env.update(after)
        index = int("".join(ch for ch in cell_id if ch.isdigit()) or 0)
        record = p.ExecutionRecord(
            seq=self.seq, session=self.session, cell_id=cell_id, cell_index=index,
            execution_count=len(self.executions) + 1, status=status,
            started_at=f"2026-01-01T00:{self.session:02d}:{self.seq % 60:02d}+00:00",
            ended_at=f"2026-01-01T00:{self.session:02d}:{self.seq % 60:02d}.5+00:00", duration_ms=500,
            source=source, source_sha256=p.source_sha256(source), reads=analysis.reads, writes=analysis.writes,
            derivations=analysis.derivations, steps=steps, runtime=list(facts or []), input_files=list(files or []))
        self.seq += 1
        self.executions.append(record)
        return record

    def linked(self) -> list[p.ExecutionRecord]:
        executions = [e.model_copy(deep=True) for e in self.executions]
        graph.link_parents(executions)
        for e in executions:
            if e.runtime and e.steps:
                graph.attach_runtime(e.steps, e.runtime)
        return executions

    def side(self, ref: str = "E0001", metrics: Optional[list[p.Metric]] = None,
             stamp: Optional[p.RunStamp] = None, data: Optional[list[p.DatasetRevision]] = None,
             model: Optional[p.ModelFingerprint] = None) -> Side:
        executions = self.linked()
        last = executions[-1]
        tree = features.build(executions)
        primary = metrics[0] if metrics else None
        diff_side = p.DiffSide(ref=ref, notebook_uri="file:///nb/t.ipynb", session=self.session, seq=last.seq,
                               cell_id=last.cell_id, cell_index=last.cell_index, primary_metric=primary,
                               config_sha256=feature_diff.config_hash(tree))
        return Side(ref=diff_side, executions=executions, run=executions, metrics=list(metrics or []),
                    features=tree, data=list(data or []), stamp=stamp, model=model)


@pytest.fixture
def run():
    return Run


@pytest.fixture
def measured():
    return facts


def _ingest_run(service, notebook, session: int, cells: list[tuple[str, str]], t: float, printed_by: str,
                printed: str, facts_of: Callable[[str, str], Optional[list[p.RuntimeFacts]]]) -> tuple[str, float]:
    """One run of `cells` stored through the service as the editor sends it (a cell `printed_by` prints `printed`),
    each execution's runtime facts (facts_of: None where a
    kernel sent none) added as the server adds them: (the run's first event id, the next start time)."""
    first = None
    for order, (cell, source) in enumerate(cells, 1):
        text = printed if cell == printed_by else None
        event = p.CellExecution(
            event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook), cell_id=cell,
            cell_index=int(cell[1:]), source=source, execution_order=order, started_at=t, ended_at=t + 1,
            status="ok", kernel_id=f"kernel-{session}",
            outputs=[p.CellOutput(output_type="stream", mime="text/plain", text=text)] if text else [])
        t += 1000
        service.ingest([event])
        facts_measured = facts_of(cell, event.event_id)
        if facts_measured is not None:
            service.add_runtime_facts(event.event_id, facts_measured)
        first = first or event.event_id
    return first, t


@pytest.fixture(scope="session")
def ingest_run():
    """_ingest_run, handed out as a fixture (test modules cannot import this file)."""
    return _ingest_run
