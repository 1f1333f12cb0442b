"""Facts of a statement the wording needs that its ops do not carry, read from the statement's AST and set on its
steps as they are made (step_emitter), so render/ reads `Step` fields and never the code text: the stored code is cut
at 300 characters and may quote `=`, `.name =` or `.predict(` inside a string or comment.

- `reads_output`: a step that read no input whose statement's value names the variable it assigns
  (`is_snowing = is_snowing.astype(float)`): it worked on that variable ("converted `is_snowing`").
- `assigned_columns`: the columns a derive_feature step makes as `.assign(name=...)` keywords, or as the key of a
  whole-column assignment whose value does not name it (`test["pred"] = pred`): made, never read.
- `model`: a prediction no op named the model of (`test.assign(pred=reg.predict(test[features]))`): the variable
  whose prediction method the statement calls.
- `assigned_columns` of a prediction: the columns it is written into (`df["y_hat"] = np.polyval(fit, df.x)`,
  `.assign(pred=...)`), beside those it read (`x`).
- `names_axis` / `named_as`: a rename of no column that names an axis (`df.index.name = "k"`, `rename_axis`) or the
  data itself (`series.name = "Snowiness"`).
- `shown_expression`: an evaluation that read no input, written as a display call (`print(TP / (TP + FN))`): the
  figure it shows, `TP / (TP + FN)`.
- `thresholded`: a prediction made by a threshold (method "threshold"): the inputs it compares, its scores, not the
  other data the statement reads (`y` beside `y_prob` in a table of both).
- `in_place_on_pick`: a fill called in place on a column picked by a subscript (`df["a"].fillna(0, inplace=True)`),
  which under pandas 3 fills a copy.
- `quoted`: the short strings the statement writes (`df[["age", "income"]]`), the columns it names where no op
  recorded them: `ask` (which steps use a column) and a diff's cause (did the split name the feature that changed?).
- `majority_baseline`: an evaluation that only computes the accuracy of always predicting the test target's most
  frequent class (`max(y_test.mean(), 1 - y_test.mean())`, majority_baseline.null_accuracy): a baseline, not an experiment.
- `random_draw`, `matrix_product`, `row_wise`: what the statement is where its op alone is worded wrongly (random data,
  a new array, one figure per row: lineage/statement_forms.py).
- `packaged_data_set`, `packaged_by`: a load of a library's data set (`load_iris()`: "iris", "scikit-learn";
  lineage/packaged_data.py), which a callee's import names: resolved by the cell's imports as the step is made, by
  the conventional aliases alone at read-back (`sns.load_dataset("tips")`; a bare `load_iris()` then says less).
- `formula_fit`: a fit written as one formula call (`smf.ols('y ~ x', data=df)`): its function, formula and table
  (lineage/formula_fits.py).
- `loops`: the loops the statement runs in (lineage/loops.py), set by `add_loops` over the whole cell's source: a step
  is made from its statement alone.
"""

from __future__ import annotations

import ast
from typing import Callable, Iterator, Optional

from ... import protocol
from ..ast_names import dotted
from ..formula_fits import formula_fit, quoted_formulas
from ..kb.display import DISPLAY_FUNCTIONS
from ..kb.packaged_data import NAMED_KINDS
from ..kb.python import CONVENTIONAL_ALIASES
from ..kb.runtime import FILLING_OPS
from ..kb.sklearn import METHODS as SKLEARN_METHODS
from ..loops import loops_by_line
from ..packaged_data import loaded_by_statement
from ..statement_forms import set_statement_forms, statement_value
from .majority_baseline import null_accuracy
from .values import is_true, kwarg, str_const

SKLEARN_PREDICTION_METHODS = frozenset(name for name, op in SKLEARN_METHODS.items() if op == "predict")
AXES = ("index", "columns")  # the labelled axes of a frame: `df.index.name`, `df.columns.names`


