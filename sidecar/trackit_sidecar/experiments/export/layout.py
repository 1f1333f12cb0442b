"""Shared pieces of the export formats: canonical JSON bytes and the run folder's name."""

from __future__ import annotations

import json
import re
from typing import Any

from ...protocol import Experiment

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def json_bytes(value: Any) -> bytes:
    """Sorted keys, two-space indent, UTF-8, one trailing newline: the same value, the same bytes."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def slug(text: str, fallback: str) -> str:
    cleaned = _UNSAFE.sub("-", text).strip("-.")
    return cleaned[:60] or fallback


def run_folder(experiment: Experiment) -> str:
    """`<date>__<dataset>__<model>__E####`: date of the experiment (UTC), its first dataset, its model."""
    date = experiment.created_at[:10]
    dataset = experiment.data[0].dataset_id.rsplit("/", 1)[-1].rsplit(".", 1)[0] if experiment.data else "no-data"
    model = experiment.model.class_name if experiment.model else "no-model"
    return f"{date}__{slug(dataset, 'data')}__{slug(model, 'model')}__{experiment.id}"
