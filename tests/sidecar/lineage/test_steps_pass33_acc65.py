"""The thirty-third pass (acc65, issue 10): one meaning, one op. Each group is a set of forms a notebook writes for the
same thing; every form must get the op the first one gets (the pair test is the unit test). Small cells written for
the test, each group with controls that must stay apart.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

NP = "import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
FRAME = NP + "df = pd.read_csv('people.csv')\n"
TOP = FRAME + "top = df.city.value_counts().index[:5]\n"

# Categories lumped into a catch-all one (CONVENTIONS 20: "lumping into 'Other'" is encode_categorical), as
# `replace(rare, "Other")` was already read (lumped_categories.py).
LUMPED = [
    "df['city'] = df.city.replace(df.city.value_counts().index[5:], 'Other')",
    "df['city'] = df.city.where(df.city.isin(top), 'Other')",
    "df['city'] = df.city.where(df.city.isin(top), other='Other')",
    "df['city'] = df.city.mask(~df.city.isin(top), 'Other')",
    "df['city'] = np.where(df.city.isin(top), df.city, 'Other')",
    "df['city'] = np.where(~df.city.isin(top), 'Rare', df.city)",
    "df.loc[~df.city.isin(top), 'city'] = 'Other'",
    "rare = ~df.city.isin(top)\ndf.loc[rare, 'city'] = 'Other'",
    "df['city'] = df.city.replace({'Leeds': 'Other', 'York': 'Other'})",
]


@pytest.mark.parametrize("cell", LUMPED)
def test_categories_lumped_into_other_encode_in_every_form(cell: str) -> None:
    assert ops_after(TOP, cell) == ["encode_categorical"]


# Controls: a value past a bound replaced stays an outlier, two labels written by a condition stay what they were,
# a spelling fixed by a dict stays text work, a numeric condition derives.
NOT_LUMPED = [
    ("df['age'] = df.age.mask(df.age > df.age.quantile(0.99), df.age.median())", ["outlier_remove"]),
    ("df['big'] = np.where(df.size > 3, 'Other', 'Main')", ["derive_feature"]),
    ("df['t'] = df.t.replace({'Mlle': 'Miss', 'Mme': 'Mrs'})", ["text_clean"]),
    ("df['v'] = df.v.where(df.v > 0, 0)", ["derive_feature"]),
    ("df.loc[df.age > 65, 'group'] = 'Other'", ["derive_feature"]),  # a category column made from another one
]


@pytest.mark.parametrize("cell,expected", NOT_LUMPED)
def test_other_replacements_are_not_read_as_lumping(cell: str, expected: list[str]) -> None:
    assert ops_after(TOP, cell) == expected


# pandas' chained indexing (a column, then rows of it picked by a mask) means what `.loc[mask, column]` means.
CHAINED = [
    ("df.Gender[df.Gender == 'Female'] = 1", "df.loc[df.Gender == 'Female', 'Gender'] = 1"),
    ("df['Gender'][df['Gender'] == 'Female'] = 1", "df.loc[df['Gender'] == 'Female', 'Gender'] = 1"),
    ("df.age[df.age.isna()] = 30", "df.loc[df.age.isna(), 'age'] = 30"),
    ("df.City[df.City == 'Golkata'] = 'Kolkata'", "df.loc[df.City == 'Golkata', 'City'] = 'Kolkata'"),
]


@pytest.mark.parametrize("chained,located", CHAINED)
def test_chained_indexing_gets_the_op_of_its_loc_form(chained: str, located: str) -> None:
    assert ops_after(FRAME, chained) == ops_after(FRAME, located) != []
    assert ops_after(FRAME, chained) != ["other"]


def test_values_of_the_whole_array_by_mask_stay_positions() -> None:
    # df.values[mask] = 0 writes into the array's positions; `values` is no column (CHAINED_NOT_COLUMNS)
    assert ops_after(FRAME, "df.values[df.values < 0] = 0") == ops_after(FRAME, "arr = df.values\narr[arr < 0] = 0")[1:]


CV = FRAME + ("from sklearn.model_selection import cross_val_score, learning_curve\n"
              "from sklearn.linear_model import LinearRegression\n"
              "scores = cross_val_score(LinearRegression(), df[['x']], df.y, cv=5)\n")

# A summary of an evaluation's scores, written as NumPy's function or as the array's method: one op either way (kept
# and used: the metric reported, CONVENTIONS 7; printed or only drawn: an answer, 9).
SCORE_SUMMARIES = [
    ("cv_mean = np.mean(scores)\nprint(cv_mean)", "cv_mean = scores.mean()\nprint(cv_mean)"),
    ("cv_std = np.std(scores)\nprint(cv_std)", "cv_std = scores.std()\nprint(cv_std)"),
    ("print(np.mean(scores))", "print(scores.mean())"),
    ("sizes, tr, te = learning_curve(LinearRegression(), df[['x']], df.y)\ntm = np.mean(tr, axis=1)\nplt.plot(sizes, tm)",
     "sizes, tr, te = learning_curve(LinearRegression(), df[['x']], df.y)\ntm = tr.mean(axis=1)\nplt.plot(sizes, tm)"),
]


@pytest.mark.parametrize("function_form,method_form", SCORE_SUMMARIES)
def test_a_summary_of_scores_gets_one_op_as_function_or_method(function_form: str, method_form: str) -> None:
    assert ops_after(CV, method_form) == ops_after(CV, function_form)


def test_a_kept_mean_score_is_the_metric_and_a_drawn_one_is_not() -> None:
    assert ops_after(CV, "cv_mean = scores.mean()\nprint(cv_mean)") == ["evaluate"]
    drawn = "sizes, tr, te = learning_curve(LinearRegression(), df[['x']], df.y)\ntm = tr.mean(axis=1)\nplt.plot(sizes, tm)"
    assert ops_after(CV, drawn) == ["evaluate"]  # the curve itself; its mean per size is only drawn
    # control: a mean of data along an axis is still a table of statistics
    assert "aggregate" in ops_after(CV, "m = df[['a', 'b']].mean(axis=1)")


LC = FRAME + ("from sklearn.model_selection import learning_curve, validation_curve\n"
              "from sklearn.linear_model import LinearRegression, Ridge\n")

# A grid of values walked or handed to configure a call is no data (CONVENTIONS 15: hyper-parameter grids; 8), in
# every form a notebook writes it (data_uses._walks_a_grid).
GRIDS = [
    ("ds = np.arange(1, 11)\nfor d in ds:\n    m = df.x ** d",
     "ds = np.arange(1, 11)\nfor i, d in enumerate(ds):\n    m = df.x ** d"),
    ("ds = np.arange(1, 11)\nfor d in ds:\n    m = df.x.values[:, :d]",
     "ds = np.arange(1, 11)\nfor i, d in zip(range(10), ds):\n    m = df.x.values[:, :d]"),
    ("sizes, tr, te = learning_curve(LinearRegression(), df[['x']], df.y, train_sizes=np.linspace(0.1, 1.0, 10))",
     "sz = np.linspace(0.1, 1.0, 10)\nsizes, tr, te = learning_curve(LinearRegression(), df[['x']], df.y, train_sizes=sz)"),
    ("tr, te = validation_curve(Ridge(), df[['x']], df.y, param_name='alpha', param_range=np.logspace(-3, 3, 7))",
     "pr = np.logspace(-3, 3, 7)\ntr, te = validation_curve(Ridge(), df[['x']], df.y, param_name='alpha', param_range=pr)"),
    ("ds = np.arange(1, 11)\nfor d in ds:\n    m = df.x.values[:, :d]",
     "ds = np.arange(1, 11)\nfor i in range(len(ds)):\n    m = df.x.values[:, :ds[i]]"),
    ("def lc(m):\n    sizes = np.linspace(0.1, 1.0, 6)\n"
     "    return learning_curve(m, df[['x']], df.y, train_sizes=sizes)\nr = lc(LinearRegression())",
     "def lc(m, sizes=None):\n    if sizes is None:\n        sizes = np.linspace(0.1, 1.0, 6)\n"
     "    return learning_curve(m, df[['x']], df.y, train_sizes=sizes)\nr = lc(LinearRegression())"),
]


@pytest.mark.parametrize("plain,other_form", GRIDS)
def test_a_grid_walked_or_handed_as_a_parameter_is_no_data_in_either_form(plain: str, other_form: str) -> None:
    assert ops_after(LC, other_form) == ops_after(LC, plain)
    assert "load" not in ops_after(LC, other_form)


def test_a_grid_fed_to_predict_or_handed_as_data_is_still_a_load() -> None:
    # CONVENTIONS 28: "A grid (linspace/arange/meshgrid) fed to predict is load"; a keyword that hands data (X=) too
    fitted = LC + "m = LinearRegression().fit(df[['x']], df.y)\n"
    assert ops_after(fitted, "xs = np.linspace(0, 10, 50).reshape(-1, 1)\nfor i, x in enumerate(xs):\n    print(x)\n"
                             "p = m.predict(xs)")[:1] == ["load"]
    assert ops_after(fitted, "xs = np.linspace(0, 10, 50).reshape(-1, 1)\np = m.predict(X=xs)")[:1] == ["load"]


# A missing-value test compared with a truth value written out is that test or its negation (masks._compared_with_a_truth):
# `df[df.a.isnull() == False]` drops the rows missing `a` as `df[df.a.notna()]` does (CONVENTIONS 29: "A
# `notnull()`/`~isna()` row filter is `drop_missing`").
PRESENT_ROWS = [
    "d2 = df[df['a'].isnull() == False]",
    "d2 = df[df.a.isna() != True]",
    "d2 = df[df.a.notnull() == True]",
    "d2 = df.loc[df.a.notna() != False]",
]


@pytest.mark.parametrize("cell", PRESENT_ROWS)
def test_a_missing_test_compared_with_a_truth_value_is_the_test(cell: str) -> None:
    assert ops_after(FRAME, cell) == ops_after(FRAME, "d2 = df[df.a.notna()]") == ["drop_missing"]


def test_a_flag_compared_with_a_truth_value_stays_a_filter() -> None:
    assert ops_after(FRAME, "d2 = df[df.flag == False]") == ["filter_rows"]
    assert ops_after(FRAME, "d2 = df[df.a.isna() == True]") == ["filter_rows"]  # the missing rows kept: no drop


# A dict of category codes mapped inside `assign` recodes as the column assignment does (CONVENTIONS 20, 24); a
# function mapped there still derives.
RECODED = [
    ("df['s'] = df.s.map({'m': 0, 'f': 1})", ["encode_categorical"]),
    ("df = df.assign(s=df.s.map({'m': 0, 'f': 1}))", ["encode_categorical"]),
    ("df = df.assign(s=lambda d: d.s.map({'m': 0, 'f': 1}))", ["encode_categorical"]),
    # controls
    ("df = df.assign(s=df.s.map(len))", ["derive_feature"]),
    ("df = df.assign(s=df.s.map(lambda v: v * 2))", ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", RECODED)
def test_a_dict_mapped_in_assign_recodes_as_in_a_column_assignment(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME, cell) == expected


def test_a_total_read_out_of_a_confusion_table_is_no_score_in_either_form() -> None:
    # CONVENTIONS 9: a count is a single number; only statistics that summarise scores (kb.models
    # SCORE_SUMMARY_STATISTICS) kept under a name are the metric reported
    setup = CV + "from sklearn.metrics import confusion_matrix\np = scores * 0\nC = pd.DataFrame(confusion_matrix(df.y, df.p))\n"
    method, function = "n = C.loc[1].sum()\nprint(n)", "n = np.sum(C.loc[1])\nprint(n)"
    assert ops_after(setup, method) == ops_after(setup, function) == []


@pytest.mark.parametrize("summary", ["np.mean(scores['test_r2'])", "scores['test_r2'].mean()"])
def test_a_summary_of_scores_handed_back_by_a_helper_is_no_score_in_either_form(summary: str) -> None:
    # as hand-computed measures (hand_written.metric_by_hand): in a function body it is what the helper returns
    cell = ("from sklearn.model_selection import cross_validate\n"
            "def score_it(model, X, y):\n    scores = cross_validate(model, X, y, scoring=['r2'])\n"
            f"    r2 = {summary}\n    return r2\n")
    assert ops_after(CV, cell) == ["evaluate"]
