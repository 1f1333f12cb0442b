"""What a name an assignment makes is bound to, carried in `env` to later statements and cells: columns, masks,
bounds, answers, paths. Loop variables are bound in loop_bindings.py."""

from __future__ import annotations

import ast
import json
import re
from typing import Optional

from .. import kb
from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from ..kb import sources as kb_sources
from .category_tables import category_table_env_key, category_table_key
from .fold_pairs import unpacks_a_fold_pair
from .env_markers import (ANSWER_MARKER, BOUND_MARKER, COLUMN_LABELS, DICT_MARKER, FIGURE_MARKER, FOLD_ROWS_MARKER,
                          FORMULA_MARKER, KIND_FROM_NAME, LISTED_STRINGS, LITERAL_MARKER, MASK_MARKER, PIECES_MARKER,
                          READ_DATA, ROW_LABEL, WRITTEN_VALUES_MARKER)
from .missing_values import is_constant, is_missing_value
from .row_parts import fold_rows
from .sources import parameters_read, is_literal_data
from .statement_shapes import looks_up_a_row_label
from .values import (MARKER, Val, answer_key, answer_source_key, called_name, instance_class, joined_str, params_key,
                     path_key, statistic_key, str_const, str_list)
from .written_lists import has_values

OUTLIER_FUNCTION = re.compile(kb.OUTLIER_FUNCTION_NAME, re.IGNORECASE)
MAX_PATH_CHARS = 4096  # longer strings bound to a name are text, not a file's path
GRID_KEY = f"{MARKER}grid:"  # + name: a grid of values made in the code (np.linspace, np.arange; assignments.py)
LABEL_KEY = f"{MARKER}label:"  # + name: one text written in the code (`target = "SalePrice"`; assignments.py)
VALUE_LABELS = f"{MARKER}value_labels"  # a list of labels made from data values (_lists_values)


def _builds_a_dict(node: ast.AST) -> bool:
    """{k: i for i, k in enumerate(...)}, dict(zip(keys, values)), dict(), dict(max_depth=5): a mapping built in code,
    as a dict literal is (`params = dict()` then `params["n_jobs"] = -1` fills a dict of settings, as `params = {}`
    does: CONVENTIONS 15, hyper-parameter grids are no step)."""
    if isinstance(node, ast.DictComp):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args \
            and all(keyword.arg and isinstance(keyword.value, ast.Constant) for keyword in node.keywords):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Name) \
        and node.args[0].func.id == "zip"


def _lists_values(value: ast.AST) -> bool:
    """`s.unique().tolist()[1:]`, `s.to_list()`, `list(s.unique())`: the values of data as a list of labels. (A computed
    table's `.index` is left out: `df.dtypes[...].index` names columns whose per-column statistics are answers.)"""
    while isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice):
        value = value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" and value.args:
        value = value.args[0]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("tolist", "to_list"):
        value = value.func.value
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "unique"


def _copied_list(value: ast.AST) -> Optional[str]:
    """`names.copy()`, `list(names)`, `names[:]`: the name whose list is copied, else None."""
    if isinstance(value, ast.Call) and not value.keywords:
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "copy" and not value.args and isinstance(func.value, ast.Name):
            return func.value.id
        if isinstance(func, ast.Name) and func.id == "list" and len(value.args) == 1 and isinstance(value.args[0], ast.Name):
            return value.args[0].id
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and isinstance(value.slice, ast.Slice) \
            and value.slice.lower is None and value.slice.upper is None and value.slice.step is None:
        return value.value.id
    return None


