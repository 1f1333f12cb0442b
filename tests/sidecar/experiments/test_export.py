"""export/: the mtrack run folder and the JSON document, validated against the committed schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments import build as b
from trackit_sidecar.experiments.export import jsondoc, mtrack, yamltext
from trackit_sidecar.experiments.export.write import write_files
from trackit_sidecar.experiments.revisions import FileSeen, assign

SCHEMAS = Path(__file__).resolve().parents[3] / "docs" / "schemas"
CSV = p.InputFile(path="/nb/titanic/passengers.csv", size=100, sha256="a" * 64)


def _validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def experiments(notebook, titanic):
    facts = {"c1": [p.RuntimeFacts(variable="passengers", rows_after=891, cols_after=10, fingerprint="xxh3:p")],
             "c5": [p.RuntimeFacts(variable=v, rows_after=r, cols_after=2, fingerprint=f"xxh3:{v}")
                    for v, r in (("X_train", 660), ("X_test", 221), ("y_train", 660), ("y_test", 221))]}
    for cell_id, source in titanic.items():
        notebook.run(cell_id, source, stdout="accuracy: 0.789\n" if cell_id == "c7" else None,
                     files=[CSV] if cell_id == "c1" else None, facts=facts.get(cell_id))
    notebook.run("c6", "model = LogisticRegression(max_iter=1000, C=0.5)\nmodel.fit(X_train, y_train)")
    notebook.run("c7", titanic["c7"], stdout="accuracy: 0.780\n")
    doc = notebook.doc()
    found = b.detected(doc, [])
    stamp = p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", python_version="3.11.7", packages={"pandas": "3.1.1"},
                       git=p.GitState(commit="c" * 40, branch="main", dirty_worktree=False), env={"PYTHONHASHSEED": "0"})
    records = b.Records(doc=doc, assigned=[b.Assigned(i + 1, d.seq) for i, d in enumerate(found)],
                        revisions=assign([], [FileSeen(CSV.path, CSV.sha256, CSV.size, "2026-01-01T00:00:01+00:00")]),
                        stamps={1: stamp})
    return b.build(records)


def test_mtrack_files_validate_and_carry_every_required_field(experiments):
    first, second = experiments
    files = mtrack.files(second, first, notebook_folder="/nb/titanic")
    folder = "experiments/2026-01-01__passengers__LogisticRegression__E0002"
    assert sorted(files) == sorted(f"{folder}/{name}" for name in (
        "manifest.json", "metrics.json", "config_resolved.yaml", "notes.md", "pointers/dataset_pointer.txt",
        "datasets/titanic__passengers.csv/dataset_manifest.json"))
    manifest = json.loads(files[f"{folder}/manifest.json"])
    _validator("mtrack-manifest.schema.json").validate(manifest)
    assert manifest["git"] == {"commit": "c" * 40, "branch": "main", "dirty_worktree": False, "changed_files": [],
                               "diff_sha256": None}
    assert manifest["inputs"]["dataset"]["revision_id"] == "D0001" and manifest["inputs"]["dataset"]["path"] == "passengers.csv"
    assert manifest["inputs"]["model"]["model_id"] == "LogisticRegression"
    assert manifest["inputs"]["config"]["config_hash"] == f"sha256:{second.config_sha256}"
    assert manifest["parent_experiment_id"] == "E0001"
    metrics = json.loads(files[f"{folder}/metrics.json"])
    _validator("mtrack-metrics.schema.json").validate(metrics)
    assert metrics["primary_metric"]["name"] == "accuracy" and metrics["primary_metric"]["value"] == 0.78
    dataset = json.loads(files[f"{folder}/datasets/titanic__passengers.csv/dataset_manifest.json"])
    _validator("mtrack-dataset-manifest.schema.json").validate(dataset)
    assert dataset["splits"]["X_train"]["rows"] == 660 and dataset["loaded_as"][0]["rows"] == 891
    notes = files[f"{folder}/notes.md"].decode()
    assert "## Intent" in notes and "## Next decision" in notes and "pre-filled" in notes
    assert "`model.params.C`: default → 0.5" in notes and "accuracy: 0.78 [output line 1]; E0001: 0.789" in notes
    assert files[f"{folder}/pointers/dataset_pointer.txt"].decode().splitlines()[1] == (
        f"titanic/passengers.csv D0001 sha256:{'a' * 64} passengers.csv")


def test_same_experiment_same_bytes_and_a_schema_breaking_change_is_caught(experiments):
    first, second = experiments
    assert mtrack.files(second, first, "/nb/titanic") == mtrack.files(second.model_copy(deep=True), first, "/nb/titanic")
    manifest = json.loads(next(v for k, v in mtrack.files(second, first).items() if k.endswith("manifest.json")))
    del manifest["git"]["dirty_worktree"]
    with pytest.raises(jsonschema.ValidationError):
        _validator("mtrack-manifest.schema.json").validate(manifest)


def test_json_format_validates_against_the_committed_schema_which_is_current(experiments):
    committed = json.loads((SCHEMAS / "trackit-experiment.schema.json").read_text())
    assert committed == jsondoc.json_schema(), (
        "regenerate: python -m trackit_sidecar.experiments.export.jsondoc > docs/schemas/trackit-experiment.schema.json")
    (path, data), = jsondoc.files(experiments[1]).items()
    document = json.loads(data)
    _validator("trackit-experiment.schema.json").validate(document)
    assert document["format"] == "trackit.experiment/1" and path.endswith("__E0002.json")


def test_writing_never_overwrites_a_run_folder(tmp_path, experiments):
    first, second = experiments
    files = mtrack.files(second, first)
    written = write_files(str(tmp_path), files)
    assert len(written.written) == 1 and not written.kept
    again = write_files(str(tmp_path), files)
    assert again.unchanged == written.written and not again.written
    notes = next(tmp_path.rglob("notes.md"))
    notes.write_text("my own notes")
    changed = dict(files)
    changed[next(k for k in files if k.endswith("metrics.json"))] = b"{}\n"
    kept = write_files(str(tmp_path), changed)
    assert kept.kept == written.written and notes.read_text() == "my own notes"
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]  # no staging folder left behind


def test_yaml_writer_quotes_everything_that_could_be_misread():
    text = yamltext.dump({"a": {"no": "no", "n": 1.5, "t": True, "z": None}, "l": [1, {"k": "1e3"}, []], "e": {}})
    assert text == ('"a":\n  "no": "no"\n  "n": 1.5\n  "t": true\n  "z": null\n"l":\n  - 1\n  - "k": "1e3"\n'
                    '  - []\n"e": {}\n')
