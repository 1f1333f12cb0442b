"""The problems a cell's annotation shows read the whole session: found once per state of the session's records
(lineage_views.SessionView.revision), not at every hover, and found again when a new run changes what they are."""

from __future__ import annotations

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.summarize import problems
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

from .test_lineage_views import _event_id, ev


@pytest.fixture
def service(tmp_path):
    svc = TrackitService(Store.open(str(tmp_path / "problems.duckdb")))
    yield svc
    svc.store.close()


def test_problems_are_found_once_per_state_of_the_session_and_again_after_a_new_run(service, tmp_path, monkeypatch):
    nb = tmp_path / "nb.ipynb"
    uri, t = nb.as_uri(), 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10), ev(nb, 2, 3, t + 20)])
    service.lineage(uri)  # the editor holds the notebook: new runs are appended to its held session
    found = []
    real = problems.session_problems  # services imports it when a hover needs it
    monkeypatch.setattr(problems, "session_problems", lambda *args: found.append(args) or real(*args))

    assert [service.annotation(uri, f"c{cell}").problems for cell in range(3)] == [[], [], []]
    assert len(found) == 1, "three hovers of one state of the session found its problems once"

    service.ingest([ev(nb, 1, 4, t + 30)])  # cell 2 again, after cell 3: back up the notebook
    assert service.annotation(uri, "c2").problems == ["Cell 2 ran after cell 3, out of notebook order (with cell 2)."]
    assert service.annotation(uri, "c1").problems == ["Cell 2 ran after cell 3, out of notebook order (with cell 3)."]
    assert service.annotation(uri, "c0").problems == []
    assert len(found) == 2


def test_facts_that_arrive_after_the_hover_bring_the_problem_they_show(service, tmp_path):
    # the kernel's facts come after the run is stored: a conversion's gaps are known only then
    nb = tmp_path / "nb.ipynb"
    uri, t = nb.as_uri(), 1e12
    convert = "df['age'] = pd.to_numeric(df['age'], errors='coerce')"
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10, source=convert)])
    service.lineage(uri)
    assert service.annotation(uri, "c1").problems == []
    service.add_runtime_facts(_event_id(service, uri, 2), [p.RuntimeFacts(
        variable="df", kind="pandas.DataFrame", rows_before=3, rows_after=3, dtype_changes={"age": ["object", "float64"]},
        column_nulls_before={}, column_nulls_after={"age": 2})])
    assert service.annotation(uri, "c1").problems == [
        f"`{convert}` could not convert 2 values of `age`; they are now missing."]


def test_a_leak_found_again_by_a_second_run_all_is_on_the_latest_runs_hover(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri, t = nb.as_uri(), 1e12
    cells = ["import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv('d.csv')",
             "df['age'] = df['age'].fillna(df['age'].median())", "train, test = train_test_split(df)"]
    service.ingest([ev(nb, index, index + 1, t + index * 10, source=source) for index, source in enumerate(cells)])
    service.lineage(uri)
    first = service.annotation(uri, "c1").problems
    assert len(first) == 1 and "(train/test leakage) (with cell 3)" in first[0], first
    service.ingest([ev(nb, index, index + 4, t + 100 + index * 10, source=source) for index, source in enumerate(cells)])
    assert service.annotation(uri, "c1").problems == first  # the latest run learned from every row again
    assert service.annotation(uri, "c2").problems == [first[0].replace("(with cell 3)", "(with cell 2)")]