class BindingRules:
    """Mixin of `Cell` (through `StatementWalker`): the bindings of assigned and loop names."""

    env: dict[str, str]

    def _keeps_labels(self, value: ast.AST) -> bool:
        """`[c for c in df.columns if ...]`: a list comprehension keeping some of a frame's column labels as they are."""
        if not (isinstance(value, ast.ListComp) and len(value.generators) == 1 and isinstance(value.elt, ast.Name)):
            return False
        generator = value.generators[0]
        return isinstance(generator.target, ast.Name) and generator.target.id == value.elt.id \
            and self._walks_labels(generator.iter)

    def _target_names(self, target: ast.AST) -> list[str]:
        if isinstance(target, ast.Name):
            return [target.id]
        if isinstance(target, (ast.Tuple, ast.List)):
            names: list[str] = []
            for elt in target.elts:
                names.extend(self._target_names(elt))
            return names
        if isinstance(target, ast.Starred):
            return self._target_names(target.value)
        return []

    def _target_base(self, target: ast.AST) -> Optional[str]:
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        return target.id if isinstance(target, ast.Name) else None

    def _bind(self, target: ast.AST, val: Optional[Val], value: ast.AST) -> None:
        if val is not None and val.kind == FIGURE_MARKER:
            for name in self._target_names(target):
                self.env[name] = FIGURE_MARKER  # fig, ax = plt.subplots(): what these are called with only draws
            return
        if unpacks_a_fold_pair(self.env, target, value):
            for name in self._target_names(target):
                self.env[name] = FOLD_ROWS_MARKER  # idx_tr, idx_val = idx over kf.split(X): a fold's row positions
            return
        if not isinstance(target, ast.Name):
            # lo, hi = np.percentile(x, [1, 99]): both names are bounds for a later filter
            bound = val is not None and not val.ops and self._mentions_bound(value)
            # low_limit, up_limit = outlier_thresholds(df, col): what a function named for outliers returns are the
            # bounds a later cap or filter uses (CONVENTIONS 29: "statistical bounds, clipping, replacing outliers")
            by_name = not bound and _calls_outlier_function(value)
            for name in self._target_names(target):
                self.env.pop(KIND_FROM_NAME + name, None)
                if bound or by_name:
                    self.env[name] = BOUND_MARKER
                else:
                    self.env.pop(name, None)
                if by_name:
                    self.env[KIND_FROM_NAME + name] = ""  # bounds by the function's name alone (a guess)
            return
        name = target.id
        kind = self._binding_kind(val, value)
        if kind is None:
            self.env.pop(name, None)
        else:
            self.env[name] = kind
        # keep = ~missing_mask, cut = upper * 2: a mask or bound of its kind only because a name said so
        self.remember_kind_from_names(name, kind, lambda: self._binding_kind(val, value))  # type: ignore[attr-defined]
        if val is not None and self._holds_read_data(val):
            self.env[READ_DATA + name] = "1"  # X = df[["a", "b"]].values: read where noise is added to it
        else:
            self.env.pop(READ_DATA + name, None)
        if val is not None and val.params and kind is not None:
            self.env[params_key(name)] = json.dumps(val.params)
        else:
            self.env.pop(params_key(name), None)
        if val is not None and val.answer and not self.kept_anywhere(val.ops):
            self.env[answer_key(name)] = "1"  # total = df.isnull().sum().sort_values(): read by a table of answers
        else:
            self.env.pop(answer_key(name), None)
        sources = [sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)
                   and self._is_data(sub.id)] if kind == ANSWER_MARKER else []
        if sources:
            # mean = np.mean(train.value): which data the number was computed from (read by a naive forecast,
            # column_assignment.py)
            self.env[answer_source_key(name)] = ",".join(dict.fromkeys(sources))
        else:
            self.env.pop(answer_source_key(name), None)
        if looks_up_a_row_label(value):
            self.env[ROW_LABEL + name] = "1"  # best_idx = t["err"].idxmin(): read by one_value_of_a_column
        else:
            self.env.pop(ROW_LABEL + name, None)
        statistic = (self.statistic_of(value) if isinstance(value, ast.Call) else None) or self.data_statistic(value)
        if statistic:
            # mu = X.mean(axis=0): read where X is standardised with it; m = df.Embarked.mode()[0]: where gaps are
            # filled with it (call_details._fill_statistic)
            self.env[statistic_key(name)] = statistic
        else:
            self.env.pop(statistic_key(name), None)
        table_key = category_table_key(value)
        if table_key:
            # freq = df["city"].value_counts(): read where df["city"] is mapped through it (a frequency encoding)
            self.env[category_table_env_key(name)] = table_key
        else:
            self.env.pop(category_table_env_key(name), None)
        written = str_const(value)
        if written is not None and "\n" not in written and len(written) <= MAX_PATH_CHARS:
            self.env[path_key(name)] = written  # path = "data/x.csv": read where pd.read_csv(path) loads it
        else:
            self.env.pop(path_key(name), None)

    def _holds_read_data(self, val: Val) -> bool:
        """The value is data read from a source (a load that generates nothing) or computed from data so read."""
        return any(op.op == "load" and not op.facts.get("generated") for op in val.ops) \
            or any(self.env.get(READ_DATA + name) for name in val.inputs)

    def _library_constant(self, value: ast.AST) -> bool:
        """`math.pi`, `scipy.constants.Boltzmann`, `const.value("Bohr magneton")` (kb.sources.CONSTANT_MODULES)."""
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in kb_sources.CONSTANT_LOOKUPS and value.args \
                and all(str_const(arg) is not None for arg in value.args):
            value = value.func
        if not isinstance(value, ast.Attribute):
            return False
        parts, holder = [], value.value
        while isinstance(holder, ast.Attribute):
            parts.insert(0, holder.attr)
            holder = holder.value
        root = self.resolve_name(holder.id) if isinstance(holder, ast.Name) else None
        return ".".join([root or "", *parts]) in kb_sources.CONSTANT_MODULES

    def _binding_kind(self, val: Optional[Val], value: ast.AST) -> Optional[str]:
        cols = str_list(value)
        if cols is not None:
            return f"{LISTED_STRINGS}{','.join(cols)}"
        if fold_rows(value):
            return FOLD_ROWS_MARKER  # trn_idx = folds[folds["fold"] != fold].index: a fold's rows (row_parts.fold_rows)
        if self._library_constant(value):
            return ANSWER_MARKER  # kb_SI = const.Boltzmann, mub = const.value("Bohr magneton"): a number, not data
        copied = _copied_list(value)
        if copied is not None and self.env.get(copied, "").startswith(LISTED_STRINGS):
            # features = base.copy(), list(base): the same column names in a list of its own to extend, not a
            # frame (CONVENTIONS 15: column-name lists are no step); a frame indexed by it picks them (18)
            return self.env[copied]
        if isinstance(value, ast.Dict) and self.data_pieces([value]):
            # columns = {"a": df.x, "b": df.y}, scores = {"rf": [rf_acc, rf_f1], ...}: existing data or results put
            # side by side, read where a table is made of it (pd.DataFrame(columns): CONVENTIONS 13, a concat)
            return f"{PIECES_MARKER}{';'.join(','.join(piece) for piece in self.data_pieces([value]))}"
        if isinstance(value, ast.Dict) or _builds_a_dict(value):
            return DICT_MARKER  # read where a column is mapped through it (map/replace with a dict)
        if is_literal_data(value):
            # data = [[1, 2], [3, 4]]: values written in the code; scores = []: a list to fill
            return WRITTEN_VALUES_MARKER if has_values(value) else LITERAL_MARKER
        if _empty_list_made(value):
            return LITERAL_MARKER  # sim_data = list(): the empty list to fill that `sim_data = []` is, written so
        if val is None:
            return None
        read = parameters_read(value)
        if isinstance(read, ast.Attribute) and read.attr in kb_models.PARAMETER_ATTRIBUTES \
                and self._around_a_model(read.value) and not val.ops:
            # importances = forest.feature_importances_, w = np.abs(lda.scalings_.ravel()): a model's parameters,
            # not data; sorted, cut or normalised later they stay an answer (CONVENTIONS 27)
            return ANSWER_MARKER
        if self._finds_positions(value.value if isinstance(value, ast.Subscript) else value):
            return MASK_MARKER  # idx = np.where(y == 1)[0]: X[idx] picks rows, as X[y == 1] does
        if self.names_column_labels(value):
            return COLUMN_LABELS  # cols = df.columns[1:]: labels, read where a frame is indexed by them
        if _feature_names(value):
            # tokens = vect.get_feature_names(), names = list(ohe.get_feature_names_out()): what a fitted transformer
            # calls its columns, labels (CONVENTIONS 15: column-name lists, also when computed, are no step)
            return COLUMN_LABELS
        if self._keeps_labels(value):
            return COLUMN_LABELS  # missing = [c for c in df.columns if df[c].isnull().any()]: some of its labels
        if _lists_values(value) and (val.answer or not val.ops):
            # cols = meta["name"].unique().tolist()[1:]: values of data made a list of labels; a frame indexed by it
            # picks those columns (CONVENTIONS 18), as by df.columns[1:]
            return VALUE_LABELS
        formula = joined_str(value)
        if formula is not None and "~" in formula and len(formula) < 500:
            return f"{FORMULA_MARKER}{formula}"  # formula = "y ~ C(Pclass) + Age": read where it is used
        if _tests_dtypes(value):
            # s = (X_train.dtypes == "object"), then object_cols = list(s[s].index): a test of the columns' types,
            # indexed by column labels; what it keeps are labels (CONVENTIONS 15: column-name lists, also when computed)
            return COLUMN_LABELS
        if self._tests_missing_per_row(value):
            # keep = df.notna().all(axis=1), bad = np.isnan(X).any(axis=1): one mask value per row, still a mask to
            # pick rows with (CONVENTIONS 15), not an answer
            return self.mask_kind(value)
        if val.answer and all((op.op in kb.display.REORDERING_OPS or (op.op == "select_columns" and op.pick))
                              and op.output is None for op in val.ops):
            # q3 = df.x.quantile(0.75): a bound for an outlier filter; n = len(X): a number, not data;
            # miss = df.isnull().sum().sort_values()[:10]: an answer sorted or cut is still one (CONVENTIONS 9-10);
            # q1 = df[cols].quantile(0.25): statistics of the columns picked, as of the whole frame
            bound = self._mentions_bound(value) or self._uses_a_bound(value)
            return BOUND_MARKER if bound else ANSWER_MARKER
        if isinstance(value, ast.Call) and self._is_mask(value) and not val.ops:
            # m = df.t.isin(("WD", "CWD")), snowing = df.w.str.contains("Snow"): a mask made by a method, as one made by a
            # comparison (CONVENTIONS 15), read where rows are picked or values assigned through it
            return self.mask_kind(value)
        if val.kind and (instance_class(val.kind) or val.kind.startswith((MARKER, "grouped"))):
            return val.kind  # a frame, a fitted object, a group to reduce later (g = df.groupby("k"))
        if self._is_mask(value):
            return self.mask_kind(value)
        if not val.ops and (self._mentions_bound(value) or self._uses_a_bound(value)) \
                and not self._is_standardisation(value):
            return BOUND_MARKER  # upper = q3 + 1.5 * iqr; not (x - x.mean()) / x.std(), which is data
        if (is_constant(value) and not is_missing_value(value)) or (val.answer and not val.ops):
            return ANSWER_MARKER  # nsample = 50, n = len(X): a number, not data (x = None says nothing)
        return None


