"""An object a cell does not name and that keeps its shape, columns and dtypes keeps its Entry (no new one is made for
it: NamespaceTracking._post, Entry.still_describes), and the facts are those of a probe that makes a new Entry for every
object every cell; an object changed through another name (an alias) still gets a new Entry and its facts."""

from __future__ import annotations

from trackit_sidecar.kernel.probe import tracking
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable
from .in_process_probe import new_probe, run_cell

SETUP = ("import numpy as np\nimport pandas as pd\n"
         "df = pd.DataFrame({'a': np.arange(50.0), 's': pd.array(['x'] * 50, dtype='str')})\n"
         "other = pd.DataFrame({'b': [1, 2, 3]})\nseries = pd.Series([1.0, None])\narr = np.zeros((2, 3))")


def _run(cells: list[str], keep_entries: bool, monkeypatch) -> tuple[list[list[dict]], int]:
    """Every cell's facts, and how many Entries were kept."""
    if not keep_entries:
        monkeypatch.setattr(tracking.NamespaceTracking, "_still_describes", lambda self, entry, obj, kind: False)
    p = new_probe()
    facts = []
    for count, source in enumerate(cells, 1):
        run_cell(p, count, source)
        facts.append(p.facts_for(count))
    monkeypatch.undo()
    assert p.errors == []
    return facts, p.entries_kept


def test_objects_a_cell_does_not_name_keep_their_entries_with_the_same_facts(monkeypatch):
    cells = [SETUP, "df['a'].sum()", "df['b'] = 1.0", "other.head()", "total = len(df)"]
    facts, kept = _run(cells, True, monkeypatch)
    made, none_kept = _run(cells, False, monkeypatch)
    assert facts == made and none_kept == 0
    # the three objects df's cells do not name, three times; df, series and arr in `other.head()`
    assert kept == 3 * 3 + 3


def test_an_object_changed_through_an_alias_gets_a_new_entry_and_its_facts(monkeypatch):
    cells = [SETUP, "alias = other", "alias['c'] = alias['b'] * 2", "del alias['c']"]
    facts, kept = _run(cells, True, monkeypatch)
    made, _ = _run(cells, False, monkeypatch)
    assert facts == made
    changed = {fact["variable"]: fact for fact in facts[2]}["other"]
    assert changed["added_columns"] == ["c"] and changed["cols_after"] == 2
    assert {fact["variable"]: fact for fact in facts[3]}["other"]["removed_columns"] == ["c"]
    # df, series and arr in cells 2-4; never other (named in cell 2, changed through alias in cells 3 and 4)
    assert kept == 3 * 3


def test_an_object_rebound_or_deleted_in_another_way_is_not_kept():
    p = new_probe()
    for count, source in enumerate([SETUP, "globals()['other'] = other.copy()", "exec('del arr')"], 1):
        run_cell(p, count, source)
        p.facts_for(count)
    assert "arr" not in p.last and p.last["other"].is_same_object(p.shell.user_ns["other"])


def test_a_frame_changed_through_an_alias_under_the_same_column_index_is_seen(monkeypatch):
    """Entry.still_describes compares a frame's rows and dtypes only while its column Index object is the same: a
    change through an alias that keeps that Index (a row added by `.loc`, a column's dtype changed) is still seen."""
    cells = [SETUP, "alias = other", "alias.loc[7] = 9", "alias['b'] = alias['b'].astype('float64')",
             "alias.loc[8] = 1.5"]
    p = new_probe()
    labels = []
    facts = []
    for count, source in enumerate(cells, 1):
        run_cell(p, count, source)
        facts.append({fact["variable"]: fact for fact in p.facts_for(count)})
        labels.append(p.shell.user_ns["other"].columns)
    assert p.errors == []
    assert labels[1] is labels[2] is labels[3] is labels[4]  # the case the shortcut reads: the same column Index
    assert (facts[2]["other"]["rows_before"], facts[2]["other"]["rows_after"]) == (3, 4)
    assert facts[3]["other"]["dtype_changes"] == {"b": ["int64", "float64"]}
    assert (facts[4]["other"]["rows_before"], facts[4]["other"]["rows_after"]) == (4, 5)
    made, _ = _run(cells, False, monkeypatch)
    assert [{fact["variable"]: fact for fact in cell} for cell in made] == facts


def test_in_a_kernel_a_frame_changed_through_an_alias_under_the_same_column_index_is_seen(live_kernel):
    cells = ["import pandas as pd\nother = pd.DataFrame({'b': [1, 2, 3]})\nfirst = other.columns", "alias = other",
             "alias.loc[7] = 9", "alias['b'] = alias['b'].astype('float64')", "alias.loc[8] = 1.5",
             "same = other.columns is first"]
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        facts = [facts_by_variable(capture, live_kernel.run(code)) for code in cells]
    assert live_kernel.run("assert same")["status"] == "ok"  # the case the shortcut reads: the same column Index
    assert (facts[2]["other"].rows_before, facts[2]["other"].rows_after) == (3, 4)
    assert facts[3]["other"].dtype_changes == {"b": ["int64", "float64"]}
    assert (facts[4]["other"].rows_before, facts[4]["other"].rows_after) == (4, 5)
