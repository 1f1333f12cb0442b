"""The probe measures null counts and fingerprints when the sidecar asks, from copy-on-write snapshots: the facts
are those of the moment each cell ended, however late the question comes and whatever later cells did in place."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import nulls, objects

from .in_process_probe import new_probe, run_cell

pd = pytest.importorskip("pandas")

CELLS = [
    "import pandas as pd\nimport numpy as np\n"
    "df = pd.DataFrame({'a': [1.0, None, 3.0, None], 'b': list('wxyz'), 't': pd.to_datetime(['2020-01-01', None, "
    "'2020-01-03', '2020-01-04'])})\narr = np.array([1.0, np.nan, 3.0])",
    "df.loc[df.a.isna(), 'a'] = 0.0",  # in place: same object, same shape, new values
    "df['a'] = df['a'] * 2\narr[1] = 5.0",  # in place again, and a numpy array written in place
    "df2 = df[df.a > 0]",
    "df.loc[0, 'b'] = None\nalias = df",
    "alias.loc[1, 'b'] = None",  # df changes through a name the cell does not mention: only a snapshot keeps it
    "n = len(df)",
]


def run(ask_after_each: bool, lazy: bool, monkeypatch) -> list[list[dict]]:
    if not lazy:
        monkeypatch.setattr(objects, "lazy_safe", lambda kind: False)
    p = new_probe()
    facts = {}
    for count, source in enumerate(CELLS, 1):
        run_cell(p, count, source)
        if ask_after_each:
            facts[count] = p.facts_for(count)
    for count in range(1, len(CELLS) + 1):
        facts.setdefault(count, p.facts_for(count))
    monkeypatch.undo()
    assert p.errors == []
    return [facts[count] for count in range(1, len(CELLS) + 1)]


def test_facts_asked_late_are_the_facts_of_the_moment_each_cell_ended(monkeypatch):
    at_once = run(ask_after_each=True, lazy=False, monkeypatch=monkeypatch)
    assert run(ask_after_each=True, lazy=True, monkeypatch=monkeypatch) == at_once
    assert run(ask_after_each=False, lazy=True, monkeypatch=monkeypatch) == at_once  # a Run All outrunning the sidecar
    by_cell = [{f["variable"]: f for f in cell} for cell in at_once]
    assert (by_cell[0]["df"]["nulls_after"], by_cell[1]["df"]["nulls_after"]) == (3, 1)  # 2 in a, 1 in t
    assert by_cell[1]["df"]["changed"] is True and by_cell[1]["df"]["nulls_before"] == 3
    assert by_cell[2]["df"]["fingerprint"] != by_cell[1]["df"]["fingerprint"]
    assert by_cell[4]["df"]["nulls_after"] == 2 and by_cell[5]["alias"]["nulls_after"] == 3
    assert by_cell[2]["arr"]["nulls_after"] == 0 and by_cell[0]["arr"]["nulls_after"] == 1


def test_hooks_take_snapshots_instead_of_measuring(monkeypatch):
    measured = []
    real = nulls.null_counts
    monkeypatch.setattr(nulls, "null_counts", lambda obj, kind, *known: measured.append(kind) or real(obj, kind, *known))
    p = new_probe()
    run_cell(p, 1, "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None]})")
    assert measured == []  # nothing measured in the cell's time
    assert [f["nulls_after"] for f in p.facts_for(1)] == [1]
    assert measured == ["DataFrame"]


def test_object_columns_count_missing_values_as_pandas_does():
    frame = pd.DataFrame({"o": pd.Series([None, pd.NA, float("nan"), "x"], dtype=object), "f": [1.0, None, 3.0, 4.0]})
    assert nulls.count_nulls(frame, "DataFrame") == int(frame.isna().sum().sum()) == 4
