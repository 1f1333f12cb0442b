"""Check a summary against the lineage it claims to describe.

Two checks, both conservative (a problem is a warning for the reader, not a rejection):
- every cited cell ("[cell 3]", "[cells 2, 5]", "cell 7") exists in the lineage;
- every number stated can be found in the lineage: runtime facts and their differences, counts,
  execution counts, cell numbers, durations, sizes, timestamps, and numbers in code/outputs.
List numbering ("1.") and section numbers ("## 2. Preprocessing") are not claims and are ignored.
"""

from __future__ import annotations

import bisect
import re
from datetime import datetime
from typing import Iterable

from ..protocol import ExecutionRecord, LineageDocument, RuntimeFacts

CITATION = re.compile(r"\[\s*cells?\s+([0-9][0-9,\s\u2013\-and]*)\]", re.IGNORECASE)
CELL_MENTION = re.compile(r"(?<![\w\[])cells?\s+(\d+(?:\s*(?:,|and|&|\u2013|-|to)\s*\d+)*)", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.])[-\u2212+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])[-\u2212+]?\d+(?:\.\d+)?(?![\w]|\.\d)")
HEADING_NUMBER = re.compile(r"(?m)^(\s*#{1,6}\s*)[\d.]+\s")
LIST_NUMBER = re.compile(r"(?m)^(\s*)\d+[.)]\s")
FENCED = re.compile(r"```.*?```", re.DOTALL)
SOURCE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
ALWAYS_ALLOWED = {0.0, 1.0, 100.0}  # "one cell", "0 rows", "100%" need no source


def _cell_numbers(spec: str) -> list[int]:
    numbers: list[int] = []
    for a, b in re.findall(r"(\d+)\s*(?:\u2013|-|to)\s*(\d+)", spec):
        lo, hi = int(a), int(b)
        if 0 < hi - lo <= 1000:
            numbers.extend(range(lo, hi + 1))
    numbers.extend(int(n) for n in re.findall(r"\d+", spec))
    return numbers


def _numbers_in(text: str) -> Iterable[float]:
    for token in SOURCE_NUMBER.findall(text or ""):
        try:
            yield float(token)
        except ValueError:
            continue


def _facts_numbers(facts: RuntimeFacts) -> list[float]:
    values: list[float] = []
    pairs = [(facts.rows_before, facts.rows_after), (facts.cols_before, facts.cols_after),
             (facts.nulls_before, facts.nulls_after)]
    for before, after in pairs:
        for v in (before, after):
            if v is not None:
                values.append(float(v))
        if before is not None and after is not None:
            values.append(float(abs(after - before)))
            if before:
                values.append(abs(after - before) / before * 100)
                values.append(after / before * 100)
    for by_column in (facts.column_nulls_before, facts.column_nulls_after):  # "the 1 missing value of `color`"
        for name, missing in (by_column or {}).items():
            values.append(float(missing))
            values.extend(_numbers_in(name))
    removed = set(facts.removed_columns)  # "(648 in removed `temp`)"
    values.append(float(sum(n for c, n in (facts.column_nulls_before or {}).items() if c in removed)))
    values.append(float(len(facts.added_columns)))
    values.append(float(len(facts.removed_columns)))
    values.append(float(len(facts.dtype_changes)))
    for name in facts.added_columns + facts.removed_columns + list(facts.dtype_changes):
        values.extend(_numbers_in(name))
    for change in facts.dtype_changes.values():
        for dtype in change:
            values.extend(_numbers_in(dtype))
    return values


def _time_numbers(iso: str | None) -> list[float]:
    if not iso:
        return []
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return list(_numbers_in(iso))
    return [float(v) for v in (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)]


def _duration_numbers(ms: float) -> list[float]:
    return [ms, ms / 1000, ms / 60000]


def _size_numbers(size: int) -> list[float]:
    return [float(size), size / 1024, size / 1024 / 1024, size / 1024 ** 3, size / 1000, size / 1e6, size / 1e9]


