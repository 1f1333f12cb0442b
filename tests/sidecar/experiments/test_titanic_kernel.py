"""The issue's scenario with a real kernel, the bundled example and the real CLI.

Run 1: run every cell (E0001); edit the imputation cell and re-run from the first cleaning cell in the SAME
kernel (E0002). Restart (a new kernel), change `C=` and run everything (E0003). Then change one byte of
passengers.csv and run again (E0004, a new dataset revision D0002). The kernel is driven with jupyter_client
the way kernel/runner.py drives it; each execution is stored through the service and asked about with the
same RunRecorder that `trackit run` uses.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import jsonschema
import nbformat
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments.recorder import RunRecorder
from trackit_sidecar.config import Settings
from trackit_sidecar.kernel import cell_execution, kernel_start, silent_requests
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

pytestmark = pytest.mark.kernel
REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "titanic"
SCHEMAS = REPO / "docs" / "schemas"
IMPUTE = 'df["Age"] = df["Age"].fillna(df["Age"].mean())\ndf["Age"].isna().sum()'
FIT = "model = LogisticRegression(max_iter=1000, C=0.5)\nmodel.fit(X_train, y_train)"


class KernelRun:
    """One kernel lifetime (a run): execute cells by id, store each execution like the editor would."""

    def __init__(self, notebook: Path, service: TrackitService):
        self.notebook, self.service = notebook, service
        self.cells = {c["id"]: (i, c) for i, c in enumerate(nbformat.read(str(notebook), 4)["cells"])}
        self.kernel_id = str(uuid.uuid4())
        self.log = open(notebook.parent / f"kernel-{self.kernel_id}.log", "w+b")
        self.manager, self.client = kernel_start.start_kernel("python3", notebook.parent, self.log)
        silent_requests.install_probe(self.client)
        self.recorder = RunRecorder(service)
        self.printed: dict[str, str] = {}

    def run(self, cell_id: str, source: str | None = None) -> p.CellExecution:
        index, cell = self.cells[cell_id]
        source = source if source is not None else cell["source"]
        done = cell_execution.execute_cell(self.manager, self.client, source, 60)
        assert done.status == "ok", done.error_message
        event = p.CellExecution(
            event_id=str(uuid.uuid4()), notebook_uri=self.notebook.as_uri(), notebook_path=str(self.notebook),
            cell_id=cell_id, cell_index=index, source=source, execution_order=done.execution_count,
            started_at=done.started_at, ended_at=done.ended_at, status=done.status, outputs=done.outputs,
            kernel_id=self.kernel_id, kernel_name="python3")
        facts, _, _ = silent_requests.fetch_facts(self.client, done.execution_count, timeout=10)
        self.service.ingest([event])
        self.service.add_runtime_facts(event.event_id, facts)
        self.recorder.after_execution(event, lambda expressions, wait: silent_requests.silent_expressions(
            self.client, expressions, wait))
        self.printed[event.event_id] = "".join(o.text or "" for o in done.outputs if o.output_type == "stream")
        return event

    def run_all(self, edits: dict[str, str] | None = None) -> None:
        for cell_id, (_, cell) in self.cells.items():
            if cell["cell_type"] == "code":
                self.run(cell_id, (edits or {}).get(cell_id))

    def close(self) -> None:
        self.recorder.finish()
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)
        self.log.close()


def trackit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True, timeout=300)


def printed_accuracy(text: str) -> float:
    return float(re.search(r"accuracy: ([0-9.]+)", text).group(1))


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "titanic"
    shutil.copytree(EXAMPLE, folder)
    return folder / "preprocess.ipynb", tmp_path / "trackit.duckdb"


def test_three_experiments_then_a_changed_csv(example, tmp_path):
    notebook, db = example
    service = TrackitService(Store.open(str(db)), Settings())
    printed: dict[str, str] = {}
    run = KernelRun(notebook, service)
    try:
        run.run_all()
        run.run("titanic-05")  # go back: rebuild df, change the imputation, run on to the metric
        for cell_id in ("titanic-07", "titanic-09"):
            run.run(cell_id)
        run.run("titanic-11", IMPUTE)
        for cell_id in ("titanic-13", "titanic-15", "titanic-17", "titanic-19", "titanic-21", "titanic-23", "titanic-25"):
            run.run(cell_id)
    finally:
        run.close()
    printed.update(run.printed)
    run = KernelRun(notebook, service)  # a kernel restart: a new run
    try:
        run.run_all({"titanic-11": IMPUTE, "titanic-23": FIT})
    finally:
        run.close()
    printed.update(run.printed)
    service.store.close()

    listing = json.loads(trackit("experiments", str(notebook), "--db", str(db), "--json").stdout)["experiments"]
    assert [(e["id"], e["parent"], e["session"]) for e in listing] == [
        ("E0001", None, 1), ("E0002", "E0001", 1), ("E0003", "E0002", 2)]
    assert [e["changed"] for e in listing] == [[], ["preprocessing.impute_missing[Age]"], ["model.params.C"]]
    assert {d for e in listing for d in e["datasets"]} == {"titanic/passengers.csv@D0001", "titanic/tickets.csv@D0001"}
    events = {e["seq"]: e for e in json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json").stdout)["executions"]}
    for experiment in listing:
        metric = experiment["primary_metric"]
        assert metric["name"] == "accuracy" and metric["source"] == "kernel"
        shown = "".join(o.get("text") or "" for o in events[experiment["seq"]]["outputs"] if o["output_type"] == "stream")
        assert round(metric["value"], 3) == printed_accuracy(shown)  # what the notebook printed
    table = trackit("experiments", str(notebook), "--db", str(db)).stdout
    assert "E0003" in table and "model.params.C" in table, table

    # the edits are saved, and one byte of the CSV changes: a new revision, and the experiment says so
    saved = nbformat.read(str(notebook), 4)
    for cell in saved.cells:
        cell.source = {"titanic-11": IMPUTE, "titanic-23": FIT}.get(cell.get("id"), cell.source)
    nbformat.write(saved, str(notebook))
    csv = notebook.parent / "passengers.csv"
    data = csv.read_bytes()
    at = data.index(b"\n343,1,3,") + len(b"\n343,1,")
    csv.write_bytes(data[:at] + b"2" + data[at + 1:])  # passenger 343 moves from 3rd to 2nd class
    ran = trackit("run", str(notebook), "--db", str(db))
    assert ran.returncode == 0, ran.stderr
    shown = json.loads(trackit("show", "E0004", "--db", str(db), "--json").stdout)
    assert shown["parent"] == "E0003" and shown["data_changed"] is True
    assert "titanic/passengers.csv@D0002" in shown["datasets"] and "titanic/tickets.csv@D0001" in shown["datasets"]
    revision = next(d for d in shown["data"] if d["dataset_id"] == "titanic/passengers.csv")
    assert revision["previous_revision_id"] == "D0001"
    assert shown["changed"] == [] and shown["model"]["params"]["C"] == 0.5  # same code as E0003
    text = trackit("show", "E0004", "--db", str(db)).stdout
    assert "was D0001: the file's bytes changed" in text, text


def test_export_validates_and_is_byte_for_byte_stable(example, tmp_path):
    notebook, db = example
    assert trackit("run", str(notebook), "--db", str(db)).returncode == 0
    out = tmp_path / "export"
    first = trackit("export", "E0001", "--format", "mtrack", "--out", str(out), "--db", str(db))
    assert first.returncode == 0 and first.stdout.startswith("wrote "), first.stderr
    folder = next((out / "experiments").iterdir())
    assert re.fullmatch(r"\d{4}-\d\d-\d\d__passengers__LogisticRegression__E0001", folder.name)
    snapshot = {f.relative_to(out): f.read_bytes() for f in out.rglob("*") if f.is_file()}
    for name, schema in (("manifest.json", "mtrack-manifest"), ("metrics.json", "mtrack-metrics")):
        jsonschema.validate(json.loads((folder / name).read_text()), json.loads((SCHEMAS / f"{schema}.schema.json").read_text()))
    for manifest in folder.glob("datasets/*/dataset_manifest.json"):
        jsonschema.validate(json.loads(manifest.read_text()),
                            json.loads((SCHEMAS / "mtrack-dataset-manifest.schema.json").read_text()))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["inputs"]["model"]["revision"] and manifest["inputs"]["dataset"]["revision_id"] == "D0001"
    notes = (folder / "notes.md").read_text()
    assert "Titanic passengers" in notes and "## Change summary" in notes  # Intent from the notebook's markdown

    again = trackit("export", "E0001", "--format", "mtrack", "--out", str(out), "--db", str(db))
    assert again.stdout.startswith("unchanged "), again.stdout
    assert {f.relative_to(out): f.read_bytes() for f in out.rglob("*") if f.is_file()} == snapshot

    other = tmp_path / "export2"  # byte-for-byte the same in a fresh folder too
    assert trackit("export", "E0001", "--out", str(other), "--db", str(db)).returncode == 0
    assert {f.relative_to(other): f.read_bytes() for f in other.rglob("*") if f.is_file()} == snapshot

    (folder / "notes.md").write_text("my decision: try a forest next\n")
    trackit("name", "E0001", "baseline", "--db", str(db))
    kept = trackit("export", "E0001", "--out", str(out), "--db", str(db))
    assert kept.returncode == 1 and "never overwritten" in kept.stdout
    assert (folder / "notes.md").read_text() == "my decision: try a forest next\n"
    doc = trackit("export", "E0001", "--format", "json", "--out", str(out), "--db", str(db))
    assert doc.returncode == 0
    document = json.loads(next((out / "experiments").glob("*.json")).read_text())
    jsonschema.validate(document, json.loads((SCHEMAS / "trackit-experiment.schema.json").read_text()))
    assert document["name"] == "baseline" and document["format"] == "trackit.experiment/1"
