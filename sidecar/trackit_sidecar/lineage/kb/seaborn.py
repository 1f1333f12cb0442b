"""seaborn: only its dataset loader is a data operation."""

from __future__ import annotations

FUNCTIONS: dict[str, str | None] = {"load_dataset": "load"}
METHODS: dict[str, str | None] = {}
