"""What is computed from a model's predictions or scores (what-is-a-step.md: "a metric computed by hand (RMSE
from predictions)": evaluate; CONVENTIONS 26-27: residuals, errors or accuracy computed by hand, thresholding
probabilities is a prediction).

Names (and frame columns) bound to a prediction or an evaluation carry that role in the context
(`trackit:role:<name>`, `trackit:role:col:<column>`), so a later cell's arithmetic on them can be read:

- a difference or comparison between a prediction and other data (`y - y_pred`, `(pred == y).mean()`,
  `auto.mpg - auto.pred1`) is an evaluation;
- a prediction compared with a number (`proba[:, 1] > 0.3`) is a prediction (a threshold);
- arithmetic on an evaluation's result (`-scores`, `np.sqrt(mse)`, `(TP + TN) / total`) is an evaluation.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import display as kb_display
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import sklearn as kb_sklearn
from .majority_baseline import null_accuracy
from .result_shapes import VALUE_KEEPING_BUILTINS, plain_reference
from .values import MARKER, called_name, is_number, str_const

RESULT_SHOWING = re.compile(kb_models.RESULT_SHOWING_NAME)
SCORE_PRINTING = re.compile(kb_models.SCORE_PRINTING_NAME)
HELD_OUT_PART = re.compile(f"{kb_models.HELD_OUT_PART_NAME}|{kb_models.HELD_OUT_SHORT_NAME}", re.IGNORECASE)
THRESHOLD = re.compile(kb_models.THRESHOLD_NAME)
METRIC_VALUE = re.compile(kb_models.METRIC_VALUE_NAME)
# The reductions NumPy writes both as a function and as the array's method (`np.mean(a)` / `a.mean()`)
SCORE_SUMMARY_METHODS = kb_display.ANSWER_METHODS & kb_display.ANSWER_FUNCTIONS
# the short names of NumPy's functions that give a fitted model's values (np.polyval, chebval)
PREDICTING_FUNCTIONS = frozenset(path.rsplit(".", 1)[-1] for path, op in kb_numpy.FUNCTIONS.items() if op == "predict")

ROLE = f"{MARKER}role:"
# + name: a role read from the name alone (`def rmse(y_true, y_pred)`: the parameter named for predictions,
# kb.models.PREDICTION_PARAMETER_NAME), not from how the value was made; what is decided from it is a guess
# (kb/guesses.py "input_name")
ROLE_FROM_NAME = f"{MARKER}role_from_name:"
SIMULATED = f"{MARKER}simulated:"  # + name: simulated statistics (collected.py)
RESIDUAL = f"{MARKER}residual:"  # + name: an evaluation that is data minus a prediction (`resid = y - y_pred`), or
# another per-row error of a prediction (its size, its square, a hit: per_row_errors)
# + name: one of the values a fit handed back unpacked (`slope, intercept, r, p, se = stats.linregress(x, y)`,
# `m, b = np.polyfit(x, y, 1)`): a fitted model's parameters under names of their own
UNPACKED_PARAMETER = f"{MARKER}unpacked_parameter:"
# + name: a notebook function whose returned value is an evaluation (definitions.function_def)
RETURNS_RESULTS = f"{MARKER}returns_results:"
PREDICTED, EVALUATED, FITTED = "predicted", "evaluated", "fitted"
SIZE_FUNCTIONS = frozenset({"abs", "absolute", "fabs"})  # np.abs(stat): a statistic's size, as a two-sided test reads it


def table_column_key(prefix: str, table: ast.AST, column: str) -> str:
    """The env key of one column of one table (`comp["Predicted"]`): ROLE + it holds predictions or an evaluation,
    RESIDUAL + it holds data minus a prediction (prediction_columns.py); "" for a table that is no plain name."""
    return f"{prefix}table_col:{table.id}:{column}" if isinstance(table, ast.Name) else ""


class ResultRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool

    def result_op(self, value: ast.AST) -> Optional[str]:
        """"evaluate" / "predict" when `value` computes on a model's results as above, else None."""
        if null_accuracy(value):
            return "evaluate"  # max(y_test.mean(), 1 - y_test.mean()): kb.models.TEST_TARGET_NAME
        if self.p_value_by_hand(value):  # type: ignore[attr-defined]
            # p = 2 * (1 - stats.norm.cdf(abs(z))) after z computed from the data: a test written out
            # (tail_probabilities.py)
            return "evaluate"
        if self._share_beyond_simulated(value):
            # (p_diffs > obs_diff).mean(): the share of statistics simulated under the null beyond the one observed,
            # a p-value, a statistical test (CONVENTIONS 27: "statistical and assumption tests" are evaluate)
            return "evaluate"
        if not self.roles_in(value) or self._draws_figure(value):
            return None  # nothing computed from a model's results (the common case: no further look)
        if self.thresholds_predicted_items(value):  # type: ignore[attr-defined]
            # [1 if p > 0.5 else 0 for p in proba]: scores turned into classes one at a time (thresholded_items.py)
            return "predict"
        if self.sets_predictions_against_data(value):  # type: ignore[attr-defined]
            # np.corrcoef(y_test, y_pred)[0, 1], pd.crosstab(y_test, y_pred): how well predictions follow the data
            # (prediction_agreement.py)
            return "evaluate"
        if self.compares_zipped_pairs(value):  # type: ignore[attr-defined]
            # sum(p == t for p, t in zip(y_pred, y_test)) / len(y_test): hits counted pair by pair (zipped_pairs.py)
            return "evaluate"
        if self._counts_outcomes(value):
            # tp = ((y_pred >= 0.5) & (y_val == 1)).sum(): predictions counted against the true classes, a cell of the
            # confusion table computed by hand (CONVENTIONS 27: "errors or accuracy computed by hand from data")
            return "evaluate"
        # X_test[y_test < y_pred].head(10): a comparison with a prediction that only picks rows to look at is a mask
        # (CONVENTIONS 15), not an evaluation
        # (counted, `len(X[y != pred]) / len(y)`, they are an error rate computed by hand: CONVENTIONS 27)
        row_masks = {id(sub.slice) for sub in ast.walk(value)
                     if isinstance(sub, ast.Subscript) and isinstance(sub.slice, ast.Compare)} \
            if _rows_kept_as_they_are(value) else set()
        for node in ast.walk(value):
            if self._applies_fitted(node):
                return "predict"  # np.dot([1, 3.5], theta), X_new @ theta: a fitted model's parameters applied
            if id(node) in row_masks:
                continue
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
                sides = (node.left, node.right)
            elif isinstance(node, ast.Compare) and len(node.ops) == 1:
                sides = (node.left, node.comparators[0])
            else:
                continue
            roles = [self.roles_in(side) | ({PREDICTED} if self._parameters_applied(side) else set()) for side in sides]
            if any(PREDICTED in r for r in roles):
                other = roles[1] if PREDICTED in roles[0] else roles[0]
                other_side = sides[1] if PREDICTED in roles[0] else sides[0]
                if isinstance(node, ast.Compare) and is_number(other_side, self.env):
                    return "predict"  # proba[:, 1] > 0.3: a threshold turns scores into predicted classes
                if isinstance(node, ast.Compare) and self._chosen_threshold(other_side) \
                        and not self._holds_a_difference(sides[0] if other_side is sides[1] else sides[1]):
                    # (proba >= best_threshold).astype(int) after best_threshold = ths[np.argmax(f1s)], `p < epsilon`
                    # after epsilon, F1 = select_threshold(y_val, p_val): one number picked by evaluations is still
                    # a threshold; applied to scores it gives predicted classes (CONVENTIONS 26)
                    return "predict"
                if PREDICTED not in other and self._mentions_data(other_side):
                    return "evaluate"  # y - y_pred, y_pred == y
        if self._reduces_residuals(value):
            # rmse = resid.std(), mae = np.abs(resid).mean(), (resid ** 2).mean(): a statistic of residuals is a
            # metric computed by hand (what-is-a-step.md: "a metric computed by hand (RMSE from predictions)"), where
            # a summary of scores already computed (`scores.mean()`) is an answer about them
            return "evaluate"
        if self._parameters_applied(value) and self._scales_data_by_parameters(value):
            # pred = res.intercept + res.slope * x, m.intercept_ + m.coef_[0] * X["a"]: a fitted model's parameters
            # applied to data by hand are its prediction (CONVENTIONS 26), as X_new @ theta is
            return "predict"
        if _divided_by_own_total(value):
            return None  # cm / cm.sum(): the same result table in shares of its total, no new evaluation
        if self._scaled_summary(value):
            # scores.std() * 2 printed beside scores.mean(): the spread of the scores shown as a band, a summary of
            # them (CONVENTIONS 9: an answer about them), as scores.std() alone is
            return None
        if self._arithmetic(value) and EVALUATED in self.roles_in(value):
            return "evaluate"  # -scores.mean() * 2, np.sqrt(-mse_scores), (TP + TN) / (TP + TN + FP + FN)
        if isinstance(value, ast.BinOp) and self._only_predictions(value) and not isinstance(value.op, ast.Sub):
            # ensemble = 0.7 * stacked_pred + 0.3 * xgb_pred: a blend of predictions predicts; diff = resp75 - resp25,
            # how far two predictions are apart, is arithmetic that derives a new value (what-is-a-step.md, "Op
            # choices": arithmetic that creates a column is derive_feature), not a prediction
            return "predict"
        return None

    def _share_beyond_simulated(self, node: ast.AST) -> bool:
        """`(sims > observed).mean()`, `np.mean(sims >= observed)`: a comparison of simulated statistics (a name
        collected.py marks) with a value, averaged; also that share tested against a level (`... <= 0.05`)."""
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and is_number(node.comparators[0], self.env):
            node = node.left
        if isinstance(node, ast.Call) and called_name(node.func) in ("float", "round") and node.args:
            node = node.args[0]  # float(np.mean(np.abs(perm_diffs) >= np.abs(observed))): the same share
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr != "mean":
            return False
        tested = node.func.value if not node.args else node.args[0] if len(node.args) == 1 else None
        if not (isinstance(tested, ast.Compare) and len(tested.ops) == 1):
            return False
        # np.abs(Tnull) < np.abs(observedT): a two-sided test compares sizes, the same statistics
        sides = [side.args[0] if isinstance(side, ast.Call) and len(side.args) == 1 and not side.keywords
                 and called_name(side.func) in SIZE_FUNCTIONS else side
                 for side in (tested.left, tested.comparators[0])]
        return any(isinstance(side, ast.Name) and self.env.get(SIMULATED + side.id) for side in sides)

    def _scaled_summary(self, node: ast.AST) -> bool:
        """`scores.std() * 2`, `2 * scores.std()`: a summary of an evaluation's scores times a number."""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div))):
            return False
        sides = (node.left, node.right)
        summary = next((side for side in sides if isinstance(side, ast.Call) and not side.args
                        and isinstance(side.func, ast.Attribute) and side.func.attr in kb_display.ANSWER_METHODS
                        and isinstance(side.func.value, ast.Name)
                        and self.env.get(ROLE + side.func.value.id) == EVALUATED), None)
        other = sides[1] if summary is sides[0] else sides[0]
        return summary is not None and isinstance(other, ast.Constant) and isinstance(other.value, (int, float))

    def _parameters_applied(self, node: ast.AST) -> bool:
        """est.params[0] + est.params[1] * df.TV, m.intercept_ + m.coef_ * x: a fitted model's parameters applied to
        data by hand, its prediction (CONVENTIONS 26), so data minus it is a residual (27)."""
        if not isinstance(node, ast.BinOp):
            return False
        read = [sub for sub in ast.walk(node) if self._reads_parameter(sub)]
        return bool(read) and any(isinstance(sub, ast.Name) and self._is_data(sub.id)  # type: ignore[attr-defined]
                                  and self.env.get(ROLE + sub.id) != FITTED for sub in ast.walk(node))

    def _reduces_residuals(self, node: ast.AST) -> bool:
        """A reduction (kb.numpy.REDUCTIONS: mean, std, var, sum, ...) called on an expression of residuals."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in kb_numpy.REDUCTIONS):
            return False
        reduced = node.func.value
        return any((isinstance(sub, ast.Name) and self.env.get(RESIDUAL + sub.id))
                   # df["error"].abs().mean() after df["error"] = df["y"] - df["pred"] (prediction_columns.py)
                   or (isinstance(sub, ast.Attribute) and self.env.get(table_column_key(RESIDUAL, sub.value, sub.attr)))
                   or (isinstance(sub, ast.Subscript) and str_const(sub.slice) is not None
                       and self.env.get(table_column_key(RESIDUAL, sub.value, str_const(sub.slice) or "")))
                   for sub in ast.walk(reduced))

    def is_residual(self, value: ast.AST) -> bool:
        """`y - y_pred`, `iq - pred_iq`: data minus a prediction (or a prediction minus data)."""
        if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Sub)):
            return False
        roles = [self.roles_in(side) | ({PREDICTED} if self._parameters_applied(side) else set())
                 for side in (value.left, value.right)]
        if PREDICTED in roles[0] and PREDICTED in roles[1]:
            return False
        other = value.right if PREDICTED in roles[0] else value.left if PREDICTED in roles[1] else None
        return other is not None and self._mentions_data(other)

    def _scales_data_by_parameters(self, node: ast.AST) -> bool:
        """`res.slope * x`, `m.coef_[0] * X["a"]` somewhere in the arithmetic: data multiplied by a fitted parameter (a
        list of parameters put together, `[fit.params[p] for p in names] + [fit.sse]`, is no prediction)."""
        if any(isinstance(sub, (ast.List, ast.ListComp, ast.Tuple)) for sub in ast.walk(node)):
            return False
        for sub in ast.walk(node):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.Mult, ast.MatMult)):
                sides = [self._reads_parameter(sub.left), self._reads_parameter(sub.right)]
                other = sub.right if sides[0] else sub.left
                if any(sides) and not all(sides) and self._mentions_data(other):
                    return True
        return False

    def _reads_parameter(self, node: ast.AST) -> bool:
        """`res.slope`, `m.coef_[0]`, or `slope` unpacked from `stats.linregress(x, y)`: a fitted model's parameter."""
        return any((isinstance(sub, ast.Attribute) and sub.attr in kb_models.PARAMETER_ATTRIBUTES
                    and FITTED in self.roles_in(sub.value))
                   or (isinstance(sub, ast.Name) and self.env.get(UNPACKED_PARAMETER + sub.id)
                       and self.env.get(ROLE + sub.id) == FITTED) for sub in ast.walk(node))

    def _only_predictions(self, node: ast.BinOp) -> bool:
        names = [sub for sub in ast.walk(node) if isinstance(sub, ast.Name) and self._is_data(sub.id)]  # type: ignore[attr-defined]
        return len(names) >= 2 and all(self.env.get(ROLE + sub.id) == PREDICTED for sub in names)

    def _applies_fitted(self, node: ast.AST) -> bool:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            operands = [node.left, node.right]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("dot", "matmul") \
                and len(node.args) == 2:
            operands = list(node.args)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("dot", "matmul") \
                and len(node.args) == 1:
            operands = [node.func.value, node.args[0]]  # X_val.dot(w): the array's own method, as X_val @ w
        else:
            return False
        return any(FITTED in self.roles_in(operand) for operand in operands)

    def _arithmetic(self, node: ast.AST) -> bool:
        """Arithmetic, or a NumPy function applied to a value (not a plot, not a helper)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and str_const(node.left) is not None:
            return False  # "accuracy: %s" % scores: the scores put into a message, nothing computed
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (_is_text(node.left) or _is_text(node.right)):
            return False  # "Test MSE: " + str(mse): text joined, the score put into a message as above
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in VALUE_KEEPING_BUILTINS \
                and len(node.args) in (1, 2):
            # round(np.sqrt(mse), 2), float((cm[0, 0] + cm[1, 1]) / cm.sum()): the computation rounded or made a
            # Python number is still computed (round(mse, 2) alone computes nothing)
            return self._arithmetic(node.args[0])
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                path = self.resolve_name(func.value.id) or ""  # type: ignore[attr-defined]
                if self._is_path(path) and path.split(".", 1)[0] in ("numpy", "math"):  # type: ignore[attr-defined]
                    # np.mean(scores), np.std(train_scores, axis=1): a summary of the scores as scores.mean() is
                    # (an answer, CONVENTIONS 9; kept under a name and used, see summarises_scores); np.sqrt(mse),
                    # np.mean(resid ** 2) compute on them
                    return not self.summarises_scores(node)
        return False  # scores.mean(): a summary of the scores, an answer

    def summarises_scores(self, node: ast.AST) -> bool:
        """np.mean(scores), np.std(scores, axis=1), and the same written as the array's method (`scores.mean()`,
        `cv["test_score"].std()`: one meaning, one op): a NumPy summary of an evaluation's result as it is."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return False
        if node.func.attr in kb_display.ANSWER_FUNCTIONS and node.args and plain_reference(node.args[0]):
            return EVALUATED in self.roles_in(node.args[0])  # np.mean(scores)
        if node.func.attr in SCORE_SUMMARY_METHODS and not node.args and plain_reference(node.func.value):
            return EVALUATED in self.roles_in(node.func.value)  # scores.mean()
        return False

    def scores_results(self, node: ast.Call, name: str) -> bool:
        """A function the notebook does not define (imported, a black box: CONVENTIONS 4b) handed a model's predictions
        beside data that holds none (`thr_for_precision(y_test, y_test_prob)`, `sweep_thresholds(y_val, proba)`), or
        handed an evaluation's results (`append_results("Baseline", results)`): it scores the predictions against
        the truth, or tables the scores, an evaluation (CONVENTIONS 27: metric calls, CV results, results tables).
        Not a function named for drawing or printing (CONVENTIONS 8, 27: `.summary()` / `print_summary` are no step),
        nor a statistic of the scores (`mean(scores)` from `statistics`: a summary of them, CONVENTIONS 9)."""
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
        if not self.roles_bound or name in kb_display.ANSWER_FUNCTIONS:
            return False
        handed = list(node.args) + [keyword.value for keyword in node.keywords]
        if SCORE_PRINTING.search(words):
            return self._scores_a_fitted_model(handed)
        if RESULT_SHOWING.search(words):
            return False
        roles = [self.roles_in(arg) for arg in handed]
        if any(EVALUATED in found for found in roles):
            return True
        return any(PREDICTED in found for found in roles) and any(
            not found and self._mentions_data(arg) for arg, found in zip(handed, roles))

    def _scores_a_fitted_model(self, handed: list[ast.AST]) -> bool:
        """A fitted model handed beside held-out data by name (`pipe, X_train, X_test, y_train, y_test`): what a helper
        named for printing scores must predict and score (kb.models.SCORE_PRINTING_NAME); scores handed to it
        (`print_scores(results)`) are only shown."""
        return any(isinstance(arg, ast.Name) and self.env.get(ROLE + arg.id) == FITTED for arg in handed) and any(
            isinstance(arg, ast.Name) and HELD_OUT_PART.search(arg.id) for arg in handed)

    def _draws_figure(self, node: ast.AST) -> bool:
        """plt.plot(x, y_pred), ax.scatter(...): plotting is not a step (CONVENTIONS 8)."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Attribute) and func.attr in kb_display.PLOT_METHODS:
                    return True
                if self.draws_call(func):  # type: ignore[attr-defined]
                    return True
        return False

    def rests_on_a_name(self, value: ast.AST) -> bool:
        """result_op's answer for `value` rests on a name rather than on how the values in it were made (kb/guesses.py
        "input_name"): a test target known by its name (kb.models.TEST_TARGET_NAME), a value holding predictions by
        its name (ROLE_FROM_NAME), an evaluation's result compared with predictions that is a threshold or a metric
        by its name (_threshold_or_metric_by_name)."""
        return null_accuracy(value) or self.role_from_name_in(value) or self._threshold_or_metric_by_name(value)

    def _threshold_or_metric_by_name(self, value: ast.AST) -> bool:
        """`p > best_f1_thresh`, `(p > rmse).astype(int)`: predictions compared with an evaluation's result named like
        a metric (kb.models.METRIC_VALUE_NAME), where only the name says whether it is a threshold they are cut at
        (predict, the name says threshold too: THRESHOLD_NAME) or a metric they are measured against (evaluate):
        _chosen_threshold's answer rests on the name."""
        for node in ast.walk(value):
            if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
                continue
            sides = (node.left, node.comparators[0])
            for side, other in (sides, sides[::-1]):
                held = side.value if isinstance(side, ast.Subscript) \
                    and not isinstance(side.slice, (ast.Slice, ast.Tuple)) else side
                if isinstance(held, ast.Name) and self.env.get(ROLE + held.id) == EVALUATED \
                        and METRIC_VALUE.search(held.id) and PREDICTED in self.roles_in(other):
                    return True
        return False

    def role_from_name_in(self, node: ast.AST) -> bool:
        """A name or a table's column in `node` whose role was read from a name (ROLE_FROM_NAME), not from how it
        was made."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                key = ROLE_FROM_NAME + sub.id
            elif isinstance(sub, ast.Attribute):
                key = table_column_key(ROLE_FROM_NAME, sub.value, sub.attr)
            elif isinstance(sub, ast.Subscript) and str_const(sub.slice) is not None:
                key = table_column_key(ROLE_FROM_NAME, sub.value, str_const(sub.slice) or "")
            else:
                continue
            if key and key in self.env:
                return True
        return False

    def roles_in(self, node: ast.AST) -> set[str]:
        # np.mean(model.predict(X) == y): a prediction made in the expression itself, as y_pred bound earlier is
        found: set[str] = {PREDICTED for sub in ast.walk(node) if isinstance(sub, ast.Call)
                           and isinstance(sub.func, ast.Attribute) and kb_sklearn.METHODS.get(sub.func.attr) == "predict"}
        # chebval(x, coeffs) - y, np.polyval(p, x) - y: a fitted series' values made in the expression are predictions
        # (kb.numpy.FUNCTIONS), so data minus them is a residual (CONVENTIONS 27)
        found |= {PREDICTED for sub in ast.walk(node) if isinstance(sub, ast.Call)
                  and called_name(sub.func) in PREDICTING_FUNCTIONS
                  and self._numpy_predicts(sub.func)}
        if not self.roles_bound:
            return found  # no prediction or evaluation bound yet: nothing else to look for
        # np.arange(coef.shape[0]), len(scores): a size of a result is an answer about it, not the result
        sized = {id(sub.value) for sub in ast.walk(node)
                 if isinstance(sub, ast.Attribute) and sub.attr in kb_display.ANSWER_ATTRIBUTES} | {
            id(sub.args[0]) for sub in ast.walk(node) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
            and sub.func.id == "len" and sub.args}
        for sub in ast.walk(node):
            if id(sub) in sized:
                continue
            if isinstance(sub, ast.Name):
                role = self.env.get(ROLE + sub.id)
            elif isinstance(sub, ast.Attribute):
                role = self.env.get(f"{ROLE}col:{sub.attr}") or self.env.get(table_column_key(ROLE, sub.value, sub.attr))
            elif isinstance(sub, ast.Subscript) and str_const(sub.slice) is not None:
                column = str_const(sub.slice) or ""
                role = self.env.get(f"{ROLE}col:{column}") or self.env.get(table_column_key(ROLE, sub.value, column))
            else:
                role = None
            if role:
                found.add(role)
        return found

    def _numpy_predicts(self, func: ast.AST) -> bool:
        """`func` names NumPy's function that gives a fitted model's values (`np.polyval`, `chebval` imported from
        numpy.polynomial.chebyshev)."""
        path = self.expr(func).kind or ""  # type: ignore[attr-defined]
        return path.startswith("numpy.") and kb_numpy.FUNCTIONS.get(path.rsplit(".", 1)[-1]) == "predict"

    def completes_one_result(self, node: ast.AST, ops: list) -> bool:
        """coef = pd.concat([coef, pd.Series([-coef.sum()], index=["mnth[Dec]"])]) after coef was read out of a
        results table: one model's result completed with values computed from itself is still that result, a table
        built only from a model's results (CONVENTIONS 27), not a concat of data. Several evaluations put together
        (`pd.concat([scores_lr, scores_rf])`) stay a concat (CONVENTIONS 13)."""
        if not ops or any(op.op != "concat" for op in ops):
            return False
        read = {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)
                and (ROLE + sub.id in self.env or self._is_data(sub.id))}  # type: ignore[attr-defined]
        return len(read) == 1 and self.env.get(ROLE + next(iter(read))) == EVALUATED

    def _counts_outcomes(self, node: ast.AST) -> bool:
        """A reduction (`.sum()`, `.mean()`, `np.sum(...)`) of a conjunction of a test of predictions and a test of
        data that holds no predictions: `((y_pred >= t) & (y_val == 1)).sum()`."""
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Attribute) and node.func.attr in kb_numpy.REDUCTIONS and not node.args:
            reduced = node.func.value
        elif isinstance(node.func, ast.Attribute) and node.func.attr in kb_numpy.REDUCTIONS and len(node.args) == 1:
            reduced = node.args[0]
        else:
            return False
        if not (isinstance(reduced, ast.BinOp) and isinstance(reduced.op, ast.BitAnd)):
            return False
        tests = [sub for sub in (reduced.left, reduced.right) if isinstance(sub, ast.Compare)]
        if len(tests) != 2:
            return False
        predicted = [PREDICTED in self.roles_in(test) for test in tests]
        return any(predicted) and not all(predicted) \
            and self._mentions_data(tests[predicted.index(False)])

    def _chosen_threshold(self, node: ast.AST) -> bool:
        """`best_threshold`, `epsilon`, `thresholds[ix]`, `best_t`: a name bound to an evaluation's result (no
        prediction, no data), on its own or indexed by one position, the one number a search over thresholds kept;
        not a metric's value (`rmse`), unless named a threshold too (kb.models.METRIC_VALUE_NAME)."""
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, (ast.Slice, ast.Tuple)):
            node = node.value
        return isinstance(node, ast.Name) and self.env.get(ROLE + node.id) == EVALUATED \
            and (bool(THRESHOLD.search(node.id)) or not METRIC_VALUE.search(node.id))

    @staticmethod
    def _holds_a_difference(node: ast.AST) -> bool:
        """`np.abs(y - y_pred)`: a residual compared with a bound is an evaluation of it, not a threshold applied."""
        return any(isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub) for sub in ast.walk(node))

    def _mentions_data(self, node: ast.AST) -> bool:
        return any(isinstance(sub, ast.Name) and self._is_data(sub.id)  # type: ignore[attr-defined]
                   for sub in ast.walk(node))


def _rows_kept_as_they_are(node: ast.AST) -> bool:
    """`X[mask]`, `X[mask].head(10)`: rows picked and kept, not counted or computed on."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in ("head", "tail", "sample", "sort_values", "sort_index", "copy", "reset_index"):
        node = node.func.value
    return isinstance(node, ast.Subscript)


def _is_text(node: ast.AST) -> bool:
    """A string written in the code, an f-string, `str(x)` / `repr(x)`, or such text joined with `+`."""
    if isinstance(node, ast.JoinedStr) or str_const(node) is not None:
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("str", "repr"):
        return True
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (_is_text(node.left) or _is_text(node.right))


def _divided_by_own_total(node: ast.AST) -> bool:
    """`cm / cm.sum()`, `cm / np.sum(cm)`: a name divided by its own total."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.left, ast.Name)):
        return False
    total = node.right
    if isinstance(total, ast.Call) and isinstance(total.func, ast.Attribute) and total.func.attr == "sum":
        holder = total.args[0] if total.args else total.func.value
        return isinstance(holder, ast.Name) and holder.id == node.left.id
    return False
