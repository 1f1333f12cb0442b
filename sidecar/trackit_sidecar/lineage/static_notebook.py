"""Static lineage of a notebook file, without running it, plus the step-classifier corpus score.

`analyze_notebook(path)` gives the same `LineageDocument` as `trackit lineage --json`, built from
the saved file alone:

- Order: code cells by their saved `execution_count` when every non-empty code cell has one
  (ties keep file order); otherwise top to bottom. Empty code cells are skipped.
- One session (id 1); `seq` from 1 in that order; `cell_index` counts markdown/raw cells too;
  status "ok", or "error" with the saved error when the cell was saved with an error output (then only the
  statements before the failing line have steps: lineage/saved_outputs.py); times are the file's
  modification time (duration 0).
- The value a cell showed, when it was saved with its result (lineage/saved_results.py), is its runtime fact
  (`runtime`, `source` "saved_output"): it decides what static analysis cannot, as a kernel's fact would (a shown
  answer is inspection; `decided_by` "runtime", `runtime_source` "saved_output").
- reads / writes / derivations / steps / analysis_error from `lineage.analysis.analyze_cell` (the one
  owner of analysis, as for live captures), with import aliases and variable bindings carried from cell to
  cell in that order (a cell that is not analysed gets no steps); runtime decisions (from saved results only),
  parents and code names from `lineage.records.complete`.

`notebook_steps(path)` is the steps part alone (no def-use, the same decisions), used by the corpus score.

Corpus format (tests/corpus): `NAME.ipynb` beside `NAME.expected.json`:
  {"cells": {"<cell_index>": [{"op": "load", "output": "df", "inputs": ["a"]}, ...]}, "notes": "..."}
`cell_index` counts all cells (markdown too); a code cell not listed expects no steps.
`score_corpus(dir)` matches predicted and expected ops as multisets per cell and returns per-op
precision / recall; `format_scores` prints the table.
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from .. import protocol
from ..protocol import source_sha256
from .analysis import SourceAnalysis, analysed_in_order
from .magics import strip_magics
from .runtime_decisions import decide_with_runtime
from .saved_cells import NotebookError, PathLike, current_cell_shas, load_notebook, source_text
from .saved_outputs import SavedError, saved_error, steps_that_ran
from .saved_results import shown_value
from .steps import collect_aliases

__all__ = [
    "NotebookError", "CodeCell", "read_code_cells", "current_cell_shas", "analyze_notebook", "notebook_steps",
    "OpScore", "CorpusScore", "score_corpus", "format_scores",
]


@dataclass
class CodeCell:
    index: int  # among all cells
    cell_id: str
    source: str
    execution_count: Optional[int]
    language: str
    error: Optional[SavedError] = None  # the cell was saved with an error output (saved_outputs.py)
    shown: Optional[protocol.RuntimeFacts] = None  # the value it showed, saved as its result (saved_results.py)


def read_code_cells(path: PathLike) -> list[CodeCell]:
    """Code cells of the notebook in analysis order (see module docstring). Raises NotebookError."""
    nb = load_notebook(Path(path))
    language = _notebook_language(nb)
    cells: list[CodeCell] = []
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict):
            raise NotebookError(f"{path}: cell {index} is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = source_text(cell.get("source", ""), path, index)
        if not source.strip():
            continue
        count = cell.get("execution_count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise NotebookError(f"{path}: cell {index} has execution_count {count!r}, not an integer")
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) and cell.get("id") else f"cell-{index}"
        cells.append(CodeCell(index, cell_id, source, count, language, saved_error(cell.get("outputs")),
                              shown_value(cell)))
    if cells and all(c.execution_count is not None for c in cells):
        cells.sort(key=lambda c: (c.execution_count, c.index))
    return cells


def _notebook_language(nb: dict[str, Any]) -> str:
    metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    info = metadata.get("language_info") if isinstance(metadata.get("language_info"), dict) else {}
    kernelspec = metadata.get("kernelspec") if isinstance(metadata.get("kernelspec"), dict) else {}
    language = info.get("name") or kernelspec.get("language") or "python"
    return language if isinstance(language, str) else "python"


def notebook_steps(path: PathLike) -> list[tuple[CodeCell, list[protocol.Step]]]:
    """Each code cell (in analysis order) with its classified steps, aliases carried across cells, as decided with
    what its saved result showed (as `analyze_notebook` decides)."""
    return [(cell, decide_with_runtime(_steps_that_ran(cell, analysis), _saved_facts(cell), cell.source))
            for cell, _, analysis in _analysed_cells(read_code_cells(path))]


def _saved_facts(cell: CodeCell) -> list[protocol.RuntimeFacts]:
    return [cell.shown] if cell.shown is not None else []


def _steps_that_ran(cell: CodeCell, analysis: SourceAnalysis) -> list[protocol.Step]:
    """A cell saved with an error: only the statements before the failing one produced data."""
    return analysis.steps if cell.error is None else steps_that_ran(analysis.steps, cell.source, cell.error)


def _analysed_cells(cells: list[CodeCell]) -> list[tuple[CodeCell, str, SourceAnalysis]]:
    """(cell, sha256, analysis) in order, each analysed once in the context the cells before it built, starting
    from the notebook's imports (see `_notebook_imports`)."""
    shas = [source_sha256(cell.source) for cell in cells]
    analyses = analysed_in_order(((cell.source, cell.language, sha) for cell, sha in zip(cells, shas)),
                                 _notebook_imports(cells))
    return list(zip(cells, shas, analyses))


