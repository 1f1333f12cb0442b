"""Execution records read back: rows of the executions table with their sources, runtime facts, capture status and
input files, made into ExecutionRecords (and the sessions they describe) in three queries, never one per row.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any, NamedTuple, Optional

import duckdb

from ..protocol import ErrorInfo, ExecutionRecord, InputFile, OutputInfo, RuntimeFacts, SessionInfo, Step
from .admission import EPOCH_MS_MAX, EPOCH_MS_MIN
from .tables import select_in

NOT_ANALYSED = "not analysed: no analysis stored for this source"

# Read back for ExecutionRecord. Sources are fetched separately by primary key: joining the whole
# sources table costs ~4x more once it holds 100k texts.
_RECORD_SELECT = """
SELECT e.seq, e.session, e.cell_id, e.cell_index, e.execution_count, e.status, e.started_at, e.ended_at,
       e.language, e.source_sha256, e.outputs, e.error_name, e.error_message, e.kernel_name, e.event_id,
       e.kernel_display_name, e.analysis_sha256
FROM executions e
"""
_SOURCE_SELECT = "SELECT sha256, text, reads, writes, derivations, steps, analysis_error, analyzer_version FROM sources"
# an execution's own analysis (NULL analysis_sha256: its source's), as a source row without the text
_OWN_ANALYSIS_SELECT = ("SELECT sha256, NULL, reads, writes, derivations, steps, analysis_error, analyzer_version "
                        "FROM analyses")
# a named analysis not found (a repaired file may have lost the row): said, never its source's in its place
_LOST_ANALYSIS = (None, None, None, None, None, None, "not analysed: the analysis stored for this execution is lost", 0)


class RecordRow(NamedTuple):
    """A record with what its session is described from (sessions_of)."""

    record: ExecutionRecord
    kernel_name: Optional[str]
    kernel_display_name: Optional[str]
    started: float
    ended: float


def stored_time(epoch_ms: float) -> float:
    """A stored time as a real one: a value admission now refuses (NaN, 1e30, -1e15), written by an older
    TrackIT, reads as the nearest bound of 1970-2200 instead of breaking the notebook's lineage for good
    (`trackit doctor` reports such rows)."""
    if not math.isfinite(epoch_ms):
        return EPOCH_MS_MIN
    return min(max(epoch_ms, EPOCH_MS_MIN), EPOCH_MS_MAX)


def iso_utc(epoch_ms: float) -> str:
    return datetime.fromtimestamp(stored_time(epoch_ms) / 1000.0, tz=timezone.utc).isoformat(timespec="milliseconds")


def read_records(con: duckdb.DuckDBPyConnection, nb_id: int, where: str, params: list[Any],
                 static: bool = False) -> list[RecordRow]:
    """ExecutionRecords for the rows matching `where` (seq order) in three queries: executions, their
    sources by key, then their runtime facts, capture status and input files joined on `where`
    (`static`: the first two only)."""
    rows = con.execute(f"{_RECORD_SELECT} WHERE {where} ORDER BY e.seq", params).fetchall()
    if not rows:
        return []
    sources = {r[0]: r for r in select_in(con, _SOURCE_SELECT, "sha256", list({r[9] for r in rows}))}
    own = {r[16] for r in rows if r[16] is not None}
    if own:
        sources.update((r[0], r) for r in select_in(con, _OWN_ANALYSIS_SELECT, "sha256", list(own)))
    if static:
        return _build_records(rows, sources, {}, {}, {})
    wanted = {r[14] for r in rows}
    # Facts, statuses and files of the executions matched, in one query of three joins (a bound IN list of 40
    # keys costs more than the join; reading the whole notebook's rows for one session, much more; a query
    # per table, a round trip each)
    joined = f"JOIN executions e ON e.event_id = x.event_id WHERE x.notebook_id = ? AND {where}"
    side_rows = con.execute(
        f"SELECT 'fact', x.event_id, x.ord, x.facts, NULL, NULL, NULL, NULL, NULL FROM runtime_facts x {joined} "
        f"UNION ALL SELECT 'capture', x.event_id, 0, x.status, x.evidence, NULL, NULL, NULL, NULL "
        f"FROM runtime_capture x {joined} "
        f"UNION ALL SELECT 'file', x.event_id, x.ord, x.path, x.error, x.size, x.mtime, x.sha256, x.changed_since "
        f"FROM input_files x {joined}",
        [nb_id, *params] * 3).fetchall()
    facts: dict[str, list[RuntimeFacts]] = {}
    captures: dict[str, tuple[str, Optional[str]]] = {}
    files: dict[str, list[InputFile]] = {}
    for kind, event_id, _ord, text, error, size, mtime, sha, changed_since in sorted(
            side_rows, key=lambda r: (r[0], r[1], r[2])):
        if event_id not in wanted:
            continue
        if kind == "fact":
            facts.setdefault(event_id, []).append(RuntimeFacts.model_validate_json(text))
        elif kind == "capture":
            captures[event_id] = (text, error)
        else:
            files.setdefault(event_id, []).append(
                InputFile(path=text, size=size, mtime=mtime, sha256=sha, changed_since=changed_since, error=error))
    return _build_records(rows, sources, facts, files, captures)


_OUTPUT_KEYS = frozenset({"output_type", "mime", "size", "sha256"})
# every field of a record that has a plain default (lists and dicts are given for each record)
_RECORD_DEFAULTS = {name: field.default for name, field in ExecutionRecord.model_fields.items()
                    if field.default_factory is None and not field.is_required()}


def _trusted(model: type, defaults: dict, **values: Any) -> Any:
    """A model from values we wrote and read back ourselves, every field given: what model_construct does,
    without its per-field default lookups (a fifth of reading a notebook of 5,000 runs)."""
    made = model.__new__(model)
    fields = {**defaults, **values}
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _copied(step: Step) -> Step:
    """A shallow copy of a validated step (graph.attach_runtime sets .runtime per execution)."""
    made = Step.__new__(Step)
    object.__setattr__(made, "__dict__", dict(step.__dict__))
    object.__setattr__(made, "__pydantic_fields_set__", set(step.__pydantic_fields_set__))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _output(stored: dict) -> OutputInfo:
    """An output as the writer stored it (writer.py caps and shapes them); anything else is validated."""
    if not _OUTPUT_KEYS.issubset(stored):
        return OutputInfo.model_validate(stored)
    return _trusted(OutputInfo, {}, output_type=stored["output_type"], mime=stored["mime"], size=stored["size"],
                    sha256=stored["sha256"], truncated=stored.get("truncated", False), text=stored.get("text"))


def _json_list(value: Optional[str]) -> list:
    return json.loads(value) if value else []


def _build_records(
    rows: list[tuple],
    sources: dict[str, tuple],
    facts: dict[str, list[RuntimeFacts]],
    files: dict[str, list[InputFile]],
    captures: dict[str, tuple[str, Optional[str]]],
) -> list[RecordRow]:
    from ..lineage.analysis import ANALYZER_VERSION  # (imported by the completion that follows the read anyway)

    parsed: dict[str, tuple[list, list, dict, list]] = {}
    out = []
    for (seq, session, cell_id, cell_index, count, status, started, ended, language, sha, outputs, error_name,
         error_message, kernel_name, event_id, kernel_display_name, own) in rows:
        text = sources[sha][1]
        analysed = own or sha  # sha256 of its own analysis, or of its source (whose row holds the analysis)
        _, _, reads, writes, derivations, steps, analysis_error, analyzer_version = sources.get(analysed, _LOST_ANALYSIS)
        if analysed not in parsed:
            stored_steps = [Step.model_validate(s) for s in _json_list(steps)]
            if analyzer_version is not None and analyzer_version < ANALYZER_VERSION:
                # the classifier's fields an older analyzer did not set; a current analysis has them all, and the
                # classifier (~10 ms of imports) is not loaded to read it
                from ..lineage.classify import wording_facts

                if analyzer_version < wording_facts.ALL_FIELDS_VERSION:
                    wording_facts.add_to_stored_steps(stored_steps, analyzer_version, text)
            parsed[analysed] = (_json_list(reads), _json_list(writes), json.loads(derivations) if derivations else {},
                                stored_steps)
        p_reads, p_writes, p_derivations, p_steps = parsed[analysed]
        if analyzer_version is None and reads is None:
            analysis_error = NOT_ANALYSED
        error = ErrorInfo.model_construct(name=error_name, message=error_message) if (error_name or error_message) else None
        capture = captures.get(event_id, (None, None))
        start, end = stored_time(started), stored_time(ended)
        # Rows we wrote ourselves: built without validation (validating 2,000 records was most of a
        # notebook's first read).
        record = _trusted(
            ExecutionRecord,
            _RECORD_DEFAULTS,
            seq=seq,
            session=session,
            cell_id=cell_id,
            cell_index=cell_index,
            execution_count=count,
            status=status,
            started_at=iso_utc(started),
            ended_at=iso_utc(ended),
            duration_ms=max(0.0, end - start),
            language=language,
            source=text,
            source_sha256=sha,
            reads=list(p_reads),
            writes=list(p_writes),
            derivations={k: list(v) for k, v in p_derivations.items()},
            analysis_error=analysis_error,
            # Fresh Step objects per record (graph.attach_runtime sets .runtime per execution); a shallow
            # copy of a validated Step is ~20x cheaper than validating the JSON again for every re-run.
            steps=[_copied(s) for s in p_steps],
            outputs=[_output(o) for o in json.loads(outputs)],
            error=error,
            runtime=facts.get(event_id, []),
            input_files=files.get(event_id, []),
            runtime_status=capture[0],
            runtime_evidence=capture[1],
            parents=[], read_from={}, code_names={}, files_written=[], step_lines=[], stale_because=[],
        )
        out.append(RecordRow(record, kernel_name, kernel_display_name, start, end))
    return out


def sessions_of(records: list[RecordRow]) -> list[SessionInfo]:
    """The sessions these records belong to, described from them alone."""
    info: dict[int, dict[str, Any]] = {}
    for record, kernel_name, display_name, started, ended in records:
        s = info.setdefault(record.session, {"start": started, "end": ended, "kernel": None, "display": None,
                                             "n": 0, "statuses": set()})
        s["start"], s["end"], s["n"] = min(s["start"], started), max(s["end"], ended), s["n"] + 1
        if kernel_name and not s["kernel"]:  # the kernelspec the session's first reporting execution named
            s["kernel"], s["display"] = kernel_name, display_name
        if record.runtime_status is not None:
            s["statuses"].add(record.runtime_status)
    return [
        SessionInfo(id=sid, started_at=iso_utc(s["start"]), ended_at=iso_utc(s["end"]), kernel_name=s["kernel"],
                    kernel_display_name=s["display"], executions=s["n"],
                    runtime_status=next(iter(s["statuses"])) if len(s["statuses"]) == 1 else None)
        for sid, s in sorted(info.items())
    ]
