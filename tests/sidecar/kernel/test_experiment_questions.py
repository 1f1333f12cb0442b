"""kernel/experiments.py + experiment_probe.py against a real ipykernel: silent, lazy, and honest about staleness;
asked through NotebookKernels.ask_for_event, so only the kernel tied to the event's notebook is ever asked."""

from __future__ import annotations

import sys
import uuid

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.kernel import experiments as questions
from trackit_sidecar.kernel.notebook_kernels import NotebookKernels

pytestmark = pytest.mark.kernel

FIT = ("import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
       "from sklearn.model_selection import cross_val_score\nfrom sklearn.metrics import classification_report\n"
       "rng = np.random.default_rng(0)\nX = rng.normal(size=(120, 3))\ny = (X[:, 0] > 0).astype(int)\n"
       "model = LogisticRegression(C=1.0).fit(X, y)")
SCORE = ("acc = model.score(X, y)\nscores = cross_val_score(LogisticRegression(), X, y, cv=4)\n"
         "report = classification_report(y, model.predict(X), output_dict=True)")


def _event(count: int, notebook: str = "/nb.ipynb", kernel_id: str = "nb-kernel") -> p.CellExecution:
    return p.CellExecution(event_id=str(uuid.uuid4()), notebook_uri=f"file://{notebook}", notebook_path=notebook,
                           cell_id="c", cell_index=0, source="", execution_order=count, started_at=0, ended_at=1,
                           status="ok", kernel_id=kernel_id)


def _shown(result: dict) -> str:
    return next(m["content"]["data"]["text/plain"] for m in result["outputs"] if m["msg_type"] == "execute_result")


def test_values_fingerprints_and_staleness(live_kernel):
    live_kernel.run(FIT)
    count = live_kernel.run(SCORE)["execution_count"]
    names_before = live_kernel.run("sorted(k for k in dir() if not k.startswith('_'))")
    kernels = NotebookKernels(ancestor=None, timeout=10)  # no editor: only an announced kernel may be asked
    try:
        asked: list[str] = []

        def untied(a):
            asked.append("untied")
            return a
        assert kernels.ask_for_event(_event(count), untied) is None, "nothing is tied to the notebook yet"
        kernels.announce(p.NotebookKernel(notebook_uri="file:///nb.ipynb", notebook_path="/nb.ipynb",
                                          connection_file=live_kernel.connection_file, kernel_id="nb-kernel",
                                          language="python"))
        # another notebook, or another kernel of this one, is never sent the question
        assert kernels.ask_for_event(_event(count, notebook="/other.ipynb"), untied) is None
        assert kernels.ask_for_event(_event(count, kernel_id="another-kernel"), untied) is None
        assert asked == []
        ask = lambda fn: kernels.ask_for_event(_event(count), fn)  # noqa: E731
        env = ask(questions.kernel_environment)
        assert env["executable"] == sys.executable and set(env["env"]) <= {"PYTHONHASHSEED", "CUDA_VISIBLE_DEVICES",
                                                                           "OMP_NUM_THREADS"}
        answer = ask(lambda a: questions.experiment_values(a, count, ["acc", "scores", "report"], ["model"]))
        assert answer["values"]["acc"]["kind"] == "number" and 0.9 <= answer["values"]["acc"]["value"] <= 1.0
        assert answer["values"]["scores"]["kind"] == "array" and answer["values"]["scores"]["n"] == 4
        assert "1.precision" in answer["values"]["report"]["items"]
        model = answer["models"]["model"]
        assert model["class"].endswith("LogisticRegression") and model["params"]["C"] == 1.0
        again = ask(lambda a: questions.experiment_values(a, count, [], ["model"]))
        assert again["models"]["model"]["state_sha256"] == model["state_sha256"]  # a stable serialisation

        refit = live_kernel.run("model.set_params(C=0.01)\nmodel.fit(X, y)\nacc = 0.0")["execution_count"]
        stale = ask(lambda a: questions.experiment_values(a, count, ["acc"], ["model"]))
        assert stale["values"]["acc"] == {"kind": "stale"} and stale["models"]["model"] == {"kind": "stale"}
        fresh = ask(lambda a: questions.experiment_values(a, refit, [], ["model"]))
        assert fresh["models"]["model"]["state_sha256"] != model["state_sha256"]  # same code, another model
    finally:
        kernels.close()
    after = live_kernel.run("sorted(k for k in dir() if not k.startswith('_'))")
    assert _shown(after) == _shown(names_before)  # the user's namespace gained no name
    assert after["execution_count"] == refit + 1  # silent requests take no execution count
    assert _shown(live_kernel.run("len(In)")) == str(refit + 3)  # nor a history entry (In[0] is empty)
