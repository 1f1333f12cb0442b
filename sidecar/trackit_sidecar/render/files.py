"""Input files: which recorded file a load's path refers to, and how its size and hash are said."""

from __future__ import annotations

import posixpath
from typing import Optional, Sequence

from ..protocol import InputFile, Step
from .words import human_size


def path_parts(path: str) -> list[str]:
    norm = posixpath.normpath(path.replace("\\", "/"))
    return [p for p in norm.split("/") if p not in ("", ".")]


def match_input_file(written: Optional[str], files: Sequence[InputFile]) -> Optional[InputFile]:
    """The recorded input file a load's path (as written in the code) refers to.

    The kernel records resolved absolute paths; code usually says `"data/train.csv"`. Matching is
    on the whole path, then on the trailing path components, then on the basename, each only when
    exactly one file fits. No file system access: the summary must be the same on any machine.
    """
    if not written or not files:
        return None
    wanted = path_parts(written)
    if not wanted:
        return None
    for f in files:
        if path_parts(f.path) == wanted:
            return f
    if ".." not in wanted:
        ends_alike = [f for f in files if path_parts(f.path)[-len(wanted):] == wanted]
        if ends_alike:
            # two recorded files ending the same way: say nothing rather than guess
            return ends_alike[0] if len(ends_alike) == 1 else None
    same_name = [f for f in files if path_parts(f.path)[-1:] == wanted[-1:]]
    return same_name[0] if len(same_name) == 1 else None


def file_summary(f: InputFile) -> str:
    """'(49.0 KB, sha256 5efb7e27)'; '' when nothing is known."""
    parts = []
    if f.size is not None:
        parts.append(human_size(f.size))
    if f.sha256:
        parts.append(f"sha256 {f.sha256[:8]}")
    return f"({', '.join(parts)})" if parts else ""


def made_in_code(step: Step) -> bool:
    """A load step whose source is its own call (`pd.DataFrame({...})`, `np.random.rand(5)`): data made in the
    notebook, not read from a file, a path or a named dataset."""
    return step.input_file is None and bool(step.detail) and step.detail == step.method

