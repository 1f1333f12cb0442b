"""The thirty-second pass (acc64, issue 10): data generated in code and reached through a call is a `load`
(what-is-a-step.md, "Sources are steps": "synthetic data (`np.random.*` arrays, `make_classification`, ..., a user
function that returns generated data)"; CONVENTIONS 4b-c, 28). Small cells written for the test, each group with
negative controls: a helper handed data to work on makes no data, a statistic of a draw collected stays what it was.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import ops_after

NP = "import pandas as pd\nimport numpy as np\n"
SIMULATION = NP + "from shop.simulation import make_daily_data, simulate_sales_data\nfrom shop.prep import make_model_data\n"
RAW = SIMULATION + "raw = pd.read_csv('sales.csv')\n"


# A helper imported from the project (not a published library) and named for the data it makes
# (kb/data_maker_names.py, the table the same function written in the notebook is read by), handed no data but its
# parameters by name: the data it returns is generated, a load. Controls: handed data as its subject (positionally or
# as `data=`), the same name only transforms what it is given; a library's function is read from its own table.
IMPORTED_DATA_MAKERS = [
    (SIMULATION, "df = make_daily_data(n_days=365, seed=1)", ["load"]),
    (SIMULATION, "df, events = make_daily_data(n_days=365, seed=1)", ["load"]),
    (SIMULATION, "sales = simulate_sales_data(500)", ["load"]),
    (NP + "import helpers\n", "sales = helpers.generate_data(500)", ["load"]),
    (SIMULATION + "loc = [2000, 5000]\n", "df = make_daily_data(features_loc=loc, n_days=365)", ["load"]),
    # controls
    (RAW, "df = make_model_data(raw)", []),
    (RAW, "df = make_model_data(data=raw)", []),
    (NP + "from xgboost.testing import make_sample_data\n", "d = make_sample_data(100)", []),
]


@pytest.mark.parametrize("setup,cell,expected", IMPORTED_DATA_MAKERS)
def test_an_imported_function_named_for_the_data_it_makes_loads(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


def test_arrays_written_only_to_be_handed_to_the_maker_are_its_parameters() -> None:
    # CONVENTIONS 15: parameter vectors ("true beta") are no steps; 9: a value used as a parameter of another step is
    # part of it. Read again elsewhere in the cell, the array is data of its own.
    cell = ("loc = np.array([2000, 5000, 3850])\nscale = np.array([550, 2500, 500])\n"
            "df = make_daily_data(features_loc=loc, features_scale=scale, n_days=365)\n")
    assert [(s.op, s.output) for s in classify_steps(SIMULATION + cell)][-1:] == [("load", "df")]
    assert [(s.op, s.output) for s in classify_steps(SIMULATION + cell)] == [("load", "df")]
    kept = cell + "total = loc * 2\n"
    assert ("load", "loc") in [(s.op, s.output) for s in classify_steps(SIMULATION + kept)]


GENERATOR = NP + "def simulate(p):\n    return np.random.binomial(100, p)\npriors = np.random.uniform(0, 1, 1000)\n"

# A list filled in a loop with one fresh draw each time holds generated data, the load the comprehension
# `[simulate(p) for p in priors]` is; `list()` is the empty list `[]` is. Controls: a statistic of a resample
# collected (a bootstrap) is no draw of data; appending a number written in the code makes nothing.
DRAWS_COLLECTED = [
    (GENERATOR, "sims = [simulate(p) for p in priors]", ["load"]),
    (GENERATOR, "sims = []\nfor p in priors:\n    sims.append(simulate(p))", ["load"]),
    (GENERATOR, "sims = list()\nfor p in priors:\n    sims.append(simulate(p))", ["load"]),
    (GENERATOR, "sims = []\nfor p in priors:\n    sims.append(np.random.binomial(100, p))", ["load"]),
    # controls
    (NP + "x = pd.read_csv('x.csv')['v']\n",
     "boot = []\nfor _ in range(1000):\n    boot.append(np.random.choice(x, len(x)).mean())", []),
    (GENERATOR, "sims = []\nfor p in priors:\n    sims.append(0)", []),
]


@pytest.mark.parametrize("setup,cell,expected", DRAWS_COLLECTED)
def test_draws_collected_into_a_list_are_generated_data(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


FRAME = NP + "d = pd.read_csv('fit.csv')\ny_mean = d['y'].mean()\n"
FOLDS = FRAME + ("from sklearn.linear_model import LinearRegression\nfrom sklearn.metrics import r2_score\n"
                 "r2 = np.zeros((3, 5))\nfor i in range(3):\n    for j in range(5):\n"
                 "        m = LinearRegression().fit(d[['a']], d['y'])\n"
                 "        r2[i, j] = r2_score(d['y'], m.predict(d[['a']]))\nbest = np.argmax(r2.mean(axis=1))\n")

# An error or fit measure computed by hand and bound to a name of one (kb.models.HAND_METRIC_NAME): arithmetic on data
# reduced to one measure, or two measures combined, is that measure (what-is-a-step.md: "a metric computed by hand";
# CONVENTIONS 27: "errors or accuracy computed by hand from data"), a guess from the name. Controls: element-wise
# arithmetic on data named for an experiment, arithmetic on numbers written in the code, a statistic of one array of
# scores filled in a loop, a name of no measure.
HAND_METRICS = [
    (FRAME, "SSD = sum((d['y_model'] - d['y']) ** 2)", ["evaluate"]),
    (FRAME, "SST = sum((d['y'] - y_mean) ** 2)", ["evaluate"]),
    (FRAME, "rmse_test = np.sqrt(np.mean((d['y'] - d['y_model']) ** 2))", ["evaluate"]),
    (FRAME, "MAPE_before = np.abs((d['y'] - y_mean) / d['y']).mean() * 100", ["evaluate"]),
    (FRAME + "SSD = sum((d['y_model'] - d['y']) ** 2)\n", "RSE = np.sqrt(SSD / (len(d) - 2))", ["evaluate"]),
    # controls
    (FRAME, "x_mse = [1, 5] * d[['a', 'b']]", []),
    (FRAME, "f1 = 2 * (0.5 * 0.4) / (0.5 + 0.4)", []),
    (FOLDS, "target_r2 = r2[best, :].mean() - r2[best, :].std() / np.sqrt(4)", []),
    (FRAME, "spread = sum((d['y'] - y_mean) ** 2)", []),
]


@pytest.mark.parametrize("setup,cell,expected", HAND_METRICS)
def test_a_measure_computed_by_hand_under_its_name_is_an_evaluation(setup: str, cell: str,
                                                                     expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


def test_a_measure_by_hand_is_said_to_be_a_guess_from_the_name() -> None:
    step = classify_steps(FRAME + "SSD = sum((d['y_model'] - d['y']) ** 2)")[-1]
    assert (step.op, step.output, step.inferred_from) == ("evaluate", "SSD", "variable_name")
