"""`--format json`: one self-describing document per experiment (format trackit.experiment/1).

Its JSON schema is generated from the pydantic model and committed as docs/schemas/trackit-experiment.schema.json;
regenerate with `python -m trackit_sidecar.experiments.export.jsondoc > docs/schemas/trackit-experiment.schema.json`
(a test fails when the committed copy is behind).
"""

from __future__ import annotations

import sys
from typing import Any

from ...protocol import EXPERIMENT_FORMAT, Experiment
from .layout import json_bytes, run_folder


def files(experiment: Experiment) -> dict[str, bytes]:
    return {f"experiments/{run_folder(experiment)}.json": json_bytes(experiment.model_dump(mode="json"))}


def json_schema() -> dict[str, Any]:
    schema = Experiment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://trackit.local/schemas/trackit-experiment.schema.json"
    schema["description"] = f"One experiment as `trackit show --json` and `trackit export --format json` write it ({EXPERIMENT_FORMAT})."
    return schema


if __name__ == "__main__":
    sys.stdout.buffer.write(json_bytes(json_schema()))
