"""The classifier's ways of deciding an op that are guesses: what does not follow from the known meaning of a library
call, or of syntax on data whose kind is known.

A lineage tool that is wrong is worse than none: an auditor trusts what it says. A step whose op was decided one of
these ways carries the key in `protocol.Step.inferred_from` (set by the rule that guessed, through `Op.facts`), and
every wording says so (render/inferred.py `inferred_note`) instead of stating it as fact. A step without it is asserted:
its op is what a library's documented call, or the syntax itself, does to data of a known kind.

Key -> (what the guess rests on, said when the name is not known; the Step field holding the name it was read from).
The wording says "(inferred from the name `load_data`)", else "(inferred from <what it rests on>)".
"""

from __future__ import annotations

INFERRED_FROM: dict[str, tuple[str, str]] = {
    # A function the notebook cannot see (imported from its project's own module, `from utils import *`), judged by
    # its name: `load_data()` (kb.sources.IMPORTED_LOADER_NAME), `fill_missing_median(df)` (kb.helper_verbs),
    # `train_model(X, y)` (kb.models.IMPORTED_HELPER_NAME_OPS, ALGORITHM_NAME_OPS), `evaluate_model(...)`. Its body is
    # out of sight: the name is the project's word for what it hopes the function does, and may not be what it does.
    # (A method of an object the notebook's own modules make, `acquire.get_data()`, `model.train(X, y)`, alike.)
    "helper_name": ("the name of the function it calls", "method"),
    # A function or class the notebook cannot see, judged by what it is handed: a model's predictions beside the
    # truth (`thr_for_precision(y_test, proba)` -> evaluate), an estimator beside data (`Model(SVC(), train, ...)` ->
    # fit_model), a data file (`Data("train.csv")` -> load). What it does with them is out of sight.
    "helper_arguments": ("what the function it calls is handed", ""),
    # A function the notebook defines whose call takes the op its name says rather than what its body is seen to do
    # (`def gradientDescent(X, y, theta)`: its calls fit_model, kb.models.ALGORITHM_NAME_OPS): the body was there
    # to read, the op is the name's.
    "function_name": ("the name of the function it calls", "method"),
    # A step in the body of a function the notebook defines, given another op than its statement's because of the
    # function's name (`def remove_outliers(df)`: its filters are outlier_remove, kb.OUTLIER_FUNCTION_NAME;
    # `def split_train_test(df)`: the filters it returns are a split, kb.models.SPLITTING_FUNCTION_NAME).
    "enclosing_function_name": ("the name of the function it is written in", "in_function"),
    # An op decided from the name a value is bound to, not from how it was made (`baseline_pred = ...` -> predict,
    # kb.models.BASELINE_PREDICTION_NAME): a name is the notebook author's label, no fact about the data.
    "variable_name": ("the name of the variable it assigns", "output"),
    # A metric or prediction computed by hand, decided because a value it is computed from holds predictions, or is
    # the test target, by that value's name alone: `def rmse(y_true, y_pred): return np.sqrt(((y_true - y_pred) **
    # 2).mean())` (the parameter named for predictions, kb.models.PREDICTION_PARAMETER_NAME, carried to the names and
    # columns made of it by classify.results.ROLE_FROM_NAME); `max(y_test.mean(), 1 - y_test.mean())` (a majority
    # baseline of a target known by its name, kb.models.TEST_TARGET_NAME). Nothing seen made the value a prediction
    # or the held-out target: its name says so. (No Step field holds that name: the output is another name.)
    # Alike, a filter or fill through a mask or bound whose kind only a name gives: `df[~missing_mask]` ->
    # drop_missing, `df.loc[is_nan, "x"] = 0` -> impute_missing (kb.MISSING_MASK_NAME), `df[df.x < upper]`, `z < 3`,
    # the bounds `outlier_thresholds(df, c)` returns -> outlier_remove (kb.OUTLIER_BOUND_NAME, OUTLIER_FUNCTION_NAME;
    # classify.env_markers.KIND_FROM_NAME carries it through names): the mask was made otherwise or out of sight.
    # And predictions compared with an evaluation's result named like a metric (`p > best_f1_thresh` -> predict,
    # `p > rmse` -> evaluate, kb.models.METRIC_VALUE_NAME / THRESHOLD_NAME): the name alone says cut-off or measure.
    # The guess travels with the value a guessed step made: `np.mean(d ** 2)` after `d = a - y_pred` above,
    # `np.sqrt(mse)` after `mse = evaluate_model(...)` (helper_name), the accuracy of `y_pred = np.zeros(n)`
    # (variable_name): a role (results.ROLE_FROM_NAME) that only a guess gave.
    # (Worded "a name earlier in its lineage": the name may be the value's own, a parameter's, or that of the function
    # or guessed step that made it; each is upstream of the step, none is its output.)
    "input_name": ("a name earlier in its lineage", ""),
    # A method whose op is read from a library's table though the kind of the value it is called on is unknown (a
    # name bound by code the analysis cannot see: `df = get_data()`, then `df.replace(...)`), and whose name is also
    # a method of Python's own strings, lists, dicts or sets (kb.python.BUILTIN_TYPE_METHODS: `replace`, `split`,
    # `join`, `sort`, `update`, `count`): pandas' table is read first, but on a string or a list it does another thing.
    "unknown_receiver": ("the method's name alone, on a value of unknown kind", ""),
    # A bare term of a design matrix's formula read as categories because the notebook writes that column as `C(col)`
    # in another formula (`ols("y ~ C(strain)", df)` beside `dmatrices("y ~ strain", df)`): patsy codes a column of
    # strings as C() does, but whether this column holds strings the code does not show (classify/formula_terms.py).
    "formula_terms": ("the column's being written `C(...)` in another formula", ""),
}