def add_wording_facts(steps: list[protocol.Step], node: ast.AST, segment: Callable[[ast.AST], str],
                      qualify: Optional[Callable[[ast.AST], Optional[str]]] = None) -> None:
    """Set the fields above on the steps `node` (the statement, or the part of it their code quotes) made; `segment`
    gives a node's source text, `qualify` a callee's dotted path with its imports resolved (default: the
    conventional aliases only)."""
    quoted = _quoted(node) if steps else []
    for step in steps:
        if step.output and not step.inputs:
            step.reads_output = _names(_value_of(node), step.output)
        if step.op == "derive_feature":
            made = _assign_keywords(node) | _column_assigned(node)
            step.assigned_columns = [c for c in step.columns if c in made]
        if step.op == "predict" and step.model is None:
            step.model = _predicting_model(node)
        if step.op == "predict":  # df["y_hat"] = np.polyval(fit, df.x), test.assign(pred=...): the column it fills
            made = _assign_keywords(node) | _subscript_columns(node)
            step.assigned_columns = [c for c in step.columns if c in made]
        if step.op == "predict" and step.method == "threshold":
            compared = _compared_names(node)
            step.thresholded = [name for name in step.inputs if name in compared]
        if step.op == "rename" and not step.columns:
            step.names_axis = _named_axis(node)
            step.named_as = _named_as(node) if step.names_axis is None else None
        if step.op == "evaluate" and not step.inputs:
            shown = _shown(node)
            step.shown_expression = segment(shown) if shown is not None else None
        if step.op in FILLING_OPS:
            step.in_place_on_pick = _in_place_on_pick(node)
        if step.op == "evaluate":
            step.majority_baseline = _only_a_majority_baseline(node, step.inputs)
        set_statement_forms(step, statement_value(node))
        set_packaged_data(step, node, qualify or _conventional_path)
        step.quoted = list(quoted)
        if step.op == "fit_model":
            step.formula_fit = formula_fit(node, step.quoted)


def add_loops(steps: list[protocol.Step], source: str) -> None:
    """Set `loops` on the steps of the cell whose source is `source` (its lines are what `Step.line` counts)."""
    by_line = loops_by_line(source)
    for step in steps:
        found = by_line.get(step.line) if step.line else None
        if found:
            step.loops = list(found)


def set_packaged_data(step: protocol.Step, node: ast.AST, qualify: Callable[[ast.AST], Optional[str]]) -> None:
    """`packaged_data_set` / `packaged_by` of a load whose call is a library's loader of a named data set."""
    if step.op != "load" or not step.method:
        return
    found = loaded_by_statement(node, step.method, qualify)
    if found is not None and found.kind in NAMED_KINDS and found.name:
        step.packaged_data_set, step.packaged_by = found.name, found.library


def _conventional_path(func: ast.AST) -> Optional[str]:
    """`sns.load_dataset` -> "seaborn.load_dataset": a dotted callee with a conventional alias (kb.python) resolved,
    else as written."""
    path = dotted(func)
    if path is None:
        return None
    root, dot, rest = path.partition(".")
    return CONVENTIONAL_ALIASES.get(root, root) + dot + rest


# Analyses stored by an older analyzer carry none of these fields (29 and before), or not `quoted` and
# `majority_baseline` (30, 31): a pinned run keeps its analysis, so its steps get them from their own stored code when
# they are read back.
FIRST_ANALYZER_VERSION = 32
STATEMENT_FORMS_VERSION = 40  # the first to set random_draw, matrix_product and row_wise
PACKAGED_DATA_VERSION = 42  # the first to set packaged_data_set and packaged_by
ALL_FIELDS_VERSION = 43  # the first to set loops and formula_fit: stored steps of this one or later carry every field
MAX_QUOTED, MAX_QUOTED_CHARS = 32, 64  # a column name is short; a statement quoting more is data written in code


