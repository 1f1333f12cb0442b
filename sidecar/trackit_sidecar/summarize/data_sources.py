"""The summary's "Data sources" section: each input file once, at its latest load, with how often it
was loaded and whether it changed."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Optional

from ..protocol import ExecutionRecord, InputFile
from ..render.files import file_summary, made_in_code, match_input_file
from ..render.groups import SOURCE_OPS, StepGroup, visible_groups
from ..render.words import ARROW, code
from .bullets import group_sentence, run_label, times
from .session_view import SessionView, cell_number, cell_reran, cite, described_records


def notebook_dir_of(notebook: str) -> Optional[str]:
    if "://" in notebook or not notebook.startswith("/"):
        return None
    return posixpath.dirname(notebook)


def file_display_path(path: str, notebook_dir: Optional[str]) -> str:
    """The path as the notebook would write it: relative to the notebook's folder when inside it."""
    if notebook_dir and path.startswith(notebook_dir.rstrip("/") + "/"):
        return path[len(notebook_dir.rstrip("/")) + 1:]
    return path


@dataclass
class _LoadedFile:
    file: InputFile
    display: str


def _file_notes(f: InputFile) -> list[str]:
    notes = []
    if f.changed_since:
        notes.append(f"The file changed since the last session (it was sha256 {f.changed_since[:8]})")
    if f.error:
        notes.append(f"It could not be inspected ({f.error})")
    return notes


def _loads_of(rec: ExecutionRecord, group: StepGroup) -> dict[int, InputFile]:
    """id(load step) -> the input file it read (attached by the store, or matched by path)."""
    found = {}
    for step in group.steps:
        if step.op in SOURCE_OPS:
            f = step.input_file or match_input_file(step.detail, rec.input_files)
            if f is not None:
                found[id(step)] = f
    return found


def input_files_shown(rec: ExecutionRecord, notebook_dir: Optional[str]) -> list[_LoadedFile]:
    """Every input file of an execution once, named as the code wrote it when a load step matches it."""
    shown: list[_LoadedFile] = []
    seen: set[str] = set()
    for step in rec.steps:
        if step.op not in SOURCE_OPS:
            continue
        f = step.input_file or match_input_file(step.detail, rec.input_files)
        if f is not None and f.path not in seen:
            seen.add(f.path)
            shown.append(_LoadedFile(f, step.detail or file_display_path(f.path, notebook_dir)))
    for f in rec.input_files:
        if f.path not in seen:
            seen.add(f.path)
            shown.append(_LoadedFile(f, file_display_path(f.path, notebook_dir)))
    return shown


MADE_KEY = "made by: "


@dataclass
class _FileLoads:
    """Every load of one file in the session, described or not, in execution order."""

    loads: list[tuple[ExecutionRecord, Optional[InputFile]]] = field(default_factory=list)
    made: bool = False  # data its own call made (`np.arange(...)`): created again, not loaded

    def notes(self, rec: ExecutionRecord) -> list[str]:
        """"Loaded twice (In [1], In [14])" / "It changed between loads (…)" for the load described at `rec`."""
        notes = []
        if len(self.loads) > 1:
            counts = [f"In [{r.execution_count}]" for r, _ in self.loads if r.execution_count is not None]
            at = f" ({', '.join(counts)})" if len(counts) == len(self.loads) else ""
            # the sentence already cites `rec`; other loading cells are cited here
            others = {cell_number(r) for r, _ in self.loads} != {cell_number(rec)}
            cells = f" {cite([r for r, _ in self.loads])}" if others else ""
            verb, latest = ("Created", "the latest is shown") if self.made else ("Loaded", "the latest load is shown")
            notes.append(f"{verb} {times(len(self.loads))} in this session{at}{cells}; {latest}")
        digests: list[str] = []
        for _, f in self.loads:
            if f is not None and f.sha256 and (not digests or digests[-1] != f.sha256):
                digests.append(f.sha256)
        if len(digests) > 1:
            chain = f" {ARROW} ".join(d[:8] for d in digests)
            notes.append(f"The file changed between loads (sha256 {chain}), so earlier results came from other data")
        return notes


def _load_key(step_or_file, rec: ExecutionRecord) -> Optional[str]:
    """The file a load step read (its recorded path), or the path as written when none was recorded."""
    if isinstance(step_or_file, InputFile):
        return step_or_file.path
    f = step_or_file.input_file or match_input_file(step_or_file.detail, rec.input_files)
    if f is not None:
        return f.path
    if made_in_code(step_or_file):
        # each `pd.DataFrame({...})` is its own data; a re-run of its cell is the same. Another cell with the same
        # code makes its own (islr chapter 4: cells 9 and 21 each `X_test = np.arange(...)` read "Created `X_test`
        # with `arange` ... Loaded twice in this session", one source loaded twice)
        return f"{MADE_KEY}{rec.cell_id}: {step_or_file.code}"
    return f"as written: {step_or_file.detail}" if step_or_file.detail else None


def _file_loads(view: SessionView) -> dict[str, _FileLoads]:
    found: dict[str, _FileLoads] = {}
    for rec in view.executions:
        seen: set[str] = set()
        for step in rec.steps:
            if step.op not in SOURCE_OPS:
                continue
            key = _load_key(step, rec)
            if key is not None and key not in seen:
                seen.add(key)
                f = step.input_file or match_input_file(step.detail, rec.input_files)
                found.setdefault(key, _FileLoads(made=key.startswith(MADE_KEY))).loads.append((rec, f))
        for f in rec.input_files:
            if f.path not in seen:
                seen.add(f.path)
                found.setdefault(f.path, _FileLoads()).loads.append((rec, f))
    return found


def data_sources(view: SessionView, notebook_dir: Optional[str] = None) -> list[str]:
    """One line per file, at its latest described load, saying how often it was loaded and whether it changed.

    A Run All done twice loads every file twice; listing each load would read as two data sources.
    """
    described = described_records(view)
    files = _file_loads(view)
    last_load: dict[str, int] = {}
    for rec in described:
        for step in rec.steps:
            key = _load_key(step, rec) if step.op in SOURCE_OPS else None
            if key is not None:
                last_load[key] = rec.seq
        for f in rec.input_files:
            last_load[f.path] = rec.seq
    lines = []
    done: set[str] = set()
    for rec in described:
        reruns = cell_reran(view, rec)
        matched: set[str] = set()
        for group in visible_groups(rec.steps):
            if group.section != "source":
                continue
            keys = [k for k in (_load_key(s, rec) for s in group.steps if s.op in SOURCE_OPS) if k is not None]
            if keys and all(last_load.get(k) != rec.seq or k in done for k in keys):
                continue  # described at a later load of the same file
            loads = _loads_of(rec, group)
            file_facts = {key: file_summary(f) for key, f in loads.items()}
            notes = [n for f in loads.values() if f.path not in matched for n in _file_notes(f)]
            for key in keys:
                if key not in done and key in files:
                    notes += files[key].notes(rec)
            matched.update(f.path for f in loads.values())
            done.update(keys)
            lines.append(group_sentence(group, rec, reruns, file_facts, notes))
        for shown in input_files_shown(rec, notebook_dir):
            path = shown.file.path
            if path in matched or path in done or last_load.get(path) != rec.seq:
                continue
            matched.add(path)
            done.add(path)
            facts = file_summary(shown.file)
            text = f"Read {code(shown.display)}" + (f" {facts}" if facts else "")
            for note in _file_notes(shown.file) + (files[path].notes(rec) if path in files else []):
                text += f". {note}"
            lines.append(f"{text} {cite([rec])}{run_label(rec, reruns)}.")
    return lines