def _notebook_imports(cells: list[CodeCell]) -> dict[str, str]:
    """The import aliases of every cell. A saved notebook whose import cell has the highest execution count (it
    was re-run last) ran its other cells with those imports from an earlier run: `skl_lm.LinearRegression()`
    means scikit-learn whatever the saved order. Imports bind module names only, so this changes no data step."""
    imports: list[str] = []
    for cell in cells:
        try:
            tree = ast.parse(strip_magics(cell.source))
        except (SyntaxError, ValueError, RecursionError):
            continue
        imports.extend(ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))
    return collect_aliases("\n".join(imports)) if imports else {}


def analyze_notebook(path: PathLike) -> protocol.LineageDocument:
    """Static lineage document of a notebook file. Raises NotebookError for a malformed file."""
    from .records import complete

    notebook = Path(path)
    cells = read_code_cells(notebook)
    try:
        stamp = datetime.fromtimestamp(notebook.stat().st_mtime, tz=timezone.utc).isoformat()
    except OSError:
        stamp = datetime.now(tz=timezone.utc).isoformat()
    executions: list[protocol.ExecutionRecord] = []
    for seq, (cell, sha, analysis) in enumerate(_analysed_cells(cells), start=1):
        error = protocol.ErrorInfo(name=cell.error.name, message=cell.error.message) if cell.error else None
        executions.append(protocol.ExecutionRecord(
            seq=seq, session=1, cell_id=cell.cell_id, cell_index=cell.index,
            execution_count=cell.execution_count, status="error" if error else "ok", started_at=stamp,
            ended_at=stamp, duration_ms=0.0, language=cell.language, source=cell.source,
            source_sha256=sha, reads=analysis.reads, writes=analysis.writes, derivations=analysis.derivations,
            analysis_error=analysis.analysis_error, steps=_steps_that_ran(cell, analysis), error=error,
            runtime=_saved_facts(cell),
        ))
    absolute = notebook.resolve()
    return complete(protocol.LineageDocument(
        notebook=str(absolute),
        notebook_uri=absolute.as_uri(),
        sessions=[protocol.SessionInfo(id=1, started_at=stamp, ended_at=stamp, executions=len(executions))],
        executions=executions,
    ))


# ---------------------------------------------------------------- corpus score
@dataclass
class OpScore:
    op: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> Optional[float]:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else None

    @property
    def recall(self) -> Optional[float]:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else None


@dataclass
class CorpusScore:
    per_op: dict[str, OpScore] = field(default_factory=dict)
    notebooks: int = 0
    cells: int = 0
    # expected steps that named an output / inputs, and how many a same-op prediction matched
    field_checks: int = 0
    field_matches: int = 0
    mismatches: list[str] = field(default_factory=list)  # "notebook cell N: missing X / extra Y"
    per_notebook: dict[str, OpScore] = field(default_factory=dict)  # notebook file name -> its totals

    def total(self) -> OpScore:
        total = OpScore("overall")
        for score in self.per_op.values():
            total.true_positive += score.true_positive
            total.false_positive += score.false_positive
            total.false_negative += score.false_negative
        return total