def allowed_numbers(doc: LineageDocument) -> list[float]:
    values: set[float] = set(ALWAYS_ALLOWED)
    execs = doc.executions
    values.update(float(v) for v in (len(execs), len(doc.sessions), len({r.cell_id for r in execs})))
    for info in doc.sessions:
        values.update((float(info.id), float(info.executions)))
        values.update(_time_numbers(info.started_at))
        values.update(_time_numbers(info.ended_at))
    by_session: dict[int, list[ExecutionRecord]] = {}
    runs: dict[tuple[int, str], int] = {}
    for rec in execs:
        by_session.setdefault(rec.session, []).append(rec)
        runs[(rec.session, rec.cell_id)] = runs.get((rec.session, rec.cell_id), 0) + 1
    values.update(float(v) for v in runs.values())
    values.add(float(len(by_session)))
    for session, recs in by_session.items():
        values.add(float(session))
        values.add(float(len(recs)))
        values.add(float(len({r.cell_id for r in recs})))
        values.add(float(sum(1 for r in recs if r.status == "error")))
        values.add(float(sum(1 for r in recs if r.analysis_error)))
        values.add(float(sum(len(r.steps) for r in recs)))
        values.update(_duration_numbers(sum(r.duration_ms for r in recs)))
        ops: dict[str, int] = {}
        for r in recs:
            for s in r.steps:
                ops[s.op] = ops.get(s.op, 0) + 1
        values.update(float(v) for v in ops.values())
        backwards = sum(1 for a, b in zip(recs, recs[1:]) if b.cell_index < a.cell_index)
        values.add(float(backwards))
        values.add(float(sum(1 for v in runs.values() if v > 1)))
    for rec in execs:
        values.update(float(v) for v in (rec.seq, rec.session, rec.cell_index + 1, len(rec.steps),
                                         len(rec.outputs), len(rec.reads), len(rec.writes), len(rec.parents)))
        if rec.execution_count is not None:
            values.add(float(rec.execution_count))
        values.update(_duration_numbers(rec.duration_ms))
        values.update(_time_numbers(rec.started_at))
        values.update(_time_numbers(rec.ended_at))
        values.update(_numbers_in(rec.source))
        if rec.error is not None:
            values.update(_numbers_in(rec.error.name or ""))
            values.update(_numbers_in(rec.error.message or ""))
        if rec.analysis_error:
            values.update(_numbers_in(rec.analysis_error))
        for out in rec.outputs:
            values.add(float(out.size))
            values.update(_numbers_in(out.text or ""))
        facts_list = list(rec.runtime)
        files = list(rec.input_files)
        for step in rec.steps:
            values.add(float(len(step.columns)))
            values.add(float(len(step.inputs)))
            for text in [step.detail or "", step.code or "", step.output or "", *step.columns, *step.inputs]:
                values.update(_numbers_in(text))
            if step.runtime is not None:
                facts_list.append(step.runtime)
            if step.input_file is not None:
                files.append(step.input_file)
        for facts in facts_list:
            values.update(_facts_numbers(facts))
            values.update(_numbers_in(facts.variable or ""))
        for f in files:
            values.update(_numbers_in(f.path))
            if f.size is not None:
                values.update(_size_numbers(f.size))
            if f.mtime is not None:
                values.add(float(f.mtime))
            for digest in (f.sha256, f.changed_since):
                if digest:
                    # a short hash prefix ("sha256 12345678") may be all digits
                    values.update(_numbers_in(digest[:16]))
    values.update(_numbers_in(doc.notebook))
    return sorted(values)


def _matches(stated: float, decimals: int, allowed: list[float]) -> bool:
    # a stated number matches a fact when it is that fact rounded to the stated precision
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    i = bisect.bisect_left(allowed, stated - tolerance)
    return i < len(allowed) and allowed[i] <= stated + tolerance


def _strip_non_claims(markdown: str) -> str:
    text = FENCED.sub(" ", markdown)
    text = HEADING_NUMBER.sub(lambda m: m.group(1), text)
    text = LIST_NUMBER.sub(lambda m: m.group(1) + "- ", text)
    text = CITATION.sub(" ", text)
    text = CELL_MENTION.sub(" ", text)
    text = re.sub(r"\bIn \[(\d+)\]", r"execution \1", text)
    return text


def check(markdown: str, doc: LineageDocument, extra_numbers: Iterable[float] = ()) -> list[str]:
    """Problems found in `markdown` (empty list = every citation and number is backed by the lineage).
    `extra_numbers`: facts the writer was given besides the lineage (an answer's retrieved metric values)."""
    problems: list[str] = []
    known_cells = {rec.cell_index + 1 for rec in doc.executions}
    missing: list[int] = []
    for pattern in (CITATION, CELL_MENTION):
        for match in pattern.finditer(FENCED.sub(" ", markdown)):
            for number in _cell_numbers(match.group(1)):
                if number not in known_cells and number not in missing:
                    missing.append(number)
    for number in missing:
        problems.append(f"cites cell {number}, which has no recorded execution")

    allowed = sorted(set(allowed_numbers(doc)) | {float(v) for v in extra_numbers})
    unbacked: list[str] = []
    for match in NUMBER.finditer(_strip_non_claims(markdown)):
        token = match.group(0)
        raw = token.replace(",", "").replace("\u2212", "-").lstrip("+-")
        try:
            value = float(raw)
        except ValueError:
            continue
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        if decimals == 0 and value in ALWAYS_ALLOWED:
            continue
        is_percent = match.string[match.end(): match.end() + 1] == "%"
        if _matches(value, decimals, allowed):
            continue
        if is_percent and _matches(value / 100, decimals + 2, allowed):
            continue  # "81%" for an accuracy of 0.81
        if token not in unbacked:
            unbacked.append(token)
    for token in unbacked:
        problems.append(f"states the number {token}, which does not appear in the recorded lineage")
    return problems
