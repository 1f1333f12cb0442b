"""Staleness follows lineage (issue 8, item 6): the edited run and every later run that read what it wrote,
transitively; nothing else. Pure marks on small records, then through the service (what the editor sends,
or the saved file for the CLI), the hover, the status bar annotation and the summary."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.staleness import stale_marks
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = {
    "c1": "import pandas as pd",
    "c2": "raw = pd.read_csv('raw.csv')",
    "c3": "clean = raw[raw.a > 2]",
    "c4": "feat = clean.assign(b=clean.a * 2)",
    "c5": "other = pd.read_csv('other.csv')",
    "c6": "n = len(feat)",
}
EDITED_C3 = "clean = raw[raw.a > 5]"


def _event(nb: Path, cell: str, order: int, source: str) -> p.CellExecution:
    index = int(cell[1:]) - 1
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=cell,
        cell_uri=f"vscode-notebook-cell:{nb}#{cell}", cell_index=index, source=source, execution_order=order,
        started_at=1e12 + order * 10, ended_at=1e12 + order * 10 + 3, status="ok")


def _shas(cells: dict[str, str]) -> dict[str, str]:
    return {cell: p.source_sha256(text) for cell, text in cells.items()}


@pytest.fixture
def run_all(tmp_path):
    nb = tmp_path / "stale.ipynb"
    service = TrackitService(Store.open(str(tmp_path / "t.duckdb")))
    service.ingest([_event(nb, cell, n, source) for n, (cell, source) in enumerate(CELLS.items(), start=1)])
    yield service, nb
    service.store.close()


def _stale(service: TrackitService, nb: Path) -> dict[int, tuple]:
    return {e.seq: (e.stale, e.stale_because) for e in service.lineage(nb.as_uri()).executions if e.stale}


def test_nothing_is_judged_until_the_current_sources_are_known(run_all):
    service, nb = run_all
    assert _stale(service, nb) == {}
    service.set_current_sources(nb.as_uri(), _shas(CELLS))
    assert _stale(service, nb) == {}


def test_an_edit_marks_the_run_and_what_read_its_result_transitively(run_all):
    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3}))
    assert _stale(service, nb) == {3: ("edited", [3]), 4: ("upstream", [3]), 6: ("upstream", [3])}
    annotations = {cell: service.annotation(nb.as_uri(), cell) for cell in CELLS}
    assert {cell: a.stale for cell, a in annotations.items()} == {
        "c1": None, "c2": None, "c3": "edited", "c4": "upstream", "c5": None, "c6": "upstream"}
    assert "**stale**: the cell was edited since this run" in annotations["c3"].markdown
    assert "**stale**: it used results of cell 3 [3], edited since" in annotations["c6"].markdown
    problems = service.summaries.summarize(nb.as_uri()).markdown.split("## Problems")[1].split("## ")[0]
    assert "The final values of `clean`, `feat` and `n` come from code edited since it ran [cells 3, 4, 6]" in problems
    assert "re-run [cell 3]" in problems and "`other`" not in problems and "`raw`" not in problems


def test_two_edited_cells_are_named_as_them_in_the_summary(run_all):
    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3, "c4": "feat = clean.assign(b=1)"}))
    problems = service.summaries.summarize(nb.as_uri()).markdown.split("## Problems")[1].split("## ")[0]
    assert "re-run [cells 3, 4] and the cells after them that use them to bring them up to date" in problems, problems


def test_rerunning_brings_the_new_runs_up_to_date_and_the_summary_says_so(run_all):
    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3}))
    stale_summary = service.summaries.summarize(nb.as_uri())
    service.ingest([_event(nb, "c3", 7, EDITED_C3)])
    assert _stale(service, nb) == {3: ("edited", [3]), 4: ("upstream", [3]), 6: ("upstream", [3])}
    assert service.annotation(nb.as_uri(), "c3").stale is None and service.annotation(nb.as_uri(), "c4").stale == "upstream"
    service.ingest([_event(nb, "c4", 8, CELLS["c4"]), _event(nb, "c6", 9, CELLS["c6"])])
    assert set(_stale(service, nb)) == {3, 4, 6}  # the old runs stay stale: their results came from old code
    fresh = service.summaries.summarize(nb.as_uri())
    assert not fresh.cached and "edited since it ran" not in fresh.markdown
    assert "edited since it ran" in stale_summary.markdown


def test_a_reverted_edit_is_fresh_again_and_the_builtin_summary_follows_without_new_runs(run_all):
    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3}))
    assert "edited since it ran" in service.summaries.summarize(nb.as_uri()).markdown
    service.set_current_sources(nb.as_uri(), _shas(CELLS))
    assert _stale(service, nb) == {}
    assert "edited since it ran" not in service.summaries.summarize(nb.as_uri()).markdown


def test_the_cli_judges_against_the_saved_notebook(tmp_path):
    nb = tmp_path / "saved.ipynb"
    cells = [{"id": cell, "cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": EDITED_C3 if cell == "c3" else text} for cell, text in CELLS.items()]
    nb.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    db = str(tmp_path / "t.duckdb")
    recorder = TrackitService(Store.open(db))
    recorder.ingest([_event(nb, cell, n, source) for n, (cell, source) in enumerate(CELLS.items(), start=1)])
    assert _stale(recorder, nb) == {}, "the server believes only the editor"
    recorder.store.close()
    cli = TrackitService(Store.open(db), sources_from_files=True)
    try:
        assert set(_stale(cli, nb)) == {3, 4, 6}
    finally:
        cli.store.close()


def test_cells_not_in_the_current_sources_make_nothing_stale():
    from trackit_sidecar.lineage.records import complete

    execs = []
    for seq, (cell, source) in enumerate(CELLS.items(), start=1):
        from trackit_sidecar.lineage.analysis import analyze_source

        a = analyze_source(source)
        execs.append(p.ExecutionRecord(seq=seq, session=1, cell_id=cell, cell_index=seq, status="ok",
                                       started_at="2026-01-01T00:00:00+00:00", ended_at="2026-01-01T00:00:00+00:00",
                                       duration_ms=1, source=source, source_sha256=p.source_sha256(source),
                                       reads=a.reads, writes=a.writes))
    doc = complete(p.LineageDocument(notebook="/x.ipynb", notebook_uri="file:///x.ipynb", executions=execs))
    assert stale_marks(doc.executions, {"c6": p.source_sha256(CELLS["c6"])}) == {}
    assert stale_marks(doc.executions, {"c2": "other"}) == {
        2: ("edited", [2]), 3: ("upstream", [2]), 4: ("upstream", [2]), 6: ("upstream", [2])}


def test_the_prompt_for_a_provider_says_which_runs_are_stale_and_which_final_values(run_all):
    from trackit_sidecar.summarize.prompt import build_prompt

    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3}))
    prompt = "\n".join(build_prompt(service.lineage(nb.as_uri())))
    assert "stale: the cell was edited since this run" in prompt
    assert "stale: uses results of [cell 3] edited since" in prompt
    assert "feat <- [cell 4] built from [cells 1, 2, 3] (from code edited since)" in prompt


def test_the_lineage_has_its_words_even_when_a_hover_judged_it_first(run_all):
    """A hover (no words needed) judged the document first; the tree's request then must not get that copy."""
    service, nb = run_all
    service.set_current_sources(nb.as_uri(), _shas({**CELLS, "c3": EDITED_C3}))
    assert service.annotation(nb.as_uri(), "c4").stale == "upstream"
    doc = service.lineage(nb.as_uri())
    assert [e.label for e in doc.executions][:2] == ["[1] Cell 1", "[2] Cell 2"]
    assert [e.stale for e in doc.executions] == [None, None, "edited", "upstream", None, "upstream"]
