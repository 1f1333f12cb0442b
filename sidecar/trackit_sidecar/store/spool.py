"""The spool: how a second process records while another one owns the database.

A process that gets DatabaseLocked appends its events to `<db>.spool/<pid>-<n>.jsonl`; the owner
merges the files and deletes each one only after its transaction committed. A crash between
commit and delete replays the file on the next merge, and event_id de-duplication makes that
replay a no-op, so nothing is lost or doubled.

Each file is written to a dot-prefixed temporary name and renamed into place, so the owner
never reads half a file. What is spooled is redacted first (redaction/), like everything the store
writes: no secret reaches the disk. Lines are typed records:
  {"type": "execution", "event": CellExecution, "content_sha256": sha256 of the source the editor ran}
  {"type": "runtime_facts", "event_id": ..., "facts": [RuntimeFacts], "status": ..., "evidence": ...}
    (status/evidence: protocol.RuntimeStatus/KernelEvidence, optional; a reader that predates them
    ignores the keys)
  {"type": "input_files", "event_id": ..., "files": [InputFile]}
"""

from __future__ import annotations

import itertools
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from ..protocol import CellExecution, InputFile, KernelEvidence, RuntimeFacts, RuntimeStatus
from ..redaction import redact_event, redact_facts, redact_input_file

if TYPE_CHECKING:
    from .db import Store
    from .stored_analysis import AnalysisLike

from .spool_files import OVERFLOW_PREFIX, SPOOL_SUFFIX, overflow_dir, pending_files, spool_dir  # noqa: F401 (their home)

REJECTED_DIR = "rejected"


class SpoolFileError(ValueError):
    """A spool file that cannot be parsed; it is moved aside, never deleted."""


class _CaptureStatus(BaseModel):
    """The status/evidence keys of a runtime_facts record, checked against the protocol's values."""

    model_config = ConfigDict(extra="ignore")
    status: RuntimeStatus
    evidence: Optional[KernelEvidence] = None


@dataclass
class ParsedSpoolFile:
    events: list[CellExecution] = field(default_factory=list)
    runtime_facts: dict[str, list[RuntimeFacts]] = field(default_factory=dict)
    input_files: dict[str, list[InputFile]] = field(default_factory=dict)
    runtime_status: dict[str, tuple[str, Optional[str]]] = field(default_factory=dict)


@dataclass
class MergeReport:
    files_merged: int = 0
    events_ingested: int = 0
    duplicates: int = 0
    # (file moved to <spool>/rejected/, reason): kept for a person to inspect
    rejected: list[tuple[str, str]] = field(default_factory=list)
    # every event_id now durable in the database, for lineageChanged
    event_ids: list[str] = field(default_factory=list)
    notebooks: set[str] = field(default_factory=set)
    # runtime facts / input files whose execution is stored nowhere (dropped, counted here)
    orphan_event_ids: set[str] = field(default_factory=set)

    # A report reads as "how many executions were merged": `if merged:` / `"%d" % merged` work.
    def __int__(self) -> int:
        return self.events_ingested

    __index__ = __int__

    def __bool__(self) -> bool:
        return self.events_ingested > 0


def parse_spool_text(text: str, name: str = "<spool>") -> ParsedSpoolFile:
    """Pure: the records of one spool file. Raises SpoolFileError naming the bad line."""
    parsed = ParsedSpoolFile()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record.get("type") if isinstance(record, dict) else None
            if kind == "execution":
                event = CellExecution.model_validate(record["event"])
                if isinstance(record.get("content_sha256"), str):
                    event.keep_content_sha256(record["content_sha256"])
                parsed.events.append(event)
            elif kind == "runtime_facts":
                facts = [RuntimeFacts.model_validate(f) for f in record["facts"]]
                parsed.runtime_facts.setdefault(str(record["event_id"]), []).extend(facts)
                if record.get("status") is not None:
                    capture = _CaptureStatus.model_validate(record)
                    parsed.runtime_status[str(record["event_id"])] = (capture.status, capture.evidence)
            elif kind == "input_files":
                files = [InputFile.model_validate(f) for f in record["files"]]
                parsed.input_files.setdefault(str(record["event_id"]), []).extend(files)
            else:
                raise SpoolFileError(f"{name}:{number}: unknown record type {kind!r}")
        except SpoolFileError:
            raise
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise SpoolFileError(f"{name}:{number}: {exc}") from exc
    return parsed


def spool_lines(
    events: Sequence[CellExecution],
    runtime_facts: Optional[dict[str, Sequence[RuntimeFacts]]] = None,
    input_files: Optional[dict[str, Sequence[InputFile]]] = None,
    runtime_status: Optional[dict[str, tuple[str, Optional[str]]]] = None,
) -> str:
    """Pure: the JSONL text for one spool file, redacted."""
    lines = []
    for event in events:
        clean = redact_event(event)
        lines.append(json.dumps({"type": "execution", "event": clean.model_dump(mode="json"),
                                 "content_sha256": event.content_sha256()}))
    statuses = runtime_status or {}
    for event_id in dict.fromkeys([*(runtime_facts or {}), *statuses]):
        record: dict[str, Any] = {"type": "runtime_facts", "event_id": event_id,
                                  "facts": [redact_facts(f).model_dump(mode="json")
                                            for f in (runtime_facts or {}).get(event_id, [])]}
        if event_id in statuses:
            record["status"], record["evidence"] = statuses[event_id]
        lines.append(json.dumps(record))
    for event_id, files in (input_files or {}).items():
        lines.append(json.dumps({"type": "input_files", "event_id": event_id,
                                 "files": [redact_input_file(f).model_dump(mode="json") for f in files]}))
    return "\n".join(lines) + "\n"


