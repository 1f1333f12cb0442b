"""Fixtures for the store tests: real CellExecution builders, real Store on disk or in memory.

Helpers are handed out as fixtures because the suite runs with --import-mode=importlib, where
test modules cannot import sibling helper modules.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from trackit_sidecar.lineage.analysis import SourceAnalysis
from trackit_sidecar.protocol import CellExecution, Step
from trackit_sidecar.store import Store, source_sha256

_ids = itertools.count(1)
BASE_MS = 1_764_000_000_000.0  # 2025-11-24T16:00:00Z


def make_event(**overrides: Any) -> CellExecution:
    n = next(_ids)
    fields: dict[str, Any] = {
        "event_id": f"ev-{n}",
        "notebook_uri": "file:///tmp/trackit-tests/nb.ipynb",
        "cell_id": "cell-a",
        "cell_index": 0,
        "source": "x = 1",
        "execution_order": n,
        "started_at": BASE_MS + n * 1000,
        "ended_at": BASE_MS + n * 1000 + 250,
        "status": "ok",
        "kernel_id": "kernel-1",
        "kernel_name": "python3",
    }
    fields.update(overrides)
    return CellExecution(**fields)


def analysis_for(source: str) -> SourceAnalysis:
    """A deterministic analysis that depends on the source, so tests can tell analyses apart."""
    name = f"v{len(source)}"
    return SourceAnalysis(
        reads=["df"],
        writes=[name],
        derivations={name: ["df"]},
        steps=[Step(op="filter_rows", inputs=["df"], output=name, code=source[:40], line=1)],
    )


def analyses_for(events: list[CellExecution]) -> dict[str, SourceAnalysis]:
    return {source_sha256(e.source): analysis_for(e.source) for e in events}


@pytest.fixture
def ev():
    """Build a CellExecution: ev(source="...", cell_id=...); unique event_id and increasing time."""
    return make_event


@pytest.fixture
def analyses():
    """analyses(events) -> {sha256: analysis} as the service would pass to ingest."""
    return analyses_for


@pytest.fixture
def mem_store():
    store = Store.open(None)
    yield store
    store.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "trackit.duckdb"
