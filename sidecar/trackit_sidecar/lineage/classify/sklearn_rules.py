"""scikit-learn (and any fittable model): constructors bind objects, composites remember their components,
fit / transform / predict / score become steps."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import LIBRARIES
from ..kb import feature_engine as kb_feature_engine
from ..kb import islp as kb_islp
from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from ..kb import sources as kb_sources
from .env_markers import LITERAL_MARKER
from .results import PREDICTED
from .values import (FITTED_MODEL, MARKER, Op, Val, copied, instance_class, instance_components, literal_params,
                     picked_by_condition, short, union)

# a function or method named for a statistical test (logrank_test, st.test_equal_odds): evaluate (CONVENTIONS 27)
TEST_NAME = re.compile(kb_models.TEST_FUNCTION_NAME)
SPLIT_METHOD = re.compile(kb_models.SPLIT_METHOD_NAME)
METRIC_NAME = re.compile(kb_sklearn.METRIC_NAME)
# + name: the class paths of the estimators a list of pipeline steps written in the code holds ("a.B,c.D"; also when an
# empty list, `steps = []`, is filled by append / extend before `Pipeline(steps)`)
COMPONENT_LIST = f"{MARKER}component_list:"


def sklearn_transformer_op(cls_path: str) -> Optional[str]:
    """The op of a scikit-learn-style transformer's transform (scikit-learn's own, feature-engine's or ISLP's)."""
    name = short(cls_path)
    return kb_sklearn.TRANSFORMERS.get(name) or kb_feature_engine.TRANSFORMERS.get(name) \
        or kb_islp.TRANSFORMERS.get(name) or _transformer_module_op(cls_path) or _transformer_named(name)


def _transformer_module_op(cls_path: str) -> Optional[str]:
    """The op of every class of a scikit-learn module of transformers (kb.sklearn.TRANSFORMER_MODULES)."""
    return next((op for module, op in kb_sklearn.TRANSFORMER_MODULES.items() if cls_path.startswith(module)), None)


TRANSFORMER_NAMES = [(re.compile(pattern), op) for pattern, op in kb_sklearn.TRANSFORMER_NAME_OPS]


def _transformer_named(name: str) -> Optional[str]:
    """The op a preprocessor class outside the tables names (kb.sklearn.TRANSFORMER_NAME_OPS), else None; a class the
    tables know as an estimator is not renamed by its words."""
    if not name[:1].isupper() or name in kb_sklearn.ESTIMATORS:
        return None
    # WOEEncoder -> woe_encoder: an acronym ends where a capitalised word begins
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    return next((op for pattern, op in TRANSFORMER_NAMES if pattern.search(words)), None)


def is_estimator(cls_path: str) -> bool:
    name = short(cls_path)
    if sklearn_transformer_op(cls_path) or name in kb_sklearn.COMPOSITES or name in kb_sklearn.SPLITTERS:
        return False
    return name in kb_sklearn.ESTIMATORS or name.endswith(kb_sklearn.ESTIMATOR_SUFFIXES) \
        or cls_path.startswith(kb_sklearn.ESTIMATOR_MODULES)


def is_sklearn_name(name: str) -> bool:
    return (
        name in kb_sklearn.TRANSFORMERS or name in kb_sklearn.ESTIMATORS or name in kb_sklearn.COMPOSITES
        or name in kb_sklearn.SPLITTERS or name in kb_sklearn.FUNCTIONS
    )



class SklearnRules:
    """Mixin of `Cell`: estimators, transformers, composites and splitters."""

    env: dict[str, str]

    def sklearn_function(self, path: str, node: ast.Call, args: Val) -> Val:
        name = short(path)
        if name in kb_sklearn.COMPOSITES:
            components = self._components(node)
            return Val(ops=[], kind=f"{path}({','.join(components)})")
        op = kb_sklearn.FUNCTIONS.get(name)
        if op is None and (name in kb_sklearn.TRANSFORMERS or name in kb_sklearn.SPLITTERS or is_estimator(name)
                           or name[:1].isupper() or name in kb_sklearn.CONSTRUCTOR_FUNCTIONS):
            # a constructor: the object is bound, its methods act; a function wrapper keeps the function's op
            wrapped = self._wrapped_function_op(node) if name in kb_sklearn.FUNCTION_WRAPPERS else None
            return Val(ops=[], kind=f"{path}({wrapped or ''})", params=literal_params(node))
        if op is None and path.startswith(kb_sklearn.METRIC_MODULE) and METRIC_NAME.search(name):
            op = "evaluate"  # sklearn.metrics.mean_pinball_loss(...): a metric the table does not name
        if op is None:
            for prefix, prefixed_op in kb_sklearn.FUNCTION_PREFIXES.items():
                if name.startswith(prefix):
                    op = prefixed_op
        if op is None:
            return Val(ops=args.ops, inputs=args.inputs)
        # mean_absolute_error(y[spicy], pred[spicy]), resample(X[y == 1], ...): rows picked only to pass to the call
        # feed it (as in a model's method, object_method)
        args.ops = [o for o in args.ops if not (o.op == "filter_rows" and o.output is None)]
        inputs = [i for i in args.inputs]
        # split: None, so a tuple target's names become the detail (output holds only the first)
        if name in kb_sklearn.THRESHOLD_FUNCTIONS and node.args and PREDICTED in self.roles_in(node.args[0]):  # type: ignore[attr-defined]
            op = "predict"  # binarize([proba], threshold=0.3): predicted probabilities turned into classes
        detail = name if op in ("evaluate", "load", "encode_categorical") else None
        if op == "load":
            inputs = []
        facts: dict = {"method": name}
        if name in kb_sklearn.ESTIMATOR_FIRST_FUNCTIONS and node.args and isinstance(node.args[0], ast.Name):
            facts["model"] = node.args[0].id  # cross_val_score(knn, X, y): the model scored, not data scored
        if name in kb_sklearn.FOLD_SCORING_FUNCTIONS:
            facts["cross_validated"] = True
        return Val(ops=args.ops + [Op(op, inputs, [], detail, facts=facts)], inputs=inputs,
                    kind="pandas.DataFrame()" if op == "load" else None)

    def _wrapped_function_op(self, node: ast.Call) -> Optional[str]:
        """FunctionTransformer(np.log1p) / FunctionTransformer(func=np.log): the op the library tables give the wrapped
        function (kb.sklearn.FUNCTION_WRAPPERS), else None."""
        func = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "func"), None)
        if func is None:
            return None
        path = self.expr(func).kind or ""
        if not self._is_path(path) or "." not in path:
            return None
        module = LIBRARIES.get(path.split(".", 1)[0])
        op = getattr(module, "FUNCTIONS", {}).get(path.split(".", 1)[1]) if module else None
        return op if isinstance(op, str) else None

    def _components(self, node: ast.Call) -> list[str]:
        """Flattened class paths of the transformers/estimators inside a composite's arguments (`transformer=`: the
        one feature-engine's SklearnTransformerWrapper applies)."""
        return self._components_in(list(node.args) + [k.value for k in node.keywords
                                                      if k.arg in ("steps", "transformers", "estimator",
                                                                   "transformer_list", "regressor", "transformer")])

    def _components_in(self, items: list[ast.expr]) -> list[str]:
        """Flattened class paths of the transformers/estimators written in these expressions."""
        found: list[str] = []

        def visit(item: ast.AST) -> None:
            if isinstance(item, ast.Call):
                target = self.expr(item.func)
                path = target.kind if self._is_path(target.kind) else None
                if path and short(path) in kb_sklearn.COMPOSITES:
                    inner = self._components(item)
                    found.extend(inner)
                    return
                if path:
                    found.append(path)
                    return
                for arg in list(item.args) + [k.value for k in item.keywords]:
                    visit(arg)
            elif isinstance(item, ast.Name):
                kind = self.env.get(item.id, "")
                cls = instance_class(kind)
                if cls and short(cls) in kb_sklearn.COMPOSITES:
                    found.extend(instance_components(kind))
                elif cls:
                    found.append(cls)
                elif self.env.get(COMPONENT_LIST + item.id):
                    found.extend(self.env[COMPONENT_LIST + item.id].split(","))  # Pipeline(steps): the list's steps
            elif isinstance(item, (ast.List, ast.Tuple)):
                for elt in item.elts:
                    visit(elt)

        for item in items:
            visit(item)
        return found

    def remember_component_list(self, target: ast.AST, value: ast.AST) -> None:
        """`steps = [("scaler", StandardScaler()), ("model", LogisticRegression())]`, then `Pipeline(steps)`: the
        list written in the code holds the pipeline's components, as the list written inside the call would
        (CONVENTIONS 25: a pipeline that ends in a model is fitted as one fit_model). Any other value forgets it."""
        if not isinstance(target, ast.Name):
            return
        found = self._classes_in(value) if isinstance(value, (ast.List, ast.Tuple)) else []
        if found:
            self.env[COMPONENT_LIST + target.id] = ",".join(found)
        else:
            self.env.pop(COMPONENT_LIST + target.id, None)

    def extend_component_list(self, call: ast.AST) -> None:
        """`steps.append(("model", LogisticRegression()))`, `steps.extend([...])`, `steps.insert(0, ...)` on a list of
        pipeline steps, or on an empty list written in the code (`steps = []`): what it holds grows."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in ("append", "extend", "insert") and isinstance(call.func.value, ast.Name)
                and call.args):
            return
        key = COMPONENT_LIST + call.func.value.id
        if key not in self.env and self.env.get(call.func.value.id) != LITERAL_MARKER:
            return
        added = self._classes_in(call.args[-1])
        if added:
            self.env[key] = ",".join([part for part in self.env.get(key, "").split(",") if part] + added)

    def _classes_in(self, item: ast.expr) -> list[str]:
        """The class paths of the transformers / estimators written in a list of steps (`[("s", StandardScaler())]`),
        none when it holds no class (`[pd.read_csv(p)]`, `[1, 2]`)."""
        found = self._components_in([item])
        return found if any(short(path)[:1].isupper() for path in found) else []

    def object_method(self, recv: Val, cls: str, method: str, node: ast.Call) -> Val:
        """A method of a fitted / fittable object (sklearn or a model from any library)."""
        if method in kb_sklearn.RETURNS_ITSELF:
            return copied(recv)  # StandardScaler().set_output(transform="pandas"): the same scaler, configured
        if method in kb_sklearn.INCREMENTAL_FIT_METHODS:
            method = "fit"  # clf.partial_fit(X_batch, y_batch, classes=...): fitted a batch at a time, a fit all the same
        args = self._args(node)
        # model.predict(np.c_[xx.ravel(), yy.ravel()]): arrays put side by side only to pass them (CONVENTIONS 13)
        args.ops = [op for op in args.ops if not (op.op == "concat" and op.facts.get("method") in kb_sources.SIDE_BY_SIDE)]
        # lr.predict_proba(X_test[:3, :]), search.fit(X[y_bin == 1], y[y_bin == 1]): rows picked only to pass to the
        # model's method feed that call, as columns picked there do (CONVENTIONS 18)
        args.ops = [op for op in args.ops if not (op.op == "filter_rows" and op.output is None)]
        detail = short(cls) if cls else None
        recv_ops = list(recv.ops)
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
            # ols(formula, df[df.g.isin(["a", "b"])]).fit(): the rows a condition picks for the model's constructor
            # are the sample it is fitted on, picked only to pass, as rows picked in fit's own arguments are
            # (CONVENTIONS 18, 25); rows held out by a fixed slice (`sm.OLS(y.iloc[:14], ...)`) stay a filter
            # (what-is-a-step.md: "Filtering by position to hold data out ... is `filter_rows`")
            recv_ops = [op for op in recv_ops if not picked_by_condition(op)]
        out = Val(ops=recv_ops + args.ops, inputs=args.inputs)
        kind = recv.kind or ""
        components = instance_components(kind) if cls and short(cls) in kb_sklearn.COMPOSITES else None
        owner = recv.base  # fit mutates the object it is called on

        def step(op: str, estimator: Optional[str], output: Optional[str] = None, params: Optional[dict] = None) -> Op:
            facts = {"method": method, "estimator": estimator, "params": params or {}}
            if method == "transform":
                # scaler.transform(X) applies what `scaler` learned where it was fitted (lineage/leakage.py follows it);
                # StandardScaler().fit(X).transform(X) what it learned in this statement, from X
                facts["learned_by"] = owner
                facts["fitted_on"] = list(recv.fitted_on)
            if op == "fit_model" and cls and short(cls) in kb_sklearn.CROSS_VALIDATING_CLASSES:
                facts["cross_validated"] = True  # GridSearchCV(...).fit(X, y): scored on folds of X
            return Op(op, args.inputs, [], estimator, output, facts=facts)

        if method in ("fit", "fit_transform", "transform") or method in kb_sklearn.RESAMPLING_METHODS:
            produced: list[Op] = []
            if components is not None:
                # CONVENTIONS 25: a pipeline or search that ends in a model is fitted as one fit_model (its inner
                # imputer and scaler are not steps of that cell: what-is-a-step.md); a preprocessing pipeline's
                # transform is its one op, or `other` when it mixes ops; its .fit alone is no step
                estimators = [c for c in components if is_estimator(c)]
                transformer_ops = union([op for op in (sklearn_transformer_op(c) for c in components) if op])
                if method == "fit" and (estimators or kb_sklearn.COMPOSITES.get(short(cls)) == "search"):
                    final = short(estimators[-1]) if estimators else short(cls)
                    produced.append(step("fit_model", final, owner, recv.params))
                elif method in ("fit_transform", "transform") and transformer_ops:
                    produced.append(step(transformer_ops[0] if len(transformer_ops) == 1 else "other", short(cls)))
            else:
                transformer_op = sklearn_transformer_op(cls) if cls else None
                if cls and short(cls) in kb_sklearn.FUNCTION_WRAPPERS and instance_components(kind):
                    transformer_op = instance_components(kind)[0]  # FunctionTransformer(np.log1p): the function's op
                if transformer_op:
                    if method in ("fit_transform", "transform") or method in kb_sklearn.RESAMPLING_METHODS:
                        produced.append(step(transformer_op, detail))
                        if cls and short(cls) in kb_islp.TRANSFORMERS and kb_islp.CODED_TERM_OP in instance_components(kind):
                            produced.append(step(kb_islp.CODED_TERM_OP, detail))  # MS([contrast("hr", "sum"), ...])
                elif method == "fit" or (cls and short(cls) in kb_sklearn.SPLITTERS):
                    if not (cls and short(cls) in kb_sklearn.SPLITTERS):
                        produced.append(step("fit_model", detail, owner, recv.params))
                elif method == "transform" and cls and short(cls) in kb_sklearn.MODEL_TRANSFORMS:
                    # km.transform(X), KMeans(3).fit(X).transform(X): a model's own transform makes new features (each
                    # row's distance to each centre), as pairwise distances do (kb.sklearn.MODEL_TRANSFORMS)
                    produced.append(step(kb_sklearn.MODEL_TRANSFORMS[short(cls)], detail))
            out.ops.extend(produced)
            out.kind = (kind or FITTED_MODEL) if method == "fit" else None  # smf.ols(...).fit(): a fitted model
            out.base = recv.base if method == "fit" else None
            out.params = recv.params if method == "fit" else {}
            out.fitted_on = list(args.inputs) if method == "fit" else []
            return out
        if method == "split" and cls and short(cls) in kb_sklearn.SPLITTERS:
            out.ops.append(Op("split", args.inputs, [], detail, facts={"method": method, "estimator": detail}))
            return out
        op = kb_sklearn.METHODS.get(method)
        library = LIBRARIES.get((cls or "").split(".", 1)[0])
        if op is None and library is not None and library is not kb_sklearn:
            # dp.in_sample() of statsmodels' DeterministicProcess: the library's own table of its objects' methods
            op = getattr(library, "METHODS", {}).get(method)
        guessed: Optional[str] = None  # the op is the method's name's, a guess (kb/guesses.py)
        if op is None and (method in kb_models.EVALUATION_METHODS or TEST_NAME.search(method)):
            # res.conf_int(), pred.summary_frame(), res.f_test(...); st.test_equal_odds(): a method named for a
            # statistical test (CONVENTIONS 27), as a library function so named already is (function_calls.py)
            op = "evaluate"
            guessed = None if method in kb_models.EVALUATION_METHODS else "helper_name"
        elif op is None and method in kb_models.PREDICTION_METHODS:
            op = "predict"  # res.get_prediction(), fit.forecast(12)
        elif op is None and method in kb_models.TOKENIZER_METHOD_OPS:
            # tokenizer.fit_on_texts(texts) builds a vocabulary (no step); texts_to_sequences(texts) is the vectorizer's
            # transform (kb.models.TOKENIZER_METHOD_OPS, CONVENTIONS 25)
            op = kb_models.TOKENIZER_METHOD_OPS[method]
            if op is None:
                return out
        elif op is None and library is None and SPLIT_METHOD.match(method):
            op = "split"  # data.train_test_split(test_size=0.2) of the notebook's own class: one split per part
            guessed = "helper_name"
        elif op is None and library is None and node.args and "transform" not in method \
                and self.algorithm_op(method) in kb_models.UNKNOWN_OBJECT_METHOD_OPS:  # type: ignore[attr-defined]
            # model.make_predictions(X), model.train(X, y) of a class from the notebook's own modules: a black box
            # named for a model step is that step (CONVENTIONS 4b), as a helper function so named is
            op = self.algorithm_op(method)  # type: ignore[attr-defined]
            guessed = "helper_name"
        if method == "fit_predict":
            out.ops.append(step("fit_model", detail, owner, recv.params))  # CONVENTIONS 26: fit + predict
            op, guessed = "predict", None
        if op:
            final = None
            if components:
                estimators = [c for c in components if is_estimator(c)]
                final = short(estimators[-1]) if estimators else None
            # model.predict(X_test) / model.score(X, y): the result depends on the fitted model as much as on
            # the data, so the model variable is the first input
            model = recv.base if op in ("predict", "evaluate") else None
            inputs = union([model] if model else [], args.inputs)
            facts = {"method": method, "estimator": final or detail, "model": model,
                     "result_table": method in kb_models.RESULT_TABLE_METHODS, "inferred_from": guessed}
            out.ops.append(Op(op, inputs, [], final or detail, facts=facts))
            if op == "predict":
                out.kind = "pandas.DataFrame()"  # fit.forecast(3).rename("fcast"): what is done to predictions counts
        return out