class Spool:
    """Append-only event files next to a database held by another process."""

    _counter = itertools.count(1)

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = os.path.abspath(os.fspath(db_path))
        self.dir = spool_dir(self.db_path)

    def append(
        self,
        events: Sequence[CellExecution],
        runtime_facts: Optional[dict[str, Sequence[RuntimeFacts]]] = None,
        input_files: Optional[dict[str, Sequence[InputFile]]] = None,
        runtime_status: Optional[dict[str, tuple[str, Optional[str]]]] = None,
    ) -> Optional[Path]:
        """Write one spool file atomically (tmp + fsync + rename); returns its path (None if empty)."""
        if not events and not runtime_facts and not input_files and not runtime_status:
            return None
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # pid + time + counter: unique even when a reused pid or two Spools in one process write.
        name = f"{os.getpid()}-{time.time_ns()}-{next(self._counter)}{SPOOL_SUFFIX}"
        target = self.dir / name
        tmp = self.dir / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(spool_lines(events, runtime_facts, input_files, runtime_status))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return target

    def pending(self) -> list[Path]:
        """Complete spool files, oldest first (spool_files.pending_files)."""
        return pending_files(self.dir)

    def merge_into(
        self,
        store: "Store",
        analyze: Callable[[CellExecution, str, bool], "AnalysisLike"],
        analyzer_version: Optional[int] = None,
    ) -> MergeReport:
        """Ingest each pending file in one transaction (the store's one writer), then delete it.
        `analyze(event, sha256, new)` is called for every event in order (the service's analyze_event: the one
        analysis, in the context its notebook's earlier cells built); new sources keep their result. `new`: the
        store has not got the execution, asked once per file (the write takes the same answer).
        Unparseable files are moved to `rejected/` with a `.reason.txt` beside them; they are never
        silently dropped."""
        report = MergeReport()
        for path in self.pending():
            try:
                parsed = parse_spool_text(path.read_text(encoding="utf-8"), path.name)
            except FileNotFoundError:
                continue  # another merger got it first
            except (SpoolFileError, UnicodeDecodeError) as exc:
                report.rejected.append((str(self._reject(path, str(exc))), str(exc)))
                continue
            shas = [e.content_sha256() for e in parsed.events]  # of what ran (the spool holds redacted text)
            to_analyse = set(shas) - store.stored_shas(set(shas), analyzer_version)
            analyses: dict[str, Any] = {}
            by_event: dict[str, Any] = {}  # what each execution was classified with, in its context
            stored = store.stored_event_ids(event.event_id for event in parsed.events)
            for event, sha in zip(parsed.events, shas):
                new = event.event_id not in stored
                stored.add(event.event_id)  # a repeat later in the file is a re-send of the first
                # every event: context goes on
                result = by_event[event.event_id] = _safe_analyze(analyze, event, sha, new)
                if sha in to_analyse:
                    analyses.setdefault(sha, result)
            written = store.write(parsed.events, analyses, analyzer_version, parsed.runtime_facts, parsed.input_files,
                                  parsed.runtime_status, shas, by_event)
            seqs, orphans = written.seqs, written.orphan_event_ids
            path.unlink(missing_ok=True)  # only now: the batch is committed
            if path.parent != self.dir:
                _remove_if_empty(path.parent)
            report.files_merged += 1
            report.orphan_event_ids.update(orphans)
            for event, seq in zip(parsed.events, seqs):
                if seq is None:
                    report.duplicates += 1
                else:
                    report.events_ingested += 1
                    report.notebooks.add(event.notebook_uri)
                report.event_ids.append(event.event_id)
        return report

    def _reject(self, path: Path, reason: str) -> Path:
        rejected = self.dir / REJECTED_DIR
        rejected.mkdir(exist_ok=True, mode=0o700)
        target = rejected / path.name
        os.replace(path, target)
        (rejected / f"{path.name}.reason.txt").write_text(reason + "\n", encoding="utf-8")
        return target


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _safe_analyze(analyze: Callable[[CellExecution, str, bool], Any], event: CellExecution, sha: str,
                  new: bool) -> Any:
    """The caller's analysis, or a record of its failure: an analyzer bug must not block a merge."""
    try:
        return analyze(event, sha, new)
    except Exception as exc:  # noqa: BLE001 - any analyzer failure becomes data, the events still merge
        from ..lineage.analysis import SourceAnalysis

        return SourceAnalysis(analysis_error=f"not analysed: analyzer failed: {type(exc).__name__}: {exc}")
