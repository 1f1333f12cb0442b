"""A metric printed bare or shown as a cell's result is recorded, with a real kernel (issue 11 metrics).

`print(accuracy_score(...))` prints only a number and `model.score(X, y)` shows only one: the experiment's metric
is named from the metric function, or from what the model's class scores (a classifier's accuracy, a regressor's
r2), and its value is what the kernel showed. The kernel is driven with jupyter_client the way kernel/runner.py
drives it; each execution is stored through the service and asked about with the RunRecorder `trackit run` uses.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.experiments.recorder import RunRecorder
from trackit_sidecar.kernel import cell_execution, kernel_start, silent_requests
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

pytestmark = pytest.mark.kernel

CELLS = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression, Ridge\n"
    "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split\n"
    'df = pd.read_csv("data.csv")',
    'X_train, X_test, y_train, y_test = train_test_split(df[["a", "b"]], df["label"], test_size=0.3, random_state=0)',
    "model = LogisticRegression().fit(X_train, y_train)",
    "model.score(X_test, y_test)",
    "print(accuracy_score(y_test, model.predict(X_test)))",
    'reg = Ridge(alpha=0.5).fit(X_train, X_train["a"] * 2 + X_train["b"])',
    'print(reg.score(X_test, X_test["a"] * 2 + X_test["b"] + np.sin(X_test["b"])))',
]


def test_bare_metrics_are_recorded_with_their_names_and_the_values_shown(tmp_path: Path):
    rows = ["a,b,label"] + [f"{i % 17 / 3:.3f},{(i * 7) % 11 / 5:.3f},{int((i % 17) / 3 + (i * 7) % 11 / 5 > 4)}"
                            for i in range(200)]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n")
    notebook = tmp_path / "bare.ipynb"
    service = TrackitService(Store.open(str(tmp_path / "t.duckdb")), Settings())
    log = open(tmp_path / "kernel.log", "w+b")
    manager, client = kernel_start.start_kernel("python3", tmp_path, log)
    shown: dict[int, str] = {}  # cell index -> what the kernel showed (a result, or printed)
    try:
        silent_requests.install_probe(client)
        recorder = RunRecorder(service)
        for index, source in enumerate(CELLS):
            done = cell_execution.execute_cell(manager, client, source, 120)
            assert done.status == "ok", done.error_message
            event = p.CellExecution(
                event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
                cell_id=f"c{index}", cell_index=index, source=source, execution_order=done.execution_count,
                started_at=done.started_at, ended_at=done.ended_at, status=done.status, outputs=done.outputs,
                kernel_id="k1", kernel_name="python3")
            facts, _, _ = silent_requests.fetch_facts(client, done.execution_count, timeout=10)
            service.ingest([event])
            service.add_runtime_facts(event.event_id, facts)
            recorder.after_execution(event, lambda expressions, wait: silent_requests.silent_expressions(
                client, expressions, wait))
            shown[index] = "".join(o.text or "" for o in done.outputs
                                   if o.output_type in ("stream", "execute_result")).strip()
        recorder.finish()
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        log.close()
    try:
        experiments = service.experiments.all(notebook.as_uri())
        found = [(e.cell_index, e.primary_metric.name, e.primary_metric.source, e.primary_metric.value)
                 for e in experiments]
        assert found == [
            (3, "accuracy", "execute_result", float(shown[3].removeprefix("np.float64(").rstrip(")"))),
            (4, "accuracy", "output line 1", float(shown[4])),
            (6, "r2", "output line 1", float(shown[6])),
        ]
        assert 0.5 < found[0][3] <= 1 and found[0][3] == found[1][3]  # the same model, scored two ways
        assert found[2][3] < 1  # the noise term: not a perfect fit, a real r2
        assert [e.model.class_name for e in experiments] == ["LogisticRegression", "LogisticRegression", "Ridge"]
    finally:
        service.store.close()
