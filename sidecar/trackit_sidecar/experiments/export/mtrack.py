"""The mtrack run folder of one experiment, as bytes (pure).

    experiments/<date>__<dataset>__<model>__E####/
        manifest.json                 experiment_id, created_utc, git{commit, branch, dirty_worktree},
                                      inputs{model{provider, model_id, revision}, dataset{dataset_id,
                                      revision_id, hashes}, config{config_hash}}, outputs{metrics_path, ...}
        metrics.json                  primary_metric{name, value}, metrics[]
        config_resolved.yaml          the features tree
        notes.md                      Intent / Change summary / Results / Next decision (pre-filled, marked)
        pointers/dataset_pointer.txt  one line per dataset revision read
        datasets/<dataset>/dataset_manifest.json   per dataset revision: hashes, frames as loaded, split sizes

Schemas: docs/schemas/mtrack-*.schema.json. Nothing here depends on when the export runs, so the same
experiment always gives the same bytes.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ...protocol import Experiment, FeatureChange, Metric
from ...render.diff_values import feature_change_words
from . import yamltext
from .layout import json_bytes, run_folder, slug

MANIFEST_SCHEMA = "trackit.mtrack.manifest/1"
METRICS_SCHEMA = "trackit.mtrack.metrics/1"
DATASET_SCHEMA = "trackit.mtrack.dataset/1"
PREFILLED = "_(pre-filled by TrackIT from the recorded history; edit freely)_"  # every pre-filled section says so


def files(experiment: Experiment, parent: Optional[Experiment] = None, notebook_folder: Optional[str] = None
          ) -> dict[str, bytes]:
    folder = f"experiments/{run_folder(experiment)}"
    dataset_paths = {d.dataset_id: f"datasets/{slug(d.dataset_id.replace('/', '__'), 'dataset')}/dataset_manifest.json"
                     for d in experiment.data}
    out = {
        f"{folder}/manifest.json": json_bytes(manifest(experiment, dataset_paths, notebook_folder)),
        f"{folder}/metrics.json": json_bytes(metrics(experiment)),
        f"{folder}/config_resolved.yaml": config_yaml(experiment).encode("utf-8"),
        f"{folder}/notes.md": notes(experiment, parent).encode("utf-8"),
        f"{folder}/pointers/dataset_pointer.txt": pointer(experiment, notebook_folder).encode("utf-8"),
    }
    for data in experiment.data:
        out[f"{folder}/{dataset_paths[data.dataset_id]}"] = json_bytes(
            dataset_manifest(experiment, data.dataset_id, notebook_folder))
    return out


def _relative(path: str, notebook_folder: Optional[str]) -> str:
    """Paths inside the notebook's folder are written relative to it (an export travels; a home dir need not)."""
    if notebook_folder:
        try:
            rel = os.path.relpath(path, notebook_folder)
        except ValueError:  # another drive on Windows
            return path
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def _metric(metric: Metric) -> dict[str, Any]:
    return metric.model_dump(mode="json", exclude_none=True)


def manifest(experiment: Experiment, dataset_paths: dict[str, str], notebook_folder: Optional[str]) -> dict[str, Any]:
    stamp = experiment.stamp
    git = stamp.git if stamp is not None else None
    model = experiment.model
    primary = experiment.data[0] if experiment.data else None
    datasets = [{
        "dataset_id": d.dataset_id, "revision_id": d.revision_id, "hashes": {"sha256": d.sha256},
        "size_bytes": d.size, "path": _relative(d.path, notebook_folder), "manifest_path": dataset_paths[d.dataset_id],
    } for d in experiment.data]
    return {
        "schema": MANIFEST_SCHEMA,
        "experiment_id": experiment.id,
        "name": experiment.name,
        "created_utc": experiment.created_at,
        "status": experiment.status,
        "origin": experiment.origin,
        "parent_experiment_id": experiment.parent,
        "notebook": {"path": os.path.basename(_notebook_path(experiment)), "cell_id": experiment.cell_id,
                     "cell_index": experiment.cell_index, "seq": experiment.seq, "session": experiment.session},
        "git": {
            "commit": git.commit if git else None,
            "branch": git.branch if git else None,
            "dirty_worktree": git.dirty_worktree if git else None,
            "changed_files": list(git.changed_files) if git else [],
            "diff_sha256": git.diff_sha256 if git else None,
        },
        "inputs": {
            "model": {
                "provider": (model.library if model and model.library else None),
                "model_id": model.class_name if model else None,
                # the fitted state's hash when the kernel was read; else the configuration's
                "revision": (model.state_sha256 if model and model.state_sha256 else experiment.config_sha256),
                "params": model.params if model else {},
                "fingerprint_source": model.source if model else None,
            },
            "dataset": {k: v for k, v in datasets[0].items() if k != "size_bytes"} if primary else None,
            "datasets": datasets,
            "config": {"config_hash": f"sha256:{experiment.config_sha256}", "path": "config_resolved.yaml"},
        },
        "environment": {
            "python_version": stamp.python_version if stamp else None,
            "python_implementation": stamp.python_implementation if stamp else None,
            "packages_sha256": stamp.packages_sha256 if stamp else None,
            "packages": stamp.packages if stamp else {},
            "os": stamp.os if stamp else None,
            "machine": stamp.machine if stamp else None,
            "cpu_count": stamp.cpu_count if stamp else None,
            "memory_bytes": stamp.memory_bytes if stamp else None,
            "env": stamp.env if stamp else {},
            "seeds": [s.model_dump(mode="json", exclude_none=True) for s in experiment.seeds],
        },
        "outputs": {
            "metrics_path": "metrics.json",
            "config_path": "config_resolved.yaml",
            "notes_path": "notes.md",
            "dataset_pointer_path": "pointers/dataset_pointer.txt",
            "dataset_manifest_paths": [dataset_paths[d.dataset_id] for d in experiment.data],
        },
    }


