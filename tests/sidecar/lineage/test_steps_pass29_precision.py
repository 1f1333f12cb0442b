"""Twenty-ninth pass (issue 10, acc57): kinds of code the classifier counted as steps that the definition does not,
found in the tuning notebooks' spurious steps (none -> op, and one op read as another), each written as small cells
with positive rows and controls:

- whole numbers drawn up to the size of data (`np.random.randint(0, len(neg), size=n)`, `rng.integers(len(df))`) are
  positions of its rows drawn to resample it: `sample` (CONVENTIONS 30, bootstrap), not numbers made up (`load`);
- an imported helper named for drawing (`ax = plot_attribution_with_time(...)` from a library's plots module) returns
  a figure: `ax.figure` is no column of data (CONVENTIONS 8);
- a straight line fitted only to draw it (`z = np.polyfit(x, y, 1); p = np.poly1d(z); plt.plot(x, p(x))`) is part of
  the figure (what-is-a-step.md: "Plotting, even when the plot call computes something internally");
- string work on a file's name or a generated feature's name (`d.replace("Data/Data", "").replace(".xlsx", "")`,
  `[n.replace("num__", "") for n in names]`) makes labels, no text_clean of data (CONVENTIONS 15);
- one fitted value looked at (`res.fittedvalues[1000]`) is an answer (CONVENTIONS 9), not a prediction made;
- a column set to a placeholder and then filled row by row in the same cell (`df["c"] = np.nan`, then
  `df.loc[rows, "c"] = ...`) is an empty column to fill (CONVENTIONS 15, as an accumulator): the fills are the steps;
- a model given another name (`final_model = best_gbc`) is no alias of data (CONVENTIONS 12 is about data; 15: models
  are no steps).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt\nimport seaborn as sns\n"
         "df = pd.read_csv('people.csv')\nneg = df[df.y == 0]\nrng = np.random.default_rng(1)\n")
MODELS = ("import pandas as pd\nimport numpy as np\nimport statsmodels.formula.api as smf\n"
          "from sklearn.linear_model import LinearRegression\ndf = pd.read_csv('people.csv')\n"
          "res = smf.logit('y ~ x', df).fit()\nm = LinearRegression().fit(df[['x']], df.y)\n")

ROWS = [
    # whole numbers drawn up to the size of data: row positions, a bootstrap's sample
    (SETUP, "neg_choice = np.random.randint(low=0, high=len(neg), size=10000)", ["sample"]),
    (SETUP, "idx = np.random.randint(0, len(df), size=len(df))", ["sample"]),
    (SETUP, "idx = np.random.randint(df.shape[0], size=50)", ["sample"]),
    (SETUP, "idx = rng.integers(0, len(df), size=100)", ["sample"]),
    (SETUP, "idx = np.random.randint(0, len(neg), 500)\nboot = neg.iloc[idx]", ["sample", "filter_rows"]),
    # controls: whole numbers between written bounds are values made up in code (CONVENTIONS 28)
    (SETUP, "ages = np.random.randint(18, 80, 500)", ["load"]),
    (SETUP, "x = rng.integers(1, 7, size=100)", ["load"]),
    (SETUP, "n = 20\nk = np.random.randint(0, n, size=5)", ["load"]),

    # an imported helper named for drawing returns a figure
    (SETUP, "from karpiu.plots import plot_attribution_with_time\n"
            "ax = plot_attribution_with_time(model=mmm, attr_df=df, figsize=(10, 5))\n"
            "ax.set_title('Attribution')\nfig = ax.figure\nfig", []),
    (SETUP, "from mylib.viz import draw_trend\nax = draw_trend(df)\nfig = ax.figure", []),
    # controls: a library's data set loaded by name is a load; a helper not named for drawing is no figure
    (SETUP, "from plotly.data import gapminder\ng = gapminder()", ["load"]),
    (SETUP, "from mylib.tables import attribution_table\nt = attribution_table(df)\ny = t['total']",
     ["select_columns"]),

    # a trend line fitted only to draw it
    (SETUP, "z = np.polyfit(df['t'], df['a'], 1)\np = np.poly1d(z)\nplt.plot(df['t'], p(df['t']), 'r--')", []),
    (SETUP, "z = np.polyfit(df.t, df.a, 1)\nplt.scatter(df.t, df.a)\nplt.plot(df.t, np.polyval(z, df.t))", []),
    # controls: a polynomial fitted and kept to predict with, or shown, is a fit
    (SETUP, "coef = np.polyfit(df['t'], df['a'], 2)", ["fit_model"]),
    (SETUP, "coef = np.polyfit(df.t, df.a, 1)\ndf['trend'] = np.polyval(coef, df.t)", ["fit_model", "predict"]),

    # string work on names of files and of generated features
    (SETUP, "files = ['Data/a.xlsx', 'Data/b.xlsx']\nfor d in files:\n"
            "    name = d.replace('Data/', '').replace('.xlsx', '')\n    t = pd.read_excel(d)", ["load"]),
    (SETUP, "def tidy(d):\n    if isinstance(d, str):\n        cond = d.replace('Data/Data', '').replace('.xlsx', '')\n"
            "        d = pd.read_excel(d)\n    return d\nx = tidy('Data/Datafoo.xlsx')", ["load"]),
    (SETUP, "def clean_names(names):\n    return [n.replace('num__', '').replace('cat__', '') for n in names]\n"
            "cols = clean_names(list(pre.get_feature_names_out()))", []),
    (SETUP, "for c in ['a', 'b']:\n    path = 'data/' + c + '.csv'\n    t = pd.read_csv(path)", ["load"]),
    # controls: text of the data is cleaned, whatever the strings say
    (SETUP, "df['file'] = df['file'].str.replace('.csv', '')", ["text_clean"]),
    (SETUP, "df['title'] = df['title'].str.replace('Mr.', 'Mr')", ["text_clean"]),
    (SETUP, "df['date'] = df['date'].str.replace('/', '-')", ["text_clean"]),

    # one fitted value looked at is an answer
    (MODELS, "res.fittedvalues[1000]", []),
    (MODELS, "print(res.fittedvalues[3])", []),
    (MODELS, "res.model.cdf(res.fittedvalues[-1])", []),
    # controls: the fitted values, a call that predicts, and a table of them stay predictions
    (MODELS, "fv = res.fittedvalues", ["predict"]),
    (MODELS, "res.fittedvalues.head()", ["predict"]),
    (MODELS, "m.predict(df[['x']])[0]", ["predict"]),

    # a column set to a placeholder, then filled row by row
    (SETUP, "df['new'] = np.nan\ndf.loc[df.a == 'go', 'new'] = 'go'\ndf.loc[df.a == 'stop', 'new'] = 'stop'",
     ["derive_feature", "derive_feature"]),
    (SETUP, "df['pred'] = pd.Series()\ndf['pred'][948:] = df['a'].iloc[948] + df['b'].cumsum()", ["derive_feature"]),
    (SETUP, "def add_block(d, starts):\n    d = d.copy()\n    d['Block'] = np.nan\n"
            "    for n, s in enumerate(starts):\n        d.loc[d.t >= s, 'Block'] = n + 1\n    return d",
     ["derive_feature"]),
    # ... its gaps are the placeholder's, not missing data: the fill computes the new column (derive_feature)
    (SETUP, "df['t'] = np.nan\nm = df.a.notna() | df.b.notna()\n"
            "df.loc[m, 't'] = (df.loc[m, 'a'].fillna(0) + df.loc[m, 'b'].fillna(0)) / 2", ["derive_feature"]),
    # controls: a constant column kept as it is, a placeholder never filled, another column filled, gaps of data filled
    (SETUP, "df.loc[df.a.isna(), 'a'] = df['b'].fillna(0)", ["impute_missing"]),
    (SETUP, "df['intercept'] = 1", ["derive_feature"]),
    (SETUP, "df['new'] = np.nan", ["derive_feature"]),
    (SETUP, "df['x'] = np.nan\ndf.loc[df.a > 0, 'y'] = 1", ["derive_feature", "derive_feature"]),

    # a model named again
    (MODELS, "final_model = best_gbc", []),
    (MODELS, "chosen = m", []),
    (MODELS, "import joblib\nclf = joblib.load('gbc.pkl')\nfinal = clf", []),
    (MODELS, "evaluation_model_pipeline = tuned_pipeline", []),
    # controls: data named again is an alias (CONVENTIONS 12)
    (MODELS, "X4 = df[['x', 'z']]\nX = X4", ["select_columns", "other"]),
    (MODELS, "dfle = df", ["other"]),
]


@pytest.mark.parametrize("setup,cell,expected", ROWS)
def test_pass29_precision_rows(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
