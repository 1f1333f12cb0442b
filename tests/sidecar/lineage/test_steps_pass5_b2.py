"""Rules found on batch 2's tuning notebooks in the fifth pass (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- ISLP's packaged data sets are loads (what-is-a-step.md: "a packaged or downloaded data set"), and its design-matrix
  transformer `ModelSpec` follows scikit-learn's fit / transform protocol: `.fit` alone is no step and its transform
  builds a design matrix, `derive_feature` (CONVENTIONS 25, 13);
- one model's result completed with values computed from itself (`pd.concat([coef, pd.Series([-coef.sum()])])`) is a
  table built only from a model's results, no step (CONVENTIONS 27), also after a call that only reorders it; several
  evaluations put together stay a concat (CONVENTIONS 13);
- the size of a result (`np.arange(coef.shape[0])`) is an answer about it, not arithmetic on the result.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

ISLP = FRAME_AND_NUMPY + (
    "import statsmodels.api as sm\n"
    "from ISLP import load_data\n"
    "from ISLP.models import ModelSpec as MS, summarize\n"
)


def test_an_islp_data_set_is_a_load() -> None:
    assert ops_after(ISLP, "Boston = load_data('Boston')") == ["load"]


def test_fitting_an_islp_model_spec_is_no_model_fit() -> None:
    assert ops_after(ISLP, "design = MS(['lstat'])\ndesign = design.fit(df)") == []


@pytest.mark.parametrize("cell", [
    "design = MS(['lstat']).fit(df)\nX = design.transform(df)",
    "X = MS(['lstat', 'age']).fit_transform(df)",
])
def test_an_islp_design_matrix_derives_features(cell: str) -> None:
    assert ops_after(ISLP, cell) == ["derive_feature"]


RESULTS = ISLP + (
    "X = MS(['mnth', 'hr']).fit_transform(df)\n"
    "M = sm.OLS(df['bikers'], X).fit()\n"
    "S = summarize(M)\n"
    "coef = S[S.index.str.contains('mnth')]['coef']\n"
)


def test_a_models_coefficients_completed_from_themselves_are_no_concat() -> None:
    assert ops_after(RESULTS, "coef = pd.concat([coef, pd.Series([-coef.sum()], index=['mnth[Dec]'])])") == []


def test_a_result_reordered_and_then_completed_is_still_the_result() -> None:
    cell = "coef = coef.reindex(['mnth[%d]' % m for m in range(11)])\n" \
           "coef = pd.concat([coef, pd.Series([-coef.sum()], index=['mnth[Dec]'])])"
    assert ops_after(RESULTS, cell) == []


def test_several_evaluations_put_together_stay_a_concat() -> None:
    setup = ISLP + "from sklearn.model_selection import cross_val_score\nfrom sklearn.linear_model import " \
                   "LinearRegression, Ridge\n"
    cell = "a = cross_val_score(LinearRegression(), df[['x']], df.y)\nb = cross_val_score(Ridge(), df[['x']], df.y)\n" \
           "both = pd.concat([pd.Series(a), pd.Series(b)])"
    assert ops_after(setup, cell) == ["evaluate", "evaluate", "concat"]


def test_positions_over_a_results_size_are_no_evaluation() -> None:
    cell = "x_month = np.arange(coef.shape[0])\nax.plot(x_month, coef)"
    assert "evaluate" not in ops_after(RESULTS + "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n", cell)


# ---------------------------------------------------------------- indicators of category values (CONVENTIONS 20)
@pytest.mark.parametrize("cell, op", [
    ("df['big'] = df['size'].apply(lambda x: 1 if x in {'L', 'XL'} else 0)", "encode_categorical"),
    ("df['big'] = df['size'].apply(lambda x: 1 if x in ['L', 'XL'] else 0)", "encode_categorical"),
    ("df['big'] = df['size'].apply(lambda x: 1 if x in {3, 4} else 0)", "derive_feature"),
])
def test_membership_in_a_set_of_labels_is_an_indicator_of_category_values(cell: str, op: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == [op]


@pytest.mark.parametrize("cell, op", [
    ("df2 = df.assign(has_x=lambda d: d['tag'].isin(['0880', '0441']))", "encode_categorical"),
    ("df2 = df.assign(is_f=lambda d: d.sex == 'female')", "encode_categorical"),
    ("df2 = df.assign(old=lambda d: d.age > 65)", "derive_feature"),
])
def test_an_indicator_of_category_values_in_assign_encodes(cell: str, op: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == [op]


# ---------------------------------------------------------------- results collected in a loop (CONVENTIONS 7, 12, 27)
SEARCH = FRAME_AND_NUMPY + (
    "from sklearn.svm import SVC\nfrom sklearn.metrics import accuracy_score\n"
    "from sklearn.model_selection import train_test_split\n"
    "X_train, X_val, y_train, y_val = train_test_split(df[['a', 'b']], df.y)\n"
)
LOOP = ("results = []\nfor C in [0.1, 1, 10]:\n    accs = []\n    for seed in range(3):\n"
        "        model = SVC(C=C).fit(X_train, y_train)\n        y_pred = model.predict(X_val)\n"
        "        {collect}\n    avg_acc = np.mean(accs)\n    results.append((C, avg_acc))\n"
        "results_df = pd.DataFrame(results, columns=['C', 'acc'])\n")


@pytest.mark.parametrize("collect", ["accs.append(accuracy_score(y_val, y_pred))",
                                     "acc = accuracy_score(y_val, y_pred)\n        accs.append(acc)"])
def test_the_mean_of_evaluations_collected_in_a_loop_is_the_metric_and_their_table_a_conversion(collect: str) -> None:
    ops = ops_after(SEARCH, LOOP.format(collect=collect))
    assert ops[-2:] == ["evaluate", "other"] and "load" not in ops


def test_a_table_of_values_written_in_the_code_stays_a_load() -> None:
    cell = "rows = []\nfor name in ['a', 'b']:\n    rows.append((name, len(name)))\nt = pd.DataFrame(rows)"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["load"]


# ---------------------------------------------------------------- confusion tables are metrics (CONVENTIONS 27, 4b)
MODEL = FRAME_AND_NUMPY + (
    "from ISLP import confusion_table\nfrom sklearn.linear_model import LogisticRegression\n"
    "model = LogisticRegression().fit(df[['a', 'b']], df.y)\ny_hat = model.predict(df[['a', 'b']])\n"
)


def test_an_imported_confusion_table_of_predictions_is_an_evaluation() -> None:
    assert ops_after(MODEL, "confusion_table(y_hat, df.y)") == ["evaluate"]


def test_a_function_named_for_drawing_draws_even_when_named_for_a_metric() -> None:
    for name in ("plot_confusion_matrix", "plot_accuracy"):
        assert ops_after(MODEL, f"def {name}(cm):\n    pass\n\n{name}(df.values)") == [], name


# ---------------------------------------------------------------- hand-written selection algorithms (CONVENTIONS 4a)
SBS = (
    "from sklearn.model_selection import train_test_split\nfrom sklearn.metrics import accuracy_score\n"
    "class SBS:\n"
    "    def __init__(self, estimator, k):\n        self.estimator, self.k = estimator, k\n"
    "    def fit(self, X, y):\n"
    "        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)\n"
    "        self.estimator.fit(X_train, y_train)\n        y_pred = self.estimator.predict(X_test)\n"
    "        self.score_ = accuracy_score(y_test, y_pred)\n        return self\n"
    "    def transform(self, X):\n        return X[:, self.indices_]\n"
)


def test_a_class_that_holds_data_out_to_score_a_model_is_a_black_box_whose_fit_is_the_step() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.neighbors import KNeighborsClassifier\n"
    assert ops_after(setup, SBS) == []
    assert ops_after(setup, SBS + "sbs = SBS(KNeighborsClassifier(), k=1)\nsbs.fit(df[['a', 'b']].values, df.y)") \
        == ["fit_model"]


def test_a_transformer_that_fits_a_model_to_impute_stays_written_out() -> None:
    cell = ("from sklearn.linear_model import LinearRegression\n"
            "class Imputer:\n    def fit(self, X, y=None):\n        known = X[X.a.notna()]\n"
            "        self.m = LinearRegression().fit(known[['b']], known.a)\n        return self\n"
            "    def transform(self, X):\n        X = X.copy()\n"
            "        X.loc[X.a.isna(), 'a'] = self.m.predict(X.loc[X.a.isna(), ['b']])\n        return X\n")
    assert ops_after(FRAME_AND_NUMPY, cell)[:1] == ["drop_missing"]  # its statements are the steps (CONVENTIONS 1)


# ---------------------------------------------------------------- the normal equation by hand (CONVENTIONS 4a)
DESIGN = FRAME_AND_NUMPY + "X = df[['a']].values\ny = df['y'].values\nXb = np.hstack((np.ones((X.shape[0], 1)), X))\n"


@pytest.mark.parametrize("cell", [
    "z = np.linalg.inv(np.dot(Xb.T, Xb))\nw = np.dot(z, np.dot(Xb.T, y))",
    "theta = np.linalg.inv(Xb.T @ Xb) @ Xb.T @ y",
    "beta = np.linalg.solve(Xb.T.dot(Xb), Xb.T.dot(y))",
])
def test_parameters_solved_from_the_data_by_linear_algebra_are_a_fit(cell: str) -> None:
    assert ops_after(DESIGN, cell) == ["fit_model"]


def test_a_product_of_data_kept_under_another_name_stays_a_feature() -> None:
    assert ops_after(DESIGN, "gram = np.dot(Xb.T, Xb)") == ["derive_feature"]


# ---------------------------------------------------------------- sklearn.metrics knowledge (CONVENTIONS 27)
@pytest.mark.parametrize("call", ["auc(fpr, tpr)", "jaccard_score(df.y, df.p)", "adjusted_rand_score(df.y, df.p)"])
def test_sklearn_metrics_scores_are_evaluations(call: str) -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.metrics import roc_curve, auc, jaccard_score, adjusted_rand_score\n" \
                              "fpr, tpr, _ = roc_curve(df.y, df.p)\n"
    assert ops_after(setup, f"score = {call}") == ["evaluate"]


@pytest.mark.parametrize("cell, op", [
    ("df['income'] = df.income.apply(lambda x: x.replace('>50K', '1'))", "encode_categorical"),
    ("df['name'] = df.name.apply(lambda x: x.replace('Mr.', 'Mr'))", "text_clean"),
])
def test_a_label_replaced_by_a_code_is_a_recoding_and_a_spelling_fix_cleans_text(cell: str, op: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == [op]


# ---------------------------------------------------------------- callable row filters; answers returned
@pytest.mark.parametrize("cell", [
    "a = df.loc[lambda x: x['cycle'] == '1']",
    "a = df[lambda d: d.age > 3]",
])
def test_rows_picked_by_a_callable_condition_are_a_filter(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["filter_rows"]


@pytest.mark.parametrize("cell", [
    "def f(d):\n    return len(d[d.a > 1])",
    "def g(d):\n    return d.loc[lambda x: x.a > 1].pipe(len) / 3 * 100",
    "n = df.loc[lambda x: x.a > 1].pipe(len)",
])
def test_a_count_of_rows_returned_or_piped_to_len_is_an_answer(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


# ---------------------------------------------------------------- polars knowledge
POLARS = "import polars as pl\ndf = pl.read_csv('people.csv')\n"


@pytest.mark.parametrize("cell, op", [
    ("df = df.with_row_index(name='index')", "other"),
    ("parts = df.partition_by(by=['Pclass'], as_dict=True)", "filter_rows"),
])
def test_polars_row_numbers_are_other_and_partitions_are_subsets_of_rows(cell: str, op: str) -> None:
    assert ops_after(POLARS, cell) == [op]


@pytest.mark.parametrize("setup, cell", [
    (FRAME_AND_NUMPY, "a = df.loc[lambda x: x.c == '1'].loc[lambda x: x.d == 'Y']"),
    (POLARS, "a = df.filter(pl.col('Pclass') == 1).filter(pl.col('Age') > 70)"),
    (FRAME_AND_NUMPY, "row = df[df['name'] == 'x'].head(1)"),
])
def test_each_row_filter_of_a_chain_is_a_step(setup: str, cell: str) -> None:
    assert ops_after(setup, cell) == ["filter_rows", "filter_rows"]


# ---------------------------------------------------------------- metrics of two data sets printed together
METRICS = FRAME_AND_NUMPY + (
    "from sklearn.metrics import mean_squared_error\nfrom sklearn.linear_model import LinearRegression\n"
    "m = LinearRegression().fit(df[['a']], df.y)\np_tr = m.predict(df[['a']])\np_te = m.predict(df[['b']])\n"
)


def test_metrics_of_the_training_and_the_test_set_printed_together_are_two_evaluations() -> None:
    cell = "print('MSE train: %.3f, test: %.3f' % (mean_squared_error(df.y, p_tr), mean_squared_error(df.z, p_te)))"
    assert ops_after(METRICS, cell) == ["evaluate", "evaluate"]


@pytest.mark.parametrize("cell", [
    "print(np.sqrt(mean_squared_error(df.y, p_tr)))",
    "both = (mean_squared_error(df.y, p_tr), mean_squared_error(df.z, p_te))",
])
def test_a_metric_computed_from_another_or_kept_under_one_name_is_one_evaluation(cell: str) -> None:
    assert ops_after(METRICS, cell) == ["evaluate"]


@pytest.mark.parametrize("cell, ops", [
    ("b = pd.read_csv('z.csv', dtype=str)[['a', 'd']].merge(df, how='left')", ["load", "select_columns", "join"]),
    ("y = pd.read_csv('z.csv')['target']", ["load", "select_columns"]),
])
def test_columns_picked_from_a_table_read_in_the_same_chain_are_a_selection(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- group reductions (CONVENTIONS 22, 9)
@pytest.mark.parametrize("cell", [
    "r = df.groupby('k').flag.any()",
    "r = df.groupby('k').pipe(lambda grp: pd.DataFrame({'a': grp['x'].sum(), 'b': grp['y'].any()}))",
])
def test_groups_reduced_by_any_or_by_a_function_handed_the_groups_are_an_aggregate(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["aggregate"]


def test_totals_built_on_into_a_table_are_no_answer() -> None:
    # the totals per column made a table are an aggregate, of which the columns picked to be totalled are part,
    # since acc6 (CONVENTIONS 22, 18; test_steps_pass6.py)
    cell = "t = df[['a', 'b']].sum().to_frame('count').assign(pct=lambda f: f['count'] / 10)"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["aggregate", "derive_feature"]


def test_a_total_of_a_column_stays_an_answer() -> None:
    assert ops_after(FRAME_AND_NUMPY, "n = df.x.sum()") == []


# ---------------------------------------------------------------- changed in place (CONVENTIONS 28, 30)
RNG = FRAME_AND_NUMPY + "rng = np.random.default_rng(0)\n"


def test_data_changed_in_place_by_other_data_derives() -> None:
    cell = "X = rng.standard_normal((10, 100))\nshift = np.array([0.5] * 50 + [0] * 50)\nX += shift[None, :]"
    assert ops_after(RNG, cell) == ["load", "load", "derive_feature"]


def test_a_running_total_is_no_step() -> None:
    assert ops_after(RNG, "total = 0\nfor c in df.columns:\n    total += df[c].sum()") == []


def test_an_array_shuffled_by_a_generator_in_a_loop_is_a_sample_of_it() -> None:
    cell = "D = df.values.copy()\nfor b in range(10):\n    rng.shuffle(D)"
    assert ops_after(RNG, cell) == ["other", "sample"]


# ---------------------------------------------------------------- a table built with a computed column
GROUPED = FRAME_AND_NUMPY + "a = df.groupby('k').x.sum()\nb = df.groupby('k').x.count()\n"


@pytest.mark.parametrize("cell, ops", [
    ("t = pd.DataFrame({'n': b, 's': a, 'rate': (a / b) * 100})", ["concat", "derive_feature"]),
    ("t = pd.DataFrame({'n': b, 's': a})", ["concat"]),
])
def test_a_column_computed_inside_a_table_built_from_series_derives(cell: str, ops: list[str]) -> None:
    assert ops_after(GROUPED, cell) == ops


# ---------------------------------------------------------------- classes chosen from probabilities (CONVENTIONS 26)
PROBA = FRAME_AND_NUMPY + "from sklearn.linear_model import LogisticRegression\n" \
                          "lr = LogisticRegression().fit(df[['a']], df.y)\n"


@pytest.mark.parametrize("cell, ops", [
    ("lr.predict_proba(df[['a']]).argmax(axis=1)", ["predict", "predict"]),
    ("p = lr.predict_proba(df[['a']])\nc = np.argmax(p, axis=1)", ["predict", "predict"]),
    ("i = np.argmax(df.a.values)", []),
])
def test_the_class_of_highest_predicted_probability_is_a_prediction(cell: str, ops: list[str]) -> None:
    assert ops_after(PROBA, cell) == ops


# ---------------------------------------------------------------- thresholds compared with (CONVENTIONS 9, 15)
PVALUES = FRAME_AND_NUMPY + "p = df.p.values\ns = np.sort(p)\nm = p.shape[0]\n"


@pytest.mark.parametrize("cell", [
    "idx = np.where(s < 0.1 * np.linspace(1, m, m) / m)[0]",
    "idx = np.where(s < 0.1)[0]\nselected = p < s[idx].max()",
])
def test_a_grid_or_a_statistic_compared_with_is_a_threshold_not_a_step(cell: str) -> None:
    assert ops_after(PVALUES, cell) == []
