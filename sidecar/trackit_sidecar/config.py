"""Where TrackIT keeps things and the knobs the editor can turn."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_MAX_TEXT_OUTPUT_BYTES = 64 * 1024


def default_db_path() -> Path:
    """`$TRACKIT_DB`, else the per-user data folder (the editor passes its workspace storage instead)."""
    explicit = os.environ.get("TRACKIT_DB")
    if explicit:
        return Path(explicit).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "trackit" / "trackit.duckdb"


@dataclass
class Settings:
    """Settings shared by the server and the CLI; the editor updates them with trackit/setConfig."""

    max_text_output_bytes: int = DEFAULT_MAX_TEXT_OUTPUT_BYTES
    runtime_capture: bool = True
    summary_provider: str = "builtin"
    provider_options: dict[str, Any] = field(default_factory=dict)
    # An untrusted workspace records but runs nothing: no kernel attach, no provider call.
    trusted: bool = True

    def update(self, changes: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is not None and hasattr(self, key):
                setattr(self, key, value)

    @property
    def may_attach_kernels(self) -> bool:
        return self.runtime_capture and self.trusted

    @property
    def effective_provider(self) -> str:
        return self.summary_provider if self.trusted else "builtin"
