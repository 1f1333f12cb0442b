"""The sixteenth pass, precision (issue 10): statements read as steps that the definition does not count, and steps
given the wrong op, found in the tuning notebooks (mostly batch 7). Each row is a cell written the way such notebooks
write it and the ops the definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up
lines that load what it reads (the set-up's own steps are not counted). Every group has negative controls: the same
shape where it IS a step (a table later fed to a model, saved, or used by a later step) keeps its ops.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

PD = "import pandas as pd\nimport numpy as np\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('measurements.csv')\n"


def ops_after(setup: str, cell: str) -> list[str]:
    """The ops of `cell` run after `setup`, without the steps of `setup` itself."""
    return [step.op for step in classify_steps(setup + cell)][len(classify_steps(setup)):]


# CONVENTIONS 4a: "Treat these as black boxes: label the call, not the body. (a) Hand-written models and algorithms".
# A function the cell hands to a fitting routine (scipy's curve_fit / minimize, lmfit's Model) is the model: the fit
# is the step, the formula it computes is not data prepared; nor are the cell's functions only it calls. Controls: a
# helper called on the data keeps its body's steps (CONVENTIONS 1), and so does a piece the cell also calls itself.
MODEL_FUNCTIONS = [
    (PD, "from scipy.optimize import curve_fit\n"
         "def decay(t, a, k, c):\n    r = np.exp(-k * t)\n    return a * r + np.log(c + 1)\n"
         "popt, pcov = curve_fit(decay, df['t'], df['y'])", ["fit_model"]),
    (PD, "import lmfit as lm\n"
         "def brillouin(x, J):\n    J1 = (2 * J + 1) / (2 * J)\n    J2 = 1 / (2 * J)\n"
         "    coth1 = 1 / np.tanh(J1 * x)\n    coth2 = 1 / np.tanh(J2 * x)\n    return J1 * coth1 - J2 * coth2\n"
         "def magnetisation(H, T, n, J):\n    B = np.sqrt(H) * 4 * np.pi\n    return n * J * brillouin(B / T, J)\n"
         "gmodel = lm.Model(func=magnetisation, independent_vars=['H', 'T'])\n"
         "result = gmodel.fit(df['M'], H=df['H'], T=df['T'], n=1.0, J=3.5)", ["fit_model"]),
    (PD, "import scipy.optimize as opt\n"
         "def squared_gap(w, X, y):\n    r = np.log(X @ w) - y\n    return (r ** 2).sum()\n"
         "res = opt.minimize(squared_gap, [0.5, 0.5], args=(df[['a', 'b']].values, df['y'].values))",
     ["fit_model"]),
    # controls
    (PD, "def add_log(d):\n    d['log_y'] = np.log(d['y'])\n    return d\ndf = add_log(df)", ["scale_normalize"]),
    (PD, "from scipy.optimize import curve_fit\n"
         "def shift(x):\n    return np.log(x)\n"
         "def line(x, a, b):\n    return a * shift(x) + b\n"
         "popt, pcov = curve_fit(line, df['t'], df['y'])\n"
         "df['log_t'] = shift(df['t'])", ["scale_normalize", "fit_model"]),
    (PD, "from scipy.optimize import curve_fit\n"
         "def add_log(d):\n    d['log_y'] = np.log(d['y'])\n    return d\n"
         "df = add_log(df)\npopt, pcov = curve_fit(lambda x, a: a * x, df['t'], df['log_y'])",
     ["scale_normalize", "fit_model"]),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("model_functions", MODEL_FUNCTIONS),
))
def test_spurious_steps_and_wrong_ops_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
