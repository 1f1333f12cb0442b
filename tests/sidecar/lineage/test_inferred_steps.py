"""Step.inferred_from: a step whose op is a guess says so, and from what (lineage/kb/guesses.py); a step decided by a
known library call or by syntax on data of a known kind says nothing (asserted). One inferred row and one asserted
control for each kind of guess."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trackit_sidecar.lineage.kb.guesses import INFERRED_FROM
from trackit_sidecar.lineage.steps import classify_steps

CLASSIFY = Path(__file__).resolve().parents[3] / "sidecar" / "trackit_sidecar" / "lineage" / "classify"


def decided(source: str) -> list[tuple[str, str | None]]:
    return [(step.op, step.inferred_from) for step in classify_steps(source)]


# a search over thresholds: the F1 of each cut of a model's scores
THRESHOLDS = ("import numpy as np\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import f1_score\n"
              "m = LogisticRegression().fit(X, y)\np = m.predict_proba(X_val)[:, 1]\n"
              "f1s = [f1_score(y_val, p > t) for t in ths]\n")
SEARCHED = [("fit_model", None), ("predict", None), ("evaluate", None)]

ROWS = [
    # helper_name: a function or method the notebook cannot see, judged by its name
    ("loader named for loading", "from utils import load_data\ndf = load_data()", [("load", "helper_name")]),
    ("control: pandas' reader", "import pandas as pd\ndf = pd.read_csv('a.csv')", [("load", None)]),
    ("helper named for a prep verb", "from helpers import fill_missing_median\ndf = fill_missing_median(df, ['a'])",
     [("impute_missing", "helper_name")]),
    ("control: pandas' fillna", "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf = df.fillna(0)",
     [("load", None), ("impute_missing", None)]),
    ("star-imported helper named for a model step", "from utils import *\np = multivariate_gaussian(X, mu, var)",
     [("predict", "helper_name")]),
    ("control: a model's predict", "from sklearn.linear_model import LinearRegression\n"
     "m = LinearRegression().fit(X, y)\np = m.predict(X)", [("fit_model", None), ("predict", None)]),
    ("method of the project's object named for training", "from project import Trainer\nm = Trainer()\n"
     "m.train(X_train, y_train)", [("fit_model", "helper_name")]),
    ("control: a library model's fit", "from sklearn.svm import SVC\nm = SVC()\nm.fit(X_train, y_train)",
     [("fit_model", None)]),
    # function_name: a function the notebook defines, whose call takes its name's op
    ("own function named for a model step", "def gradientDescent(X, y, theta):\n    return theta\n"
     "theta = gradientDescent(X, y, theta)", [("fit_model", "function_name")]),
    ("control: own function whose body draws data", "import numpy as np\ndef make_data(n):\n"
     "    x = np.random.random(n)\n    return x\nx = make_data(10)", [("load", None)]),
    # enclosing_function_name: a body's filter given another op by its function's name
    ("filter in a function named for outliers", "def remove_outliers(df):\n    return df[df.x < 100]\n",
     [("outlier_remove", "enclosing_function_name")]),
    ("control: the same filter in another function", "def keep_small(df):\n    return df[df.x < 100]\n",
     [("filter_rows", None)]),
    ("values put through a mask in a class named for imputing", "class CustomImputer:\n"
     "    def transform(self, X):\n        X.loc[no_garage, ['GarageType']] = 'NA'\n        return X\n",
     [("impute_missing", "enclosing_function_name")]),
    ("control: the same in a class named otherwise", "class CustomThing:\n"
     "    def transform(self, X):\n        X.loc[no_garage, ['GarageType']] = 'NA'\n        return X\n",
     [("derive_feature", None)]),
    # helper_arguments: a black box judged by what it is handed
    ("helper handed predictions and the truth", "from ev import thr_for_precision\n"
     "from sklearn.linear_model import LogisticRegression\nm = LogisticRegression().fit(X_train, y_train)\n"
     "proba = m.predict_proba(X_test)\nres = thr_for_precision(y_test, proba)",
     [("fit_model", None), ("predict", None), ("evaluate", "helper_arguments")]),
    ("control: a library metric", "from sklearn.metrics import accuracy_score\nacc = accuracy_score(y_test, p)",
     [("evaluate", None)]),
    ("project class handed a model and data", "from project.model import Model\nfrom sklearn.svm import SVC\n"
     "m = Model(SVC(), train, features)", [("fit_model", "helper_arguments")]),
    ("project class handed a data file", "from project.data import Data\nd = Data('train.csv')",
     [("load", "helper_arguments")]),
    # variable_name: decided by the name a value is bound to
    # (their accuracy is computed from a guessed prediction: a guess too)
    ("zeros named for predictions", "import numpy as np\ny_pred = np.zeros(len(y_test))\n"
     "acc = np.mean(y_pred == y_test)", [("predict", "variable_name"), ("evaluate", "input_name")]),
    ("control: zeros named otherwise", "import numpy as np\nw = np.zeros(len(y_test))", []),
    ("rows held out into a train-named variable", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "X_train = df.iloc[:100]", [("load", None), ("split", "variable_name")]),
    ("control: the same rows under another name", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "first = df.iloc[:100]", [("load", None), ("filter_rows", None)]),
    ("control: a splitter's parts", "from sklearn.model_selection import train_test_split\n"
     "X_train, X_test = train_test_split(X)", [("split", None), ("split", None)]),
    ("comparison bound to a name read as the target", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "y = df.churn == 'yes'", [("load", None), ("encode_categorical", "variable_name")]),
    ("control: the comparison made numbers", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "y = (df.churn == 'yes').astype(int)", [("load", None), ("encode_categorical", None)]),
    # input_name: a metric decided because a value it is computed from holds predictions (or the test target) by name
    ("metric by hand on a parameter named for predictions", "import numpy as np\ndef compare(a, y_pred):\n"
     "    return np.sqrt(np.mean((a - y_pred) ** 2))\n", [("evaluate", "input_name")]),
    ("control: the same metric on a prediction the body makes", "import numpy as np\ndef compare(m, X, a):\n"
     "    p = m.predict(X)\n    return np.sqrt(np.mean((a - p) ** 2))\n", [("predict", None), ("evaluate", None)]),
    ("residual column of a column given a parameter named for predictions", "import pandas as pd\n"
     "def compare(y_test, y_pred):\n    df = pd.DataFrame({'t': y_test, 'p': y_pred})\n"
     "    df['err'] = df['t'] - df['p']\n    return df\n", [("concat", None), ("evaluate", "input_name")]),
    ("control: the same residual column of a prediction the body makes", "import pandas as pd\n"
     "def compare(m, X, y_test):\n    p = m.predict(X)\n    df = pd.DataFrame({'t': y_test, 'p': p})\n"
     "    df['err'] = df['t'] - df['p']\n    return df\n", [("predict", None), ("concat", None), ("evaluate", None)]),
    ("null accuracy of a target known as the test target by its name",
     "null_acc = max(y_test.mean(), 1 - y_test.mean())", [("evaluate", "input_name")]),
    ("control: accuracy of a model's predictions", "from sklearn.linear_model import LogisticRegression\n"
     "m = LogisticRegression().fit(X_train, y_train)\np = m.predict(X_test)\nacc = (y_test == p).mean()",
     [("fit_model", None), ("predict", None), ("evaluate", None)]),
    ("hits counted on a field labelled as predictions", "correct = 0\nfor i, row in df.iterrows():\n"
     "    if row['predicted'] == row['actual']:\n        correct += 1\n", [("evaluate", "input_name")]),
    ("control: hits counted on a model's predictions", "from sklearn.svm import SVC\nm = SVC().fit(X, y)\n"
     "p = m.predict(X_test)\ncorrect = 0\nfor i in range(len(p)):\n    if p[i] == y_test[i]:\n        correct += 1\n",
     [("fit_model", None), ("predict", None), ("evaluate", None)]),
    # input_name: a mask known as one of missing values, or a bound as an outlier bound, by its name alone
    ("rows kept by a mask negated, named for missing values", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "missing_mask = df.x == -1\ndf = df[~missing_mask]", [("load", None), ("drop_missing", "input_name")]),
    ("the same, the negation bound to a name first", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "keep = ~imputer.missing_mask_\ndf = df[keep]", [("load", None), ("drop_missing", "input_name")]),
    ("control: the mask made by a missing-value test", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "missing_mask = df.x.isna()\nkeep = ~missing_mask\ndf = df[keep]", [("load", None), ("drop_missing", None)]),
    ("query keeping rows where a mask named for missing values is false", "import pandas as pd\n"
     "df = pd.read_csv('a.csv')\ndf = df.query('not @missing_mask')", [("load", None), ("drop_missing", "input_name")]),
    ("control: query keeping rows whose value is there", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df = df.query('aum.notna()')", [("load", None), ("drop_missing", None)]),
    ("values put through a mask named for missing values", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df.loc[is_nan, 'x'] = 0", [("load", None), ("impute_missing", "input_name")]),
    ("control: values put through a missing-value test", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df.loc[df.x.isna(), 'x'] = 0", [("load", None), ("impute_missing", None)]),
    ("filter by a bound named for outliers", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df = df[df.x < upper]", [("load", None), ("outlier_remove", "input_name")]),
    ("filter by bounds a function named for outliers returns", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "low, up = outlier_thresholds(df, 'x')\ndf = df[df.x < up]", [("load", None), ("outlier_remove", "input_name")]),
    ("rows dropped past a bound named for outliers", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df = df.drop(df[df.x > upper].index)", [("load", None), ("outlier_remove", "input_name")]),
    ("query past a bound named for outliers", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df = df.query('x < @upper')", [("load", None), ("outlier_remove", "input_name")]),
    ("values past a bound named for outliers replaced", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df['x'] = df.x.mask(df.x > upper, upper)", [("load", None), ("outlier_remove", "input_name")]),
    ("values past a distance named as a z-score replaced", "import numpy as np\nimport pandas as pd\n"
     "df = pd.read_csv('a.csv')\ndf['x'] = np.where(z > 3, 0, df.x)", [("load", None), ("outlier_remove", "input_name")]),
    ("control: values past a quantile replaced", "import numpy as np\nimport pandas as pd\n"
     "df = pd.read_csv('a.csv')\ndf['x'] = np.where(df.x > df.x.quantile(0.99), 0, df.x)",
     [("load", None), ("outlier_remove", None)]),
    ("polars values past a bound named for outliers replaced", "import polars as pl\ndf = pl.read_csv('a.csv')\n"
     "df = df.with_columns(pl.when(pl.col('x') > upper).then(upper).otherwise(pl.col('x')).alias('x'))",
     [("load", None), ("outlier_remove", "input_name")]),
    ("control: polars gaps filled beside it", "import polars as pl\ndf = pl.read_csv('a.csv')\n"
     "df = df.with_columns([pl.col('a').fill_null(0), pl.col('b').fill_null(strategy='forward')])",
     [("load", None), ("impute_missing", None)]),
    ("control: the same past a quantile bound", "import polars as pl\ndf = pl.read_csv('a.csv')\n"
     "upper = df['x'].quantile(0.99)\n"
     "df = df.with_columns(pl.when(pl.col('x') > upper).then(upper).otherwise(pl.col('x')).alias('x'))",
     [("load", None), ("outlier_remove", None)]),
    ("control: the bound made by a quantile", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "upper = df.x.quantile(0.99)\ndf = df[df.x < upper]", [("load", None), ("outlier_remove", None)]),
    ("control: bounds of a function named otherwise", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "low, up = thresholds(df, 'x')\ndf = df[df.x < up]", [("load", None), ("filter_rows", None)]),
    # input_name: an evaluation's result compared with predictions, a threshold or a metric by its name alone
    ("scores cut at a value named for a metric and a threshold", THRESHOLDS + "best_f1_thresh = ths[np.argmax(f1s)]\n"
     "yhat = (p > best_f1_thresh).astype(int)", SEARCHED + [("predict", "input_name")]),
    ("scores measured against a value named for a metric", THRESHOLDS + "best_f1 = ths[np.argmax(f1s)]\n"
     "yhat = (p > best_f1).astype(int)", SEARCHED + [("evaluate", "input_name")]),
    ("control: scores cut at the value a search kept, named otherwise", THRESHOLDS + "best = ths[np.argmax(f1s)]\n"
     "yhat = (p > best).astype(int)", SEARCHED + [("predict", None)]),
    # input_name: a metric computed from a value that a guessed step made (the guess travels with the value)
    ("statistic of a residual made from a parameter named for predictions", "import numpy as np\n"
     "def compare(a, y_pred):\n    d = a - y_pred\n    return np.mean(d ** 2)\n",
     [("evaluate", "input_name"), ("evaluate", "input_name")]),
    ("root of a metric a helper named for evaluating gives", "from ev import evaluate_model\nimport numpy as np\n"
     "mse = evaluate_model(m, X, y)\nrmse = np.sqrt(mse)", [("evaluate", "helper_name"), ("evaluate", "input_name")]),
    ("control: root of a library metric", "from sklearn.metrics import mean_squared_error\nimport numpy as np\n"
     "mse = mean_squared_error(y, p)\nrmse = np.sqrt(mse)", [("evaluate", None), ("evaluate", None)]),
    ("control: a parameter named for predictions rebound to a model's predictions", "import numpy as np\n"
     "def f(y_true, y_pred, models, X):\n    preds = {}\n    for name, m in models.items():\n"
     "        preds[name] = m.predict(X)\n    for name, y_pred in preds.items():\n"
     "        e = np.mean((y_pred - y_true) ** 2)\n    return e\n", [("predict", None), ("evaluate", None)]),
    # formula_terms: a design matrix's bare term read as categories because another formula writes it C(...)
    ("bare term written C() in another formula", "import pandas as pd\nimport patsy\ndf = pd.read_csv('a.csv')\n"
     "y, X = patsy.dmatrices('v ~ g', df)\nf = 'v ~ C(g)'", [("load", None), ("encode_categorical", "formula_terms")]),
    ("control: a column the code built from strings", "import pandas as pd\nimport patsy\n"
     "df = pd.DataFrame({'g': ['a', 'b'], 'v': [1.0, 2.0]})\ny, X = patsy.dmatrices('v ~ g', df)",
     [("load", None), ("encode_categorical", None)]),
    # unknown_receiver: a method also of Python's own types, on a value of unknown kind
    ("replace on a value of unknown kind", "from utils import get_thing\nthing = get_thing()\n"
     "thing = thing.replace('a', 'b')", [("text_clean", "unknown_receiver")]),
    ("control: replace on a pandas frame", "import pandas as pd\ndf = pd.read_csv('a.csv')\n"
     "df = df.replace('a', 'b')", [("load", None), ("text_clean", None)]),
]


@pytest.mark.parametrize("source, expected", [(source, expected) for _, source, expected in ROWS],
                         ids=[name for name, _, _ in ROWS])
def test_a_guessed_op_says_from_what_and_a_known_one_says_nothing(source: str, expected: list) -> None:
    assert decided(source) == expected


def test_every_kind_of_guess_has_an_inferred_row_and_every_key_the_classifier_writes_is_in_the_table() -> None:
    covered = {how for _, _, expected in ROWS for _, how in expected if how}
    assert covered == set(INFERRED_FROM)
    # every way the classifier writes a key: a fact, a step's field, a local guess, a marker, an argument
    writes = re.compile(r'"inferred_from"\]?:? =? ?"(\w+)"|inferred_from = "[a-z_]+", "(\w+)"|[^,] guessed = "(\w+)"'
                        r'|guessed = None if .* else "(\w+)"|OP_FROM_NAME \+ [\w.]+\] = "(\w+)"'
                        r'|function_call_op\([^)]*"(\w+)"\)')
    written = {key for path in CLASSIFY.glob("*.py") for found in writes.findall(path.read_text(encoding="utf-8"))
               for key in found if key}
    assert len(written) == len(INFERRED_FROM) and written <= set(INFERRED_FROM), written ^ set(INFERRED_FROM)


def test_each_kind_says_what_it_rests_on_and_which_step_field_names_it() -> None:
    from trackit_sidecar.protocol import Step
    for key, (ground, field) in INFERRED_FROM.items():
        assert ground and not ground.endswith("."), key
        assert field == "" or field in Step.model_fields, (key, field)


def test_a_known_imported_function_keeps_its_op_though_its_name_reads_as_a_test(monkeypatch) -> None:
    """kb.models.IMPORTED_FUNCTION_OPS is a table of specific known functions: its op is a fact. The name rule for
    statistical tests (kb.models.TEST_FUNCTION_NAME: `logrank_test` -> evaluate) is a guess and must not override it.
    (No function of the table is named like a test today; the key below stands for the first one that will be.)"""
    from trackit_sidecar.lineage.kb import models as kb_models
    monkeypatch.setitem(kb_models.IMPORTED_FUNCTION_OPS, "to_test_format", "reshape")
    assert decided("from lifelines.utils import to_test_format\nlong = to_test_format(df)") == [("reshape", None)]
    # control: a function the table does not know, named like a test, is still judged a test by its name
    assert decided("from lifelines.statistics import logrank_test\nr = logrank_test(a, b)") == \
        [("evaluate", "helper_name")]


@pytest.mark.parametrize("name, op", [("clean_test", "other"), ("encode_test", "encode_categorical"),
                                      ("drop_duplicates_test", "drop_duplicates"), ("predict_test", "predict")])
def test_a_helper_named_for_a_verb_on_the_test_set_does_what_its_verb_says(name: str, op: str) -> None:
    """`clean_test(df)`: the verb names what is done, `test` the test set it is done to (kb.models.TEST_FUNCTION_NAME
    decides only a name no other table reads, as it does for methods). Still a guess from the name."""
    source = f"import pandas as pd\nfrom utils import {name}\ndf = pd.read_csv('a.csv')\nr = {name}(df)"
    assert decided(source) == [("load", None), (op, "helper_name")]


@pytest.mark.parametrize("source", [
    "from lifelines.statistics import logrank_test\nr = logrank_test(a, b)",  # a statistical test by its name
    "from stats_utils import bootstrap_test\nr = bootstrap_test(a, b)",  # a test, though `bootstrap` names a sample
    "from public_tests import predict_test\ndef predict(X, w):\n    return X @ w\npredict_test(predict)",  # a check
])
def test_control_a_test_named_helper_with_no_verb_on_data_still_evaluates(source: str) -> None:
    assert decided(source)[-1] == ("evaluate", "helper_name")
