"""An analysis as the store keeps it: redacted JSON columns, with the analyzer version that made them. A source's row
holds the analysis of its first execution (a source stored by an older analyzer is analysed again in place); an
execution classified otherwise (in another context) names its own analysis, kept once in `analyses` by the sha256 of
these columns (schema: _analyses_in_context)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Optional, Protocol, Sequence

import duckdb

from ..protocol import Step
from ..redaction import redact_names, redact_step, redact_text
from .admission import clean_text
from .tables import ANALYSES_COLUMNS, existing, insert_rows, select_in


class AnalysisLike(Protocol):
    """What the store keeps of an analysis (lineage.analysis.SourceAnalysis is one)."""

    reads: Sequence[str]
    writes: Sequence[str]
    derivations: dict[str, Sequence[str]]
    steps: Sequence[Any]
    analysis_error: Optional[str]


def resolve_analyzer_version(analyzer_version: Optional[int]) -> int:
    """The given version, else the analyzer's current one (a constant; the store runs no analysis)."""
    if analyzer_version is not None:
        return analyzer_version
    from ..lineage.analysis import ANALYZER_VERSION

    return ANALYZER_VERSION


def update_sources(con: duckdb.DuckDBPyConnection, analyses: dict[str, AnalysisLike], analyzer_version: int) -> None:
    if analyses:
        con.executemany(
            "UPDATE sources SET reads = ?, writes = ?, derivations = ?, steps = ?, analysis_error = ?, "
            "analyzer_version = ? WHERE sha256 = ?",
            [[*analysis_columns(analysis, analyzer_version), sha] for sha, analysis in analyses.items()],
        )


def analysis_columns(analysis: AnalysisLike, analyzer_version: int) -> list[Any]:
    """The stored analysis, redacted like the source it describes (steps quote code, columns, paths)."""
    derivations = {str(k): list(v) for k, v in dict(analysis.derivations or {}).items()}
    return [
        json.dumps(redact_names(list(analysis.reads or []))),
        json.dumps(redact_names(list(analysis.writes or []))),
        json.dumps(redact_names(derivations)),
        _dump_steps(analysis.steps or []),
        redact_text(clean_text(analysis.analysis_error)),
        analyzer_version,
    ]


ANALYSIS_COLUMNS = ("reads", "writes", "derivations", "steps", "analysis_error", "analyzer_version")
STORED_ANALYSIS = f"SELECT sha256, {', '.join(ANALYSIS_COLUMNS)} FROM sources"  # a source row's, by sha256


def analysis_sha256(columns: Sequence[Any]) -> str:
    """The content address of an analysis as stored (`analysis_columns`, or the same columns read back)."""
    return hashlib.sha256(json.dumps(list(columns)).encode()).hexdigest()


def _dump_steps(steps: Iterable[Any]) -> str:
    out = []
    for step in steps:
        model = redact_step(step if isinstance(step, Step) else Step.model_validate(step))
        out.append(model.model_dump(mode="json", exclude_defaults=True))
    return json.dumps(out)


def store_analyses(con: duckdb.DuckDBPyConnection, analyses: dict[str, list[Any]]) -> None:
    """sha256 -> stored columns, for those not stored yet (the table has no key: see schema._analyses_in_context)."""
    known = existing(con, "analyses", "sha256", list(analyses))
    insert_rows(con, "analyses", ANALYSES_COLUMNS, [[key, *columns] for key, columns in analyses.items()
                                                    if key not in known])


def pin_before_upgrade(con: duckdb.DuckDBPyConnection, shas: list[str]) -> None:
    """Before these sources' analysis is replaced by one made in the context of a new execution, the executions that
    read it name it as their own: they were classified in their own context, which the new one need not share (the
    model class a predict names). Rare: once a source after an analyzer upgrade. A source never analysed has nothing
    to keep: its executions read the new analysis."""
    old = {sha: list(columns) for sha, *columns in select_in(con, STORED_ANALYSIS, "sha256", shas)
           if columns[-1] is not None}
    if not old:
        return
    keys = {sha: analysis_sha256(columns) for sha, columns in old.items()}
    store_analyses(con, {keys[sha]: columns for sha, columns in old.items()})
    con.execute("UPDATE executions SET analysis_sha256 = pinned.key "
                "FROM (SELECT unnest(?::VARCHAR[]) AS sha, unnest(?::VARCHAR[]) AS key) pinned "
                "WHERE executions.source_sha256 = pinned.sha AND executions.analysis_sha256 IS NULL",
                [list(keys), list(keys.values())])
