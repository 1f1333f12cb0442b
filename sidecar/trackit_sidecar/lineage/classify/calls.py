"""Calls: module functions and frame methods looked up in the library tables (lineage/kb), the contested
methods decided by their named rule, and the details a step keeps (load path, join key, fill statistic)."""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional

from .. import kb
from ..kb import BUILTIN_NAMES, LIBRARIES
from ..kb import display as kb_display
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from ..kb import statsmodels as kb_statsmodels
from ..kb import sources as kb_sources
from .sklearn_rules import FITTED_MODEL, TEST_NAME, is_estimator
from .readers import handle_source, sql_clause_ops
from .results import FITTED, PREDICTED, ROLE
from .sources import STAR_IMPORTED, DRAWS, FIGURE_MARKER, FORMULA_MARKER, FUNCTION_MARKER, RANDOM_GENERATOR, REDUCES, WINDOW
from .values import Op, Val, answer_key, chain_root, instance_class, is_true, kwarg, library_of, literal_params, path_key, short, str_const, str_list, union

DATA_KEYWORDS = frozenset({"X", "y", "x", "data", "values", "endog", "exog", "df", "frame", "a", "arr"})
LOAD_PATH_KEYWORDS = ("filepath_or_buffer", "path", "source", "io", "file", "fname", "path_or_buf", "name",
                      "sql", "query", "uri")


IMPORTED_LOADER_NAME = re.compile(kb_sources.IMPORTED_LOADER_NAME)
UNIT_TEST_NAME = re.compile(kb_models.UNIT_TEST_NAME)
WHOLE_DATE_FORMAT = re.compile(kb_pandas.WHOLE_DATE_FORMAT)
IMPORTED_HELPER_NAMES = [(re.compile(pattern), op) for pattern, op in kb_models.IMPORTED_HELPER_NAME_OPS]
DATA_FILE_PATH = re.compile(kb_sources.DATA_FILE_PATH)
FILE_ARGUMENT_NAME = re.compile(kb_sources.FILE_ARGUMENT_NAME, re.IGNORECASE)
HANDLE_LIBRARIES = frozenset(path.split(".", 1)[0] for path in kb_sources.HANDLE_FACTORIES)
# the short names of the known libraries' functions (`read_csv`): called on a name the classifier does not know
# (`pandas_lib.read_csv(...)` without its import), it is that library's function under an unknown alias, not a method
# of the project's own object
LIBRARY_FUNCTION_NAMES = frozenset(name.rsplit(".", 1)[-1] for module in set(LIBRARIES.values())
                                   for name in getattr(module, "FUNCTIONS", {}))


def _imported_helper_op(name: str) -> Optional[str]:
    """The op an imported helper's name says (kb.models.IMPORTED_HELPER_NAME_OPS), else None."""
    return next((op for pattern, op in IMPORTED_HELPER_NAMES if pattern.search(name.lower())), None)

# The name the data piped into a library's function is bound to while that call is read (`_piped_library_call`).
PIPED = "trackit_piped"


