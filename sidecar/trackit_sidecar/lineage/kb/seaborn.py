"""seaborn: only its dataset loader is a data operation."""

from __future__ import annotations

from .packaged_data import loaders_of

FUNCTIONS: dict[str, str | None] = {name: "load" for name in loaders_of("seaborn")}  # load_dataset
METHODS: dict[str, str | None] = {}
