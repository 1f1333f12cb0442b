"""Rules found on batch 1's tuning notebooks in the fifth pass (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- columns drawn at random in the same statement and stacked side by side (`np.c_[rng.normal(...), ...]`) are one
  generated data set, a `load`, not a concat: a stack is a concat of *existing* arrays (CONVENTIONS 13, 28), as
  `pd.DataFrame({"a": np.random.randn(n)})` already is a load alone;
- a dict or list written in the code that metrics or predictions were kept in (`scores[name] = cross_val_score(..)`,
  `accs.append(...)`) holds results, not literals: wrapped in a table it is one existing object converted
  (CONVENTIONS 12: `other` under a new name, no step under the same), not data built in code (`load`);
- a grid only looped over (`for q in quantiles`: values to try, CONVENTIONS 15 "hyper-parameter grids") or only
  computed into an accumulator filled by position to draw a surface (CONVENTIONS 8, 15) is no `load`; a grid
  used as data, or fed to predict, stays one (CONVENTIONS 28);
- a parameter vector named `..._theta` / `..._beta` (`test_theta = np.array([-24, 0.2, 0.2])`) is no load
  (CONVENTIONS 15): the name pattern allowed a prefix (`(^|_)theta`) but was matched only at the start;
- `DataFrame.append` (pandas < 2) is a concat, returning a new frame (not a list's in-place append);
- a value shaped by a function and given noise drawn in the same statement (`np.exp(-x) + np.random.rand(n)`) is
  generated data, one `load` (CONVENTIONS 28: "including y = 2*x + noise"), as plain arithmetic already was;
- missing values put at positions (`df.iloc[2:3, [1, 2]] = np.nan`, "add a few NA values") are `other`, not an
  outlier removal: CONVENTIONS 29 makes a numeric anomaly *tested by value* and set to NaN outlier_remove;
- codes of a category inside arithmetic with other columns (`df.area * df.quality.map({...})`) compute the new
  value, which derives (CONVENTIONS 19: "takes the op of its calculation only ... `a * b` is derive_feature");
- every row or column taken in another order (`df.loc[df.mean(axis=1).sort_values().index]`, `df.iloc[s.argsort()]`)
  is a sort (CONVENTIONS 30), not rows or columns picked;
- a model's parameters read through reshaping or element-wise NumPy work (`np.abs(lda.scalings_.ravel())`) are
  still its parameters, so normalising them is no step (CONVENTIONS 27);
- column labels stacked (`np.concatenate([num_cols, encoder.get_feature_names_out()])`) are a list of column names,
  no step (CONVENTIONS 15: "column-name lists (also when computed)");
- lists written in code joined or repeated (`(list(range(1, 11)) + [10] * 3) * 4`) are still values written in
  code: a Series of them is data created in code, a `load` (what-is-a-step.md, Sources);
- a helper that returns its argument converted (`return pd.DataFrame(matrix, columns=...)`, `return d.copy()`) has
  no step: a conversion is `other` only when assigned to a new name (CONVENTIONS 11-12);
- a metric put in a table as it is (`cm_df = pd.DataFrame(cm.T, index=..., columns=...)`) is still the metric, so
  naming its axes (`cm_df.index.name = "Predicted"`) is no rename of data (CONVENTIONS 27);
- a dict of existing data or results bound to a name and then made a table (`cols = {"a": df.x, "b": df.y}`;
  `pd.DataFrame(cols)`) is a concat, as the same dict written inside the call already was (CONVENTIONS 13).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after


@pytest.mark.parametrize("cell", [
    "X = np.c_[np.random.randn(100), np.random.randn(100)]",
    "X = np.column_stack([np.random.rand(50), np.random.normal(size=50)])",
    "X = np.r_[np.random.randn(20, 2) - [2, 2], np.random.randn(20, 2) + [2, 2]]",
    "X = np.hstack([np.ones((50, 1)), np.random.randn(50, 2)])",
])
def test_columns_drawn_in_the_statement_are_one_load(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["load"]


def test_draws_of_a_notebook_generator_stacked_are_one_load() -> None:
    generator = "def noise(n):\n    return np.random.standard_normal(n)\n"
    assert ops_after(FRAME_AND_NUMPY + generator, "X = np.c_[noise(100), noise(100), noise(100)]") == ["load"]


@pytest.mark.parametrize("cell, ops", [
    ("X = np.c_[df.age, df.income]", ["concat"]),  # existing columns side by side stay a concat
    ("X = np.vstack([np.loadtxt('a.txt'), np.loadtxt('b.txt')])", ["load", "concat"]),  # two files read, then joined
])
def test_existing_or_read_pieces_stay_a_concat(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


MODELS = FRAME_AND_NUMPY + (
    "from sklearn.model_selection import cross_val_score\nfrom sklearn.metrics import accuracy_score\n"
    "X, y = df[['age', 'income']], df.churn\n"
)


@pytest.mark.parametrize("filled, wrapped, ops", [
    # scores kept per model in a dict, then put in a table under a new name: a conversion, `other` (CONVENTIONS 12)
    ("scores = {}\nfor name, model in models.items():\n    scores[name] = cross_val_score(model, X, y)\n",
     "scores_df = pd.DataFrame(scores)", ["other"]),
    # ... under the same name: no step
    ("scores = {}\nfor name, model in models.items():\n    scores[name] = cross_val_score(model, X, y)\n",
     "scores = pd.DataFrame(scores)", []),
    # accuracies appended to a list hold evaluations (classify/collected.py), and a table built only from a model's
    # results is no step (CONVENTIONS 27): not a load either
    ("accs = []\nfor model in models:\n    accs.append(accuracy_score(y, model.predict(X)))\n",
     "accuracies = pd.Series(accs)", []),
])
def test_a_container_results_were_kept_in_is_existing_data_not_a_load(filled: str, wrapped: str,
                                                                      ops: list[str]) -> None:
    assert ops_after(MODELS + filled, wrapped) == ops


def test_a_list_filled_with_values_written_in_code_is_still_built_in_code() -> None:
    rows = "rows = []\nfor i in range(3):\n    rows.append({'id': i, 'group': 'a'})\n"
    assert ops_after(MODELS + rows, "table = pd.DataFrame(rows)") == ["load"]


@pytest.mark.parametrize("cell", [
    # values to try, looped over: a hyper-parameter grid (CONVENTIONS 15)
    "quantiles = np.arange(0.05, 0.96, 0.1)\nfits = [fit_at(q) for q in quantiles]",
    "alphas_tried = np.linspace(0.1, 1.0, 10)\nfor a in alphas_tried:\n    print(a)",
    # a grid computed into an accumulator to draw a surface (CONVENTIONS 8, 15), sized by the grid
    "radio = np.arange(0, 50)\ntv = np.arange(0, 300)\nb1, b2 = np.meshgrid(radio, tv)\n"
    "surface = np.zeros((tv.size, radio.size))\nfor (i, j), v in np.ndenumerate(surface):\n"
    "    surface[i, j] = 3.0 + b1[i, j] * 0.2 + b2[i, j] * 0.05",
])
def test_a_grid_only_looped_over_or_computed_into_an_accumulator_is_no_load(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # a grid used as data: fed to predict (CONVENTIONS 28), or arithmetic kept under a name
    ("xs = np.linspace(0, 10, 50)\npreds = model.predict(xs.reshape(-1, 1))", ["load", "predict"]),
    ("xs = np.arange(0, 10)\nys = 2 * xs + 1", ["load"]),
    # looped over AND used as data: still a load
    ("xs = np.arange(0, 10)\nfor x in xs:\n    print(x)\nys = xs ** 2", ["load"]),
])
def test_a_grid_used_as_data_stays_a_load(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + "from sklearn.linear_model import LinearRegression\n"
                     "model = LinearRegression().fit(df[['age']], df.income)\n", cell) == ops


@pytest.mark.parametrize("name", ["test_theta", "theta_init", "ols_beta", "theta2"])
def test_a_parameter_vector_named_theta_or_beta_anywhere_in_its_name_is_no_load(name: str) -> None:
    # CONVENTIONS 15: parameter vectors (initial theta, true beta) are not steps, whatever else the name says
    assert ops_after(FRAME_AND_NUMPY, f"{name} = np.array([-24, 0.2, 0.2])") == []


@pytest.mark.parametrize("name", ["betting", "thetas_table", "alphabet"])
def test_names_that_only_contain_the_letters_stay_data(name: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, f"{name} = np.array([-24, 0.2, 0.2])") == ["load"]


@pytest.mark.parametrize("cell, ops", [
    ("both = df.append(other)", ["concat"]),  # DataFrame.append (pandas < 2) returns a new frame, as pd.concat does
    ("df = df.append(other, ignore_index=True)", ["concat"]),
])
def test_a_frame_appended_to_a_frame_is_a_concat(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + "other = pd.read_csv('more.csv')\n", cell) == ops


def test_a_list_append_is_still_no_step() -> None:
    assert ops_after(FRAME_AND_NUMPY, "names = []\nnames.append('a')") == []


@pytest.mark.parametrize("cell", [
    "x = np.arange(100)\ny = np.exp(-(0.03 * x + 0.0001 * x ** 2 - 1.0)) + 0.001 * np.random.rand(100)",
    "x = np.linspace(1, 10, 100)\ny = np.log(x) + np.random.default_rng(0).normal(size=100)",
])
def test_a_shaped_target_with_noise_drawn_in_the_statement_is_one_load(cell: str) -> None:
    # CONVENTIONS 28: "a statement that draws random numbers for generated data is `load`, including y = 2*x + noise"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["load", "load"]


def test_a_shaped_value_without_a_draw_still_derives() -> None:
    assert ops_after(FRAME_AND_NUMPY, "df['log_income'] = np.exp(df.income) + 1") == ["derive_feature"]


@pytest.mark.parametrize("cell", [
    "df.iloc[2:3, [1, 2]] = np.nan",  # "add a few NA values": positions, not values past a bound
    "df.iloc[:2, 0] = np.nan",
    "df.loc[0:3, 'age'] = np.nan",
])
def test_missing_values_put_at_positions_are_no_outlier_removal(cell: str) -> None:
    # CONVENTIONS 29 makes a *numeric anomaly code* set to NaN outlier_remove; values put at positions are `other`
    assert ops_after(FRAME_AND_NUMPY, cell) == ["other"]


@pytest.mark.parametrize("cell, ops", [
    ("df.loc[df.age > 120, 'age'] = np.nan", ["outlier_remove"]),  # an anomaly tested by value stays
    ("df.loc[:, 'age'] = 0", ["derive_feature"]),  # every row: the column
])
def test_values_tested_or_whole_columns_keep_their_op(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell", [
    "df['area_quality'] = df.area * df.quality.map({'Po': 1, 'Fa': 2, 'Gd': 3})",
    "df['garage_quality'] = df.area * (df.qual.map({'Po': 1, 'Gd': 2}) + df.cond.map({'Po': 1, 'Gd': 2}))",
])
def test_codes_of_a_category_inside_arithmetic_of_columns_derive(cell: str) -> None:
    # CONVENTIONS 19: "a column assignment takes the op of its calculation only ... `a * b` is derive_feature"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["derive_feature"]


def test_codes_of_a_category_alone_still_encode() -> None:
    assert ops_after(FRAME_AND_NUMPY, "df['quality'] = df.quality.map({'Po': 1, 'Fa': 2, 'Gd': 3})") \
        == ["encode_categorical"]


@pytest.mark.parametrize("cell", [
    "ranked = df.loc[df.mean(axis=1).sort_values(ascending=False).index]",  # rows in order of their mean
    "ranked = df[df.median().sort_values().index]",  # columns in order of their median
    "ranked = df.iloc[df.income.argsort()]",
    "ranked = df.loc[df.income.sort_values().index[::-1]]",
])
def test_every_row_or_column_taken_in_another_order_is_a_sort(cell: str) -> None:
    # CONVENTIONS 30: "An assigned `sort_values` or `[::-1]` is `sort`" -- the same data in another order, not a pick
    assert ops_after(FRAME_AND_NUMPY, cell) == ["sort"]


def test_the_first_rows_of_an_order_are_still_no_sort() -> None:
    # a slice of the ordered labels picks some rows (unchanged here: nlargest-like picks are not this rule's)
    assert "sort" not in ops_after(FRAME_AND_NUMPY, "top = df.loc[df.income.sort_values().index[:10]]")


FITTED = FRAME_AND_NUMPY + (
    "from sklearn.discriminant_analysis import LinearDiscriminantAnalysis\n"
    "from sklearn.linear_model import LinearRegression\n"
    "X, y = df[['age', 'income']], df.churn\n"
    "lda = LinearDiscriminantAnalysis()\nlda.fit(X, y)\n"
    "reg = LinearRegression()\nreg.fit(X, y)\n"
)


@pytest.mark.parametrize("cell", [
    "weights = np.abs(lda.scalings_.ravel())\nweights = weights / weights.sum()",
    "coefs = np.round(reg.coef_.T, 3)\ncoefs = coefs / np.sum(coefs)",
])
def test_a_models_parameters_reshaped_then_normalised_stay_no_step(cell: str) -> None:
    # CONVENTIONS 27: reading coef_ / scalings_ "and tables/Series built only from them" are not steps
    assert ops_after(FITTED, cell) == []


def test_data_made_positive_then_normalised_still_rescales() -> None:
    assert ops_after(FITTED, "w = np.abs(df.income.ravel())\nw = w / w.sum()") == ["scale_normalize"]


ENCODED = FRAME_AND_NUMPY + (
    "from sklearn.preprocessing import OneHotEncoder\n"
    "encoder = OneHotEncoder().fit(df[['city']])\nnum_cols = ['age', 'income']\n"
)


@pytest.mark.parametrize("cell", [
    "names = np.concatenate([num_cols, encoder.get_feature_names_out()])",
    "names = np.r_[encoder.feature_names_in_, encoder.get_feature_names_out()]",
    "names = np.hstack([df.columns, encoder.get_feature_names_out()])",
])
def test_column_labels_stacked_are_a_list_of_names_not_data(cell: str) -> None:
    # CONVENTIONS 15: "column-name lists (also when computed)" are not steps
    assert ops_after(ENCODED, cell) == []


@pytest.mark.parametrize("cell", ["X = np.hstack([df[num_cols], df[['city']]])",
                                  "X = np.concatenate([df.values, df.values])"])
def test_data_stacked_stays_a_concat(cell: str) -> None:
    assert ops_after(ENCODED, cell)[-1:] == ["concat"]


@pytest.mark.parametrize("values", ["(list(range(1, 11)) + [10] * 3) * 4", "[1, 2, 3] * 4", "[0.5] * 3 + [1.5]"])
def test_a_series_of_lists_written_in_code_joined_or_repeated_is_a_load(values: str) -> None:
    # what-is-a-step.md: "data created in code: a pd.DataFrame / pd.Series / np.array built from literals, lists"
    assert ops_after(FRAME_AND_NUMPY, f"values = {values}\ndeck = pd.Series(values)") == ["load"]


def test_a_list_made_from_data_and_wrapped_is_no_load() -> None:
    assert ops_after(FRAME_AND_NUMPY, "values = df.age.tolist() + [1]\nages = pd.Series(values)") != ["load"]


@pytest.mark.parametrize("body", ["return pd.DataFrame(matrix, columns=['a', 'b'])", "return matrix.copy()",
                                  "return matrix.values"])
def test_a_helper_returning_its_argument_converted_has_no_step(body: str) -> None:
    # CONVENTIONS 11-12: a copy or container conversion is `other` only when assigned to a new name; returned, none
    assert ops_after(FRAME_AND_NUMPY, f"def back_to_pandas(matrix):\n    {body}") == []


def test_a_helper_returning_a_transformed_argument_keeps_the_step() -> None:
    assert ops_after(FRAME_AND_NUMPY, "def clean(d):\n    return d.dropna().values") == ["drop_missing"]


METRICS = FRAME_AND_NUMPY + (
    "from sklearn.metrics import confusion_matrix\ny_test, pred = df.churn, df.predicted\n"
    "cm = confusion_matrix(y_test, pred)\n"
)


def test_naming_the_axes_of_a_confusion_matrix_put_in_a_table_is_no_rename() -> None:
    # CONVENTIONS 27: a metric and its results table are an evaluation; its labels are read with it, no data renamed
    cell = ("cm_df = pd.DataFrame(cm.T, index=['No', 'Yes'], columns=['No', 'Yes'])\n"
            "cm_df.index.name = 'Predicted'\ncm_df.columns.name = 'True'\nprint(cm_df)")
    assert ops_after(METRICS, cell) == []


def test_naming_the_axes_of_data_put_in_a_table_is_still_a_rename() -> None:
    assert ops_after(METRICS, "table = pd.DataFrame(df)\ntable.index.name = 'customer'") == ["other", "rename"]


@pytest.mark.parametrize("setup, cell", [
    ("", "columns = {'age': df.age, 'income': df.income}\ntable = pd.DataFrame(columns)"),
    # metrics bound to names, gathered in a dict, then a table of them (a metrics table, as in Kaggle notebooks)
    ("from sklearn.metrics import accuracy_score, f1_score\ny, p1, p2 = df.churn, df.p1, df.p2\n"
     "acc1, acc2 = accuracy_score(y, p1), accuracy_score(y, p2)\nf1_1, f1_2 = f1_score(y, p1), f1_score(y, p2)\n",
     "scores = {'first': [acc1, f1_1], 'second': [acc2, f1_2]}\ntable = pd.DataFrame(scores, index=['acc', 'f1'])"),
])
def test_a_dict_of_existing_data_bound_to_a_name_then_tabled_is_a_concat(setup: str, cell: str) -> None:
    # CONVENTIONS 13: a DataFrame that combines two or more existing arrays/Series is a concat, as it is when the
    # dict is written inside the call; data built from literals stays a load
    assert ops_after(FRAME_AND_NUMPY + setup, cell) == ["concat"]


def test_a_dict_of_values_written_in_code_stays_a_load_and_a_mapping_stays_a_mapping() -> None:
    assert ops_after(FRAME_AND_NUMPY, "values = {'a': [1, 2], 'b': [3, 4]}\ntable = pd.DataFrame(values)") == ["load"]
    assert ops_after(FRAME_AND_NUMPY, "codes = {'no': 0, 'yes': 1}\ndf['churn'] = df.churn.map(codes)") \
        == ["encode_categorical"]