def _notebook_path(experiment: Experiment) -> str:
    uri = experiment.notebook_uri
    return uri[len("file://"):] if uri.startswith("file://") else uri


def metrics(experiment: Experiment) -> dict[str, Any]:
    primary = experiment.primary_metric
    return {
        "schema": METRICS_SCHEMA,
        "experiment_id": experiment.id,
        "primary_metric": _metric(primary) if primary else None,
        "metrics": [_metric(m) for m in experiment.metrics],
    }


def config_yaml(experiment: Experiment) -> str:
    header = (f"# resolved configuration of {experiment.id}: the decisions in its lineage slice\n"
              f"# config_hash: sha256:{experiment.config_sha256}\n")
    return header + yamltext.dump(experiment.features or {})


def dataset_manifest(experiment: Experiment, dataset_id: str, notebook_folder: Optional[str]) -> dict[str, Any]:
    data = next(d for d in experiment.data if d.dataset_id == dataset_id)
    loaded = [f for f in experiment.frames if f.role == "load" and f.dataset_id == dataset_id]
    splits = {f.variable: {"rows": f.rows, "cols": f.cols, "fingerprint": f.fingerprint}
              for f in experiment.frames if f.role == "split"}
    return {
        "schema": DATASET_SCHEMA,
        "dataset_id": data.dataset_id,
        "revision_id": data.revision_id,
        "hashes": {"sha256": data.sha256},
        "size_bytes": data.size,
        "path": _relative(data.path, notebook_folder),
        "first_seen_utc": data.first_seen_at,
        "previous_revision_id": data.previous_revision_id,
        "loaded_as": [{"variable": f.variable, "rows": f.rows, "cols": f.cols, "fingerprint": f.fingerprint}
                      for f in loaded],
        "splits": splits,
        "experiment_id": experiment.id,
    }


def pointer(experiment: Experiment, notebook_folder: Optional[str]) -> str:
    lines = ["# dataset revisions this experiment read: dataset_id revision_id sha256 path"]
    for d in experiment.data:
        lines.append(f"{d.dataset_id} {d.revision_id} sha256:{d.sha256} {_relative(d.path, notebook_folder)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- notes.md
def _short(value: Any) -> str:
    text = "(unset)" if value is None else repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."


def _change_line(change: FeatureChange) -> str:
    return f"- `{change.path}`: {feature_change_words(change, _short)}"


def _format(value: float) -> str:
    return f"{value:.6g}"


def notes(experiment: Experiment, parent: Optional[Experiment]) -> str:
    title = f"{experiment.id}: {experiment.name}" if experiment.name else f"{experiment.id} ({experiment.created_at[:10]})"
    lines = [f"# {title}", ""]
    lines += ["## Intent", ""]
    if experiment.notes:
        lines += [experiment.notes.strip(), ""]
    elif experiment.intent:
        lines += [PREFILLED, "", "From the notebook's markdown above the experiment's cells:", "",
                  *[f"> {line}" if line else ">" for line in experiment.intent.strip().splitlines()], ""]
    else:
        lines += [PREFILLED, "", "No notes and no markdown above the cells were recorded.", ""]
    lines += ["## Change summary", "", PREFILLED, "", f"Against the parent {experiment.parent}:" if experiment.parent
              else "This experiment has no parent (a root).", ""]
    if experiment.parent:
        changes = [_change_line(c) for c in experiment.feature_changes]
        data = [f"- data `{d.dataset_id}`: {d.previous_revision_id} → {d.revision_id} (the file's bytes changed)"
                for d in experiment.data if d.previous_revision_id]
        lines += changes + data if changes or data else ["- no decision in the slice changed (same code, same data)"]
        lines.append("")
    lines += ["## Results", "", PREFILLED, ""]
    before = {m.name: m for m in parent.metrics} if parent else {}
    if not experiment.metrics:
        lines.append("- no metric value was recorded")
    for metric in experiment.metrics:
        text = f"- {metric.name}: {_format(metric.value)}{metric.unit or ''}"
        if metric.std is not None and metric.n is not None:
            text += f" (± {_format(metric.std)}, n={metric.n})"
        text += f" [{metric.source}]"
        if metric.name in before:
            delta = metric.value - before[metric.name].value
            text += f"; {experiment.parent}: {_format(before[metric.name].value)} (Δ {delta:+.4g})"
        lines.append(text)
    lines += ["", "## Next decision", "", "_(not pre-filled: yours to write)_", ""]
    if experiment.status == "failed":
        lines.insert(2, "**This experiment's execution failed**; its results may be partial.\n")
    return "\n".join(lines)
