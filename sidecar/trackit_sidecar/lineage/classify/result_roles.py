"""Roles the names of a cell's results take on (what-is-a-step.md: a fitted model predicts; CONVENTIONS 12, 26-27):
after an assignment a name holds a prediction, an evaluation or a fitted model (`trackit:role:<name>`), so a later
cell's arithmetic on it can be read (results.py); containers that results or fitted models are kept in hold them."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from .env_markers import DICT_MARKER, WRITTEN_CONTAINERS
from .result_shapes import plain_reference, receiver_of_calls, wraps_a_reference
from .results_records import RESULTS_RECORD
from .results import (EVALUATED, FITTED, PREDICTED, RESIDUAL, RETURNS_RESULTS, ROLE, ROLE_FROM_NAME,
                      UNPACKED_PARAMETER)
from .values import FITTED_MODEL, short
from .zipped_pairs import zipped_prediction


class ResultRoleRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool

    def keeps_results_in(self, container: Optional[str], ops_done: list[str], stmt: Optional[ast.AST] = None) -> None:
        """scores[name] = cross_val_score(...), accs.append(accuracy_score(...)): a dict or list written in the code
        that results are kept in holds those results, no longer values written in the code; wrapped in a table later
        (`pd.DataFrame(scores)`) it is that one existing object (CONVENTIONS 12), not data built from literals. So
        does one that keeps what a notebook function returning scores gives back (`results[name] = evaluate(m)`,
        `results.append(evaluate_model(name, m))`): the call is no step (CONVENTIONS 1), its value is the scores."""
        if container and self.env.get(container, "").startswith(WRITTEN_CONTAINERS) \
                and (any(op in ("evaluate", "predict") for op in ops_done) or self._keeps_helper_results(stmt)):
            del self.env[container]
            if ops_done[-1:] == ["predict"]:
                # preds[name] = m.predict(X_test): a dict of predictions, whose items are predictions
                # (bind_predicted_items), as a dict written with them is (bind_roles)
                self.set_role(container, PREDICTED)

    def _keeps_helper_results(self, stmt: Optional[ast.AST]) -> bool:
        """`stmt` puts the value of a notebook function that returns scores into a container (an assignment to
        one of its items, or `append` / `extend` of it)."""
        value = getattr(stmt, "value", None)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in ("append", "extend") and len(value.args) == 1:
            value = value.args[0]
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
            and bool(self.env.get(RETURNS_RESULTS + value.func.id))

    def bind_predicted_items(self, target: ast.AST, iterable: ast.AST) -> None:
        """for name, p in preds.items(), for p in preds.values(), for p in [pred_lr, pred_rf]: each item of a container
        of predictions is a prediction, as `p = preds["lr"]` is one (bind_roles: a part of a result), so
        `np.sqrt(((p - y_test) ** 2).mean())` in the body is a metric computed by hand (CONVENTIONS 27). A name the
        loop binds to anything else is no prediction any more, as an assignment's is not (rev26: `for p in [X_test['a'],
        X_test['b']]` after a loop over preds read its body's statistics as metrics)."""
        item = self._predicted_item(target, iterable)
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and node is not item and self.env.get(ROLE + node.id) == PREDICTED:
                self.drop_role(node.id)
        if item is not None:
            self.set_role(item.id, PREDICTED)

    def _predicted_item(self, target: ast.AST, iterable: ast.AST) -> Optional[ast.Name]:
        """The name the loop binds to each item of a container of predictions (bind_predicted_items), or None."""
        items, held = target, iterable
        zipped = zipped_prediction(target, iterable, self.holds_predictions)  # type: ignore[attr-defined]
        if zipped is not None:
            return zipped  # for p, t in zip(y_pred, y_test): p is each prediction (zipped_pairs.py)
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and not iterable.args \
                and iterable.func.attr in ("items", "values"):
            held = iterable.func.value
            if iterable.func.attr == "items":
                if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
                    return None
                items = target.elts[1]
        if not isinstance(items, ast.Name):
            return None
        if isinstance(held, (ast.List, ast.Tuple)):
            predicted = bool(held.elts) and all(PREDICTED in self.roles_in(e) and EVALUATED not in self.roles_in(e)  # type: ignore[attr-defined]
                                                 for e in held.elts)
        else:
            # (a container iterated itself is left: a dict walked gives its keys, the models' names; an array of
            # predictions walked gives each prediction: `for p in y_pred: err += abs(p - y[j])`)
            predicted = isinstance(held, ast.Name) and self.env.get(ROLE + held.id) == PREDICTED and (
                held is not iterable or not self.env.get(held.id, "").startswith(WRITTEN_CONTAINERS))
        return items if predicted else None

    def keeps_models_in(self, container: Optional[str], ops_done: list[str]) -> None:
        """models[key] = Model(GradientBoostingClassifier(), train, ...), fits["lr"] = lr.fit(X, y): a dict written in
        the code that fitted models are put in holds fitted models; one taken out (`models[104]`) is a fitted model."""
        if container and ops_done[-1:] == ["fit_model"] \
                and self.env.get(container, "").startswith(DICT_MARKER):
            self.set_role(container, FITTED)

    def holds_fitted_models(self, node: ast.AST) -> bool:
        """`node` names a dict written in the code that fitted models were put in (keeps_models_in)."""
        return isinstance(node, ast.Name) and self.env.get(ROLE + node.id) == FITTED \
            and self.env.get(node.id, "").startswith(DICT_MARKER)

    def _explains_a_model(self, value: ast.AST) -> bool:
        """`shap.TreeExplainer(model)`, `lime.lime_tabular.LimeTabularExplainer(...)`: an object of a library that
        explains fitted models (kb.models.MODEL_EXPLANATION_LIBRARIES)."""
        if not isinstance(value, ast.Call):
            return False
        path = self.module_path(value.func) or ""  # type: ignore[attr-defined]
        return path.split(".")[0] in kb_models.MODEL_EXPLANATION_LIBRARIES

    def set_role(self, name: str, role: str, from_name: bool = False) -> None:
        """`name` now holds a prediction, an evaluation or a fitted model (ROLE), read from a name alone or not
        (ROLE_FROM_NAME): the one place a role is set outside bind_roles, so a mark of an earlier binding of the same
        name (a parameter named `y_pred`) does not outlive it."""
        self.env[ROLE + name] = role
        if from_name:
            self.env[ROLE_FROM_NAME + name] = "1"
        else:
            self.env.pop(ROLE_FROM_NAME + name, None)
        self.roles_bound = True

    def drop_role(self, name: str) -> None:
        """`name` holds no result any more."""
        self.env.pop(ROLE + name, None)
        self.env.pop(ROLE_FROM_NAME + name, None)

    def bind_roles(self, names: list[str], ops_done: list[str], value: ast.AST, columns: bool = False,
                   guessed: bool = False) -> None:
        """After an assignment: the names now hold a prediction, an evaluation, or neither. `guessed`: the last of
        `ops_done` was a guess (its step carries inferred_from)."""
        role: Optional[str] = None
        # the role was read from a name, not from how the value was made: also when the step that made the value was a
        # guess (`d = a - y_pred` in `def f(a, y_pred)`), so what is computed from it (`np.mean(d ** 2)`) is one too
        from_name = guessed and bool(ops_done) and ops_done[-1] in ("evaluate", "predict", "fit_model")
        record = False  # a results row kept under a name (results_records.py)
        while len(ops_done) > 1 and ops_done[-1] in kb_models.PREDICTION_KEEPING_OPS and "predict" in ops_done:
            ops_done = ops_done[:-1]  # np.expm1(m.predict(X)): the predictions back on the target's scale
        if ops_done and ops_done[-1] == "evaluate":
            role = EVALUATED
        elif ops_done and ops_done[-1] == "predict":
            role = PREDICTED
        elif ops_done and ops_done[-1] == "fit_model":
            role = FITTED  # theta = gradientDescent(X, y, ...): the parameters a model was fitted to
        elif not ops_done and self._reads_a_model_back(value):
            role = FITTED  # model = keras.models.load_model(path): a fitted model read back, `model(X)` predicts
        elif not ops_done and self._explains_a_model(value):
            role = None  # explainer = shap.TreeExplainer(model): an explainer of the model, not the fitted model
        elif not ops_done and (plain_reference(receiver_of_calls(value)) or wraps_a_reference(value)):
            # TP = confusion[1, 1], p = proba[:, 1]: the same result, a part of it; coef = coef.reindex(order): the
            # same result put in another order by a call that is no step; pd.Series(scores): the same result tabled
            roles = self.roles_in(value)
            role = EVALUATED if EVALUATED in roles else PREDICTED if PREDICTED in roles else \
                FITTED if FITTED in roles else None
            # p = y_pred[:, 1] in `def f(y_true, y_pred)`: a part of a value whose role was read from its name keeps
            # that origin (results.ROLE_FROM_NAME), so what is decided from it stays a guess
            from_name = role is not None and self.role_from_name_in(value)
        elif not ops_done and self._squashes_predictions(value):
            role = PREDICTED
        elif not ops_done and self.results_in_record(value) is not None:  # type: ignore[attr-defined]
            # result = {"model": name, "val_mse": val_mse, "val_r2": val_r2}: one results row kept under a name, so
            # the table made of it (`pd.DataFrame([result])`) is a results table (results_records.py)
            role, record = EVALUATED, True
        residual = role == EVALUATED and not columns and self.per_row_errors(value)
        if role == PREDICTED and not columns:
            self._bind_predicting_model(value)
        for name in names:
            key = f"{ROLE}col:{name}" if columns else ROLE + name
            if role == FITTED and len(names) > 1 and not columns:
                self.env[UNPACKED_PARAMETER + name] = "1"
            elif not columns:
                self.env.pop(UNPACKED_PARAMETER + name, None)
            if role:
                self.env[key] = role
                self.roles_bound = True
            else:
                self.env.pop(key, None)
            if from_name and not columns:
                self.env[ROLE_FROM_NAME + name] = "1"
            elif not columns:
                self.env.pop(ROLE_FROM_NAME + name, None)
            if record and not columns:
                self.env[RESULTS_RECORD + name] = "1"
            elif not columns:
                self.env.pop(RESULTS_RECORD + name, None)
            if residual:
                self.env[RESIDUAL + name] = "1"  # resid = y - y_pred: its statistics are metrics (_reduces_residuals)
            elif not columns:
                self.env.pop(RESIDUAL + name, None)


    def _reads_a_model_back(self, value: ast.AST) -> bool:
        """`keras.models.load_model(path)`: a library's function that reads a saved model back
        (kb.models.MODEL_LOADING_FUNCTIONS); a notebook's own `load_model()` is left to what it returns."""
        path = self.module_path(value.func) if isinstance(value, ast.Call) else None  # type: ignore[attr-defined]
        return path is not None and short(path) in kb_models.MODEL_LOADING_FUNCTIONS

    def _squashes_predictions(self, value: ast.AST) -> bool:
        """`Y_proba = softmax(logits)`, `p = sigmoid(X_test @ w)`: a piece of a hand-written model (a black box,
        CONVENTIONS 4a) applied to its predicted scores gives the same predictions as probabilities, so the class
        taken from them (`Y_proba.argmax(axis=1)`) is predicted and its share equal to the target is an accuracy."""
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and len(value.args) == 1 \
            and self.is_algorithm_piece(value.func.id) \
            and PREDICTED in self.roles_in(value.args[0])  # type: ignore[attr-defined]

    def _bind_predicting_model(self, value: ast.AST) -> None:
        """y_pred = best.predict(X) where `best` came from where the classifier cannot see a fit (`best =
        pickle.load(f)`, `best = joblib.load(path)`, a search's `best_estimator_`): an object that predicts is a fitted
        model, so what is read from it later is read from a fitted model (`pd.Series(best.feature_importances_)`:
        CONVENTIONS 27, its parameters tabled are no step)."""
        call = value
        while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                and kb_sklearn.METHODS.get(call.func.attr) != "predict":
            call = call.func.value  # best.predict(X).round()
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                and kb_sklearn.METHODS.get(call.func.attr) == "predict" and isinstance(call.func.value, ast.Name) \
                and ROLE + call.func.value.id not in self.env and call.func.value.id not in self.env:
            self.set_role(call.func.value.id, FITTED)
            self.env[call.func.value.id] = FITTED_MODEL  # a model of a class not known here, not data

    def bind_fitted_in_place(self, call: ast.AST, ops_done: list[str]) -> None:
        """`regr.fit(X, y)` as a statement (a fit_model step): `regr` now holds a fitted model, as `res = mod.fit()`
        binds `res`, so its parameters applied to data by hand (`regr.intercept_ + regr.coef_ * X`) are its
        prediction and data minus them a residual (CONVENTIONS 26-27; see _parameters_applied)."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)):
            return
        # (also model.train(X, y) of the notebook's own class: the method the fit_model step was read from)
        # model.load_model(), net.load_state_dict(torch.load(p)): a model's fitted parameters read in, no step
        # (CONVENTIONS 15: model loading), but the object is now a fitted model: `model(X_test)` predicts
        if ops_done[-1:] == ["fit_model"] or (not ops_done and call.func.attr in kb_models.MODEL_LOADING_METHODS):
            self.set_role(call.func.value.id, FITTED)
