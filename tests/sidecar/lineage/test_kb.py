"""The knowledge base is data: contested methods are decided by a named rule and the table, and each table of
plain-Python facts is defined once and shared by def-use, the classifier, the graph and the kernel probe."""

from __future__ import annotations

import pytest

from trackit_sidecar.kernel.probe import cell_source
from trackit_sidecar.lineage import defuse, graph, in_place_changes, kb
from trackit_sidecar.lineage.classify.rules import ContestedRules
from trackit_sidecar.lineage.kb import pandas as kb_pandas
from trackit_sidecar.lineage.kb import python as kb_python
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import Step


def ops(source: str) -> list[str]:
    return [s.op for s in classify_steps("import pandas as pd\n" + source)]


@pytest.mark.parametrize("source, expected", [
    ('df["c"] = df["c"].map({"a": 0, "b": 1})', ["encode_categorical"]),
    ('codes = {"a": 0}\ndf["c"] = df["c"].map(codes)', ["encode_categorical"]),
    ('df["c"] = df["c"].map(lambda v: 1 if v == "Yes" else 0)', ["encode_categorical"]),
    # str.upper applied value by value is what .str.upper() is (what-is-a-step.md: str.lower ... text_clean)
    ('df["c"] = df["c"].map(str.upper)', ["text_clean"]),
    ('df["c"] = df["c"].map(abs)', ["derive_feature"]),
    ('df["c"] = df["c"].apply(lambda v: 1 if v == "Yes" else 0)', ["encode_categorical"]),
    ('df["c"] = df["c"].apply(len)', ["derive_feature"]),
    ('df = df.drop("a", axis=1)', ["drop_columns"]),
    ('df = df.drop(columns=["a"])', ["drop_columns"]),
    ('df = df.drop([0, 1])', ["filter_rows"]),
    ('df = df.filter(like="score")', ["select_columns"]),
    ('df = df.astype("category")', ["type_cast"]),  # CONVENTIONS 21: astype is type_cast
    ('df = df.astype(pd.CategoricalDtype(["lo", "hi"], ordered=True))', ["encode_categorical"]),  # a declared order
    ('df = df.astype(int)', ["type_cast"]),
    ('shares = basket.div(basket.sum(axis=1), axis=0)', ["scale_normalize"]),
])
def test_contested_methods_follow_their_named_rule(source: str, expected: list[str]) -> None:
    assert ops(source) == expected


def test_every_contested_entry_names_an_existing_rule_and_real_ops() -> None:
    from trackit_sidecar.protocol import STEP_OPS

    for table in (kb_pandas.CONTESTED_METHODS, kb.polars.CONTESTED_METHODS, kb.numpy.CONTESTED_METHODS):
        for method, (rule, outcomes) in table.items():
            assert callable(getattr(ContestedRules, rule, None)), (method, rule)
            assert all(op is None or op in STEP_OPS for op in outcomes.values()), method


def test_the_table_not_the_code_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kb_pandas.CONTESTED_METHODS, "drop", ("drop_axis", {"columns": "drop_columns",
                                                                            "rows": "sample"}))
    assert ops("df = df.drop([0, 1])") == ["sample"]


def test_in_place_methods_are_one_table_for_defuse_graph_and_probe() -> None:
    # defuse: the data table plus the fitting methods; the graph and the probe: the data table itself
    assert in_place_changes.MUTATING_METHODS == kb_python.MUTATING_METHODS | kb_python.FITTING_METHODS
    assert kb.MUTATING_METHODS is kb_python.MUTATING_METHODS
    assert cell_source.MUTATING_METHODS is kb_python.MUTATING_METHODS
    # `sort` and `put` used to be in one table and not another
    for call in ("arr.put([0], 1)", "lst.sort()"):
        assert defuse.analyze_defuse(call).writes == [call.split(".")[0]]
        assert cell_source.changed_names(call) == [call.split(".")[0]]
        step = Step(op="other", inputs=[call.split(".")[0]], code=call)
        assert graph._changes_in_place(step, call.split(".")[0])


def test_module_aliases_and_builtin_names_are_one_table() -> None:
    # module aliases sort last in derivations
    assert defuse.analyze_defuse("model = sm.OLS(y, X)").derivations == {"model": ["y", "X", "sm"]}
    assert kb.CONVENTIONAL_ALIASES["sm"] == "statsmodels.api"
    assert kb.IPYTHON_NAMES <= kb.BUILTIN_NAMES
    assert defuse.analyze_defuse("display(df)").reads == ["df"]
    assert classify_steps("x = display(df.dropna())")[0].inputs == ["df"]
