"""What a saved cell's result says about the value it showed (lineage/saved_results.py): the same fact the kernel's
probe measures (kernel/probe/records.displayed_fact), read from the printed form a notebook file keeps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from IPython.core.formatters import DisplayFormatter

from trackit_sidecar.kernel.probe.records import displayed_fact
from trackit_sidecar.lineage.runtime_decisions import displayed_verdict
from trackit_sidecar.lineage.saved_results import shown_value, value_fact

FRAME = pd.DataFrame({"age": range(100), "fare": 7.25})


def printed(value) -> dict:
    """The mime bundle IPython saves as a cell's `execute_result` data for this value."""
    data, _ = DisplayFormatter().format(value)
    return data


@pytest.mark.parametrize("value", [
    FRAME, FRAME.head(3), FRAME.groupby("fare").age.mean(), FRAME.age, FRAME.age.head(2), FRAME.to_numpy(),
    np.arange(3), np.array(2.5), np.float64(0.8123), 891, 0.5, "text", True, (891, 12), [1, 2, 3], {"a": 1},
    {1, 2}, FRAME.columns, pd.Timestamp("2020-01-01"), pl.DataFrame({"a": [1, 2, 3]}), pl.Series("a", [1, 2]),
    (np.float64(0.11), np.float64(0.07)),
])
def test_a_saved_result_says_what_the_probe_would_have_measured(value) -> None:
    saved, live = value_fact(printed(value)), displayed_fact(value)
    assert saved is not None and live is not None
    assert (saved.kind, bool(saved.scalar)) == (live["kind"], live["scalar"])
    assert displayed_verdict(saved) == displayed_verdict(type(saved)(**live))
    assert saved.source == "saved_output" and saved.displayed


def test_sizes_the_printed_form_gives() -> None:
    assert (value_fact(printed(FRAME)).rows_after, value_fact(printed(FRAME)).cols_after) == (100, 2)
    assert value_fact(printed(FRAME.head(3))).rows_after == 3
    assert value_fact(printed(FRAME.age)).rows_after == 100  # "Name: age, Length: 100, dtype: int64"
    polars = value_fact(printed(pl.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})))
    assert (polars.kind, polars.rows_after, polars.cols_after) == ("polars.DataFrame", 3, 2)
    assert value_fact(printed((891, 12))).rows_after == 2


@pytest.mark.parametrize("data, kind", [
    # printed forms of older libraries, as notebooks saved them
    ({"text/plain": ["0.90649999999999997"]}, "scalar"),
    ({"text/plain": ["<matplotlib.axes._subplots.AxesSubplot at 0x7f3b2c1d5e10>"]}, "AxesSubplot"),
    ({"text/plain": ["<AxesSubplot:xlabel='Pclass'>"]}, "AxesSubplot"),
    ({"text/plain": ["<Axes: xlabel='month', ylabel='sales'>"]}, "Axes"),
    ({"text/plain": ["<seaborn.axisgrid.FacetGrid at 0x7f9a1c2b3d90>"]}, "FacetGrid"),
    ({"text/plain": ["Text(0.5, 1.0, 'Fares by class')"]}, "Text"),
    ({"text/plain": ["[<matplotlib.lines.Line2D at 0x23efce01ae0>]"]}, "list"),
    ({"text/plain": ["Int64Index([1, 2, 3], dtype='int64')"]}, "Int64Index"),
    ({"text/plain": ["(array([False]), array([0.3349]), 0.05, 0.05)"]}, "tuple"),
    ({"text/plain": ["nan"]}, "scalar"),
    ({"text/plain": ["-0.25"]}, "scalar"),
    ({"text/plain": ["(1+2j)"]}, "scalar"),
    ({"text/plain": ["Pclass\n", "1    0.63\n", "2    0.47\n", "3    0.24\n", "Name: Survived, dtype: float64"]}, "Series"),
    ({"text/plain": ["    a  b\n", "0   1  2\n", "..\n", "\n", "[891 rows x 2 columns]"]}, "DataFrame"),
])
def test_printed_forms_of_other_versions(data, kind) -> None:
    assert value_fact(data).kind == kind


@pytest.mark.parametrize("data", [
    {"text/plain": ["LinearRegression()"]},  # a model: the value is not a table nor an answer
    {"text/plain": ["<pandas.io.formats.style.Styler at 0x23c8b039d80>"],
     "text/html": ['<style type="text/css"></style><table id="T_1a2b"><tr><td>1</td></tr></table>']},
    {"text/plain": ["    a  b\n", "0   1  2"]},  # a frame's text alone, no footer: not told apart from other text
    {"text/plain": ["datetime.timedelta(days=18)"]},
    {"image/png": "iVBORw0KGgo="},
    {},
])
def test_printed_forms_that_say_nothing(data) -> None:
    fact = value_fact(data)
    assert fact is None or displayed_verdict(fact) is None


def result_cell(count, result_count, text="0.5") -> dict:
    return {"cell_type": "code", "execution_count": count, "source": "x", "metadata": {},
            "outputs": [{"output_type": "execute_result", "execution_count": result_count, "metadata": {},
                         "data": {"text/plain": text}}]}


def test_a_result_is_read_only_when_it_is_this_runs() -> None:
    assert shown_value(result_cell(4, 4)).kind == "scalar"
    assert shown_value(result_cell(None, 4)) is None  # the cell was cleared or never ran: its output is not its own
    assert shown_value(result_cell(5, 4)) is None  # the result of another run than the cell's
    two = result_cell(4, 4)
    two["outputs"] = two["outputs"] * 2  # InteractiveShell.ast_node_interactivity = "all": which is the last?
    assert shown_value(two) is None
    streamed = result_cell(4, 4)
    streamed["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "0.5\n"}]
    assert shown_value(streamed) is None  # printed, not shown as the result
