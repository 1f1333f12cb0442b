"""Calls: each call handed to the mixin of its kind (a library or notebook function, a method), a drawing call
set aside, a notebook-fitted object called on data, and the steps inside a call's arguments."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import BUILTIN_NAMES, LIBRARIES
from ..kb import display as kb_display
from ..kb import pandas as kb_pandas
from ..kb import models as kb_models
from ..kb import sources as kb_sources
from .call_details import CallDetailRules
from .display import IMPORTED_DRAWING
from .env_markers import (COLUMN_LABELS, OP_FROM_NAME, STAR_IMPORTED, DRAWS, FIGURE_MARKER, FUNCTION_MARKER,
                          SETTINGS_CLASS, SETTINGS_OBJECT)
from .function_calls import FunctionCallRules, IMPORTED_LOADER_NAME, helper_verb_op, imported_helper_op
from .library_methods import LibraryMethodRules
from .chained_fits import ChainedFitRules
from .fitted_series import FittedSeriesRules
from .model_object_methods import ModelObjectMethodRules
from .method_calls import MethodCallRules
from .results import FITTED, ROLE
from .values import Op, Val, called_name, short, union

# the draws of random values: NumPy's and Python's `random` module's (kb.sources)
DRAWN_METHODS: frozenset[str] = kb_sources.RANDOM_DRAWS | kb_sources.STDLIB_RANDOM_DRAWS | {"choice"}

DATA_KEYWORDS = kb_sources.DATA_KEYWORDS
UNIT_TEST_NAME = re.compile(kb_models.UNIT_TEST_NAME)


class CallRules(FunctionCallRules, MethodCallRules, LibraryMethodRules, ModelObjectMethodRules, CallDetailRules,
                ChainedFitRules, FittedSeriesRules):
    """Mixin of `Cell`: function and method calls on data."""

    env: dict[str, str]

    def call(self, node: ast.Call) -> Val:
        func = node.func
        if any(keyword.arg in kb_display.AXES_KEYWORDS or (keyword.arg in kb_display.FIGURE_KEYWORDS
                                                           and not isinstance(keyword.value, ast.Constant))
               for keyword in node.keywords):
            # roc_curve(model, X, y, name="train", ax=ax): drawn into a figure's axes, whatever the function is
            # called; what it computes to draw is no step (CONVENTIONS 8)
            return Val(kind=FIGURE_MARKER, plot=True)
        if isinstance(func, ast.Name) and self.env.get(DRAWS + func.id):
            # tsplot(res.resid, lags=24) with `def tsplot(y): ...; return ts_ax, acf_ax`: a notebook function that only
            # draws; what it is handed to draw is no step (CONVENTIONS 7, 8: a metric inside a plot call is not one)
            return Val(kind=FIGURE_MARKER, plot=True)
        if isinstance(func, ast.Name) and IMPORTED_DRAWING.search(func.id) and self.draws_call(func):  # type: ignore[attr-defined]
            # ax = plot_attribution_with_time(model=mmm, attr_df=df) from a library's plots module: an imported helper
            # named for drawing (display.draws_call) returns a figure or its axes, as plt.subplots() does; what it is
            # handed is drawn, and `ax.figure` read from it is no column of data (CONVENTIONS 8)
            return Val(kind=FIGURE_MARKER, plot=True)
        if isinstance(func, ast.Attribute):
            recv = self.expr(func.value)
            if self._is_path(recv.kind):
                return self.function_call(f"{recv.kind}.{func.attr}", node)
            self.mark_chained_fit(recv, func.value, func.attr)  # LinearRegression().fit(X, y).predict(X)
            return self.method_call(recv, func.attr, node)
        f = self.expr(func)
        if self._is_path(f.kind):
            return self.function_call(f.kind or "", node)
        # a user function, a builtin, a fitted object called: its arguments may hold steps
        args = self._args(node)
        if isinstance(func, ast.Name) and func.id == "list" and func.id not in self.env and len(node.args) == 1 \
                and _picks_columns_by_label(node.args[0]):
            # list(df.filter(regex="Unnamed")), list(df.select_dtypes("number")): a list of a frame is its column
            # labels, names to drop or pick with (CONVENTIONS 15: column-name lists are no steps), as
            # list(df.select_dtypes("number").columns) is
            return Val(kind=COLUMN_LABELS, inputs=args.inputs)
        if isinstance(func, ast.Name) and func.id in kb_sources.CONVERSION_BUILTINS and func.id not in self.env \
                and len(node.args) == 1 and not node.keywords and args.inputs and self._one_array(node.args[0]):
            # list(arr), tuple(arr): the values in a Python container, as arr.tolist() (CONVENTIONS 12)
            return Val(ops=args.ops + [Op("other", list(args.inputs), [], None, facts={"method": func.id},
                                          conversion=True)], inputs=list(args.inputs))
        if isinstance(func, ast.Name) and (f.kind or "").startswith(FUNCTION_MARKER):
            called = self.function_call_op(f.kind or "", args, func.id, self.env.get(OP_FROM_NAME + func.id))
            if called is not None:
                return called  # theta = gradientDescent(X, y, theta): a hand-written model is a black box
            if self.env.get(SETTINGS_CLASS + func.id) and not args.inputs:
                # CFG = CFG(), cfg = Config(): an object of the notebook's own settings class, whose attributes
                # (`CFG.TRAIN_DIR`, `cfg.lr`) are settings, not columns (CONVENTIONS 15: parameters are no steps)
                return Val(ops=args.ops, kind=SETTINGS_OBJECT.format(func.id))
            # rates = parse_mcd_file(path).rename(columns=...).loc[...]: the helper's call is no step (its body is,
            # CONVENTIONS 1), but what the cell chains onto the data it returns is written here, one step per
            # transforming call (what-is-a-step.md, Granularity); so the result carries the data it was handed
            return Val(ops=args.ops)
        polynomial = self.called_polynomial(func, args)
        if polynomial is not None:
            return polynomial  # np.poly1d(fit)(df.x): the fitted polynomial's values at x
        if isinstance(func, ast.Name) and node.args and self._is_fitted(func) and args.inputs:
            # model(X_test) of a model fitted by the notebook's own method (model.train(X, y)): the object called on
            # data predicts, as Keras' and PyTorch's models do (CONVENTIONS 26)
            return Val(ops=args.ops + [Op("predict", union([func.id], args.inputs), [], func.id,
                                           facts={"method": "__call__", "model": func.id})],
                       inputs=union([func.id], args.inputs))
        if isinstance(func, ast.Name) and func.id in BUILTIN_NAMES:
            handle = self.opened(func.id, node)
            if handle is not None:
                return handle  # f = open("book.txt"): what is read from it is the load (readers.py)
            if func.id in kb_display.TABLE_KEEPING_BUILTINS and node.args:
                rounded = self.evaluated(node.args[0])
                if not rounded.answer and (rounded.kind or "").startswith(("pandas.", "grouped")) \
                        and any(op.op == "aggregate" for op in rounded.ops):
                    # avg = round(df[["Age", "Survived"]].groupby("Age").mean(), 1): the aggregate table kept,
                    # rounded, as `.round(1)` chained onto it is (CONVENTIONS 22)
                    return rounded
            if func.id in kb_sources.VALUE_KEEPING_BUILTINS and node.args:
                kept = self.evaluated(node.args[0])
                if not kept.answer and any(op.facts.get("generated") and op.facts.get("method") in DRAWN_METHODS
                                           for op in kept.ops):
                    return kept  # int(n * np.random.uniform(0.01, 0.15)): the drawn values, cast (CONVENTIONS 28)
            if func.id in kb_display.ANSWER_FUNCTIONS:
                return Val(ops=args.ops, inputs=args.inputs, answer=True)  # len(X): a number about X
            if func.id == "map" and node.args and self._library_op(node.args[0]) == "load":
                # pd.concat(map(pd.read_csv, files)): each file read by the loader passed by reference (what-is-a-step.md:
                # reading a file is a load), as [pd.read_csv(f) for f in files] is
                loader = self.evaluated(node.args[0]).kind or ""
                return Val(ops=args.ops + [Op("load", [], [], short(loader), facts={"method": short(loader)})])
            return Val(ops=args.ops)
        if isinstance(func, ast.Name) and f.kind is None and IMPORTED_LOADER_NAME.match(func.id):
            return self._imported_loader(func.id, args)  # X_train, X_val, y_val = load_data() after `from utils import *`
        named = ((helper_verb_op(func.id) if args.inputs else None) or self.algorithm_op(func.id) or imported_helper_op(func.id)) \
            if isinstance(func, ast.Name) and f.kind is None \
            and self.env.get(STAR_IMPORTED) and not UNIT_TEST_NAME.search(func.id) else None
        if named is not None:
            # p = multivariate_gaussian(X, mu, var) after `from utils import *`: a helper the notebook does not define,
            # named for a model step, is a black box whose call is that step (CONVENTIONS 4b), as an imported one is;
            # an exercise's unit test of it (`estimate_gaussian_test(estimate_gaussian)`) only checks it
            return self.function_call_op(f"{FUNCTION_MARKER}:{named}", args, func.id, "helper_name") \
                or Val(ops=args.ops)
        if isinstance(func, ast.Name) and f.kind is None and func.id[:1].isupper() and self._wraps_a_model(node, args):
            return self._wrapper_fit(func.id, args)  # Model(GradientBoostingClassifier(), train, features, "y")
        if isinstance(func, ast.Name) and f.kind is None and self.scores_results(node, func.id):
            return self._helper_evaluation(func.id, args)  # res = thr_for_precision(y_test, proba) after `from utils import *`
        return Val(ops=f.ops + args.ops, inputs=union(f.inputs, args.inputs))

    def _one_array(self, node: ast.AST) -> bool:
        """`y`, `X[:, 0]`: one array or Series (not a frame, whose list is its labels; not a computed sequence such as
        `zip(...)`), holding data rather than an answer."""
        if not isinstance(node, (ast.Name, ast.Subscript, ast.Attribute)):
            return False
        value = self.evaluated(node)
        if value.answer or value.kind == COLUMN_LABELS or value.picked_column:
            return False  # (a frame's column listed, `list(df["a"])`, stays no step: test_steps_pass20_select_filter)
        return (value.kind or "").startswith(("numpy.", "pandas.Series", "polars.Series"))

    def _library_op(self, node: ast.AST) -> Optional[str]:
        """The op of a library function named by reference (`pd.read_csv` -> "load"), from its library's FUNCTIONS."""
        path = self.expr(node).kind or ""
        if not self._is_path(path) or "." not in path:
            return None
        module = LIBRARIES.get(path.split(".", 1)[0])
        return getattr(module, "FUNCTIONS", {}).get(path.split(".", 1)[1]) if module else None

    @staticmethod
    def _imported_loader(name: str, args: Val) -> Val:
        """The call of a function the notebook does not define, named for loading data: its load (CONVENTIONS 4b),
        a guess from the name (kb/guesses.py)."""
        return Val(ops=args.ops + [Op("load", [], [], name, facts={"method": name, "inferred_from": "helper_name"})],
                   kind="pandas.DataFrame()")

    def _is_fitted(self, node: ast.AST) -> bool:
        """A fitted model: a name bound to a fit, or a fit called in place (`model.fit()`)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fit":
            return True
        return isinstance(node, ast.Name) and self.env.get(ROLE + node.id) == FITTED

    def _args(self, node: ast.Call) -> Val:
        values = [self.expr(a) for a in node.args] + [self._keyword_value(k) for k in node.keywords]
        for value in values:
            if value.answer:
                # fillna(s.dropna().median()): a statistic passed in is part of the call's step (CONVENTIONS 9)
                value.ops = [op for op in value.ops if op.op in ("evaluate", "predict") or op.output is not None]
        merged = self._merge(values) if values else Val()
        # fit(df.drop("y", axis=1), df["y"]): the columns dropped are the target handed beside them, so the drop only
        # separates features from target, a pick like fit(df[features], df["y"]); a drop of other columns inside an
        # argument (sm.GLM(y, d.drop(d.columns[1], axis=1)), r.join(df.drop(["a"], axis=1))) is a step (CONVENTIONS
        # 18: selections inside an argument are none, `drop(columns=...)` is drop_columns)
        # ... but a drop of more than the target handed beside (`train_test_split(df.drop(["Id", "y"], axis=1),
        # df["y"])`) also removes a column from the features: a drop_columns step, as an assigned drop is
        handed = {c for v in values if v.picked_column for c in v.columns}
        for value in values:
            for op in value.ops:
                if op.op == "drop_columns" and op.pick and not (op.columns and set(op.columns) <= handed):
                    op.pick = False
        # model.fit(df[features], df["y"]): picking the columns to pass is not a step of its own
        # le.fit_transform(df[c].astype(str)): the cast only feeds the call's own operation; not so a cast of what
        # pd.crosstab tabulates, which changes the table's categories (kb.pandas.CATEGORY_TABLE_FUNCTIONS)
        func = node.func
        called = called_name(func)
        # ... nor a cast of the values a table is built from (`pd.DataFrame({"n": g["v"].sum().astype(int)})`): they
        # are the table's data, in that type (CONVENTIONS 21)
        casts_kept = called in kb_pandas.CATEGORY_TABLE_FUNCTIONS or called in kb_sources.CONSTRUCTORS["pandas"]
        merged.ops = [op for op in merged.ops
                      if not (op.pick or op.conversion or (op.op == "type_cast" and not casts_kept))]
        merged.kind = None
        merged.picked_column = False
        return merged

    def _keyword_value(self, keyword: ast.keyword) -> Val:
        val = self.expr(keyword.value)
        if keyword.arg not in DATA_KEYWORDS:
            # computeCost(X, y, theta=np.array([0, 0])), learning_curve(..., train_sizes=np.linspace(.1, 1, 5)):
            # values generated for a keyword configure the call; they are not data
            val.ops = [op for op in val.ops if not op.facts.get("generated")]
        return val


def _picks_columns_by_label(node: ast.AST) -> bool:
    """`df.filter(regex="Unnamed")` / `df.filter(like="x")` / `df.select_dtypes("number")`: pandas' ways to take
    some of a frame's columns by their labels or types (polars' `filter` takes an expression and keeps rows)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr == "filter":
        return any(k.arg in kb_pandas.COLUMN_FILTER_KEYWORDS for k in node.keywords)
    return node.func.attr in kb_pandas.COLUMN_SUBSET_METHODS
