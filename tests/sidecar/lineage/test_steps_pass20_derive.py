"""The twentieth pass (acc37, issue 10): derive_feature idioms from fresh material outside the corpus (feature
engineering and time-series courses and books, Kaggle time-series helpers), each written in more than one public
source and decided by what-is-a-step.md and CONVENTIONS.md. Rows are cells written the way the sources write them,
after set-up lines whose own steps are not counted; every group has negative controls.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('train.csv', parse_dates=['date'])\nts = df['sales']\n"


# CONVENTIONS 22: "These are `derive_feature`: ... `rolling`, ... `shift`"; what-is-a-step.md, Granularity: "Method
# chains give one step per transforming call". A table made by pd.concat / pd.DataFrame of a DICT comprehension of
# lags (`pd.concat({f'y_lag_{i}': ts.shift(i) for i in range(1, lags + 1)}, axis=1)`, the make_lags /
# make_multistep_target / make_leads helpers of Kaggle's time-series course, which `find_string` finds copied into
# many public notebooks and scripts) read concat alone, or `load` for pd.DataFrame, where the LIST comprehension of the
# same values read derive_feature + concat: the dict's keys only label the pieces. So does a dict comprehension of
# files read (`pd.concat({f: pd.read_csv(f) for f in files})`: load + concat, as the list version). Controls: a dict
# comprehension of columns taken as they are stays a concat; literal values stay a load.
KEYED_PIECES = [
    (PD, "X = pd.concat({f'y_lag_{i}': ts.shift(i) for i in range(1, 5)}, axis=1)", ["derive_feature", "concat"]),
    (PD, "def make_lags(ts, lags):\n    return pd.concat(\n        {\n            f'y_lag_{i}': ts.shift(i)\n"
         "            for i in range(1, lags + 1)\n        },\n        axis=1)\n\n\nX = make_lags(df.sales, lags=4)\n"
         "X = X.fillna(0.0)", ["derive_feature", "concat", "impute_missing"]),
    (PD, "def make_multistep_target(ts, steps):\n    return pd.concat(\n        {f'y_step_{i + 1}': ts.shift(-i)\n"
         "         for i in range(steps)},\n        axis=1)\n\ny = make_multistep_target(df.sales, steps=8).dropna()",
     ["derive_feature", "concat", "drop_missing"]),
    (PD, "X = pd.concat({c: df[c].rolling(7).mean() for c in ['a', 'b']}, axis=1)", ["derive_feature", "concat"]),
    (PD, "lags = pd.DataFrame({f'lag_{i}': df['sales'].shift(i) for i in range(1, 4)})", ["derive_feature"]),
    (PD + "files = ['a.csv', 'b.csv']\n", "frames = pd.concat({f: pd.read_csv(f) for f in files})", ["load", "concat"]),
    # controls
    (PD, "X = pd.concat([ts.shift(i) for i in range(1, 5)], axis=1)", ["derive_feature", "concat"]),
    (PD, "X = pd.concat({c: df[c] for c in ['a', 'b']}, axis=1)", ["concat"]),
    (PD, "X = pd.concat({'a': df.a, 'b': df.b}, axis=1)", ["concat"]),
    (PD, "X = pd.DataFrame({f'c{i}': np.random.randn(10) for i in range(3)})", ["load"]),
    (PD, "X = pd.DataFrame({'a': [1, 2], 'b': [3, 4]})", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", KEYED_PIECES)
def test_keyed_pieces(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 22 (shift, rolling derive), 19 (arithmetic that makes a column derives); what-is-a-step.md, Granularity:
# "A statement inside a loop ... counts once, where it is written". Features built into a dict or list the notebook
# fills, to be put side by side once (`feats = {}` ... `feats[f"{col}_lag{L}"] = s.shift(L)` ... `pd.concat([out,
# pd.DataFrame(feats)], axis=1)`, the pandas advice against a fragmented frame; `lags.append(df.v.shift(L))`; public
# code: `features[f"T10Y3M_lag{lag}"] = df["T10Y3M"].shift(lag)`, `new_cols[...]`, `feats[...]`) read no step at
# all, and the dict then read as data written in the code (`pd.DataFrame(feats)`: load). Controls: statistics,
# settings, masks, drawn values and a total of products kept in a dict or list stay no step; results stay results.
CONTAINERS = [
    (PD + "cols = ['a', 'b']\n", "feats = {}\nfor col in cols:\n    for L in (1, 3):\n"
     "        feats[f'{col}_lag{L}'] = df[col].shift(L)\nout = pd.concat([df, pd.DataFrame(feats)], axis=1)",
     ["derive_feature", "concat"]),
    (PD + "cols = ['a', 'b']\n", "feats = {}\ng = df.groupby('id', sort=False)\nfor col in cols:\n    s = g[col]\n"
     "    for L in (1, 3):\n        feats[f'{col}_lag{L}'] = s.shift(L)", ["derive_feature"]),
    (PD, "new_cols = dict()\nnew_cols['ratio'] = df['a'] / df['b']", ["derive_feature"]),
    (PD, "feats = {}\nfeats['ratio'] = df['a'] / df['b']\nX = pd.DataFrame(feats)", ["derive_feature", "other"]),
    (PD, "lag_features = []\nfor L in (1, 2):\n    lag_features.append(df['sales'].shift(L))\n"
         "X = pd.concat(lag_features, axis=1)", ["derive_feature", "concat"]),
    (PD, "rolled = []\nfor w in (7, 28):\n    rolled.append(df['sales'].rolling(w).mean().rename(f'roll_{w}'))",
     ["derive_feature", "rename"]),
    # controls
    (PD, "stats = {}\nstats['ratio'] = df.a.sum() / df.b.sum()", []),
    (PD, "params = {}\nparams['n'] = len(df) // 10", []),
    (PD + "cols = ['a', 'b']\n", "res = {}\nfor c in cols:\n    res[c] = df[c].mean()", []),
    (PD + "cols = ['a', 'b']\n", "missing = {}\nfor c in cols:\n    missing[c] = df[c].isnull().sum() / len(df) * 100",
     []),
    (PD, "d = {}\nd['x'] = np.arange(10) * 2", []),
    (PD, "masks = {}\nmasks['big'] = df.a > 5", []),
    (PD + "cols = ['a', 'b']\n", "totals = []\nfor c in cols:\n    totals.append(np.dot(df[c], df['n']))", []),
    (PD, "rows = []\nfor _, row in df.iterrows():\n    rows.append(row['a'] + row['b'])", []),
    # a metric's tallies kept by key (the sweep: an F-beta per action computed by hand in a Kaggle metric)
    (PD, "tp = {}\nfp = {}\nf1s = []\nfor a in ['x', 'y']:\n    f1s.append(tp[a] / (tp[a] + fp[a]))", []),
    (PD + "from sklearn.linear_model import LinearRegression\nm = LinearRegression().fit(df[['a']], df.y)\n",
     "scores = []\nscores.append(m.score(df[['a']], df.y))", ["evaluate"]),
]


@pytest.mark.parametrize("setup,cell,expected", CONTAINERS)
def test_features_kept_in_containers(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# what-is-a-step.md, Sources: "`open(...).read()` into data" is a `load`, and "every root of the data lineage is a
# `load`". Records read line by line from a file handle in a comprehension (`pd.DataFrame([json.loads(x) for x in
# biz_f.readlines()])`, the Yelp data set's loader in "Feature Engineering for Machine Learning" (Zheng & Casari);
# `pd.DataFrame([json.loads(l) for l in f])`, `[json.loads(line) for line in lines]` are written so in many public
# scripts, `find_string`) read no step, and the table then read as values written in the code, so the features
# computed on it later were lost too. Controls: a file opened for writing, a comprehension over a frame's labels or
# values, and files read by name stay as they were.
JSON = "import json\nimport numpy as np\nimport pandas as pd\n"
LINES_READ = [
    (JSON, "biz_f = open('yelp_academic_dataset_business.json')\n"
           "biz_df = pd.DataFrame([json.loads(x) for x in biz_f.readlines()])\nbiz_f.close()\n"
           "biz_df['log_review_count'] = np.log10(biz_df['review_count'] + 1)", ["load", "scale_normalize"]),
    (JSON, "with open('reviews.jsonl') as f:\n    df = pd.DataFrame([json.loads(line) for line in f])", ["load"]),
    (JSON, "with open('reviews.jsonl') as f:\n    rows = [json.loads(line) for line in f]\ndf = pd.DataFrame(rows)",
     ["load", "other"]),
    (JSON, "with open('words.txt') as f:\n    words = [w.strip() for w in f]", ["load"]),
    # controls
    (JSON, "df = pd.DataFrame([json.loads(l) for l in open('x.jsonl')])", ["load"]),
    (JSON, "with open('out.txt', 'w') as f:\n    for v in [1, 2]:\n        f.write(str(v))", []),
    (JSON + "df = pd.read_csv('a.csv')\n", "names = [c.lower() for c in df.columns]", []),
    (JSON, "paths = ['a.csv', 'b.csv']\nframes = [pd.read_csv(p) for p in paths]", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", LINES_READ)
def test_lines_read_from_a_file(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
