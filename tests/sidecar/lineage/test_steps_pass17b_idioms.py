"""The seventeenth pass, second round (acc23, issue 10): common idioms of Kaggle kernels from OUTSIDE the blind corpus
(ey-l/Bottom-up-Standardization-for-Data-Preparation kernels not drawn before; sources listed in
tests/corpus/blind/README.md, "Seventeenth pass, second round (acc23)"), read against what-is-a-step.md and
tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those sources write it and the ops the definition
gives it, after set-up lines that load what it reads (the set-up's own steps are not counted). Every group has negative
controls: the same shape where the definition gives it another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('diabetes.csv')\n"

# The bootcamp helper pair many kernels copy: bounds returned by a function named for outliers, then values past them
# set to the bound.
THRESHOLDS = PD + (
    "def outlier_thresholds(dataframe, col_name, q1=0.05, q3=0.95):\n"
    "    quartile1 = dataframe[col_name].quantile(q1)\n"
    "    quartile3 = dataframe[col_name].quantile(q3)\n"
    "    interquantile_range = quartile3 - quartile1\n"
    "    up_limit = quartile3 + 1.5 * interquantile_range\n"
    "    low_limit = quartile1 - 1.5 * interquantile_range\n"
    "    return low_limit, up_limit\n")


# CONVENTIONS 29: "`outlier_remove` covers statistical bounds, clipping, replacing outliers"; 1: a helper's body is
# labelled where it is written. Values past a bound held in a NAME, set to that same name (`df.loc[df[c] > up_limit, c]
# = up_limit`), are capped, as `df.loc[df.x > 100, "x"] = 100` is; the names a function named for outliers returns
# (`low_limit, up_limit = outlier_thresholds(df, c)`) are bounds, so a filter between them removes outliers.
# Controls: a value put in that is not the bound compared with (a code for a bin: derive_feature), a bound of another
# column than the one written, a value computed from the bound, and a filter between names returned by a function not named for
# outliers (a domain range: filter_rows).
NAMED_CAPS = [
    (THRESHOLDS, "def replace_with_thresholds(dataframe, variable):\n"
                 "    low_limit, up_limit = outlier_thresholds(dataframe, variable)\n"
                 "    dataframe.loc[(dataframe[variable] < low_limit), variable] = low_limit\n"
                 "    dataframe.loc[(dataframe[variable] > up_limit), variable] = up_limit\n"
                 "replace_with_thresholds(df, 'Insulin')", ["outlier_remove", "outlier_remove"]),
    (PD, "cap = df['Insulin'].quantile(0.99)\n"
         "df.loc[df['Insulin'] > cap, 'Insulin'] = cap", ["outlier_remove"]),
    (PD, "max_bmi = 50\n"
         "df.loc[df.BMI > max_bmi, 'BMI'] = max_bmi", ["outlier_remove"]),
    (PD, "s = df['Glucose'].copy()\nhi = s.mean() + 3 * s.std()\ns[s > hi] = hi", ["select_columns", "outlier_remove"]),
    (THRESHOLDS, "def remove_outlier(dataframe, col_name):\n"
                 "    low_limit, up_limit = outlier_thresholds(dataframe, col_name)\n"
                 "    return dataframe[~((dataframe[col_name] < low_limit) | (dataframe[col_name] > up_limit))]\n"
                 "df = remove_outlier(df, 'Insulin')", ["outlier_remove"]),
    (THRESHOLDS, "low, up = outlier_thresholds(df, 'Insulin')\n"
                 "df = df[(df['Insulin'] > low) & (df['Insulin'] < up)]", ["outlier_remove"]),
    # controls
    (PD, "code = 2\ndf.loc[df.Age > 40, 'Age'] = code", ["derive_feature"]),
    (PD, "cap = df['Insulin'].quantile(0.99)\n"
         "df.loc[df['Insulin'] > cap, 'Glucose'] = cap", ["derive_feature"]),
    (PD, "limit = 100\ndf.loc[df.Insulin > limit, 'Insulin'] = limit * 2", ["derive_feature"]),
    (PD, "def age_range(d):\n    return 21, 60\n"
         "young, old = age_range(df)\n"
         "df = df[(df['Age'] > young) & (df['Age'] < old)]", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", NAMED_CAPS)
def test_values_capped_at_a_named_bound_are_outliers_replaced(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 9: "A single number ... is not a step, even when assigned, and neither is a chain that ends in one".
# `.any(axis=None)` / `.all(axis=None)` reduce over every axis at once: one boolean (the bootcamp's `check_outlier`
# returns whether a column has outliers), not a table of statistics. Controls: `axis=1` gives one value per row, an
# aggregate (a table of statistics) as before; the same filter assigned without the reduction is a step.
WHOLE_REDUCTIONS = [
    (THRESHOLDS, "def check_outlier(dataframe, col_name):\n"
                 "    low, up = outlier_thresholds(dataframe, col_name)\n"
                 "    return dataframe[(dataframe[col_name] < low) | (dataframe[col_name] > up)].any(axis=None)\n"
                 "for col in ['Insulin', 'Glucose']:\n    print(col, check_outlier(df, col))", []),
    (PD, "has_old = df[df.Age > 60].any(axis=None)", []),
    (PD, "all_known = df.notna().all(axis=None)", []),
    # controls
    (PD, "old = df[df.Age > 60]", ["filter_rows"]),
    (PD, "row_flags = df[['Glucose', 'Insulin']].gt(100).any(axis=1)", ["select_columns", "aggregate"]),
]


@pytest.mark.parametrize("setup,cell,expected", WHOLE_REDUCTIONS)
def test_a_reduction_over_every_axis_is_one_answer(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 9: "A single number (sum, mean, std, quantile, count, ratio ...) is not a step, even when assigned";
# 10: "An assigned `value_counts()` ... is `aggregate`". One entry of the counts picked by a label or position
# (`df.Outcome.value_counts()[0]`, `.values[1] / len(df)`: the kernels' class weights and fill-value weights) is one
# count or ratio, a single number. Controls: the counts table assigned, and the first rows of it cut by a slice (a
# table still), stay steps; one entry of a group-by's sizes is left as it was.
ONE_COUNT = [
    (PD, "neg = df.Outcome.value_counts()[0]\npos = df.Outcome.value_counts()[1]\nscale = neg / pos", []),
    (PD, "weights = [df.Outcome.value_counts().values[0] / len(df.Outcome),\n"
         "           df.Outcome.value_counts().values[1] / len(df.Outcome)]", []),
    (PD, "share = df['Pregnancies'].value_counts(normalize=True).iloc[0] * 100", []),
    # controls
    (PD, "counts = df.Outcome.value_counts()", ["aggregate"]),
    (PD, "top = df.Pregnancies.value_counts()[:5]", ["aggregate", "filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", ONE_COUNT)
def test_one_entry_of_the_counts_is_a_number(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 29: "`outlier_remove` covers statistical bounds, clipping, replacing outliers"; 3: the apply/map call is
# the step. A callback that replaces the value past an order bound by a number or a name and keeps it otherwise
# (`lambda x: 10 if x > 10 else x`: the sales kernels' cap of daily counts; `lambda x: mean if x < lower_bound or x >
# upper_bound else x`) clips or replaces outliers, as `df.loc[df.x > 10, "x"] = 10` does. Controls: an indicator
# (`1 if x > 60 else 0`) derives, a replacement computed from the value (`x / 10 if ...`) derives, a category
# indicator stays an encoding.
CALLBACK_CAPS = [
    (PD, "df['Insulin'] = df['Insulin'].apply(lambda x: 600 if x > 600 else x)", ["outlier_remove"]),
    (PD, "df.Age = df.Age.map(lambda x: 0 if x < 0 else x)", ["outlier_remove"]),
    (PD, "for col in ['Insulin', 'Glucose']:\n"
         "    mean = df[col].mean()\n    std = df[col].std()\n"
         "    lower_bound = mean - 2 * std\n    upper_bound = mean + 2 * std\n"
         "    df[col] = df[col].apply(lambda x: mean if x < lower_bound or x > upper_bound else x)",
     ["outlier_remove"]),
    (PD, "df['BMI'] = df['BMI'].apply(lambda v: v if v > 10 else 10)", ["outlier_remove"]),
    # controls
    (PD, "df['old'] = df.Age.apply(lambda x: 1 if x > 60 else 0)", ["derive_feature"]),
    (PD, "df['Insulin'] = df['Insulin'].apply(lambda x: x / 10 if x > 600 else x)", ["derive_feature"]),
    (PD, "df['Sex'] = df['Sex'].apply(lambda x: 1 if x == 'male' else 0)", ["encode_categorical"]),
]


@pytest.mark.parametrize("setup,cell,expected", CALLBACK_CAPS)
def test_a_callback_that_caps_past_a_bound_replaces_outliers(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 19: "A column assignment takes the op of its calculation only"; 22: `np.where` is derive_feature.
# `s.where(cond, v, inplace=True)` changes the column as `df[c] = df[c].where(cond, v)` does (derive_feature), but
# read no step (a house-prices kernel writes seventeen of them: `df["BsmtQual"].where(df["TotalBsmtSF"] != 0, "NA",
# inplace=True)`). Controls: a gap condition stays impute_missing, a statistical bound stays outlier_remove, and the
# same call without inplace, not assigned, only shows.
IN_PLACE_WHERE = [
    (PD, "df['SkinThickness'].where(df['Insulin'] != 0, 0.0, inplace=True)", ["derive_feature"]),
    (PD, "df['BMI'].mask(df['Age'] < 18, 0, inplace=True)", ["derive_feature"]),
    (PD, "df['SkinThickness'] = df['SkinThickness'].where(df['Insulin'] != 0, 0.0)", ["derive_feature"]),
    # controls
    (PD, "df['BMI'].where(df['BMI'].notna(), 0, inplace=True)", ["impute_missing"]),
    (PD, "df['Insulin'].mask(df['Insulin'] > df['Insulin'].quantile(0.99), inplace=True)", ["outlier_remove"]),
    (PD, "df['SkinThickness'].where(df['Insulin'] != 0, 0.0)\ndf.head()", []),
]


@pytest.mark.parametrize("setup,cell,expected", IN_PLACE_WHERE)
def test_where_in_place_changes_the_column_as_assigned(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# what-is-a-step.md: "`str.lower`, `str.strip`, `replace` on text: `text_clean`"; CONVENTIONS 3: the apply call is the
# step, a callback's body is not labelled. A compiled pattern's `url.sub("", text)` inside an NLP helper (3 of 300
# fresh nlp-getting-started kernels) is a text replacement, not the pandas subtraction `s.sub(other)`: no step of its
# own in the helper's body. Controls: `s.sub(s.shift())` (shift and sub: two derives) and `s.sub(21)` still derive.
REGEX_SUB = [
    (PD, "import re\ndef remove_URL(text):\n    url = re.compile(r'https?://\\S+|www\\.\\S+')\n"
         "    return url.sub('', text)\n"
         "df['Notes'] = df['Notes'].apply(lambda x: remove_URL(x))", ["derive_feature"]),
    (PD, "import re\ndef remove_html(text):\n    html = re.compile(r'<.*?>')\n    return html.sub(r'', text)\n"
         "df['Notes'] = df['Notes'].apply(remove_html)", ["text_clean"]),
    # controls
    (PD, "df['dGlucose'] = df['Glucose'].sub(df['Glucose'].shift())", ["derive_feature", "derive_feature"]),
    (PD, "df['Age0'] = df['Age'].sub(21)", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", REGEX_SUB)
def test_a_patterns_sub_is_no_subtraction(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
