"""The probe inside a real kernel: silent, never raises, facts match pandas' own numbers."""

from __future__ import annotations

import json
import shutil
import time

from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.runner import run_notebook

from .conftest import FIXTURES

VISIBLE = {"stream", "execute_result", "display_data", "error", "execute_input", "clear_output"}


def test_probe_is_silent(live_kernel):
    live_kernel.run("import pandas as pd\nx = 1")
    live_kernel.drain_iopub()
    names_before = silent_requests.silent_expression(live_kernel.client, "sorted(k for k in globals())", 5)

    assert silent_requests.install_probe(live_kernel.client) == "installed"
    assert silent_requests.install_probe(live_kernel.client) == "already"
    facts, _ms, known = silent_requests.fetch_facts(live_kernel.client, 1)
    # cell 1 ran before the probe existed: recovered, and it left no frame to measure
    assert known is True and facts == []
    assert silent_requests.fetch_facts(live_kernel.client, 2)[2] is False  # not run yet
    iopub = live_kernel.drain_iopub()
    # only busy/idle status for our silent requests: no output, no execute_input
    assert {m["msg_type"] for m in iopub} <= {"status"}
    assert iopub, "expected busy/idle status messages for the silent requests"

    second = live_kernel.run("df = pd.DataFrame({'a': [1, 2, 3]})")
    assert second["execution_count"] == 2  # silent requests did not bump the count
    assert not [m for m in second["outputs"] if m["msg_type"] in VISIBLE - {"execute_input"}]
    history = silent_requests.silent_expression(live_kernel.client, "list(In)", 5)
    raw = silent_requests.silent_expression(live_kernel.client, "list(get_ipython().history_manager.input_hist_raw)", 5)
    assert history == raw == ["", "import pandas as pd\nx = 1", "df = pd.DataFrame({'a': [1, 2, 3]})"]
    names_after = silent_requests.silent_expression(live_kernel.client, "sorted(k for k in globals())", 5)
    assert set(names_after) - set(names_before) == {"df", "_i2", "_ii", "_iii"} - set(names_before)
    facts, capture_ms, known = silent_requests.fetch_facts(live_kernel.client, 2)
    assert known and capture_ms is not None and capture_ms >= 0
    assert [(f.variable, f.rows_after, f.cols_after) for f in facts] == [("df", 3, 1)]


def test_probe_never_raises_or_prints_into_the_users_cell(live_kernel):
    silent_requests.install_probe(live_kernel.client)
    live_kernel.run("import pandas as pd\nclass Evil(pd.Series):\n    @property\n    def dtype(self):\n"
                    "        raise RuntimeError('boom from dtypes')\n")
    result = live_kernel.run("evil = Evil([1, 2])\nvalue = 5")
    assert result["status"] == "ok"
    assert not [m for m in result["outputs"] if m["msg_type"] in VISIBLE - {"execute_input"}]
    after = live_kernel.run("print(value)")
    assert [m["content"]["text"] for m in after["outputs"] if m["msg_type"] == "stream"] == ["5\n"]
    stats = silent_requests.fetch_stats(live_kernel.client)
    assert any("boom from dtypes" in error for error in stats["errors"])
    # the broken object is skipped; everything else is still measured
    later = live_kernel.run("good = pd.DataFrame({'a': [1, None]})")
    facts, _ms, _known = silent_requests.fetch_facts(live_kernel.client, later["execution_count"])
    assert [(f.variable, f.rows_after, f.nulls_after) for f in facts] == [("good", 2, 1)]


