"""What the probe reports for re-runs and for cells that fail or are interrupted (issue 8, items 2 and 3),
in a real kernel: "before" is the step's input in that run, and `changed` says what really happened."""

from __future__ import annotations

import threading
import time

from trackit_sidecar.kernel import silent_requests


def _facts(kernel, result) -> dict:
    facts, _ms, known = silent_requests.fetch_facts(kernel.client, result["execution_count"])
    assert known
    return {f.variable: f for f in facts}


def _setup(kernel) -> None:
    assert silent_requests.install_probe(kernel.client) == "installed"
    kernel.run("import pandas as pd\nfinal = pd.DataFrame({'year': [2000 + i % 20 for i in range(2476)], 'v': range(2476)})")


def test_a_rerun_into_an_existing_name_is_measured_against_its_input(live_kernel):
    _setup(live_kernel)
    first = _facts(live_kernel, live_kernel.run("data2010 = final.query('year == 2010')"))["data2010"]
    assert (first.rows_before, first.rows_after, first.before_variable, first.changed) == (2476, 124, "final", True)
    # edited and run again: the name held 124 rows, but the step's input is still `final`
    again = _facts(live_kernel, live_kernel.run("data2010 = final.query('year >= 2010')"))
    data = again["data2010"]
    assert (data.rows_before, data.rows_after, data.before_variable, data.changed) == (2476, 1236, "final", True)
    assert again["final"].changed is False  # read, named, untouched
    assert (data.cols_before, data.cols_after, data.added_columns, data.removed_columns) == (2, 2, [], [])


def test_a_cell_that_reads_and_writes_a_name_starts_from_the_previous_run(live_kernel):
    _setup(live_kernel)
    live_kernel.run("df = final.copy()")
    runs = [_facts(live_kernel, live_kernel.run("df = df[df.v > df.v.min()]"))["df"] for _ in range(2)]
    assert [(f.rows_before, f.rows_after, f.before_variable) for f in runs] == [(2476, 2475, None), (2475, 2474, None)]


def test_an_in_place_rerun_is_measured_from_the_state_before_it(live_kernel):
    _setup(live_kernel)
    live_kernel.run("df = pd.DataFrame({'x': [1.0, None, 3.0, None]})")
    first = _facts(live_kernel, live_kernel.run("df.dropna(inplace=True)"))["df"]
    again = _facts(live_kernel, live_kernel.run("df.dropna(inplace=True)"))["df"]
    assert (first.rows_before, first.rows_after, first.changed) == (4, 2, True)
    assert (again.rows_before, again.rows_after, again.changed) == (2, 2, False)


def test_a_failed_query_changed_nothing(live_kernel):
    _setup(live_kernel)
    live_kernel.run("data2010 = final.query('year == 2010')")
    failed = live_kernel.run("data2010 = final.query('yeer == 2010')")
    assert failed["status"] == "error" and failed["reply"]["ename"] == "UndefinedVariableError"
    facts = _facts(live_kernel, failed)
    assert facts["data2010"].changed is False and facts["final"].changed is False


def test_a_key_error_after_an_assignment_reports_the_assignment(live_kernel):
    _setup(live_kernel)
    live_kernel.run("df = pd.DataFrame({'a': range(10), 'b': [None, 1.0] * 5})")
    failed = live_kernel.run("df = df.dropna()\nvalue = df['missing_column']")
    assert failed["reply"]["ename"] == "KeyError"
    df = _facts(live_kernel, failed)["df"]
    assert (df.rows_before, df.rows_after, df.changed) == (10, 5, True)


def test_values_changed_in_place_before_an_error_count_as_changed(live_kernel):
    _setup(live_kernel)
    live_kernel.run("df = pd.DataFrame({'a': [1, 2, 3]})")
    failed = live_kernel.run("df['a'] = df['a'] * 2\nraise ValueError('stop')")
    df = _facts(live_kernel, failed)["df"]
    assert (df.rows_before, df.rows_after, df.cols_before, df.cols_after, df.changed) == (3, 3, 1, 1, True)


def test_an_interrupted_cell_reports_what_it_did_before_the_interrupt(live_kernel):
    _setup(live_kernel)
    live_kernel.run("df = pd.DataFrame({'a': range(5)})")

    def interrupt_soon():
        time.sleep(1.5)
        live_kernel.manager.interrupt_kernel()

    timer = threading.Thread(target=interrupt_soon)
    timer.start()
    result = live_kernel.run("df['c'] = df['a'] * 2\nimport time\ntime.sleep(30)")
    timer.join()
    assert result["reply"]["ename"] == "KeyboardInterrupt"
    df = _facts(live_kernel, result)["df"]
    assert (df.cols_before, df.cols_after, df.added_columns, df.changed) == (1, 2, ["c"], True)


def test_a_silent_request_queued_behind_a_failing_cell_is_asked_again_not_lost(live_kernel):
    """Run All stops at an error: the kernel aborts every execute request queued behind it, from any
    client, the sidecar's silent facts request too. It must be asked again, not read as "no facts"."""
    from jupyter_client import BlockingKernelClient

    _setup(live_kernel)
    live_kernel.client.execute("import time\ntime.sleep(1.5)\n1 / 0", stop_on_error=True)
    live_kernel.client.execute("after = 1", stop_on_error=True)  # aborted, as Run All's queue is
    sidecar = BlockingKernelClient()
    sidecar.load_connection_file(live_kernel.connection_file)
    sidecar.start_channels()
    try:
        time.sleep(0.3)  # the failing cell is running; our request waits behind it
        assert silent_requests.silent_expression(sidecar, "21 * 2", 10) == 42
    finally:
        sidecar.stop_channels()
