"""A cell's annotation names its latest run (`last_seq`): the editor's "Show data lineage" from a hover or a
cell's status bar asks for the lineage as of that run, not the variable's latest value."""
import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = ["import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, None]})", "df = df.dropna()", "df = df[df.a > 1]"]


def ev(nb: Path, cell: int, order: int, t: float, kernel: str) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=CELLS[cell],
        execution_order=order, started_at=t, ended_at=t + 3, status="ok", kernel_id=kernel)


def test_the_annotation_names_the_cells_latest_run_across_sessions(tmp_path):
    service = TrackitService(Store.open(str(tmp_path / "seq.duckdb")))
    try:
        nb = tmp_path / "nb.ipynb"
        service.ingest([ev(nb, c, c + 1, 1e12 + c * 10, "k1") for c in range(3)])  # seqs 1, 2, 3
        service.ingest([ev(nb, c, c + 1, 1e12 + 100 + c * 10, "k2") for c in (0, 1)])  # seqs 4, 5
        seqs = {e.cell_id: e.seq for e in service.lineage(nb.as_uri()).executions}  # the last run of each cell
        got = {f"c{c}": service.annotation(nb.as_uri(), f"c{c}").last_seq for c in range(3)}
        assert got == seqs == {"c0": 4, "c1": 5, "c2": 3}
        assert service.annotation(nb.as_uri(), "never-ran").last_seq is None
    finally:
        service.store.close()