def _calls_outlier_function(value: ast.AST) -> bool:
    func = value.func if isinstance(value, ast.Call) else None
    name = called_name(func)
    return bool(OUTLIER_FUNCTION.search(name))


def _tests_dtypes(value: ast.AST) -> bool:
    """`X.dtypes == "object"`, `(df.dtypes != "O")`: a comparison of a frame's column types, one value per column;
    `df.isna().sum() > 600`, `df.isnull().mean(axis=0) > 0.4`: a comparison of each column's count of gaps."""
    if not (isinstance(value, ast.Compare) and len(value.ops) == 1):
        return False
    left = value.left
    if isinstance(left, ast.Attribute) and left.attr in ("dtypes", "dtype"):
        return True
    return isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr in ("sum", "mean") \
        and not any(k.arg == "axis" and not (isinstance(k.value, ast.Constant) and k.value.value in (0, "index"))
                    for k in left.keywords) \
        and isinstance(left.func.value, ast.Call) and isinstance(left.func.value.func, ast.Attribute) \
        and left.func.value.func.attr in (kb.MISSING_TESTS | kb.PRESENT_TESTS)


def _feature_names(value: ast.AST) -> bool:
    """`vect.get_feature_names()`, `list(ohe.get_feature_names_out())`: a fitted transformer's column names."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" \
            and len(value.args) == 1:
        value = value.args[0]
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and not value.args \
        and value.func.attr in kb_sklearn.FEATURE_NAME_METHODS


def _empty_list_made(node: ast.AST) -> bool:
    """`list()`: the built-in called with nothing, an empty list as `[]` writes it."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" \
        and not node.args and not node.keywords
