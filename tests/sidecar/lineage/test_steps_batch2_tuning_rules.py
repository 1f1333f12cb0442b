"""Rules found on batch 2's tuning notebooks (issue 10), each from a line of what-is-a-step.md or CONVENTIONS,
on small hand-written cells:

- feature-engine's transformers follow scikit-learn's fit / transform protocol: `.fit` alone of a preprocessor is
  no step and `.transform` takes the transformer's op (CONVENTIONS 25), so `OutlierTrimmer().fit(X)` is no model
  fit and its transform removes outliers;
- rows picked by a mask named for a training / test part, and by its negation, are a split, one per output
  (what-is-a-step.md: "when it creates a train/test pair it is a `split` (one per output)"); a mask with another
  name stays a filter;
- `make_scorer(...)` builds a scorer, not data (CONVENTIONS 15: constructors are no steps), though `make_` names
  scikit-learn's generated data sets;
- a summary of scores already evaluated (`np.mean(scores)`, as `scores.mean()`) printed or only drawn, and the
  scores put into a printed message (`"%s" % scores`), are answers, not new evaluations (CONVENTIONS 9); kept under
  a name it is the metric reported (CONVENTIONS 7); `np.sqrt(mse)` still evaluates;
- plotting is no step (CONVENTIONS 8): a notebook function that only draws is a plot call, so arrays stacked only
  to pass to it are plot plumbing, and a call handed a figure's axes (`ax=ax`) draws, whatever it is named.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps, collect_aliases

from .after_setup import FRAME_AND_NUMPY, ops_after

FEATURE_ENGINE = FRAME_AND_NUMPY + (
    "from feature_engine.outliers import OutlierTrimmer\n"
    "from feature_engine.imputation import AddMissingIndicator, MeanMedianImputer\n"
    "from sklearn.pipeline import Pipeline\n"
    "from sklearn.linear_model import LinearRegression\n"
)


def test_fitting_a_feature_engine_transformer_is_no_model_fit() -> None:
    assert ops_after(FEATURE_ENGINE, "trimmer = OutlierTrimmer(variables=['age'])\ntrimmer.fit(df)") == []


@pytest.mark.parametrize("cls, op", [
    ("OutlierTrimmer", "outlier_remove"),
    ("AddMissingIndicator", "derive_feature"),
    ("MeanMedianImputer", "impute_missing"),
])
def test_a_feature_engine_transform_takes_its_transformers_op(cls: str, op: str) -> None:
    assert ops_after(FEATURE_ENGINE, f"t = {cls}()\nt.fit(df)\ndf_t = t.transform(df)") == [op]


def test_a_pipeline_of_feature_engine_transformers_ending_in_a_model_is_one_fit() -> None:
    cell = "pipe = Pipeline([('i', MeanMedianImputer()), ('m', LinearRegression())])\npipe.fit(df, df.y)"
    assert ops_after(FEATURE_ENGINE, cell) == ["fit_model"]


def test_a_pipeline_of_feature_engine_transformers_that_mixes_ops_transforms_as_other() -> None:
    cell = "pipe = Pipeline([('a', AddMissingIndicator()), ('i', MeanMedianImputer())])\npipe.fit(df)\n" \
           "df_t = pipe.transform(df)"
    assert ops_after(FEATURE_ENGINE, cell) == ["other"]


MASKED = FRAME_AND_NUMPY + "train = (df.year < 2005)\n"


@pytest.mark.parametrize("cell", [
    "df_train = df.loc[train]\ndf_test = df.loc[~train]",
    "X_train, X_test = df.loc[train], df.loc[~train]",
    "df_train = df[train]\ndf_test = df[~train]",
])
def test_rows_picked_by_a_mask_named_for_the_part_are_a_split_per_output(cell: str) -> None:
    assert ops_after(MASKED, cell) == ["split", "split"]


@pytest.mark.parametrize("cell", [
    "keep = df.year < 2005\nrecent = df.loc[keep]",
    "df_train = df.loc[df.year < 2005]",
])
def test_rows_picked_by_another_mask_stay_a_filter(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["filter_rows"]


def test_a_scorer_made_from_a_metric_is_no_data_set() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.metrics import make_scorer, mean_absolute_error\n"
    assert ops_after(setup, "mae = make_scorer(mean_absolute_error, greater_is_better=False)") == []


def test_a_generated_data_set_is_still_a_load() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.datasets import make_classification\n"
    assert ops_after(setup, "X, y = make_classification(n_samples=100)") == ["load"]


SCORED = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\nfrom sklearn.model_selection import cross_val_score\n" \
    "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()\n"


@pytest.mark.parametrize("cell", [
    "scores = cross_val_score(model, df[['a']], df.y, cv=5)\nprint('CV accuracy: %.3f +/- %.3f' % (np.mean(scores), np.std(scores)))",
    "scores = cross_val_score(model, df[['a']], df.y, cv=5)\nprint('CV accuracy scores: %s' % scores)",
    "scores = cross_val_score(model, df[['a']], df.y, cv=5)\n"
    "train_mean = np.mean(scores, axis=0)\nplt.plot(train_mean)",
    "scores = cross_val_score(model, df[['a']], df.y, cv=5)\nprint(scores.mean())",
])
def test_a_summary_or_message_of_scores_already_evaluated_is_no_new_evaluation(cell: str) -> None:
    assert ops_after(SCORED, cell) == ["evaluate"]


@pytest.mark.parametrize("summary", ["np.mean(scores)", "scores.mean()"])  # one meaning, one op (acc65)
def test_a_summary_of_scores_kept_under_a_name_is_the_metric_reported(summary: str) -> None:
    cell = f"scores = cross_val_score(model, df[['a']], df.y, cv=5)\nmean_score = {summary}"
    assert ops_after(SCORED, cell) == ["evaluate", "evaluate"]


def test_arithmetic_on_scores_already_evaluated_still_evaluates() -> None:
    cell = "mse = cross_val_score(model, df[['a']], df.y, scoring='neg_mean_squared_error')\nrmse = np.sqrt(-mse)"
    assert ops_after(SCORED, cell) == ["evaluate", "evaluate"]


DRAWER = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\nfrom sklearn.linear_model import LogisticRegression\n" \
    "model = LogisticRegression()\n" \
    "def plot_regions(X, y):\n    plt.scatter(X[:, 0], X[:, 1], c=y)\n"


def _ops_in_later_cell(setup: str, cell: str) -> list[str]:
    return [step.op for step in classify_steps(cell, collect_aliases(setup))]


def test_arrays_stacked_only_for_a_notebook_function_that_draws_are_no_step() -> None:
    assert _ops_in_later_cell(DRAWER, "X_all = np.vstack((df.a, df.b))\nplot_regions(X_all, df.y)") == []


def test_arrays_stacked_and_fitted_on_stay_a_concat() -> None:
    assert _ops_in_later_cell(DRAWER, "X_all = np.vstack((df.a, df.b))\nmodel.fit(X_all, df.y)") == \
        ["concat", "fit_model"]


def test_a_function_that_returns_data_is_no_drawing() -> None:
    setup = FRAME_AND_NUMPY + "def both(a, b):\n    return a + b\n"
    assert _ops_in_later_cell(setup, "X_all = np.vstack((df.a, df.b))\nboth(X_all, df.y)") == ["concat"]


def test_a_call_handed_a_figures_axes_draws() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.metrics import RocCurveDisplay\nroc_curve = RocCurveDisplay.from_estimator\nfrom sklearn.svm import SVC\nsvm = SVC().fit(df[['a']], df.y)\n"
    assert ops_after(setup, "roc_curve(svm, df[['a']], df.y, name='Training', ax=ax)") == []
    assert ops_after(setup, "score = svm.score(df[['a']], df.y)") == ["evaluate"]


FITTED = FRAME_AND_NUMPY + "from sklearn.linear_model import LogisticRegression\n" \
    "X = df[['a', 'b']].values\ny = df.y.values\nlr = LogisticRegression().fit(X, y)\n"


@pytest.mark.parametrize("cell, ops", [
    ("lr.predict_proba(X[:3, :])", ["predict"]),
    ("lr.fit(X[y == 1], y[y == 1])", ["fit_model"]),
    ("acc = lr.score(X[:100], y[:100])", ["evaluate"]),
])
def test_rows_picked_only_to_pass_to_a_models_method_are_no_filter_of_their_own(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ("from sklearn.metrics import mean_absolute_error\nmae = mean_absolute_error(y[y == 1], X[:, 0][y == 1])",
     ["evaluate"]),
    ("from sklearn.utils import resample\nX_up = resample(X[y == 1], replace=True, n_samples=100)", ["sample"]),
])
def test_rows_picked_only_to_pass_to_a_scikit_learn_function_are_no_filter_of_their_own(cell: str,
                                                                                         ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops


def test_rows_held_out_into_a_name_stay_a_filter() -> None:
    assert ops_after(FITTED, "X_first = X[:100]\nlr.fit(X_first, y[:100])") == ["filter_rows", "fit_model"]


FOLDS = FRAME_AND_NUMPY + "from sklearn.model_selection import StratifiedKFold\n" \
    "X = df[['a', 'b']].values\ny = df.y.values\n"


@pytest.mark.parametrize("cell", [
    "kfold = StratifiedKFold(n_splits=10).split(X, y)",
    "cv = list(StratifiedKFold(n_splits=3).split(X, y))",
])
def test_the_folds_indices_kept_under_a_name_are_no_split(cell: str) -> None:
    assert ops_after(FOLDS, cell) == []


def test_rows_picked_by_the_folds_indices_into_named_parts_are_the_splits() -> None:
    cell = "for train_idx, test_idx in StratifiedKFold(n_splits=3).split(X, y):\n" \
           "    df_tr, df_te = df.iloc[train_idx], df.iloc[test_idx]"
    assert ops_after(FOLDS, cell) == ["split", "split"]


@pytest.mark.parametrize("cell", [
    "did_rent = df.loc['Yes', 'Yes']",
    "rate = df.loc['Ariana Grande', 'SkipRate']",
    "first = df.iloc[0, -1]",
    "v = df.at[3, 'age']",
])
def test_one_value_picked_by_its_row_and_column_is_an_answer(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


def test_rows_and_columns_picked_by_label_stay_a_selection() -> None:
    assert ops_after(FRAME_AND_NUMPY, "part = df.loc[df.age > 30, ['age', 'income']]") != []


PROBABILITIES = FITTED + "probs = lr.predict_proba(X)[:, 1]\n"


def test_labels_set_where_probabilities_pass_a_threshold_are_a_prediction() -> None:
    cell = "labels = np.array(['Down'] * 1250)\nlabels[probs > 0.5] = 'Up'"
    assert ops_after(PROBABILITIES, cell) == ["predict"]


def test_labels_set_where_data_pass_a_threshold_are_no_prediction() -> None:
    cell = "labels = np.array(['low'] * 1250)\nlabels[y > 0.5] = 'high'"
    assert "predict" not in ops_after(PROBABILITIES, cell)


def test_categories_of_a_numeric_condition_are_an_indicator_that_derives() -> None:
    assert ops_after(FRAME_AND_NUMPY, "truth = pd.Categorical(df.age == 0, categories=[True, False])") == \
        ["derive_feature"]
    assert ops_after(FRAME_AND_NUMPY, "is_f = pd.Categorical(df.sex == 'female')") == ["encode_categorical"]


SEARCHED = FRAME_AND_NUMPY + "from sklearn.model_selection import GridSearchCV\nfrom sklearn.linear_model import Ridge\n" \
    "search = GridSearchCV(Ridge(), {'alpha': [1, 10]}, scoring='neg_mean_absolute_error')\n" \
    "search.fit(df[['a']], np.log1p(df.y))\nbest_log = -search.best_score_\n"


def test_a_metric_brought_back_to_the_targets_scale_is_still_the_metric() -> None:
    assert ops_after(SEARCHED, "best = np.expm1(best_log)") == ["evaluate"]


def test_a_target_brought_back_to_its_scale_is_rescaled() -> None:
    assert ops_after(SEARCHED, "y_back = np.expm1(df.y)") == ["scale_normalize"]


CONFUSION = FITTED + "from sklearn.metrics import confusion_matrix\ncm = confusion_matrix(y, lr.predict(X))\n"


def test_the_parts_of_a_metric_read_out_are_no_conversion_of_data() -> None:
    assert ops_after(CONFUSION, "tn, fp, fn, tp = cm.ravel()") == []


def test_data_converted_to_a_new_name_stays_other() -> None:
    assert ops_after(CONFUSION, "flat = X.ravel()") == ["other"]


PLOTTING = FRAME_AND_NUMPY + "import seaborn as sns\nimport matplotlib.pyplot as plt\n"


def test_columns_dropped_only_to_draw_are_plot_plumbing() -> None:
    cell = "rest = df.drop(columns=['a', 'b'])\nsns.heatmap(rest.corr(), annot=True)"
    assert ops_after(PLOTTING, cell) == []


def test_columns_dropped_and_kept_as_data_stay_a_step() -> None:
    cell = "rest = df.drop(columns=['a', 'b'])\nsns.heatmap(rest.corr(), annot=True)\nrest.to_csv('rest.csv')"
    assert ops_after(PLOTTING, cell) == ["drop_columns"]


SUMMARISED = FRAME_AND_NUMPY + "import statsmodels.api as sm\nfrom ISLP.models import summarize\n" \
    "results = sm.OLS(df.y, df[['a', 'b']]).fit()\n"


def test_an_imported_helper_that_reads_a_fitted_model_kept_under_a_name_is_a_results_table() -> None:
    assert ops_after(SUMMARISED, "S = summarize(results)") == ["evaluate"]
    assert ops_after(SUMMARISED, "S = summarize(sm.OLS(df.y, df[['a']]).fit())") == ["fit_model", "evaluate"]


def test_the_same_helper_shown_is_like_summary_no_step() -> None:
    assert ops_after(SUMMARISED, "summarize(results)") == []


def test_an_imported_helper_applied_to_data_stays_unknown() -> None:
    assert ops_after(SUMMARISED, "S = summarize(df)") == []


def test_rows_and_columns_read_out_of_a_results_table_are_no_steps() -> None:
    cell = "S = summarize(results)\ncoef_a = S[S.index.str.contains('a')]['coef']"
    assert ops_after(SUMMARISED, cell) == ["evaluate"]


@pytest.mark.parametrize("cell", [
    "df.groupby(df['t'].dt.date)['v'].sum()",
    "daily = df.groupby(pd.to_datetime(df['t']).dt.date)['v'].sum()",
])
def test_a_key_computed_to_group_by_is_part_of_the_aggregation(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["aggregate"]


def test_a_key_computed_and_kept_before_grouping_stays_a_step() -> None:
    key = "df['band'] = pd.cut(df['age'], 5)"
    assert ops_after(FRAME_AND_NUMPY, key + "\nby_band = df.groupby('band')['v'].sum()") == \
        ops_after(FRAME_AND_NUMPY, key) + ["aggregate"] == ["derive_feature", "aggregate"]


INDEXED = FRAME_AND_NUMPY + "test = pd.read_csv('test.csv')\nsub = pd.DataFrame({'p': df.y})\n"


def test_rows_labelled_by_another_tables_index_are_set_like_set_index() -> None:
    assert ops_after(INDEXED, "sub.index = test.index") == ["other"]
    assert ops_after(INDEXED, "sub.index = test['id']") == ["other"]


def test_naming_the_index_stays_a_rename() -> None:
    assert ops_after(INDEXED, "sub.index.name = 'index'") == ["rename"]
    assert ops_after(INDEXED, "sub.index = ['a', 'b', 'c']") == ["rename"]


def test_a_correction_for_multiple_tests_is_an_evaluation_and_its_parts_are_read_from_it() -> None:
    setup = FRAME_AND_NUMPY + "from statsmodels.stats.multitest import multipletests as mult_test\n" \
        "pvals = np.array([0.01, 0.2, 0.03])\n"
    assert ops_after(setup, "reject, bonf = mult_test(pvals, method='bonferroni')[:2]") == ["evaluate"]


FOREST = FRAME_AND_NUMPY + "from sklearn.ensemble import RandomForestClassifier\nforest = RandomForestClassifier()\n" \
    "forest.fit(df[['a', 'b']], df.y)\n"


def test_a_models_parameters_kept_under_a_name_and_sorted_are_no_data() -> None:
    assert ops_after(FOREST, "importances = forest.feature_importances_\nindices = np.argsort(importances)[::-1]") == []


def test_data_sorted_by_position_stays_a_sort() -> None:
    assert ops_after(FOREST, "ages = df['age'].values\nrev = ages[::-1]") == ["select_columns", "sort"]


def test_arrays_made_empty_together_and_filled_in_a_loop_are_accumulators() -> None:
    cell = "a, b = np.empty((2, 10))\nfor j in range(10):\n    r = np.sum(df.age > j)\n    a[j] = r\n    b[j] = r / 2"
    assert ops_after(FRAME_AND_NUMPY, cell) == []
