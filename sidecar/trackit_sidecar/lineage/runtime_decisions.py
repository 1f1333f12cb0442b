"""Runtime facts decide what static analysis cannot. Pure: steps and facts in, steps out.

Static analysis decides every op it can know from the code; the same code then gives the same op with and
without a kernel. Three things only the kernel can tell:

- What a cell's last bare expression showed (`Step.displays_result`). Static analysis already drops what the
  code shows to be an answer (`df[df.x == "a"].y.sum()`, `df[mask].shape[0]`, `df.shape`, a bare
  `groupby`: classify/display.py); what it keeps (a shown join, concat, reshape or aggregate) may still turn
  out to be a scalar or a small answer (`summarize(pd.concat([a, b]))`): then the statement was inspection and
  its data steps are dropped (a load, fit, prediction, split or metric stays: kb ANSWER_KEEPS_OPS, and so do the
  steps it is computed from: `mean_squared_error(y, ridge.predict(scale(X)))` shows the metric's answer); a group
  with nothing applied, or a plot (kb PLOT_KINDS), is no step either. A new table (DataFrame, Series, array) is the
  analysis' result: its steps stay. Other values say nothing. `trackit analyze` reads the same fact from the value
  a notebook file saved as the cell's result (lineage/saved_results.py; `source` "saved_output").
- Whether the cell showed anything at all: a run that failed or was interrupted stopped before its last
  expression was displayed, so a table that expression would have shown was never made (as a notebook saved with
  an error output says statically: lineage/saved_outputs.py, CONVENTIONS 5); its steps are dropped.
- Whether a row-removing step (a filter, dropna, drop_duplicates, an outlier cut: kb ROW_REMOVING_OPS) removed
  any row (and no column: `dropna(axis=1)` removes columns). The step's facts are measured against the rows it started from (lineage/measured.py): for a new name
  (`adults = df[m]`) its source's, for a name that filters itself (`df = df[m]`, `df.dropna(inplace=True)`) the
  variable's last value before this run, which on a re-run of the cell is the earlier run's result. The same
  number of rows after means nothing was removed in this run: the op is `other`, `static_op` keeps what static
  analysis said and `rerun_of` names the earlier run of this cell the rows came from, when there was one (so
  the audit trail says "kept every row: a re-run", not "filtered"). It is read only where the measured rows are
  rows of what the statement filters: the statement binds the whole variable (not `df["x"] = ...`, not a tuple)
  from a chain that starts at the measured source (`df[...]`, `df.query(...)`, `df.loc[...]`; not
  `mult_test(p)[:2]`), the source is a table or array, the step does not cap or replace values (kb ROW_KEEPING_OUTLIER_METHODS), and the
  cell did nothing else to the variable that could change its rows (kb ROW_COUNT_KEEPING_OPS / _METHODS; every
  statement of the cell that binds the variable is one of its steps: cell_bindings), and, for a new name, the
  cell does not bind its source too (the probe measures a new name against its source after the cell).
- Whether a fill (kb FILLING_OPS) filled any missing value: as many missing values after as before (and the same
  shape) means it filled none, read under the same conditions, with every statement of the cell that binds the
  variable a fill. Under pandas >= 3 a chained `df["a"].fillna(0, inplace=True)` fills a temporary copy and leaves
  `df` as it was: static analysis, which does not know the pandas version, says impute_missing; the kernel says
  it changed nothing. A column written from its own fill (`df["b"] = df["b"].fillna(5)`) is read too; one written
  from another column's fill (`df["b"] = df["c"].fillna(5)`) is not (the counts of two columns can balance).
  With missing values counted by column (RuntimeFacts.column_nulls_before/after) the fill is read by its own
  columns instead (lineage/fill_columns.py): the columns it was to fill kept their counts → it filled none, even
  when the cell also dropped or wrote other columns (a cell that drops a column of gaps and fills the rest in a loop);
  some columns filled and some not → it stays a fill and `gaps_left` names those it left.

- Whether an in-place call changed the table it is written on: under pandas >= 3 a chained one
  (`df.col.replace(..., inplace=True)`) changes a copy, and the kernel warns so on stderr (lineage/copy_writes.py);
  the step is then `other`, `written_to_a_copy`.

Every step gets `decided_by`: "runtime" where a fact above decided it, "static" otherwise (also when no
kernel was attached), and a runtime decision its `runtime_source`: "kernel", or "saved_output" when the deciding fact
was read from a notebook file. Knowledge of kinds and ops lives in kb/runtime.py.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Mapping, Optional, Sequence

from ..protocol import RuntimeFacts, Step
from .cell_bindings import binding_lines
from .classify.values import chain_root
from .fill_columns import FillOutcome, fill_outcomes
from .kb import ROW_KEEPING_OUTLIER_METHODS
from .kb import runtime as kb_runtime


def decide_with_runtime(steps: Sequence[Step], facts: Sequence[RuntimeFacts], source: str, stopped: bool = False,
                        reruns: Mapping[str, int] = {}, copied_lines: frozenset[int] = frozenset()) -> list[Step]:
    """The execution's steps after the runtime facts had their say (modified in place, dropped ones left out).

    `facts`: the execution's runtime facts, with step facts already attached and settled (graph.attach_runtime,
    measured.settle); `source`: the cell's code the steps came from (their `line`s count in it); `stopped`: the run failed or was interrupted after it started; `reruns`: variable -> seq
    of an earlier run of this same cell (same source, same session) that was the last to write the variable
    before this run; `copied_lines`: lines of the cell whose in-place call the kernel warned changed a copy
    (lineage/copy_writes.py).
    """
    shown = next((f for f in facts if f.displayed), None)
    verdict = displayed_verdict(shown)
    if verdict == "inspection" and any(s.displays_result and s.op in kb_runtime.ANSWER_KEEPS_OPS for s in steps):
        # `mean_squared_error(y, ridge.predict(scale(X)))` shows the metric's answer: the steps it is computed from
        # feed a step that counts (CONVENTIONS 7), so the shown value says nothing about them
        verdict = None
    shown_source = (shown.source if shown is not None else None) or "kernel"
    kept, fills = _changed_nothing(steps, source)
    decided: list[Step] = []
    for step in steps:
        step.decided_by, step.runtime_source = "static", None
        outcome = fills.get(id(step))
        if outcome is not None:
            step.gaps_left = dict(outcome.gaps_left)
        if step.displays_result and step.output is None and stopped and step.op not in kb_runtime.FAILED_STILL_COUNTS_OPS:
            continue  # (long_df.pivot(...)) raised: nothing was shown, no table made
        if step.displays_result and verdict is not None and step.op not in kb_runtime.ANSWER_KEEPS_OPS:
            if verdict == "inspection":
                continue
            step.decided_by, step.runtime_source = "runtime", shown_source
        if any(step is s for s in kept) or (outcome is not None and not outcome.filled):
            step.static_op, step.op, step.decided_by, step.runtime_source = step.op, "other", "runtime", "kernel"
            step.rerun_of = reruns.get(step.output or "")
        elif step.line in copied_lines and step.op != "other" and "inplace" in (step.code or ""):
            step.static_op, step.op, step.decided_by, step.runtime_source = step.op, "other", "runtime", "kernel"
            step.written_to_a_copy = True
        decided.append(step)
    return decided


def displayed_verdict(shown: Optional[RuntimeFacts]) -> Optional[str]:
    """"inspection" (an answer, a plot, or a group with nothing applied), "table" (a new table), None (says nothing)."""
    if shown is None or not shown.kind:
        return None
    if shown.scalar or shown.kind in kb_runtime.ANSWER_KINDS or shown.kind in kb_runtime.PLOT_KINDS \
            or shown.kind.endswith(kb_runtime.UNAPPLIED_KIND_SUFFIXES):
        return "inspection"
    if shown.kind in kb_runtime.TABLE_KINDS:
        return "table"
    return None


def _changed_nothing(steps: Sequence[Step], source: str) -> tuple[list[Step], dict[int, FillOutcome]]:
    """(the row-removing steps that removed no row and the fills that filled no value by the variable's total count,
    what the fills counted by column did: id(step) -> fill_columns.FillOutcome) (see the module docstring).
    Which lines of `source` bind each name (cell_bindings) is read only for a variable whose facts say a table kept
    its rows (or its missing values): parsing every run's cell was most of completing a run without such facts (a cell
    annotation's first touch: 40 runs); a cell that does not parse decides nothing."""
    kept: list[Step] = []
    by_column: dict[int, FillOutcome] = {}
    bound: Optional[Mapping[str, set[int]]] = None
    for variable in {s.output for s in steps if s.output}:
        writers = [s for s in steps if s.output == variable]
        fact = writers[-1].runtime  # graph.attach_runtime: the variable's facts go to its last writer
        if fact is None or fact.variable != variable or fact.kind not in kb_runtime.TABLE_KINDS:
            continue
        if fact.rows_before is None or fact.rows_before != fact.rows_after:
            continue
        counted_by_column = (fact.column_nulls_before is not None and fact.column_nulls_after is not None
                             and any(s.op in kb_runtime.FILLING_OPS for s in writers))
        same_columns = fact.cols_before == fact.cols_after  # `df.dropna(axis=1, how="all")` removed columns, not rows
        filled_none = (same_columns and not counted_by_column
                       and fact.nulls_before is not None and fact.nulls_before == fact.nulls_after
                       and not fact.sampled  # counted on a sample: equal counts do not say nothing was filled
                       and all(s.op in kb_runtime.FILLING_OPS for s in writers))
        kept_rows = same_columns and not filled_none and all(_keeps_or_removes_rows(s) for s in writers)
        if not (counted_by_column or filled_none or kept_rows):
            continue
        if bound is None:
            bound = binding_lines(source)
            if bound is None:
                return [], {}  # the cell does not parse
        if not bound.get(variable, set()) <= {s.line for s in writers}:
            continue  # `e = e.dropna()\ne = pad(e)`: a statement with no step changed the variable too
        counted = fact.before_variable or variable  # whose rows rows_before counts
        if counted != variable and counted in bound:
            continue  # `sub = big[m]\nbig = big.iloc[:5]`: rows_before is `big` after the cell, not what `sub` read
        statements = {id(s): _one_statement(s) for s in writers}
        fills = [s for s in writers if s.op in kb_runtime.FILLING_OPS and counted in s.inputs
                 and _fills_from(statements[id(s)]) == counted]
        if counted_by_column:
            others = [s for s in writers if not any(s is f for f in fills)]
            by_column.update(fill_outcomes([(s, statements[id(s)]) for s in fills], others, fact))
        if filled_none:
            kept += fills
        if kept_rows:
            kept += [s for s in writers if s.op in kb_runtime.ROW_REMOVING_OPS and counted in s.inputs
                     and s.method not in ROW_KEEPING_OUTLIER_METHODS
                     and _whole_binding_source(statements[id(s)]) == counted]
    return kept, by_column


