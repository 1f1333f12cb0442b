"""Twenty-seventh pass (issue 10, acc52): recall on notebooks nobody here wrote, from the tuning part's mismatches and
fresh public notebooks of batch 8's kind, each cause read against a clause of what-is-a-step.md or CONVENTIONS on small
hand-written cells, with positive rows and controls:

- counts of pairs of values laid out as a two-way table and shown (`df.groupby("k")["v"].value_counts().unstack()`,
  `df.value_counts(["k", "v"]).unstack()`) build the table `pd.crosstab(df.k, df.v)` builds: a reshape shown counts,
  with every transforming call of its chain (what-is-a-step.md: "`crosstab`, `unstack` ...: `reshape`"; CONVENTIONS
  6), as `df.groupby(["k", "v"]).size().unstack()` already did; the counts shown alone stay inspection (test_steps_pass8)
  and drawn they stay plotting (CONVENTIONS 8);
- a table a library ships and the notebook imports (`from siuba.data import mtcars`, `from plotnine.data import mpg`)
  is a packaged data set read: a `load` where it is imported, and a frame the cell goes on with (what-is-a-step.md,
  "Sources are steps"); found in siuba's documentation (siuba-docs__key-features 15 / 37, tuning), where the group
  means of the imported table read as a column selection. Loader functions imported the same way stay loads where
  they are called (control);
- PyFixest's estimators fit a model from a formula and a frame (`fit = pf.feols("y ~ x | fe", data=df)`: fit_model,
  as statsmodels' formula fits are), its multiple-testing corrections evaluate and its example data are loads; its
  summaries, regression tables and plots are no step (CONVENTIONS 27, 8). Its whole public API (pyfixest 0.60) is
  decided in the tables (bench/kb-coverage-uninstalled-libraries.json, test_kb_coverage). Found in fresh material by
  acc51 (gabors-data-analysis/da_case_studies: 7 fits that read no step);
- hits counted by hand (`correct = 0; for ...: if y_pred[i] == y_test[i]: correct += 1`, or `row["Label"] ==
  row["predicted"]` over a table's rows) are an accuracy computed by hand from data: one evaluate where the branch is
  written (CONVENTIONS 27, 7); found in a fresh course solution (dataquestio/solutions Mission433, a spam filter
  scored by counting). Counting predicted classes (`if y_pred[i] == 1`) or equal fields that are no predictions
  stays no step (controls);
- one statistic of each group's rows kept by the group's key in a dict the code started empty (`means = {}; for g in
  df.k.unique(): means[g] = df[df.k == g].v.mean()`, `sizes[g] = len(df[df.k == g])`) is the group-by aggregation
  written by hand: one aggregate where it is written (CONVENTIONS 22, what-is-a-step.md Granularity); the brief's
  "per-group statistics computed in a for loop". A loop that only prints groups stays inspection, and a statistic of
  a column picked by the key (`missing[c] = df[c].isnull().sum()`) has no groups (controls);
- a hand-written model applied to each value (`df["predicted"] = df["SMS"].apply(classify_test_set)`, the function
  named for a prediction by kb.models ALGORITHM_NAME_OPS) predicts, whatever text work its body does first
  (CONVENTIONS 4a: label the call as predict); it read text_clean from the body (dataquestio/solutions Mission433's
  spam filter). The column then holds predictions, so comparing it with the labels evaluates (27). A cleaning
  function applied stays text_clean (control).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

COUNT_LAYOUTS = [
    ('df.groupby("k")["v"].value_counts().unstack()', ["aggregate", "reshape"]),
    ('df.groupby("k")["v"].value_counts(normalize=True).unstack(fill_value=0)', ["aggregate", "reshape"]),
    ('print(df.groupby("k")["v"].value_counts().unstack())', ["aggregate", "reshape"]),
    ('df.value_counts(["k", "v"]).unstack()', ["aggregate", "reshape"]),
    ('df.groupby("k")["v"].value_counts().unstack().fillna(0)', ["aggregate", "reshape", "impute_missing"]),
    # the same table from the group sizes, read so before (the counts' twin)
    ('df.groupby(["k", "v"]).size().unstack()', ["aggregate", "reshape"]),
    # controls: the counts shown alone are inspection (CONVENTIONS 6), drawn they are plotting (CONVENTIONS 8), and
    # a table of statistics shown laid out again is looked at (`describe().unstack()`)
    ('df.groupby("k")["v"].value_counts()', []),
    ('df["v"].value_counts().sort_index()', []),
    ('df.groupby("k")["v"].value_counts().unstack().plot(kind="bar")', []),
    ('df.describe().unstack()', []),
]


@pytest.mark.parametrize("cell,expected", COUNT_LAYOUTS)
def test_counts_laid_out_as_a_two_way_table_are_a_crosstab(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


PACKAGED_TABLES = [
    ('from siuba.data import mtcars\ng_cyl = mtcars.groupby("cyl")\nagg_res = g_cyl[["hp", "mpg"]].agg("mean")\nagg_res',
     ["load", "aggregate"]),
    ('from plotnine.data import mpg as cars\ncars.groupby("class")["hwy"].mean()', ["load", "aggregate"]),
    ('from siuba.data import cars_sql', ["load"]),
    # controls: a loader function imported is read where it is called, once; a plotting library's other names are no data
    ('from plotly.data import gapminder\ng = gapminder()', ["load"]),
    ('from sklearn.datasets import load_iris\niris = load_iris()', ["load"]),
    ('from plotnine import ggplot, aes', []),
]


@pytest.mark.parametrize("cell,expected", PACKAGED_TABLES)
def test_a_table_a_library_ships_is_loaded_where_it_is_imported(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


PYFIXEST = [
    ('import pyfixest as pf\nfit = pf.feols("y ~ a | k", data=df)', ["fit_model"]),
    ('import pyfixest as pf\nfit = pf.fepois("y ~ a", data=df, vcov={"CRV1": "k"})', ["fit_model"]),
    ('from pyfixest.estimation import feols\nm = feols("y ~ a", data=df)', ["fit_model"]),
    ('import pyfixest as pf\ndata = pf.get_data()', ["load"]),
    ('import pyfixest as pf\nfit = pf.feols("y ~ a", data=df)\np = pf.rwolf([fit], param="a", reps=999, seed=1)',
     ["fit_model", "evaluate"]),
    # controls: the printed summary, the regression table and the coefficient plot are no step of their own
    ('import pyfixest as pf\nfit = pf.feols("y ~ a | k", data=df)\npf.etable([fit])', ["fit_model"]),
    ('import pyfixest as pf\nfit = pf.feols("y ~ a | k", data=df)\npf.coefplot([fit])', ["fit_model"]),
    ('import pyfixest as pf\nfit = pf.feols("y ~ a | k", data=df)\nfit.summary()', ["fit_model"]),
]


@pytest.mark.parametrize("cell,expected", PYFIXEST)
def test_pyfixest_estimators_fit_a_model(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


MODEL = """from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(df[['a', 'b']], df['y'])
model = LogisticRegression().fit(X_train, y_train)
y_pred = model.predict(X_test)
"""

COUNTED_HITS = [
    ("correct = 0\nfor i in range(len(y_test)):\n    if y_pred[i] == y_test[i]:\n        correct += 1\n"
     "accuracy = correct / len(y_test)", ["evaluate"]),
    ("errors = 0\nfor i in range(len(y_test)):\n    if y_pred[i] != y_test[i]:\n        errors += 1", ["evaluate"]),
    ("correct = 0\ntotal = df.shape[0]\nfor row in df.iterrows():\n    row = row[1]\n"
     "    if row['Label'] == row['predicted']:\n        correct += 1\nprint('Accuracy:', correct / total)", ["evaluate"]),
    # controls: predicted classes counted, equal fields that are no predictions, a branch that does more than count
    ("pos = 0\nfor i in range(len(y_pred)):\n    if y_pred[i] == 1:\n        pos += 1", []),
    ("same = 0\nfor i, row in df.iterrows():\n    if row['a'] == row['b']:\n        same += 1", []),
    ("n = 0\nfor i in range(10):\n    if y_pred[i] == y_test[i]:\n        n += 1\n    else:\n        print(i)", []),
]


@pytest.mark.parametrize("cell,expected", COUNTED_HITS)
def test_hits_counted_by_hand_are_an_evaluation(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + MODEL, cell) == expected


GROUP_STATISTICS_BY_HAND = [
    ("means = {}\nfor g in df['k'].unique():\n    means[g] = df[df['k'] == g]['v'].mean()", ["aggregate"]),
    ("sizes = {}\nfor g in df.k.unique():\n    sizes[g] = len(df[df.k == g])", ["aggregate"]),
    ("m = {}\nfor g in ['a', 'b']:\n    m[g] = df.loc[df['k'] == g, 'v'].median()", ["aggregate"]),
    # controls: per column, printed, one group's number
    ("missing = {}\nfor c in df.columns:\n    missing[c] = df[c].isnull().sum()", []),
    ("means = {}\nfor c in df.columns:\n    means[c] = df[c].mean()", []),
    ("for g in df['k'].unique():\n    print(g, df[df['k'] == g]['v'].mean())", []),
    ("x = df[df['k'] == 'a']['v'].mean()", []),
]


@pytest.mark.parametrize("cell,expected", GROUP_STATISTICS_BY_HAND)
def test_a_statistic_per_group_kept_by_key_is_an_aggregate(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


HAND_WRITTEN_MODELS_APPLIED = [
    ("import re\ndef classify_test_set(message):\n    message = re.sub('[^a-z]', ' ', message)\n"
     "    message = message.lower().split()\n    p = 1\n    for word in message:\n        p *= 2\n"
     "    if p > 1:\n        return 'spam'\n    return 'ham'\n"
     "df['predicted'] = df['SMS'].apply(classify_test_set)", ["predict"]),
    ("def classify(message):\n    words = message.lower().split()\n    return 'spam' if 'win' in words else 'ham'\n"
     "df['predicted'] = df['SMS'].apply(classify)\nacc = (df['Label'] == df['predicted']).mean()",
     ["predict", "evaluate"]),
    # controls: a cleaning function applied cleans text; a function named "classify" that bins its one value by
    # thresholds derives a feature (bfn-tennis__tennis-analysis 26, tuning)
    ("def classify_likelihood(likelihood):\n    if likelihood < (0.05 / len(df)): return '****'\n"
     "    elif likelihood < 0.001: return '***'\n    return ''\n"
     "df['level'] = df['p'].apply(classify_likelihood)", ["derive_feature"]),
    ("def clean(message):\n    return message.lower().strip()\ndf['SMS'] = df['SMS'].apply(clean)", ["text_clean"]),
]


@pytest.mark.parametrize("cell,expected", HAND_WRITTEN_MODELS_APPLIED)
def test_a_hand_written_model_applied_to_each_value_predicts(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


READ = "data = {}\nfor f in ['a.csv', 'b.csv']:\n    data[f.replace('.csv', '')] = pd.read_csv(f)\n"

FRAMES_IN_A_DICT = [
    ("data['a']['c'] = pd.to_numeric(data['a']['c'], errors='coerce')", ["type_cast"]),
    ("data['a']['s'] = data['a']['x'] + data['a']['y']", ["derive_feature"]),
    ("combined = data['a'].merge(data['b'], on='DBN', how='left')", ["join"]),
    ("data['a'].groupby('k')['v'].mean()", ["aggregate"]),
    ("data['a'] = data['a'].dropna()", ["drop_missing"]),
    ("for k in data:\n    data[k]['total'] = data[k]['a'] + data[k]['b']", ["derive_feature"]),
    ("avg = {}\nfor k in data:\n    avg[k] = data[k]['close'].mean()", ["aggregate"]),
    # controls: looked at, and the dict filled
    ("data['a'].head()", []),
    ("for k in data:\n    print(data[k].shape)", []),
]


@pytest.mark.parametrize("cell,expected", FRAMES_IN_A_DICT)
def test_tables_read_into_a_dict_are_frames(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + READ, cell) == expected


DICT_CONTROLS = [
    ("data = {}\nfor f in ['a.csv', 'b.csv']:\n    d = pd.read_csv(f)\n    data[f] = d", ["load"]),
    ("scores = {}\nscores['a'] = 1\nscores['a']", []),
    ("d = {}\nd['x'] = df", []),
]


@pytest.mark.parametrize("cell,expected", DICT_CONTROLS)
def test_putting_tables_into_a_dict_is_no_step_of_its_own(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected
