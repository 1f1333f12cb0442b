"""Cells whose body IPython runs through a nested `run_cell` (`%%capture`, `get_ipython().run_cell(...)`) or
executes itself (`%%time`), in a real kernel: the facts are the outer cell's, once, with the right before and
after (qa6's finding: a `%%capture` cell's dropna said "2 rows (unchanged)")."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel import silent_requests


def _setup(kernel) -> None:
    assert silent_requests.install_probe(kernel.client) == "installed"
    kernel.run("import pandas as pd\ndf = pd.DataFrame({'a': [1, None, 3]})")


def _facts(kernel, result) -> dict:
    assert result["status"] == "ok", result["reply"]
    facts, _ms, known = silent_requests.fetch_facts(kernel.client, result["execution_count"])
    assert known
    return {f.variable: f for f in facts}


@pytest.mark.parametrize("cell", [
    "%%capture\ndf4 = df.dropna()",
    "%%time\ndf4 = df.dropna()",
    "get_ipython().run_cell('df4 = df.dropna()')",
    "%%capture\n%%time\ndf4 = df.dropna()",
    "%%capture out\nprint('hidden')\ndf4 = df.dropna()",
    # a run that stores history takes the next number, which the cell's reply reports: its facts are under it
    "get_ipython().run_cell('df4 = df.dropna()', store_history=True)",
], ids=["capture", "time", "run_cell", "capture-time", "capture-into-a-name", "run_cell-storing-history"])
def test_a_body_run_by_a_magic_reports_the_step_against_its_input(live_kernel, cell):
    _setup(live_kernel)
    result = live_kernel.run(cell)
    facts = _facts(live_kernel, result)
    df4 = facts["df4"]
    assert (df4.rows_before, df4.rows_after, df4.before_variable, df4.changed) == (3, 2, "df", True)
    assert (df4.nulls_before, df4.nulls_after) == (1, 0)
    assert facts["df"].changed is False
    # the nested run must leave no facts under the next number (which it reads, or takes when it stores history)
    assert silent_requests.fetch_facts(live_kernel.client, result["execution_count"] + 1)[2] is False


def test_a_nested_run_reads_like_the_same_cell_without_the_magic(live_kernel):
    _setup(live_kernel)
    plain = _facts(live_kernel, live_kernel.run("df4 = df.dropna()"))
    captured = _facts(live_kernel, live_kernel.run("%%capture\ndf5 = df.dropna()"))
    keys = ("rows_before", "rows_after", "cols_before", "cols_after", "nulls_before", "nulls_after", "changed",
            "before_variable", "fingerprint")
    assert [getattr(captured["df5"], key) for key in keys] == [getattr(plain["df4"], key) for key in keys]


def test_an_in_place_change_inside_a_capture_is_measured_from_before_the_cell(live_kernel):
    _setup(live_kernel)
    df = _facts(live_kernel, live_kernel.run("%%capture\ndf.dropna(inplace=True)"))["df"]
    assert (df.rows_before, df.rows_after, df.nulls_before, df.nulls_after, df.changed) == (3, 2, 1, 0, True)


def test_a_name_only_the_nested_code_mentions_is_measured_before_it_runs(live_kernel):
    # df made where no cell's source shows it, before the probe came: nothing measured it yet
    live_kernel.run("import pandas as pd\nexec(\"df = pd.DataFrame({'a': [1, None, 3]})\")")
    assert silent_requests.install_probe(live_kernel.client) == "installed"
    live_kernel.run("code = 'd' + 'f.fillna(0, inplace=True)'")  # nor does this cell name it
    # the outer cell never names df: its value change (same shape) is seen because the nested run names it
    df = _facts(live_kernel, live_kernel.run("get_ipython().run_cell(code)"))["df"]
    assert (df.rows_before, df.rows_after, df.nulls_before, df.nulls_after, df.changed) == (3, 3, 1, 0, True)


def test_cells_after_a_nested_run_are_measured_as_usual(live_kernel):
    _setup(live_kernel)
    live_kernel.run("%%capture\ndf4 = df.dropna()")
    # an empty nested run: IPython sends its post_run_cell without a pre_run_cell
    df5 = _facts(live_kernel, live_kernel.run("df5 = df.dropna()\nget_ipython().run_cell('')"))["df5"]
    assert (df5.rows_before, df5.rows_after, df5.before_variable, df5.changed) == (3, 2, "df", True)
    after = _facts(live_kernel, live_kernel.run("df6 = df4.head(1)"))["df6"]
    assert (after.rows_before, after.rows_after, after.before_variable, after.changed) == (2, 1, "df4", True)
    # the body fails after its assignment; %%capture keeps the traceback and the cell itself succeeds
    df7 = _facts(live_kernel, live_kernel.run("%%capture\ndf7 = df.dropna()\nraise ValueError('stop')"))["df7"]
    assert (df7.rows_before, df7.rows_after, df7.before_variable) == (3, 2, "df")
    last = _facts(live_kernel, live_kernel.run("df8 = df.dropna()"))["df8"]
    assert (last.rows_before, last.rows_after, last.before_variable) == (3, 2, "df")


def test_a_cell_from_the_frontend_starts_afresh_even_after_a_lost_post_run_cell():
    # IPython sends post_run_cell in a `finally`; should one still go missing, the probe must not take every later
    # cell for a nested run (and record nothing again): a frontend's cell stores history, a nested run does not
    import types

    from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

    from trackit_sidecar.kernel.probe import hooks

    shell = types.SimpleNamespace(user_ns={}, events=None, execution_count=1)
    p = hooks.Probe(shell)

    def info(source, store_history=True):
        return ExecutionInfo(source, store_history, False, True, None, transformed_cell=source)

    p.pre_run_cell(info("import pandas as pd\ndf = pd.DataFrame({'a': [1, None, 3]})"))
    exec("import pandas as pd\ndf = pd.DataFrame({'a': [1, None, 3]})", shell.user_ns)  # ... and no post_run_cell
    second = info("df4 = df.dropna()")
    p.pre_run_cell(second)
    nested = info("df5 = df.dropna()", store_history=False)
    p.pre_run_cell(nested)
    exec("df4 = df.dropna()\ndf5 = df.dropna()", shell.user_ns)
    p.post_run_cell(ExecutionResult(nested))
    assert p.pending == {}  # the nested run's end records nothing: its cell is still running
    result = ExecutionResult(second)
    result.execution_count = 2
    p.post_run_cell(result)
    facts = {f["variable"]: f for f in p.facts_for(2)}
    assert {name: (f["rows_before"], f["rows_after"], f.get("before_variable")) for name, f in facts.items()
            if name != "df"} == {"df4": (3, 2, "df"), "df5": (3, 2, "df")}


def test_code_after_a_nested_run_that_stores_history_is_measured_too(live_kernel):
    # a nested run that stores history is no new cell: what the cell does after it is the cell's too (rev7: `df5`
    # had no facts, the nested run having been taken for the next cell, whose start forgot the running one)
    _setup(live_kernel)
    result = live_kernel.run("get_ipython().run_cell('df4 = df.dropna()', store_history=True)\ndf5 = df4.head(1)")
    facts = _facts(live_kernel, result)
    assert (facts["df4"].rows_before, facts["df4"].rows_after, facts["df4"].before_variable) == (3, 2, "df")
    assert (facts["df5"].rows_before, facts["df5"].rows_after, facts["df5"].before_variable) == (2, 1, "df4")
