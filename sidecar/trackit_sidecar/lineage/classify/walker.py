"""The statement walker: one cell's statements in order, each kind handed to the mixin of its job (imports,
returns, deletions and control flow are walked here); bindings that later cells need go into `env`."""

from __future__ import annotations

import ast
import logging

from ... import protocol
from .. import kb
from ..magics import TIMEIT_FUNCTION
from .absorbed_parameters import AbsorbedParameterRules
from .assignments import AssignmentRules
from .bindings import BindingRules
from .loop_bindings import LoopBindingRules, row_labels_of
from .column_assignment import ColumnAssignmentRules
from .counted_hits import CountedHitRules
from .definitions import DefinitionRules
from .env_markers import STAR_IMPORTED
from .expression_statements import ExpressionStatementRules
from .file_names import works_on_names
from .readers import handle_source
from .results import PREDICTED
from .row_parts import returns_positional_parts
from .split_parts import SplitPartRules
from .step_emitter import StepEmitter
from .values import Op, called_name

log = logging.getLogger(__name__)


class StatementWalker(AssignmentRules, SplitPartRules, AbsorbedParameterRules, ColumnAssignmentRules,
                      ExpressionStatementRules, DefinitionRules, BindingRules, LoopBindingRules, CountedHitRules,
                      StepEmitter):
    """Mixin of `Cell`: statements and bindings. `self.env`, `self.lines`, `self.steps` are the cell's."""

    env: dict[str, str]
    lines: list[str]
    steps: list[protocol.Step]

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            try:
                self.statement(stmt)
                self.remember_missing_tests(stmt)
            except Exception as error:  # RecursionError included: one odd statement must not lose the others' steps
                # said, not hidden: a statement skipped here loses its steps, and a rule that raises loses them for
                # every cell like it (none of the 127 blind-corpus notebooks reaches this line)
                log.warning("the step classifier skipped the statement at line %s of a cell (%s: %s); the other "
                            "statements keep their steps", getattr(stmt, "lineno", "?"), type(error).__name__,
                            str(error).splitlines()[0][:200] if str(error) else "")
                continue

    def _packaged_table(self, name: str, stmt: ast.ImportFrom) -> None:
        """`from siuba.data import mtcars`: a table the library ships, read by importing it, a packaged data set
        (what-is-a-step.md: "a packaged or downloaded data set ... is a `load`"), bound as `mtcars = mtcars()` would
        be after the import (kb.packaged_data.PACKAGED_TABLE_MODULES)."""
        read = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=[], keywords=[])
        target = ast.Name(id=name, ctx=ast.Store())
        for node in (read, read.func, target):
            ast.copy_location(node, stmt)
        self.assign(target, read, stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.env[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.env[top] = top
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.module and not stmt.level:
                for alias in stmt.names:
                    if alias.name != "*":
                        self.env[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
                        if stmt.module in kb.packaged_data.PACKAGED_TABLE_MODULES:
                            self._packaged_table(alias.asname or alias.name, stmt)
                    elif stmt.module.split(".", 1)[0] not in kb.LIBRARIES:
                        self.env[STAR_IMPORTED] = "1"  # from utils import *: a course's or project's own helpers
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Lambda):
            self.named_lambda(stmt.targets[0].id, stmt.value)
        elif isinstance(stmt, ast.Assign):
            start = len(self.steps)
            self.assign(stmt.targets[0], stmt.value, stmt)
            self.collect_by_position(stmt.targets[0], stmt.value)
            for extra in stmt.targets[1:]:
                self._bind(extra, None, stmt.value)
            if any(step.op == "impute_missing" for step in self.steps[start:]):
                self._absorb_fill_values(stmt.value)
            # (the function was decided to make data where its call was read: `data_makers`)
            made = next((step.method for step in self.steps[start:] if step.op == "load"
                         and step.inferred_from == "helper_name" and step.method in self.data_makers), None)
            if made:
                self._absorb_maker_parameters(stmt.value, made)  # df = make_daily_data(coef=coef): coef is a parameter
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value, stmt)
        elif isinstance(stmt, ast.AugAssign):
            self.augmented_assign(stmt)
        elif isinstance(stmt, ast.Expr):
            start = len(self.steps)
            self.bare(stmt.value, stmt)
            self.collect_results(stmt.value)
            self.note_duplicates_looked_at(stmt.value)
            self.extend_component_list(stmt.value)
            self.bind_fitted_in_place(stmt.value, [step.op for step in self.steps[start:]])
            self.bind_text_tokenizer(stmt.value)
            if any(step.op == "impute_missing" for step in self.steps[start:]):
                self._absorb_fill_values(stmt.value)  # df[c].fillna(value=number, inplace=True)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            returned = self.expr(stmt.value)
            # return len(d[d.a > 1]): a number returned is an answer, as one assigned is (CONVENTIONS 9);
            # return pd.DataFrame(matrix, columns=names), return X.values: a conversion not assigned to a new name
            # is no step (CONVENTIONS 11-12)
            ops = [op for op in returned.ops if not op.conversion]
            ops = self.kept_anywhere(ops) if returned.answer else ops
            if ops and all(op.op in kb.NAME_TEXT_OPS for op in ops) and works_on_names(stmt.value, self.resolve_name):
                ops = []  # return [n.replace("num__", "") for n in names]: feature names, labels (file_names.py)
            # return np.sqrt(np.mean((y_true - y_pred) ** 2)): a metric computed by hand and returned (CONVENTIONS 27),
            # from parameters named for predictions or from a prediction the body made (p = model.predict(X))
            if self.predicted_parameters or PREDICTED in self.roles_in(stmt.value):
                ops = self._with_result_op(ops, stmt.value, returned)
            if returns_positional_parts(stmt.value):
                # def split_data(d, frac): n = ...; return d[:n], d[n:]: a hand-written split returning the train and
                # test rows (what-is-a-step.md: "a hand-written split function that returns train and test sets:
                # split"), one per part (CONVENTIONS 16)
                ops = [Op("split", op.inputs, op.columns, None, facts=dict(op.facts)) if op.op == "filter_rows" else op
                       for op in ops]
            self.emit(ops, stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Subscript):
                    base = self._target_base(target)
                    cols = self._slice_columns(target.slice)
                    if base:
                        self.emit([Op("drop_columns", [base], cols)], stmt, output=base)
                elif isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(stmt, ast.For):
            # for a, b in kf.split(X) is a split; `for a in np.arange(1, 20)` and `for k, g in df.groupby("k")`
            # only loop
            walked = _without_progress_bar(stmt.iter)
            iterated = self.expr(walked)
            ops = self._without_unapplied_group(iterated.ops, iterated)
            ops = [op for op in ops if not (op.facts.get("generated") or op.conversion)]
            if ops and ops[-1].op == "select_columns" and ops[-1].output is None \
                    and (iterated.kind or "").startswith("pandas."):
                # for c in X.select_dtypes(["object"]): a table iterated over yields its column labels, a loop over
                # names (CONVENTIONS 15: column-name lists, also when computed, are no step), no columns kept
                ops = ops[:-1]
            if row_labels_of(walked) is not None or _part_of_labels(walked):
                # for ind in df[df.Age.isnull()].index: the labels of the rows the body then treats one by one, no
                # rows kept as data of their own (what-is-a-step.md: "a loop that prints groups" is inspection; the
                # body's statements are the steps)
                ops = [op for op in ops if op.op not in ("filter_rows", "select_columns", "drop_missing", "sort")]
            if ops and ((ops[-1].op == "filter_rows" and ops[-1].facts.get("method") in POSITIONAL_CUTS)
                        or (ops[-1].op == "reshape" and ops[-1].facts.get("method") == "reshape")):
                # for img_name in sample_images[:7]: show it; for i, row in df.head(5).iterrows(): the first items
                # walked one at a time, as a loop that prints groups walks them (what-is-a-step.md, Inspection); for
                # idxs in IDXS.reshape(-1, batch_size): the rows walked a batch at a time; no rows are kept as data
                # of their own, the body's statements are the steps
                ops = ops[:-1]
            start = len(self.steps)
            self._bind_loop_var(stmt.target, walked)
            self.refit_parameters(stmt)
            self.block(stmt.body)
            self.block(stmt.orelse)
            if any(step.op == "split" for step in self.steps[start:]):
                # for tr, va in kf.split(X): X_tr = X.iloc[tr] ...: the parts are the splits (one per output)
                ops = [op for op in ops if op.op != "split"]
            body = self.fitted_by_updates(stmt, self.steps[start:])
            del self.steps[start:]
            self.emit(ops, stmt, code_node=stmt.iter)
            self.steps.extend(body)
        elif isinstance(stmt, ast.While):
            start = len(self.steps)
            self.refit_parameters(stmt)
            self.block(stmt.body)
            self.block(stmt.orelse)
            self.steps[start:] = self.fitted_by_updates(stmt, self.steps[start:])
        elif isinstance(stmt, ast.If):
            self.block(stmt.body)
            self.block(stmt.orelse)
            self.emit(self.counted_hits(stmt), stmt, code_node=stmt.test)  # if p == y: correct += 1
        elif isinstance(stmt, ast.With):
            for item in stmt.items:
                if isinstance(item.optional_vars, ast.Name):
                    # with open(path) as f: / with engine.connect() as con: `f` is a handle data is read from
                    handle = self.expr(item.context_expr)
                    if handle_source(handle.kind) is not None:
                        self.env[item.optional_vars.id] = handle.kind or ""
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try):
            self.block(stmt.body)
            for handler in stmt.handlers:
                self.block(handler.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, ast.ClassDef):
            self.class_def(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # magics.py wraps %timeit statements in a function whose assignments never reach the namespace; what
            # its statements change in place does (`%timeit model.fit(X, y)` fits model)
            if stmt.name != TIMEIT_FUNCTION:
                self.function_def(stmt)
            else:
                for inner in stmt.body:
                    if isinstance(inner, ast.Expr):
                        self.emit([op for op in self.expr(inner.value).ops if op.output is not None], inner)


def _without_progress_bar(iterable: ast.AST) -> ast.AST:
    """`tqdm(df.groupby(k), total=n)` -> `df.groupby(k)`: what a progress bar wraps (kb.display.PROGRESS_WRAPPERS)."""
    func = iterable.func if isinstance(iterable, ast.Call) else None
    name = called_name(func)
    if name in kb.display.PROGRESS_WRAPPERS and iterable.args:  # type: ignore[union-attr]
        return iterable.args[0]  # type: ignore[union-attr]
    return iterable


# How a loop's iterable is cut to its first or last items by position (the `method` of its filter_rows)
POSITIONAL_CUTS = frozenset({"slice", "head", "tail"})


def _part_of_labels(iterable: ast.AST) -> bool:
    """`df.columns[1:]`, `df.isnull().sum().index[:-1]`: part of a frame's labels, walked one label at a time."""
    return isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice) \
        and isinstance(iterable.value, ast.Attribute) and iterable.value.attr in ("columns", "index")
