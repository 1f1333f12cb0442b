"""What follows a stored `%%capture` run whose body raised goes by how it ended, whichever way it came: the editor
sends it as the kernel replied (ok), and the sidecar hands the stored runs on (services.ingest's report.stored) to
the runtime facts and to the experiment's questions to the kernel (server/kernels.py). A metric bound after the
body's error was never computed: the kernel still holds an earlier value, which must not become this run's."""

from __future__ import annotations

import json

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

ERROR_MIME = "application/vnd.code.notebook.error"
SETUP = ("import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
         "from sklearn.metrics import accuracy_score\nX = np.random.rand(40, 3)\ny = (X[:, 0] > 0.5).astype(int)")
FIT = "model = LogisticRegression().fit(X, y)\nacc = accuracy_score(y, model.predict(X))\nprint(acc)"
CAPTURE = ("%%capture out\nmodel2 = LogisticRegression(C=0.1).fit(X, y)\n1/0\n"
           "acc = accuracy_score(y, model2.predict(X))")


def editor_event(index: int, source: str, outputs: list[p.CellOutput]) -> p.CellExecution:
    return p.CellExecution(event_id=f"e{index}", notebook_uri="file:///tmp/nb.ipynb", cell_id=f"c{index}",
                           cell_index=index, source=source, execution_order=index + 1, started_at=1000.0 + index,
                           ended_at=1000.5 + index, status="ok", outputs=outputs, kernel_id="k1")


def test_the_stored_runs_handed_on_are_judged_and_no_metric_is_asked_after_the_body_stopped(tmp_path):
    service = TrackitService(Store.open(str(tmp_path / "t.duckdb")), Settings())
    try:
        printed = p.CellOutput(output_type="stream", mime="application/vnd.code.notebook.stdout", text="0.95\n")
        raised = p.CellOutput(output_type="error", mime=ERROR_MIME, text=json.dumps(
            {"name": "ZeroDivisionError", "message": "division by zero", "stack": ""}))
        service.ingest([editor_event(0, SETUP, []), editor_event(1, FIT, [printed])])
        fitted = service.experiments.kernel_work(editor_event(1, FIT, [printed]))
        assert fitted is not None and fitted.metric_names == ["acc"]  # a control: an ok run's metric is asked

        report = service.ingest([editor_event(2, CAPTURE, [raised])])
        assert [(ev.event_id, ev.status) for ev in report.stored] == [("e2", "error")]
        work = service.experiments.kernel_work(report.stored[0])
        assert work is None or not work.metric_names, work.metric_names
    finally:
        service.store.close()