def test_runtime_facts_match_what_pandas_reports(tmp_path):
    notebook = shutil.copy(FIXTURES / "transforms.ipynb", tmp_path / "transforms.ipynb")
    truths: list[dict] = []
    facts_by_cell: dict[str, dict] = {}

    def on_execution(event, runtime):
        facts = runtime.facts
        for output in event.outputs:
            for line in (output.text or "").splitlines():
                if line.startswith("TRUTH "):
                    truths.append(json.loads(line[6:]) | {"cell": event.cell_id})
        facts_by_cell[event.cell_id] = {f.variable: f for f in facts}

    result = run_notebook(notebook, on_execution=on_execution)
    assert result.ok, result.error_message
    assert [t["step"] for t in truths] == ["filter", "impute", "encode", "join", "numpy", "polars"]
    for truth in truths:
        fact = facts_by_cell[truth["cell"]][truth["variable"]]
        for key in ("rows_before", "cols_before", "rows_after", "cols_after", "nulls_before", "nulls_after"):
            if key in truth:
                assert getattr(fact, key) == truth[key], (truth["step"], key)
        if "columns_after" in truth:
            assert fact.fingerprint and not fact.sampled
    encode = facts_by_cell["encode"]["people"]
    assert encode.removed_columns == ["color"]
    assert set(encode.added_columns) == {"color_blue", "color_green", "color_red", "color_unknown"}
    impute = facts_by_cell["impute"]["people"]
    assert impute.nulls_before > 0 and impute.nulls_after == 0
    assert facts_by_cell["filter"]["people"].fingerprint != impute.fingerprint  # same shape, new values
    join = facts_by_cell["join"]["joined"]
    assert join.added_columns == ["country", "pop_m"]  # compared with `people`, the frame it came from
    assert facts_by_cell["other-kinds"]["ages"].kind == "ndarray"
    assert facts_by_cell["other-kinds"]["frame"].kind == "polars.DataFrame"
    # `joined` is only read in the last cell: named, so reported, and unchanged
    unchanged = facts_by_cell["other-kinds"]["joined"]
    assert unchanged.fingerprint == join.fingerprint and unchanged.rows_before == unchanged.rows_after


def test_probe_records_what_the_cell_displayed(live_kernel):
    silent_requests.install_probe(live_kernel.client)
    live_kernel.run("import pandas as pd\ndf = pd.DataFrame({'x': ['a', 'b', 'a'], 'y': [1, 2, 3]})")

    def displayed(code: str):
        count = live_kernel.run(code)["execution_count"]
        facts, _ms, known = silent_requests.fetch_facts(live_kernel.client, count)
        assert known
        shown = [f for f in facts if f.displayed]
        assert all(f.variable is None for f in shown)
        return [(f.kind, f.scalar, f.rows_after, f.cols_after) for f in shown]

    assert displayed("df[df.x == 'a'].y.sum()") == [("scalar", True, None, None)]
    assert displayed("df.shape") == [("tuple", False, 2, None)]
    assert displayed("df.groupby('x')") == [("DataFrameGroupBy", False, None, None)]
    assert displayed("df.groupby('x').agg({'y': 'sum'})") == [("DataFrame", False, 2, 1)]
    assert displayed("df.y.to_numpy()") == [("ndarray", False, 3, None)]
    assert displayed("total = df.y.sum()") == []  # nothing displayed
    assert displayed("df.y.sum();") == []  # output suppressed


def test_a_cells_facts_are_fetched_while_the_kernel_runs_a_longer_next_cell(live_kernel):
    # In a Run All the facts of cell N are asked for while cell N+1 runs: the request waits in the kernel's
    # queue behind it. A busy kernel (its heartbeat beats) is waited for; its facts are not lost.
    silent_requests.install_probe(live_kernel.client)
    first = live_kernel.run("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})")
    from jupyter_client import BlockingKernelClient

    sidecar = BlockingKernelClient()
    sidecar.load_connection_file(live_kernel.connection_file)
    sidecar.start_channels()
    try:
        assert silent_requests.kernel_language(sidecar) == "python"
        live_kernel.client.execute(f"import time\ntime.sleep({silent_requests.DEFAULT_TIMEOUT + 2})")
        time.sleep(0.3)  # the long cell has started
        started = time.monotonic()
        facts, _ms, known = silent_requests.fetch_facts(sidecar, first["execution_count"])
        assert time.monotonic() - started > silent_requests.DEFAULT_TIMEOUT  # it really waited behind the running cell
        assert known and [(f.variable, f.rows_after) for f in facts] == [("df", 2)]
    finally:
        sidecar.stop_channels()