def add_to_stored_steps(steps: list[protocol.Step], analyzer_version: int, source: str) -> None:
    """Set the fields an analyzer of `analyzer_version` did not set on its stored steps of the cell whose source is
    `source`, each read from the step's own stored code as the classifier reads its statement: every field before
    FIRST_ANALYZER_VERSION, the statement forms before STATEMENT_FORMS_VERSION, the packaged data set (of a load)
    before PACKAGED_DATA_VERSION, the formula fit before ALL_FIELDS_VERSION; the loops, read from `source`, before
    ALL_FIELDS_VERSION. A step whose code does not parse as one statement (cut at 300 characters) gets no field of its
    code: the wording then says less, never something its code does not back."""
    if analyzer_version >= ALL_FIELDS_VERSION:
        return
    for step in steps:
        if analyzer_version >= STATEMENT_FORMS_VERSION and not _code_has_more(step, analyzer_version):
            continue  # its code has nothing more to give: no parse
        code = step.code or ""
        try:
            body = ast.parse(code).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        if len(body) != 1:
            continue
        if analyzer_version < FIRST_ANALYZER_VERSION:
            add_wording_facts([step], body[0], lambda node, code=code: ast.get_source_segment(code, node) or "")
            continue
        if analyzer_version < STATEMENT_FORMS_VERSION:
            set_statement_forms(step, statement_value(body[0]))
        if analyzer_version < PACKAGED_DATA_VERSION:
            set_packaged_data(step, body[0], _conventional_path)
        if step.op == "fit_model":
            step.formula_fit = formula_fit(body[0], step.quoted)
    add_loops(steps, source)


def _code_has_more(step: protocol.Step, analyzer_version: int) -> bool:
    """Whether a step stored by an analyzer that set the statement forms has a field left to read from its code: a
    load's packaged data set (before PACKAGED_DATA_VERSION), a fit's formula (it quotes one)."""
    if step.op == "load":
        return analyzer_version < PACKAGED_DATA_VERSION
    return step.op == "fit_model" and bool(quoted_formulas(step.quoted))


def _compared_names(node: ast.AST) -> set[str]:
    """The names a statement compares (`y_prob` in `pd.DataFrame({"true": y, "pred": y_prob[:, 1] > decision_prob})`):
    a threshold's scores, told apart from the other data it reads."""
    return {n.id for c in ast.walk(node) if isinstance(c, ast.Compare) for n in ast.walk(c) if isinstance(n, ast.Name)}


def _value_of(node: ast.AST) -> Optional[ast.AST]:
    """What an assignment computes (its right-hand side); None for a statement that assigns nothing."""
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        return node.value
    return None


def _names(node: Optional[ast.AST], name: str) -> bool:
    return node is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    """The calls of `node` in the order they are written."""
    found = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
    return iter(sorted(found, key=lambda n: (n.lineno, n.col_offset)))


def _assign_keywords(node: ast.AST) -> set[str]:
    return {k.arg for call in _calls(node) if isinstance(call.func, ast.Attribute) and call.func.attr == "assign"
            for k in call.keywords if k.arg}


def _column_assigned(node: ast.AST) -> set[str]:
    """"pred" of `test["pred"] = pred` or `test.loc[:, "pred"] = pred` when the value quotes no "pred": the column the
    statement writes whole from values of no column of its own. Its op names no columns it was derived from, so
    without this the written column read as the source ("derived a new feature from `pred` in `test` and `pred`")."""
    if not isinstance(node, ast.Assign):
        return set()
    return _subscript_columns(node, whole=True) - {str_const(n) for n in ast.walk(node.value)}


def _predicting_model(node: ast.AST) -> Optional[str]:
    """`reg` of the first `reg.predict(...)` (any prediction method) the statement calls on a plain name."""
    for call in _calls(node):
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.attr in SKLEARN_PREDICTION_METHODS:
            return func.value.id
    return None


