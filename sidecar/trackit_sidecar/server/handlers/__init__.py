"""Request and notification handlers, one module per feature group, each exposing `register(server)`.

A new feature group adds its module here and one entry to FEATURE_GROUPS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import compare, editor, experiments, lineage, reproduce, status, summaries

if TYPE_CHECKING:
    from ..app import TrackitServer

FEATURE_GROUPS = (editor, lineage, summaries, status, experiments, reproduce, compare)


def register_all(server: "TrackitServer") -> None:
    for group in FEATURE_GROUPS:
        group.register(server)