def _load_expected(path: Path) -> dict[int, list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NotebookError(f"{path}: cannot read expectations: {exc}") from exc
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, dict):
        raise NotebookError(f"{path}: expectations need a 'cells' object keyed by cell index")
    expected: dict[int, list[dict[str, Any]]] = {}
    for key, steps in cells.items():
        if not isinstance(steps, list) or not all(isinstance(s, dict) and s.get("op") in protocol.STEP_OPS
                                                 for s in steps):
            raise NotebookError(f"{path}: cell {key}: each expected step needs an 'op' from protocol.STEP_OPS")
        expected[int(key)] = steps
    return expected


def score_corpus(corpus_dir: PathLike) -> CorpusScore:
    """Per-op precision / recall of classify_steps over every NAME.ipynb + NAME.expected.json pair."""
    score = CorpusScore()
    directory = Path(corpus_dir)
    for notebook in sorted(directory.glob("*.ipynb")):
        expectation_file = notebook.with_name(notebook.stem + ".expected.json")
        if not expectation_file.exists():
            raise NotebookError(f"{notebook}: no {expectation_file.name} beside it")
        expected_by_cell = _load_expected(expectation_file)
        score.notebooks += 1
        predicted_by_cell = {cell.index: steps for cell, steps in notebook_steps(notebook)}
        unknown = set(expected_by_cell) - set(predicted_by_cell)
        if unknown:
            raise NotebookError(f"{expectation_file}: cells {sorted(unknown)} are not non-empty code cells")
        before = score.total()
        for index, predicted in predicted_by_cell.items():
            score.cells += 1
            expected = expected_by_cell.get(index, [])
            _score_cell(score, f"{notebook.name} cell {index}", expected, predicted)
        after = score.total()
        score.per_notebook[notebook.name] = OpScore(
            notebook.name, after.true_positive - before.true_positive, after.false_positive - before.false_positive,
            after.false_negative - before.false_negative)
    return score


def _score_cell(score: CorpusScore, where: str, expected: list[dict[str, Any]],
                predicted: list[protocol.Step]) -> None:
    want = Counter(step["op"] for step in expected)
    got = Counter(step.op for step in predicted)
    for op in set(want) | set(got):
        entry = score.per_op.setdefault(op, OpScore(op))
        hit = min(want[op], got[op])
        entry.true_positive += hit
        entry.false_negative += want[op] - hit
        entry.false_positive += got[op] - hit
    missing = want - got
    extra = got - want
    if missing or extra:
        score.mismatches.append(
            f"{where}: missing {sorted(missing.elements())} extra {sorted(extra.elements())}")
    # outputs / inputs named in the expectation must match some prediction of the same op
    used: set[int] = set()
    for step in expected:
        if "output" not in step and "inputs" not in step:
            continue
        score.field_checks += 1
        for position, candidate in enumerate(predicted):
            if position in used or candidate.op != step["op"]:
                continue
            if "output" in step and candidate.output != step["output"]:
                continue
            if "inputs" in step and sorted(candidate.inputs) != sorted(step["inputs"]):
                continue
            used.add(position)
            score.field_matches += 1
            break
        else:
            score.mismatches.append(f"{where}: no {step['op']} step with "
                                    f"{ {k: v for k, v in step.items() if k != 'op'} }")


def format_scores(score: CorpusScore) -> str:
    def pct(value: Optional[float]) -> str:
        return "   -  " if value is None else f"{value * 100:5.1f}%"

    lines = [f"step classification over {score.notebooks} notebooks, {score.cells} code cells",
             f"{'op':<20} {'expected':>8} {'predicted':>9} {'precision':>9} {'recall':>8}"]
    for op in protocol.STEP_OPS:
        entry = score.per_op.get(op)
        if entry is None:
            continue
        lines.append(f"{op:<20} {entry.true_positive + entry.false_negative:>8} "
                     f"{entry.true_positive + entry.false_positive:>9} {pct(entry.precision):>9} "
                     f"{pct(entry.recall):>8}")
    total = score.total()
    lines.append(f"{'OVERALL':<20} {total.true_positive + total.false_negative:>8} "
                 f"{total.true_positive + total.false_positive:>9} {pct(total.precision):>9} "
                 f"{pct(total.recall):>8}")
    if score.field_checks:
        lines.append(f"output/inputs named in expectations matched: {score.field_matches}/{score.field_checks}")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m trackit_sidecar.lineage.static_notebook tests/corpus
    import sys

    result = score_corpus(sys.argv[1] if len(sys.argv) > 1 else "tests/corpus")
    print(format_scores(result))
    for line in result.mismatches:
        print("  " + line)