def _named_axis(node: ast.AST) -> Optional[str]:
    """"index" / "columns": the axis whose name the statement sets (`df.index.name = "k"`, `df.columns.names = [...]`,
    `df.rename_axis("k")`; `rename_axis(columns="k")` or `axis=1` names the columns')."""
    for target in _assigned_attributes(node):
        if target.attr in ("name", "names") and isinstance(target.value, ast.Attribute) and target.value.attr in AXES:
            return target.value.attr
    for call in _calls(node):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "rename_axis":
            return "columns" if _names_columns_axis(call) else "index"
    return None


def _names_columns_axis(call: ast.Call) -> bool:
    axis = next((k.value for k in call.keywords if k.arg == "axis"), None)
    by_axis = isinstance(axis, ast.Constant) and axis.value in (1, "columns")
    return by_axis or any(k.arg == "columns" for k in call.keywords)


def _named_as(node: ast.AST) -> Optional[str]:
    """"Snowiness" of `series.name = "Snowiness"`: a literal name given to the data itself (not to an axis)."""
    if not isinstance(node, ast.Assign):
        return None
    for target in _assigned_attributes(node):
        on_an_axis = isinstance(target.value, ast.Attribute) and target.value.attr in AXES
        if target.attr == "name" and not on_an_axis:
            return str_const(node.value)
    return None


def _subscript_columns(node: ast.AST, whole: bool = False) -> set[str]:
    """The columns an assignment writes by label (`df["y_hat"] = ...`, `df.loc[:, ["a", "b"]] = ...`); `whole`: only
    those it writes in every row (`df["c"]`, `df.loc[:, "c"]`; not `df.loc[mask, "c"]` or `df["a"]["c"]`)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
        if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
    found: set[str] = set()
    for target in targets:
        if not isinstance(target, ast.Subscript):
            continue
        rows = target.slice.elts[0] if isinstance(target.slice, ast.Tuple) and len(target.slice.elts) == 2 else None
        every_row = isinstance(target.value, ast.Name) and rows is None or isinstance(target.value, ast.Attribute) \
            and target.value.attr == "loc" and isinstance(rows, ast.Slice) and rows.lower is None \
            and rows.upper is None
        if whole and not every_row:
            continue
        label = target.slice.elts[-1] if isinstance(target.slice, ast.Tuple) and target.slice.elts else target.slice
        labels = label.elts if isinstance(label, (ast.List, ast.Tuple)) else [label]
        found |= {text for text in (str_const(item) for item in labels) if text is not None}
    return found


def _assigned_attributes(node: ast.AST) -> list[ast.Attribute]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
        if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
    return [t for t in targets if isinstance(t, ast.Attribute)]


def _shown(node: ast.AST) -> Optional[ast.AST]:
    """`x` of a statement that only displays it: `print(x)` (kb.display.DISPLAY_FUNCTIONS, one argument)."""
    call = node.value if isinstance(node, ast.Expr) else node
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in DISPLAY_FUNCTIONS \
            and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    return None


def _in_place_on_pick(node: ast.AST) -> bool:
    call = node.value if isinstance(node, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
        and isinstance(call.func.value, ast.Subscript) and is_true(kwarg(call, "inplace"))


def _quoted(node: ast.AST) -> list[str]:
    found = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and 0 < len(n.value) <= MAX_QUOTED_CHARS]
    return list(dict.fromkeys(found))[:MAX_QUOTED]


def _only_a_majority_baseline(node: ast.AST, inputs: list[str]) -> bool:
    """The statement computes a null accuracy (`max(y_test.mean(), 1 - y_test.mean())`,
    `y_test.value_counts(normalize=True).max()`) and reads nothing else: no model's result is evaluated."""
    baselines = [n for n in ast.walk(node) if isinstance(n, ast.expr) and null_accuracy(n)]
    read = {n.id for b in baselines for n in ast.walk(b) if isinstance(n, ast.Name)}
    return bool(baselines) and set(inputs) <= read
