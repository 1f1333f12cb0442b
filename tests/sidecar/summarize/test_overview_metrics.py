"""The summary's "In short" names what a model was evaluated with as its bullets do (rev30): a fitted model's own
method (`res2.f_test(R)`, `results.rsquared`) is the test; the step's detail is then the model's class, and statsmodels'
ols notebook read "evaluates with `OLS`" beside bullets saying "Evaluated `res2` with `f_test`"."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import LineageDocument, SessionInfo
from trackit_sidecar.summarize import builtin_summary

from .sample_docs import execution

CELLS = [
    "import numpy as np\nimport statsmodels.api as sm\nX = sm.add_constant(np.random.rand(20, 2))\n"
    "y = X @ [1, 2, 3] + np.random.rand(20)",
    # one cell: the fit tells the analysis that `res` is a model
    "res = sm.OLS(y, X).fit()\nprint(res.f_test('x1 = x2 = 0'))\nprint('R2:', res.rsquared)\n"
    "from sklearn.metrics import mean_squared_error\nprint(mean_squared_error(y, res.fittedvalues))",
]


def _overview() -> str:
    executions = []
    for index, source in enumerate(CELLS):
        analysis = analyze_source(source)
        executions.append(execution(index + 1, index, index + 1, source, steps=analysis.steps, reads=analysis.reads,
                                    writes=analysis.writes, parents=[index] if index else []))
    doc = LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                          sessions=[SessionInfo(id=2, started_at="2026-11-29T19:01:00+00:00")], executions=executions)
    summary = builtin_summary(doc)
    assert "Evaluated `res` with `f_test`" in summary, summary  # the bullet the overview must agree with
    return next(line for line in summary.splitlines() if line.startswith("In short"))


def test_the_overview_names_a_models_own_test_not_its_class():
    overview = _overview()
    assert "evaluates with `f_test`, `rsquared` and `mean_squared_error` [cell 2]" in overview, overview
    assert "`OLS` [" not in overview.split("evaluates", 1)[1], overview
