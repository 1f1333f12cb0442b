from __future__ import annotations

import sys
import time
import types

import pytest

from trackit_sidecar.lineage import analysis
from trackit_sidecar.lineage.analysis import ANALYZER_VERSION, SourceAnalysis, analyze_source
from trackit_sidecar.lineage.defuse import analyze_defuse
from trackit_sidecar.protocol import Step

STEPS_MODULE = "trackit_sidecar.lineage.steps"

TYPICAL_CELL = '''\
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv(DATA_DIR / "train.csv")
df = df.dropna(subset=["age"])
df["fare_per_person"] = df["fare"] / (df["sibsp"] + 1)
df.drop(columns=["cabin"], inplace=True)
df = df[df.age > 0]
features = [c for c in df.columns if c not in EXCLUDE]
X = df[features]
y = df["survived"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)


def describe(frame):
    return frame.describe().T


summary = describe(X_train)
counts = {}
for col in features:
    counts[col] = X_train[col].nunique()
'''


@pytest.fixture(autouse=True)
def fresh_cache():
    analysis.clear_cache()
    yield
    analysis.clear_cache()


def test_analyzer_version_is_a_positive_int():
    # the store re-analyses sources stored by an older version: it must compare as a number
    assert isinstance(ANALYZER_VERSION, int) and ANALYZER_VERSION >= 2


def test_python_cell_gets_reads_writes_and_derivations():
    result = analyze_source(TYPICAL_CELL)
    assert isinstance(result, SourceAnalysis)
    assert result.analysis_error is None
    assert result.reads == ["DATA_DIR", "EXCLUDE", "SEED"]
    assert result.writes == [
        "pd", "train_test_split", "df", "features", "X", "y", "X_train", "X_test", "y_train", "y_test",
        "describe", "summary", "counts", "col",
    ]
    assert result.derivations["X_train"] == ["X", "y", "SEED", "train_test_split"]
    assert result.derivations["counts"] == ["X_train", "col", "counts"]  # value before target
    assert all(isinstance(step, Step) for step in result.steps)


@pytest.mark.parametrize("language", ["markdown", "sql", "r"])
def test_non_python_language_is_not_analysed(language):
    result = analyze_source("x = 1", language)
    assert result.analysis_error == f"not analysed: {language} cell"
    assert (result.reads, result.writes, result.derivations, result.steps) == ([], [], {}, [])


def test_language_is_case_insensitive():
    assert analyze_source("x = y", "Python").reads == ["y"]


def test_missing_language_is_reported_not_guessed():
    assert analyze_source("x = 1", "").analysis_error == "not analysed: '' cell"


def test_cell_magic_makes_cell_unanalysed():
    assert analyze_source("%%bash\nls").analysis_error == "not analysed: %%bash cell"


def test_syntax_error_cell():
    result = analyze_source("def f(:\n  pass")
    assert result.analysis_error is not None
    assert result.analysis_error.startswith("not analysed: SyntaxError: ")
    assert result.analysis_error.endswith("(line 1)")
    assert result.steps == []


def test_non_text_source_is_an_error_not_an_exception():
    assert analyze_source(None).analysis_error == "not analysed: source is NoneType, not text"  # type: ignore[arg-type]


def test_cached_results_are_independent_copies():
    first = analyze_source(TYPICAL_CELL)
    first.reads.append("mutated")
    first.derivations["df"].append("mutated")
    for step in first.steps:
        step.output = "mutated"
    second = analyze_source(TYPICAL_CELL)
    assert "mutated" not in second.reads
    assert "mutated" not in second.derivations["df"]
    assert all(step.output != "mutated" for step in second.steps)


def test_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(analysis, "CACHE_SIZE", 3)
    for n in range(10):
        analyze_source(f"x{n} = {n}")
    assert len(analysis._cache) == 3


def test_missing_steps_module_falls_back_to_no_steps(monkeypatch):
    monkeypatch.setitem(sys.modules, STEPS_MODULE, None)  # makes `from .steps import ...` raise ImportError
    result = analyze_source("df = df.dropna()")
    assert result.steps == []
    assert result.writes == ["df"]


def test_steps_come_from_classify_steps(monkeypatch):
    fake = types.ModuleType(STEPS_MODULE)
    fake.classify_cell = lambda source, context: (  # type: ignore[attr-defined]
        [Step(op="drop_missing", inputs=["df"], output="df", line=1)], dict(context))
    monkeypatch.setitem(sys.modules, STEPS_MODULE, fake)
    result = analyze_source("df = df.dropna()")
    assert [(s.op, s.output) for s in result.steps] == [("drop_missing", "df")]


def test_classifier_crash_keeps_reads_and_writes(monkeypatch):
    def broken(source, context):
        raise RuntimeError("bug in classifier")

    fake = types.ModuleType(STEPS_MODULE)
    fake.classify_cell = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, STEPS_MODULE, fake)
    result = analyze_source("df = df.dropna()")
    assert result.steps == []
    assert (result.reads, result.writes, result.analysis_error) == (["df"], ["df"], None)


def test_one_call_classifies_in_context_and_returns_what_the_cell_adds():
    context = {"pd": "pandas", "scaler": "sklearn.preprocessing.StandardScaler()", "model": "sklearn.svm.SVC()"}
    result = analysis.analyze_cell("X = scaler.fit_transform(X)\nmodel = load_model()", "python", "sha-x", context)
    assert [(s.op, s.estimator) for s in result.steps] == [("scale_normalize", "StandardScaler")]
    assert result.context_delta == {"model": None}  # rebound to something unknown: forgotten
    assert analyze_source("X = scaler.fit_transform(X)").steps == []  # without the context: no scaler known
    carried = dict(context)
    analysis.apply_context(carried, result.context_delta)
    assert carried == {"pd": "pandas", "scaler": "sklearn.preprocessing.StandardScaler()"}


def test_the_same_source_in_another_context_is_classified_in_that_context():
    first = analysis.analyze_cell("y = enc.fit_transform(x)", "python", "sha-y",
                                  {"enc": "sklearn.preprocessing.OneHotEncoder()"})
    second = analysis.analyze_cell("y = enc.fit_transform(x)", "python", "sha-y",
                                   {"enc": "sklearn.preprocessing.MinMaxScaler()"})
    assert [s.op for s in first.steps] == ["encode_categorical"]
    assert [s.op for s in second.steps] == ["scale_normalize"]


def test_micro_benchmark_prints_figures(capsys):
    """Not a timing assertion: prints the cost of a typical 20-line cell for the report (pytest -s)."""
    rounds = 200
    started = time.perf_counter()
    for n in range(rounds):
        analyze_source(TYPICAL_CELL + f"\n# {n}")  # distinct text: every call misses the cache
    uncached = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        analyze_source(TYPICAL_CELL)
    cached = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for n in range(rounds):
        analyze_defuse(TYPICAL_CELL + f"\n# {n}")
    defuse_only = (time.perf_counter() - started) / rounds
    with capsys.disabled():
        print(
            f"\nanalyze_source, 20-line cell: {uncached * 1e6:.0f} us uncached (def-use alone "
            f"{defuse_only * 1e6:.0f} us, the rest is classify_steps), {cached * 1e6:.0f} us cached"
        )