class CallRules:
    """Mixin of `Cell`: function and method calls on data."""

    env: dict[str, str]

    # ---------------------------------------------------------- calls
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
        if isinstance(func, ast.Attribute):
            recv = self.expr(func.value)
            if self._is_path(recv.kind):
                return self.function_call(f"{recv.kind}.{func.attr}", node)
            return self.method_call(recv, func.attr, node)
        f = self.expr(func)
        if self._is_path(f.kind):
            return self.function_call(f.kind or "", node)
        # a user function, a builtin, a fitted object called: its arguments may hold steps
        args = self._args(node)
        if isinstance(func, ast.Name) and (f.kind or "").startswith(FUNCTION_MARKER):
            called = self.function_call_op(f.kind or "", args, func.id)
            if called is not None:
                return called  # theta = gradientDescent(X, y, theta): a hand-written model is a black box
            return Val(ops=args.ops)
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
            if func.id in kb_display.ANSWER_FUNCTIONS:
                return Val(ops=args.ops, inputs=args.inputs, answer=True)  # len(X): a number about X
            if func.id == "map" and node.args and self._library_op(node.args[0]) == "load":
                # pd.concat(map(pd.read_csv, files)): each file read by the loader passed by reference (what-is-a-step.md:
                # reading a file is a load), as [pd.read_csv(f) for f in files] is
                loader = self.expr(node.args[0]).kind or ""
                return Val(ops=args.ops + [Op("load", [], [], short(loader), facts={"method": short(loader)})])
            return Val(ops=args.ops)
        if isinstance(func, ast.Name) and f.kind is None and IMPORTED_LOADER_NAME.match(func.id):
            return self._imported_loader(func.id, args)  # X_train, X_val, y_val = load_data() after `from utils import *`
        named = (self.algorithm_op(func.id) or _imported_helper_op(func.id)) \
            if isinstance(func, ast.Name) and f.kind is None \
            and self.env.get(STAR_IMPORTED) and not UNIT_TEST_NAME.search(func.id) else None
        if named is not None:
            # p = multivariate_gaussian(X, mu, var) after `from utils import *`: a helper the notebook does not define,
            # named for a model step, is a black box whose call is that step (CONVENTIONS 4b), as an imported one is;
            # an exercise's unit test of it (`estimate_gaussian_test(estimate_gaussian)`) only checks it
            return self.function_call_op(f"{FUNCTION_MARKER}:{named}", args, func.id) or Val(ops=args.ops)
        if isinstance(func, ast.Name) and f.kind is None and func.id[:1].isupper() and self._wraps_a_model(node, args):
            return self._wrapper_fit(func.id, args)  # Model(GradientBoostingClassifier(), train, features, "y")
        if isinstance(func, ast.Name) and f.kind is None and self.scores_results(node, func.id):
            return self._helper_evaluation(func.id, args)  # res = thr_for_precision(y_test, proba) after `from utils import *`
        return Val(ops=f.ops + args.ops, inputs=union(f.inputs, args.inputs))

    @staticmethod
    def _helper_evaluation(name: str, args: Val) -> Val:
        """The call of a helper the notebook does not define that scores predictions or tables scores: its evaluate
        (ResultRules.scores_results)."""
        return Val(ops=args.ops + [Op("evaluate", list(args.inputs), [], name, facts={"method": name})],
                   inputs=list(args.inputs))

    def _library_op(self, node: ast.AST) -> Optional[str]:
        """The op of a library function named by reference (`pd.read_csv` -> "load"), from its library's FUNCTIONS."""
        path = self.expr(node).kind or ""
        if not self._is_path(path) or "." not in path:
            return None
        module = LIBRARIES.get(path.split(".", 1)[0])
        return getattr(module, "FUNCTIONS", {}).get(path.split(".", 1)[1]) if module else None

    @staticmethod
    def _imported_loader(name: str, args: Val) -> Val:
        """The call of a function the notebook does not define, named for loading data: its load (CONVENTIONS 4b)."""
        return Val(ops=args.ops + [Op("load", [], [], name, facts={"method": name})], kind="pandas.DataFrame()")

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
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
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

    def function_call(self, path: str, node: ast.Call) -> Val:
        lib = path.split(".", 1)[0]
        rel = path.split(".", 1)[1] if "." in path else path
        handle = self.opened(path, node) or self.handle_function(path, node)
        if handle is not None:
            return handle  # sqlite3.connect(db), requests.get(url), json.load(f): readers.py
        if short(path) in kb_sources.LOADER_FUNCTIONS:
            return Val(ops=[Op("load", [], [], self._load_detail(node) or short(path), facts={"method": short(path)})],
                       kind="numpy.ndarray()")  # loadmat(path), plt.imread(path): data read from a file
        if lib in kb_sources.REMOTE_TABLE_LIBRARIES:
            # web.DataReader("GS", data_source="yahoo", start=...): a table read from a web service
            return Val(ops=[Op("load", [], [], self._load_detail(node) or short(path), facts={"method": short(path)})],
                       kind="pandas.DataFrame()")
        if lib not in LIBRARIES and self.is_dataset_loader(path):
            # plotly.data.iris(), lifelines.datasets.load_rossi(): a packaged data set, even from a plotting library
            return Val(ops=[Op("load", [], [], short(path), facts={"method": short(path)})], kind="pandas.DataFrame()")
        if self.draws(path):
            # sns.histplot(df[df.x > 0].y): plotting, even when the call computes something; what it returns (a
            # figure, axes, a FacetGrid) only draws
            return Val(kind=FIGURE_MARKER, plot=True)
        args = self._args(node)
        inputs = args.inputs
        if lib == "numpy" and rel in kb_numpy.SHAPE_ONLY_FUNCTIONS:
            # mask = np.triu(np.ones_like(df.corr(), dtype=bool)): the argument only gives the shape of a new array
            # (a heatmap's mask, CONVENTIONS 15: boolean masks are no step), nothing is computed from its values
            args.ops = []
        if lib == "sklearn":
            return self.sklearn_function(path, node, args)
        if lib == "numpy" and rel in CLASS_CHOOSERS and node.args and PREDICTED in self.roles_in(node.args[0]):
            # np.argmax(proba, axis=1): the class of highest predicted probability, a prediction (CONVENTIONS 26)
            return Val(ops=args.ops + [Op("predict", list(inputs), [], None, facts={"method": rel})],
                       inputs=list(inputs), kind="numpy.ndarray()")
        if lib == "numpy" and rel in kb_display.ANSWER_FUNCTIONS:
            return Val(ops=args.ops, answer=True)  # np.mean(x), np.percentile(x, 99): a number, not data
        if lib in ("pandas", "polars", "numpy"):
            sourced = self.source_function(lib, rel, node, args)
            if sourced is not None:
                return sourced
        module = LIBRARIES.get(lib)
        table = getattr(module, "FUNCTIONS", {}) if module else {}
        if short(rel) in kb_sources.BINNING_FUNCTIONS:
            # pd.cut(x, np.arange(0, 80, 5)): the bins are a parameter of the cut, not data
            args.ops = [o for o in args.ops if not o.facts.get("generated")]
        if lib == "datetime" and node.args and all(isinstance(a, ast.Constant) for a in node.args):
            return Val(answer=True)  # date(2017, 1, 20): a constant, not dates parsed from data
        op = self.contested_function_op(lib, short(rel), node, table.get(rel, table.get(short(rel))))
        if op == "derive_feature" and short(rel) in kb_numpy.CONTESTED_FUNCTIONS:
            # np.column_stack((x, np.ones(n))): the column of ones is part of the design matrix (CONVENTIONS 13)
            args.ops = [o for o in args.ops if not (o.facts.get("generated") and o.facts.get("method") in
                                                    kb_sources.FILLED_GENERATORS)]
        if op is None and self.is_dataset_loader(path):
            op = "load"
        if short(rel) in kb_statsmodels.FORMULA_FUNCTIONS:
            return self.design_matrix(node, args)
        if op is None:
            if module is not None and lib in ("pandas", "polars", "numpy"):
                # constructors (pd.DataFrame, np.array) make frames; pl.col / pl.lit make expressions
                makes_frame = short(rel)[:1].isupper() or lib == "numpy"
                return Val(ops=args.ops, inputs=inputs, kind=self._frame_kind(lib) if makes_frame else None)
            if short(path) in kb_models.DATA_CONTAINERS and path.split(".", 1)[0] in kb_models.CONTAINER_LIBRARIES \
                    and inputs:
                # dtrain = xgb.DMatrix(X_train, label=y): the data in the library's own format (CONVENTIONS 12)
                return Val(ops=args.ops + [Op("other", list(inputs), [], None, facts={"method": short(path)},
                                              conversion=True)], inputs=list(inputs))
            if short(path)[:1].isupper() and self._wraps_a_model(node, args):
                return self._wrapper_fit(short(path), args)  # from project.model import Model; Model(SVC(), train, ...)
            if short(path)[:1].isupper() and self._built_from_source(path, node):
                # data = Data(filename) from the project's own module: its construction reads the data (CONVENTIONS 4b)
                return Val(ops=args.ops + [Op("load", [], [], self._load_detail(node) or short(path),
                                               facts={"method": short(path)})], kind=f"{path}()",
                           params=literal_params(node))  # its own methods stay its own (data.train_test_split())
            # an unknown library's class/function: remember instances of classes (xgb.XGBClassifier())
            if short(path)[:1].isupper():
                return Val(ops=args.ops, kind=f"{path}()", params=literal_params(node))
            if module is None and IMPORTED_LOADER_NAME.match(short(path)):
                return self._imported_loader(short(path), args)  # from utils import load_data; X = load_data()
            named = (kb_models.IMPORTED_FUNCTION_OPS.get(short(path)) or self.algorithm_op(short(path))
                     or _imported_helper_op(short(path))) if module is None else None
            if module is None and named is None and node.args and all(self._is_fitted(a) for a in node.args):
                # S = summarize(results): an imported helper that reads fitted models makes a results table (an
                # evaluation when kept, shown it is like `.summary()`: CONVENTIONS 4b, 27)
                return Val(ops=args.ops + [Op("evaluate", list(inputs), [], short(path),
                                               facts={"method": short(path), "result_table": True})],
                           inputs=list(inputs))
            if module is None and named is None and self.scores_results(node, short(path)):
                return self._helper_evaluation(short(path), args)  # from evaluate import append_results
            if module is None and TEST_NAME.search(short(path)):
                named = "evaluate"  # lifelines.statistics.logrank_test(...): a statistical test (CONVENTIONS 27)
            if named:  # utils.featureNormalize(X), utils.runkMeans(...): an imported helper is a black box (CONVENTIONS 4b)
                return self.function_call_op(f"{FUNCTION_MARKER}:{named}", args, short(path)) or Val(ops=args.ops)
            return Val(ops=args.ops, inputs=inputs)
        if op == "datetime_parse" and node.args and all(isinstance(a, ast.Constant) for a in node.args):
            return Val(answer=True)  # ts = pd.to_datetime("1/1/1999"): one date written in the code, not data parsed
        if op in ("derive_feature", "scale_normalize") and lib == "numpy" and node.args \
                and all(self.expr(arg).answer for arg in node.args):
            # se = np.sqrt(df.y.var() / len(df)), np.log(ratio): arithmetic on answers is an answer (CONVENTIONS 9)
            return Val(ops=args.ops, answer=True)
        if op == "concat" and self._pieces_are_answers(node):
            # pd.concat([df.isnull().sum(), df.dtypes], axis=1): answers side by side are an answer (what-is-a-step.md,
            # Inspection: "These produce an answer to a question, not data that the analysis goes on with")
            return Val(ops=self.kept_anywhere(args.ops), answer=True)
        columns = union(args.columns, self._keyword_columns(node))
        detail: Optional[str] = None
        if op == "load" and node.args and any(self._is_fitted(sub) for sub in ast.walk(node.args[0])):
            # pd.read_html(res.summary().tables[1].as_html())[0]: a fitted model's own report read back as a table
            # is its results table, no data read (CONVENTIONS 27: "assigned summary_frame() / results tables")
            fitted = [sub.id for sub in ast.walk(node.args[0]) if isinstance(sub, ast.Name) and self._is_fitted(sub)]
            return Val(ops=args.ops + [Op("evaluate", fitted, [], short(rel),
                                           facts={"method": short(rel), "result_table": True})], inputs=fitted)
        if op == "load":
            detail = self._load_detail(node) or short(rel)
            inputs = []
        elif op == "join":
            detail = self._join_key(node)
        elif op == "encode_categorical":
            columns = union(columns, self._keyword_columns(node, ("columns",)))
            detail = short(rel)  # get_dummies / Categorical / factorize
        elif op in ("derive_feature", "scale_normalize") and any(a.op == "evaluate" for a in args.ops):
            # np.sqrt(mean_squared_error(...)), np.expm1(best_mae_log): a metric on another scale is still the metric
            return Val(ops=args.ops, inputs=inputs)
        elif op == "derive_feature" and any(a.op == "predict" for a in args.ops):
            # np.round(model.predict(X)): arithmetic on a prediction is part of predicting
            return Val(ops=args.ops, inputs=inputs)
        # np.expm1(model.predict(X)): the prediction brought back from the target's log scale is a rescale of its own
        # (CONVENTIONS 23: expm1 is scale_normalize, "applied to a feature or a target"), as np.expm1(stored_pred) is
        # np.random.shuffle(a): the array is changed in place
        changed = node.args[0].id if short(rel) in kb.MUTATING_FUNCTIONS and node.args \
            and isinstance(node.args[0], ast.Name) else None
        # the result carries the columns of the data passed in (`pd.to_datetime(df["d"])` is `d`), not the columns that
        # configure the call: `pd.merge(a, b, on="k").drop("x", axis=1)` drops `x`, not `k` (the keys are the join's)
        # print(np.corrcoef(x, y)), Pmf.from_seq(x) as the cell's result: looked at (a library's INSPECTION_FUNCTIONS)
        shown_tables = getattr(module, "INSPECTION_FUNCTIONS", frozenset())
        shown_only = rel in shown_tables or short(rel) in shown_tables
        result = Val(ops=args.ops + [Op(op, inputs, columns, detail, changed, display=shown_only,
                                        facts={"method": short(rel), **({"params": self._join_params(node)}
                                                                        if op == "join" else {})})],
                     inputs=inputs, kind=self._frame_kind(lib), columns=list(args.columns))
        if op == "fit_model":
            result.kind = FITTED_MODEL  # res = minimize(...): res.fun, res.x are read from a fitted model
        if lib == "seaborn":
            result.kind = "pandas.DataFrame()"
        return result

    def _wraps_a_model(self, node: ast.Call, args: Val) -> bool:
        """A class the notebook does not define handed a model object (an estimator constructed or bound to a name)
        beside data: `Model(GradientBoostingClassifier(), train_scaled, features, "y")`."""
        handed = list(node.args) + [keyword.value for keyword in node.keywords]
        return bool(args.inputs) and any(is_estimator(instance_class(self.expr(value).kind) or "") for value in handed)

    @staticmethod
    def _wrapper_fit(name: str, args: Val) -> Val:
        """The project's own model class built from an estimator and the training data: a black box that fits it
        where it is built (CONVENTIONS 4b; what-is-a-step.md: `model.fit` is fit_model), as `model.train(X, y)` of such
        a class is; a constructor given no data is a model's constructor, no step (CONVENTIONS 15)."""
        return Val(ops=args.ops + [Op("fit_model", list(args.inputs), [], name, facts={"method": name})],
                   inputs=list(args.inputs), kind=FITTED_MODEL)

    def _built_from_source(self, path: str, node: ast.Call) -> bool:
        """A class of a module outside the knowledge base, the standard library and the database libraries handed a
        data file by a variable (bound to a path with a data file's extension, or named for a file) or a keyword
        named for a file, or a database handle (kb.sources.DATA_FILE_PATH, FILE_ARGUMENT_NAME). (A path written in
        the call, `Data('heart.csv')`, is left out: test_steps_pass15's OWN_MODEL_OBJECTS row reads it as no step.)"""
        module = path.split(".", 1)[0]
        if module in sys.stdlib_module_names or module in HANDLE_LIBRARIES:
            return False
        for keyword in node.keywords:
            if keyword.arg and FILE_ARGUMENT_NAME.match(keyword.arg):
                return True
        for value in list(node.args) + [keyword.value for keyword in node.keywords]:
            if isinstance(value, ast.Name) and value.id not in self.bound_otherwise:
                written = self.env.get(path_key(value.id))
                if FILE_ARGUMENT_NAME.match(value.id) or (written and DATA_FILE_PATH.search(written.lower())):
                    return True
            if handle_source(self.expr(value).kind) == "database":
                return True
        return False

    def _pieces_are_answers(self, node: ast.Call) -> bool:
        """Every piece written in the call's list is an answer about data (`df.isnull().sum()`, `df.a.describe()`)."""
        pieces = node.args[0].elts if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) else []
        return len(pieces) > 1 and all(self.is_answer_piece(piece) for piece in pieces)

    def is_answer_piece(self, piece: ast.AST) -> bool:
        """An answer about data put beside others (`df.isnull().sum()`, `len(df)`, a name bound to a statistic), or a
        model's parameters (`res.params`, CONVENTIONS 27)."""
        return (isinstance(piece, ast.Name) and answer_key(piece.id) in self.env) \
            or (isinstance(piece, ast.Attribute) and self._around_a_model(piece)) \
            or (isinstance(piece, (ast.Call, ast.Attribute, ast.BinOp)) and self.expr(piece).answer)

    def method_call(self, recv: Val, method: str, node: ast.Call) -> Val:
        if recv.plot or recv.kind == FIGURE_MARKER or method in kb_display.PLOT_METHODS:
            # df.groupby("k").mean().plot(): what feeds a figure is plotting; naf.fit(T, E).plot() still fitted naf
            return Val(ops=[op for op in recv.ops if op.output is not None and op.op == "fit_model"])
        handled = self.handle_method(recv, method, node)
        if handled is not None:
            return handled  # f.read(), r.json(), con.execute(q).fetchall(): readers.py
        query = str_const(node.args[0]) if method in kb_sources.SQL_METHODS and node.args else None
        if query is not None and re.match(r"\s*(select|with)\b", query, re.IGNORECASE):
            # ctx.execute("SELECT ... GROUP BY ..."): the query's clauses are the steps
            return Val(ops=list(recv.ops) + sql_clause_ops(query), kind="polars.DataFrame()")
        if method == "pipe" and node.args and isinstance(node.args[0], ast.Lambda) and node.args[0].args.args \
                and recv.inputs and not (recv.kind or "").startswith("grouped"):
            return self._piped_lambda(recv, node.args[0])
        if method == "pipe" and node.args and self._is_library_function(node.args[0]):
            return self._piped_library_call(recv, node)
        out = self._method_call(recv, method, node)
        # df.loc[mask].pipe(len): the builtin called through pipe, an answer as len(df.loc[mask]) is (CONVENTIONS 9)
        piped_answer = method == "pipe" and bool(node.args) and isinstance(node.args[0], ast.Name) \
            and node.args[0].id in kb_display.ANSWER_FUNCTIONS
        # counts.sum().to_frame("count").assign(pct=...): a table built on from per-column totals is no longer an
        # answer (CONVENTIONS 9: a chain that ENDS in a number is one)
        builds_on = recv.answer and method in TABLE_BUILDING_METHODS and bool(recv.inputs) and not recv.shown
        out.answer = (out.answer or recv.answer or piped_answer) and not builds_on
        totals = self._totals_of_a_table(node.func) if builds_on and method == "to_frame" else None
        if totals:
            # df[["a", "b"]].sum().to_frame("total"), flags_by_home.sum().to_frame("count"): one total per column of
            # a table, made a table to go on with, aggregates its rows (CONVENTIONS 22); not one column's number (9)
            at = len(recv.ops)
            if totals == "picked":
                # the columns picked to be totalled are part of the aggregation, as projections around a groupby
                # are (CONVENTIONS 18)
                picks = [i for i, op in enumerate(out.ops[:at]) if op.op == "select_columns"]
                if picks:
                    del out.ops[picks[-1]]
                    at -= 1
            out.ops.insert(at, Op("aggregate", list(recv.inputs), [], None, facts={"method": "totals"}))
        if (recv.kind or "").startswith("grouped") and method in kb_pandas.GROUP_TABLE_INSPECTIONS \
                and not recv.shown:
            return out  # print(df.groupby("k")["v"].describe()): a table of statistics per group, an aggregate
        if recv.shown or method in kb.INSPECTION_METHODS:
            # df.describe().T / df["x"].value_counts().sort_index(): showing data, step by step
            start = len(recv.ops)
            if method in kb.INSPECTION_METHODS and (recv.kind or "").startswith("grouped") and recv.ops \
                    and recv.ops[-1].op == "aggregate":
                start -= 1  # df.groupby("k")["v"].describe(): the groupby is part of the display
            for op in out.ops[max(start, 0):]:
                op.display = True
            out.shown = True
        return out

    def _is_library_function(self, ref: ast.AST) -> bool:
        """`ref` names a function of a library in the knowledge base that has an op (`pd.merge`, `np.log`)."""
        library, _, function = (self.module_path(ref) or "").partition(".")  # type: ignore[attr-defined]
        module = LIBRARIES.get(library)
        return module is not None and getattr(module, "FUNCTIONS", {}).get(function) is not None

    def _piped_library_call(self, recv: Val, node: ast.Call) -> Val:
        """`a[cols].pipe(pd.merge, b, on="k")` is `pd.merge(a[cols], b, on="k")`: a library's function piped the data is
        an ordinary call of it (CONVENTIONS 3: "`df.pipe(f)` is an ordinary call"), with that function's op, after the
        steps of the chain that piped the data in (one step per transforming call, what-is-a-step.md)."""
        call = ast.copy_location(ast.Call(func=node.args[0], args=[ast.Name(PIPED, ast.Load()), *node.args[1:]],
                                          keywords=node.keywords), node)
        called, inputs = self._read_with_piped(recv, PIPED, call)
        return Val(ops=list(recv.ops) + called.ops, inputs=inputs, kind=called.kind or recv.kind, base=recv.base,
                   columns=union(recv.columns, called.columns), answer=called.answer)

    def _piped_lambda(self, recv: Val, function: ast.Lambda) -> Val:
        """df.pipe(lambda d: d.select(...).explode(...).group_by(...).agg(...)): the lambda's body is written here and
        works on the data piped in, one step per transforming call (what-is-a-step.md, Granularity; CONVENTIONS 3:
        `df.pipe(f)` is an ordinary call, and a lambda's body is where it is written)."""
        body, inputs = self._read_with_piped(recv, function.args.args[0].arg, function.body)
        return Val(ops=list(recv.ops) + body.ops, inputs=inputs, kind=body.kind or recv.kind, base=recv.base,
                   columns=list(body.columns), answer=body.answer, shown=body.shown)

    def _read_with_piped(self, recv: Val, name: str, expr: ast.expr) -> tuple[Val, list]:
        """Read `expr` with `name` standing for the data piped in (bound to its kind while read, restored after), and
        name that data's own inputs wherever the read's steps and inputs name `name`."""
        before = self.env.get(name)
        if recv.kind:
            self.env[name] = recv.kind
        else:
            self.env.pop(name, None)
        try:
            read = self.expr(expr)  # type: ignore[attr-defined]
        finally:
            if before is None:
                self.env.pop(name, None)
            else:
                self.env[name] = before
        for op in read.ops:
            op.inputs = union(*[recv.inputs if used == name else [used] for used in op.inputs])
        return read, union(*[recv.inputs if used == name else [used] for used in read.inputs])

    def _totals_of_a_table(self, func: ast.AST) -> Optional[str]:
        """`func` is `<table>.sum().to_frame`: a reduction (kb.pandas.TABLE_TOTALS) of several columns picked by name
        ("picked") or of a table aggregated by groups ("grouped"); None for one column, or `df.isnull().sum()`, which
        the definition lists as inspection."""
        reduction = func.value if isinstance(func, ast.Attribute) else None
        if not (isinstance(reduction, ast.Call) and isinstance(reduction.func, ast.Attribute)
                and reduction.func.attr in kb_pandas.TABLE_TOTALS and not reduction.args):
            return None
        table = reduction.func.value
        if any(isinstance(sub, ast.Attribute) and sub.attr in kb.MISSING_TESTS | kb.PRESENT_TESTS
               for sub in ast.walk(table)):
            return None
        columns = str_list(table.slice) if isinstance(table, ast.Subscript) else None
        if columns is not None:
            return "picked" if len(columns) > 1 else None
        ops = self.expr(table).ops
        return "grouped" if ops and ops[-1].op == "aggregate" else None

    def _unknown_model_method(self, recv: Val, method: str, node: ast.Call) -> Optional[Val]:
        """model.make_predictions(X), model.train(X, y) of an object the classifier knows nothing of (the notebook's
        own modules make it): a black box named for a model step is that step (CONVENTIONS 4b), as a helper function
        so named is, and one named for reading data loads; None when the name says no such step
        (kb.models.UNKNOWN_OBJECT_METHOD_OPS)."""
        if IMPORTED_LOADER_NAME.match(method) and method not in LIBRARY_FUNCTION_NAMES:
            # kepler = acquire.get_data(verbose=True): the project's own object named for reading data reads it, as a
            # helper function so named does (CONVENTIONS 4b; kb.sources.IMPORTED_LOADER_NAME)
            return self._imported_loader(method, self._args(node))
        # (fit_transform / transform of a notebook's own transformer take its op, CONVENTIONS 25: no model step)
        named = self.algorithm_op(method) if node.args and "transform" not in method else None
        if named is None and node.args and TEST_NAME.search(method):
            named = "evaluate"  # model.test(X_test, y_test): scored on held-out data, as a method named score is
        if named not in kb_models.UNKNOWN_OBJECT_METHOD_OPS:
            return None
        args = self._args(node)
        output = recv.base if named == "fit_model" else None
        return Val(ops=args.ops + [Op(named, list(args.inputs), [], method, output, facts={"method": method})],
                   inputs=union([recv.base] if recv.base and named != "fit_model" else [], args.inputs))

    def _method_call(self, recv: Val, method: str, node: ast.Call) -> Val:
        if method in CLASS_CHOOSERS and isinstance(node.func, ast.Attribute) \
                and PREDICTED in self.roles_in(node.func.value):
            # lr.predict_proba(X).argmax(axis=1): the class of highest predicted probability, a prediction of its own
            # (CONVENTIONS 26: probabilities turned into classes are a prediction), not a statistic per row
            return Val(ops=list(recv.ops) + [Op("predict", list(recv.inputs), [], None, facts={"method": method})],
                       inputs=list(recv.inputs), kind="numpy.ndarray()")
        cls = instance_class(recv.kind)
        if cls == RANDOM_GENERATOR:
            return self.random_method(method, self._args(node), node)
        generated = bool(recv.ops) and recv.ops[-1].facts.get("generated") and method == "reshape"
        if generated and not recv.inputs:
            return Val(ops=list(recv.ops), kind=recv.kind)  # np.arange(12).reshape(3, 4): generated in that shape
        # pl_df.to_series(1): a polars frame's column taken out is a pick (kb.polars.METHODS), not a conversion; after
        # a pick (df.select("q").to_series()) it is the same column in another container
        picks_a_column = kb_polars.METHODS.get(method) == "select_columns" and library_of(recv.kind) == "polars" \
            and not recv.picked_column and not (recv.ops and recv.ops[-1].op == "select_columns")
        if recv.inputs and not picks_a_column \
                and (method in kb_sources.CONVERSION_METHODS or self._is_vector_reshape(method, node)):
            # df.copy(), X.ravel(), x.values.reshape(-1, 1): the same data in another container
            out = Val(ops=list(recv.ops) + [Op("other", list(recv.inputs), [], None, facts={"method": method},
                                                conversion=True)],
                      inputs=list(recv.inputs), base=recv.base, kind=recv.kind, columns=list(recv.columns),
                      shown=recv.shown, answer=recv.answer, picked_column=recv.picked_column)
            if method in ("to_pandas",):
                out.kind = "pandas.DataFrame()"
            elif method in ("lazy", "collect"):
                out.kind = "polars.DataFrame()"
            return out
        if cls and cls.split(".", 1)[0] not in ("pandas", "polars", "numpy"):
            return self.object_method(recv, cls, method, node)
        accessor = self._accessor(recv.kind)
        args = self._args(node)
        # classified per expression below
        arg_ops = [] if method in ("with_columns", "with_column", "assign", "select") else args.ops
        if method in kb.GROUPING_METHODS:
            # df.groupby(df.endTime.dt.date).seconds.sum(): a key computed to group by is part of the aggregation,
            # as a projection around it is (CONVENTIONS 18, 22)
            arg_ops = [o for o in arg_ops if o.op not in kb.GROUP_KEY_OPS or o.output is not None]
        out = Val(ops=list(recv.ops) + arg_ops, inputs=list(recv.inputs), base=recv.base,
                   columns=list(recv.columns))
        if accessor is not None:
            lib, acc = accessor
            op = self._accessor_table(lib, acc).get(method)
            if acc == "dt" and method in kb_pandas.DATE_FORMATTING_METHODS and node.args \
                    and WHOLE_DATE_FORMAT.search(str_const(node.args[0]) or ""):
                op = "type_cast"  # dt.strftime("%Y-%m"): the whole date written as text
            if op:
                detail = f"{acc}.{method}" if op == "encode_categorical" else None
                out.ops.append(Op(op, recv.inputs, recv.columns, detail, facts={"method": f"{acc}.{method}"}))
            out.kind = self._frame_kind(lib)
            return out
        lib = library_of(recv.kind)
        if recv.kind == "grouped" or (recv.kind or "").startswith("grouped:"):
            grouping = next((o for o in reversed(out.ops) if o.op == "aggregate"
                             and o.facts.get("method") in kb.GROUPING_METHODS), None)
            if method in kb.GROUPING_METHODS and grouping is not None:
                # df.groupby("k").resample("M").sum(): a resample by time within groups groups once more; the chain
                # has one transforming call, its reduction, so it is one aggregate by `k` (what-is-a-step.md,
                # Granularity: "one step per transforming call"; "A bare `groupby(...)` ... is not a step")
                grouping.facts["method"] = method
                out.kind = recv.kind
                return out
            if method in kb_pandas.GROUP_ROW_METHODS and grouping is not None:
                # groupby("k").v.cumsum() / shift() / rank() / rolling(3).mean(): a value per row of its group, not
                # one per group: the grouped step derives (CONVENTIONS 22); a window's reduction is absorbed into it
                grouping.op = "derive_feature"
                grouping.facts["method"] = method  # the call that made the values (a window's stays absorbable)
                if method in kb.WINDOW_METHODS:
                    out.kind = recv.kind
                else:
                    out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_ROW_OPS and grouping is not None:
                # groupby("k").v.ffill() / .head(1): each group's rows filled or picked, the grouped step is that op
                grouping.op = kb_pandas.GROUP_ROW_OPS[method]
                grouping.facts["method"] = method
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_ROW_METHODS and method not in kb.WINDOW_METHODS:
                # groups made in an earlier statement (`g = df.groupby("k")`, then `g.v.cumsum()`): a value per row
                # derives here too, not only in one chain (a window's derives below, its reduction absorbed)
                out.ops.append(Op("derive_feature", recv.inputs, recv.columns, facts={"method": method}))
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                return out
            if method in kb_pandas.GROUP_REDUCERS or (method == "pipe" and _reduces_groups(node)):
                out.kind = "pandas.DataFrame()" if recv.kind == "grouped" else recv.kind.split(":", 1)[1]
                if self.env.get(WINDOW + (chain_root(node.func) or "")) and not recv.ops:
                    # roll = s.rolling(30) in an earlier statement, then roll.agg(["mean", "std"]): a value per row
                    # over its window, as s.rolling(30).mean() in one chain (CONVENTIONS 22: rolling derives)
                    out.ops.append(Op("derive_feature", recv.inputs, recv.columns, facts={"method": method}))
                    out.kind = "pandas.DataFrame()"
                    return out
                if not any(op.facts.get("method") in kb.GROUPING_METHODS | kb.WINDOW_METHODS for op in recv.ops):
                    # grouped = df.groupby("k") in an earlier statement: the reduction is the aggregate
                    out.ops.append(Op("aggregate", recv.inputs, recv.columns, facts={"method": method}))
                statistic = _group_statistic(method, node)
                if statistic and out.ops and out.ops[-1].op == "aggregate":
                    out.ops[-1].facts["statistic"] = statistic  # groupby("k").v.mean(): each group's mean of `v`
                if method == "pipe" and node.args and isinstance(node.args[0], ast.Lambda):
                    # pipe(lambda grp: pd.DataFrame({...}).unstack()): the table of group values is then reshaped,
                    # one step per transforming call of the chain (what-is-a-step.md, Granularity)
                    out.ops.extend(Op(op, recv.inputs, [], None, facts={"method": name})
                                   for name, op in _chained_after_reducing(node.args[0].body))
                if self._per_row_group_result(method, node) and out.ops and out.ops[-1].op == "aggregate":
                    # g.transform("mean"), g.apply(top_rows): a value per row, not one per group (CONVENTIONS 22);
                    # g.transform(lambda x: x.fillna(x.median())) fills each group's gaps
                    effect = self.function_effect(node.args[0]) if node.args else None
                    out.ops[-1].op = kb_pandas.GROUP_FUNCTION_OPS.get(effect or "", "derive_feature")
                return out  # absorbed into the groupby step
            lib = None if recv.kind == "grouped" else library_of(recv.kind.split(":", 1)[1])
        if not recv.inputs and not recv.kind:
            # method on something we know nothing about (a literal, a call result of unknown code)
            if method in ("fit",):
                return self.object_method(recv, "", method, node)
            if method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
                return self.object_method(recv, "", method, node)
            return self._unknown_model_method(recv, method, node) or out
        op, lib_used = self._frame_method_op(lib, method, node)
        op = self.contested_op(lib_used, method, recv, node, op)
        if method == "select" and lib_used == "polars" and _selects_only_statistics(node):
            # df.select(pl.col("a").mean()), select(pl.len()): numbers about the data, an answer as s.mean() is
            # (CONVENTIONS 9: "A single number (sum, mean, ...) is not a step, even when assigned")
            out.answer = True
            out.kind = self._frame_kind("polars")
            return out
        if method in ("fit", "fit_transform", "transform") and op is None:
            return self.object_method(recv, "", method, node)
        if op is None and method in kb_sklearn.METHODS and kb_sklearn.METHODS[method]:
            return self.object_method(recv, "", method, node)
        if op is None and not recv.kind and not recv.ops:
            named = self._unknown_model_method(recv, method, node)
            if named is not None:
                return named
        out.kind = self._frame_kind(lib_used or lib) if (lib_used or lib) else recv.kind
        if op is None:
            if method in ("to_pandas",):
                out.kind = "pandas.DataFrame()"
            if method in kb_display.ANSWER_METHODS and kwarg(node, "axis") is not None and recv.inputs:
                # X.mean(axis=0), hits.any(axis=1): one value per column or row, a table of statistics
                # as another call's argument (`df.div(df.sum(axis=1))`) it is part of that step (CONVENTIONS 9)
                # shown, it is an answer like any reduction (display)
                out.ops.append(Op("aggregate", recv.inputs, recv.columns, pick=True, display=True,
                                  facts={"method": method}))
                return out
            out.answer = method in kb_display.ANSWER_METHODS or (
                method == "apply" and self.mapping_argument(recv, node) == "reduces")  # df.apply(np.mean)
            return out
        columns = union(self._keyword_columns(node), self._positional_columns(node, method))
        inputs = union(recv.inputs, args.inputs if op in ("join", "concat") else [])
        detail: Optional[str] = None
        facts: dict = {"method": method}
        if op == "join":
            detail = self._join_key(node)
            facts["params"] = self._join_params(node)
        elif op == "other" and method.startswith(("to_", "write_", "sink_")):
            detail = self._load_detail(node)
        elif op == "encode_categorical":
            detail = self._encode_method(method, node)
        elif op == "impute_missing":
            fill_value_ops = [o for o in arg_ops if o.op == "aggregate" or (
                o.op == "derive_feature" and o.facts.get("method") in kb.GROUPING_METHODS)]
            if fill_value_ops:
                # fillna(df.groupby(keys)[c].transform("median")): the group statistic is how the gaps are
                # filled (the detail), not a step of its own
                out.ops = [o for o in out.ops if all(o is not f for f in fill_value_ops)]
            fill = node.args[0] if node.args else kwarg(node, "value")
            if fill is not None and _draws_from_values(fill):
                # fillna(pd.Series(np.random.choice(df.c.dropna().values, size=n))): values drawn to fill the gaps
                # with, and the observed values they are drawn from, are how the gaps are filled (random imputation),
                # not steps of their own (CONVENTIONS 9: a parameter of another step is part of that step)
                out.ops = [o for o in out.ops if all(o is not f for f in arg_ops)]
            if fill_value_ops and method == "fillna":
                facts.update(self._group_fill(node))
                if "statistic" in facts:  # the earlier text, for readers of the JSON; the wording reads the fields
                    detail = f"{facts['statistic']} by {', '.join(facts['group_keys'])}"
        if op == "filter_rows" and method == "drop" and node.args and isinstance(node.args[0], ast.Attribute) \
                and node.args[0].attr == "index" and isinstance(node.args[0].value, ast.Name):
            facts["dropped"] = node.args[0].value.id  # df.drop(part.index): the rows of `part` leave
        if op == "filter_rows" and method == "filter" and len(node.args) == 1 and self._is_mask(node.args[0]):
            op = self._mask_op(node.args[0])
            facts["conditions"] = self._mask_conditions(node.args[0])
        elif op == "filter_rows" and self._mask_is_outlier(node):
            op = "outlier_remove"
        if op in ("filter_rows", "outlier_remove") and method == "query" and node.args:
            facts["conditions"] = self._query_conditions(node.args[0])
        produced: list[Op] = []
        # fit(df.drop("y", axis=1), df["y"]) only feeds the call (decided in _args); pop changes its receiver
        pick = op == "drop_columns" and method != "pop" and not is_true(kwarg(node, "inplace"))
        if method in ("with_columns", "with_column", "assign"):
            produced = self._expression_ops(node, recv.inputs)
        elif method == "select" and lib_used == "polars":
            produced = self._expression_ops(node, recv.inputs, selecting=True)
        if method in kb.GROUPING_METHODS and recv.ops and recv.ops[-1].op == "select_columns" and recv.ops[-1].pick:
            # df[["a", "k"]].groupby("k").mean(): the projection belongs to the aggregation (CONVENTIONS 18)
            out.ops = [o for o in out.ops if o is not recv.ops[-1]]
        if not produced:
            # a drop names the columns it drops, never those of the data it is chained onto
            own = columns if op == "drop_columns" else union(recv.columns, columns)
            produced = [Op(op, inputs, own, detail, pick=pick, facts=facts)]
        if recv.base and (is_true(kwarg(node, "inplace")) or (method in kb.MUTATING_METHODS and lib_used != "polars"
                                                              and (method, lib_used) != ("append", "pandas"))):
            for item in produced:  # df.dropna(inplace=True), arr.sort(), df.pop("year"): the receiver changes
                item.output = recv.base
        if method in kb_sources.TRANSPOSES:
            for item in produced:
                item.conversion = True  # X.T @ X: turned around to compute with (kept only as a whole assignment)
        out.ops.extend(produced)
        out.inputs = inputs
        out.computed = method == "eval"  # df.eval("a + b == 0"): a computed value (its cast is part of it)
        if op == "aggregate" and (method in kb.GROUPING_METHODS or method == "value_counts"):
            # the columns grouped by, apart from those aggregated (picked after it: groupby("k")["v"]); a value count
            # groups by the values counted
            keys = union(recv.columns, columns) if method == "value_counts" else columns
            for item in produced:
                if keys:
                    item.facts["group_keys"] = list(keys)
        if op == "aggregate" and method in kb.GROUPING_METHODS:
            out.kind = "grouped" if not lib_used or lib_used == "pandas" else f"grouped:{self._frame_kind(lib_used)}"
        if op == "derive_feature" and method in kb.WINDOW_METHODS:
            out.kind = "grouped"
        return out

    def design_matrix(self, node: ast.Call, args: Val) -> Val:
        """patsy.dmatrices("y ~ C(g) + np.log(x)", data): one step per distinct kind of term of the formula."""
        formula = str_const(node.args[0]) if node.args else None
        if formula is None and node.args and isinstance(node.args[0], ast.Name):
            marker = self.env.get(node.args[0].id, "")
            formula = marker[len(FORMULA_MARKER):] if marker.startswith(FORMULA_MARKER) else None
        ops: list[str] = []
        if formula is not None:
            rhs = formula.split("~", 1)[-1]
            for match in re.finditer(r"([A-Za-z_][\w.]*)\s*\(", rhs):
                op = kb_statsmodels.FORMULA_TERM_OPS.get(match.group(1).rsplit(".", 1)[-1])
                if op and op not in ops:
                    ops.append(op)
            if not ops:
                ops.append("select_columns")
        data = [i for i in args.inputs]
        return Val(ops=args.ops + [Op(op, data, [], None, facts={"method": "formula"}) for op in ops],
                   inputs=data, kind="pandas.DataFrame()")

    def _per_row_group_result(self, method: str, node: ast.Call) -> bool:
        """groupby(...).transform(...) keeps one value per row; groupby(...).apply(f) too when the notebook's f does
        not reduce a group to one value."""
        if method == "transform":
            return True
        if method == "apply" and node.args and self.reduces_to_a_number(node.args[0]):
            # g.v.apply(lambda x: x.str[:2].unique()): each group reduced to its distinct codes, one result per group;
            # the text work inside only computes it
            return False
        if method == "apply" and node.args and self.function_effect(node.args[0]) in kb_pandas.GROUP_FUNCTION_OPS:
            return True
        if method == "apply" and node.args and isinstance(node.args[0], ast.Name):
            marker = self.env.get(node.args[0].id, "")
            return marker.startswith(FUNCTION_MARKER) and self.env.get(REDUCES + node.args[0].id) is None
        return False

    @staticmethod
    def is_dataset_loader(path: str) -> bool:
        """sm.datasets.fair.load_pandas, lifelines.datasets.load_rossi, plotly.data.iris: a packaged data set."""
        parts = path.split(".")
        if parts[0] not in kb_sources.DATASET_LIBRARIES or len(parts) < 2:
            return False
        if any(part in kb_sources.DATASET_MODULE_PARTS for part in parts[1:-1]):
            return True
        return parts[-1].startswith(kb_sources.DATASET_FUNCTION_PREFIXES) and parts[0] != "sklearn"

    @staticmethod
    def _is_vector_reshape(method: str, node: ast.Call) -> bool:
        """x.reshape(-1, 1) / x.reshape(n, 1) / x.reshape(-1): a column or flat vector, the same values."""
        if method != "reshape":
            return False
        shape = node.args[0].elts if len(node.args) == 1 and isinstance(node.args[0], ast.Tuple) else node.args
        consts = [a.value if isinstance(a, ast.Constant) else -1 if isinstance(a, ast.UnaryOp) else None for a in shape]
        return len(shape) == 1 and consts == [-1] or len(shape) == 2 and (1 in consts or consts == [1, -1])

    def _frame_method_op(self, lib: Optional[str], method: str, node: ast.Call) -> tuple[Optional[str], Optional[str]]:
        """Look the method up in the receiver's library table first, then the others."""
        order = {"polars": ("polars", "pandas", "numpy"), "numpy": ("numpy", "pandas", "polars")}.get(
            lib or "", ("pandas", "polars", "numpy"))
        tables = {"pandas": kb_pandas.METHODS, "polars": kb_polars.METHODS, "numpy": kb_numpy.METHODS}
        for name in order:
            table = tables[name]
            if method in table:
                return table[method], name
        return None, None

    @staticmethod
    def _encode_method(method: str, node: ast.Call) -> str:
        """How a method call encodes, for the step's detail: `map`, `astype('category')`, `cast(pl.Categorical)`."""
        if method in kb.CAST_METHODS and node.args:
            try:
                return f"{method}({ast.unparse(node.args[0])})"
            except Exception:
                return method
        return method

    def _group_fill(self, node: ast.Call) -> dict:
        """fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median")) -> statistic "median", group_keys
        ["Sex", "Pclass"] ({} when either is unknown)."""
        head = node.args[0] if node.args else kwarg(node, "value")
        while isinstance(head, ast.Subscript):  # ...transform(...)["Age"]
            head = head.value
        if not (isinstance(head, ast.Call) and isinstance(head.func, ast.Attribute)):
            return {}
        statistic: Optional[str] = head.func.attr
        if statistic in ("transform", "agg", "aggregate"):
            statistic = str_const(head.args[0]) if head.args else None
        elif statistic not in kb_pandas.GROUP_REDUCERS and statistic != "mode":
            statistic = None
        keys: list[str] = []
        for sub in ast.walk(head):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                    and sub.func.attr in kb.GROUPING_METHODS:
                by = sub.args[0] if sub.args else kwarg(sub, "by")
                keys = self._slice_columns(by)
                break
        return {"statistic": statistic, "group_keys": keys} if statistic and keys else {}

    # ---------------------------------------------------------- argument details
    def _keyword_columns(self, node: ast.Call, names: tuple[str, ...] = (
            "columns", "subset", "on", "by", "left_on", "right_on", "id_vars", "value_vars", "index", "values",
            "keys", "cols")) -> list[str]:
        cols: list[str] = []
        for keyword in node.keywords:
            if keyword.arg not in names:
                continue
            value = keyword.value
            if isinstance(value, ast.Dict):  # rename(columns={"a": "b"})
                cols.extend(c for c in (str_const(k) for k in value.keys if k is not None) if c)
            else:
                cols.extend(self._slice_columns(value))
        return union(cols)

    def _positional_columns(self, node: ast.Call, method: str) -> list[str]:
        if method in ("groupby", "group_by", "sort_values", "sort", "drop", "select", "unique", "drop_duplicates",
                      "dropna", "drop_nulls", "pivot_table", "value_counts", "explode", "set_index", "melt"):
            cols: list[str] = []
            for arg in node.args[:1] if method not in ("select", "drop", "group_by") else node.args:
                cols.extend(self._slice_columns(arg))
                cols.extend(self._expression_columns(arg))
            return union(cols)
        if method == "rename" and node.args and isinstance(node.args[0], ast.Dict):
            return [c for c in (str_const(k) for k in node.args[0].keys if k is not None) if c]
        return []

    def _load_detail(self, node: ast.Call) -> Optional[str]:
        candidate: Optional[ast.AST] = node.args[0] if node.args else None
        if candidate is None:
            for key in LOAD_PATH_KEYWORDS:
                candidate = kwarg(node, key)
                if candidate is not None:
                    break
        if candidate is None:
            return None
        literal = str_const(candidate)
        if literal is not None:
            return literal
        if isinstance(candidate, ast.Name) and path_key(candidate.id) in self.env \
                and candidate.id not in self.bound_otherwise:
            return self.env[path_key(candidate.id)]  # path = "data.csv" (this cell or an earlier one); read_csv(path)
        try:
            return ast.unparse(candidate)
        except Exception:
            return None

    def _join_key(self, node: ast.Call) -> Optional[str]:
        on = kwarg(node, "on")
        if on is not None:
            cols = self._slice_columns(on)
            return ", ".join(cols) if cols else ast.unparse(on)
        # each side's key: its columns (left_on / right_on) or its index (left_index / right_index)
        sides = []
        for on, index in (("left_on", "left_index"), ("right_on", "right_index")):
            given = kwarg(node, on)
            sides.append("index" if is_true(kwarg(node, index)) else None if given is None
                         else ", ".join(self._slice_columns(given)) or ast.unparse(given))
        left, right = sides
        if left is not None and right is not None and left != right:
            return f"{left} = {right}"  # merge(a, b, left_index=True, right_on="movie_id"): "index = movie_id"
        return left or right

    @staticmethod
    def _join_params(node: ast.Call) -> dict:
        """{"how": "outer"}: which rows a join keeps, when the call says it (the default differs by call)."""
        how = str_const(kwarg(node, "how")) if kwarg(node, "how") is not None else None
        return {"how": how} if how else {}



