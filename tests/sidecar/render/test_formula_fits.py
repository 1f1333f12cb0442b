"""A formula fit says which model, of what, on which table (rev30): `smf.ols('deposits ~ poa*jul', data=data).fit()`
read "Fitted a model" (causal-handbook 13), and 18 more formula fits of the blind corpus the same, the overview "fits a
model" and the dependencies "(fitted model)"."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import LineageDocument, SessionInfo
from trackit_sidecar.render.sentences import describe_steps
from trackit_sidecar.summarize import builtin_summary

from ..summarize.sample_docs import execution


def _said(source: str) -> str:
    return describe_steps([s for s in analyze_source(source).steps if s.op == "fit_model"])[0]


def test_a_formula_fit_names_its_function_formula_and_table():
    # (the fitted model is only read for its summary: kept nowhere, sel12)
    assert _said("smf.ols('deposits ~ poa*jul', data=data).fit().summary().tables[1]") == \
        "Fitted a `smf.ols` model of `deposits ~ poa*jul` on `data` (not kept)"
    assert _said('model = smf.wls("all~agecell*threshold", rdd_df, weights=w).fit()') == \
        "Fitted a `smf.wls` model of `all~agecell*threshold` as `model` on `rdd_df`"
    assert _said('m = smf.wls(f"{cause}~agecell*threshold", rdd_df).fit()') == \
        "Fitted a `smf.wls` model of `f'{cause}~agecell*threshold'` as `m` on `rdd_df`"


def test_the_overview_and_dependencies_name_the_formula_function():
    source = "import statsmodels.formula.api as smf\nmodel_1 = smf.ols('lhwage ~ educ', data=wage).fit()"
    analysis = analyze_source(source)
    record = execution(1, 0, 1, source, steps=analysis.steps, reads=analysis.reads, writes=analysis.writes)
    doc = LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                          sessions=[SessionInfo(id=2, started_at="2026-11-29T19:01:00+00:00")],
                          executions=[record.model_copy(update={"code_names": {"smf": "module"}})])
    summary = builtin_summary(doc)
    assert "fits a `smf.ols` model as `model_1` [cell 1]" in summary, summary
    assert "- `model_1` (fitted `smf.ols`): last set in [cell 1]" in summary, summary