def _keeps_or_removes_rows(step: Step) -> bool:
    """Can the step only remove rows or keep their count (no join, concat, aggregate or load)?"""
    return step.op in kb_runtime.ROW_REMOVING_OPS or step.op in kb_runtime.ROW_COUNT_KEEPING_OPS or (
        step.op == "other" and step.method in kb_runtime.ROW_COUNT_KEEPING_METHODS)


def _one_statement(step: Step) -> Optional[ast.stmt]:
    """The step's statement, when its code is one statement that parses."""
    return _statement_of(step.code or "")


@lru_cache(maxsize=1024)  # a re-run's steps have the same code: one parse per text, not one per run
def _statement_of(code: str) -> Optional[ast.stmt]:
    """Shared between callers (cached): read, never changed."""
    try:
        body = ast.parse(code.strip()).body
    except SyntaxError:
        return None
    return body[0] if len(body) == 1 else None


def _whole_binding_source(node: Optional[ast.stmt]) -> Optional[str]:
    """The variable a step's statement works on (whose rows it keeps or drops, whose gaps it fills), when the
    statement binds the whole of its output: `df` of `adults = df[df.age > 0]`, `df = df.query(...)`,
    `df.dropna(inplace=True)`; None for `reject, bonf = mult_test(p)[:2]` (a tuple), `df["x"] = ...` (a column), or
    code that does not parse (`node` None: _one_statement)."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return chain_root(node.value)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return chain_root(node.value)  # df.dropna(inplace=True): attach_runtime gave it the facts of `df`
    return None


def _fills_from(node: Optional[ast.stmt]) -> Optional[str]:
    """The variable a fill's statement fills, when what it writes is the whole variable or the very column it
    filled: `df` of `df = df.fillna(0)`, `df2 = df.fillna(0)`, `df.fillna(0, inplace=True)`,
    `df["a"].fillna(0, inplace=True)`, `df["b"] = df["b"].fillna(5)`; None for `df["b"] = df["c"].fillna(5)`."""
    whole = _whole_binding_source(node)
    if whole is not None:
        return whole
    if not isinstance(node, ast.Assign) or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Subscript):
        return None
    target, value = node.targets[0], node.value
    filled = value.func.value if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) else None
    if filled is None or ast.unparse(filled) != ast.unparse(target):
        return None
    return chain_root(target)