# what picks the class of highest probability out of predicted probabilities
CLASS_CHOOSERS = frozenset({"argmax"})
# methods that turn what they are called on into a table to go on with
TABLE_BUILDING_METHODS = frozenset({"to_frame", "assign"})


def _chained_after_reducing(body: ast.AST) -> list[tuple[str, str]]:
    """(method, op) of the transforming pandas calls chained onto the table a group function builds, innermost first:
    `pd.DataFrame({...}).unstack()` -> [("unstack", "reshape")]."""
    found: list[tuple[str, str]] = []
    while isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr in kb_pandas.METHODS:
        op = kb_pandas.METHODS[body.func.attr]
        if op is not None:
            found.append((body.func.attr, op))
        body = body.func.value
    func = body.func if isinstance(body, ast.Call) else None
    built = (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") \
        in ("DataFrame", "Series")
    return found[::-1] if built else []


def _group_statistic(method: str, node: ast.Call) -> Optional[str]:
    """What a reduction of groups computes, when it is one statistic named in the code: `mean()` -> "mean",
    `agg("median")` -> "median"; None for a function, a dict, a list of statistics or a per-row result."""
    if method in ("agg", "aggregate") and len(node.args) == 1 and not node.keywords:
        return str_const(node.args[0])
    return method if method in kb_pandas.GROUP_STATISTICS else None


def _selects_only_statistics(node: ast.Call) -> bool:
    """Every expression of a polars select reduces its column to one value (`pl.col("a").mean()`, `pl.len()`,
    `pl.col("a").n_unique().alias("n")`), none per row (`.over(...)`)."""
    exprs = list(node.args) + [k.value for k in node.keywords if k.arg]
    if len(exprs) == 1 and isinstance(exprs[0], (ast.List, ast.Tuple)):
        exprs = list(exprs[0].elts)
    return bool(exprs) and all(_reduces_to_one_value(expr) for expr in exprs)


def _reduces_to_one_value(expr: ast.AST) -> bool:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("alias", "round"):
        expr = expr.func.value  # pl.col("a").mean().alias("m"), .mean().round(2): still the one value
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return False
    if isinstance(expr.func.value, ast.Name) and expr.func.attr in kb_polars.REDUCTIONS:
        return True  # pl.len(), pl.sum("a"), pl.mean("a")
    return expr.func.attr in kb_polars.REDUCTIONS and isinstance(expr.func.value, ast.Call)


def _reduces_groups(node: ast.Call) -> bool:
    """groupby(k).pipe(lambda grp: pd.DataFrame({"a": grp["x"].any()})): a function handed the groups that reduces
    them, one value per group, as groupby(k).x.any() does (CONVENTIONS 22: aggregate)."""
    function = node.args[0] if node.args else None
    return isinstance(function, ast.Lambda) and any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in kb_pandas.GROUP_REDUCERS
        for sub in ast.walk(function.body))


def _draws_from_values(node: ast.AST) -> bool:
    """The expression draws values at random out of given ones (`np.random.choice(observed, size=n)`)."""
    return any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
               and sub.func.attr in kb_sources.DRAWS_FROM_VALUES and sub.args for sub in ast.walk(node))
