"""The summary's "What the final variables depend on" says a variable is a fitted model only when the statement that
last bound it fitted one (rev24, 07 cross-validation: cell 30's `knn = KNeighborsClassifier(n_neighbors=13)`, scored
by `cross_val_score`, which fits clones of it, read "`knn` (fitted `KNeighborsClassifier`): last set in [cell 30]")."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import LineageDocument, SessionInfo
from trackit_sidecar.summarize import builtin_summary

from .sample_docs import execution

CELLS = [
    "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=4)\n"
    "knn = KNeighborsClassifier(n_neighbors=5)\nknn.fit(X_train, y_train)\ny_pred = knn.predict(X_test)",
    "knn = KNeighborsClassifier(n_neighbors=13)\nprint(cross_val_score(knn, X, y, cv=10).mean())",
]


def _summary(cells: list[str]) -> str:
    executions = []
    for index, source in enumerate(cells):
        analysis = analyze_source(source)
        executions.append(execution(index + 1, index, index + 1, source, steps=analysis.steps,
                                    reads=analysis.reads, writes=analysis.writes, parents=[index] if index else []))
    doc = LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                          sessions=[SessionInfo(id=2, started_at="2026-11-29T19:01:00+00:00")], executions=executions)
    return builtin_summary(doc)


def test_a_model_bound_again_by_its_constructor_is_not_said_fitted():
    summary = _summary(CELLS)
    lines = [line for line in summary.splitlines() if "`knn`" in line and "last set in" in line]
    assert not any("fitted" in line for line in lines), lines
    # the fit itself, last, is still one
    fitted = _summary(CELLS[:1])
    assert "`knn` (fitted `KNeighborsClassifier`): last set in [cell 1]" in fitted, fitted
