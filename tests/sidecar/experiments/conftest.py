"""Lineage documents built from cell sources the way the service builds them (analysis + classifier with
the notebook's context carried), for the pure experiment modules. Handed out as fixtures: the suite runs
with --import-mode=importlib, where test modules cannot import sibling helpers."""

from __future__ import annotations

from typing import Optional

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage import graph
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.steps import classify_cell


def _record(seq: int, session: int, cell_id: str, source: str, env: dict, stdout: Optional[str],
            status: str, result: Optional[str], facts: list, files: list) -> p.ExecutionRecord:
    analysis = analyze_source(source)
    steps, after = classify_cell(source, env)
    env.clear()
    env.update(after)
    outputs = []
    if stdout is not None:
        outputs.append(p.OutputInfo(output_type="stream", mime="application/vnd.code.notebook.stdout",
                                    size=len(stdout), sha256="", text=stdout))
    if result is not None:
        outputs.append(p.OutputInfo(output_type="execute_result", mime="text/plain", size=len(result), sha256="",
                                    text=result))
    return p.ExecutionRecord(
        seq=seq, session=session, cell_id=cell_id, cell_index=int(cell_id.strip("c") or 0) if cell_id.strip(
            "c").isdigit() else 0, status=status, started_at=f"2026-01-01T00:00:{seq:02d}+00:00",
        ended_at=f"2026-01-01T00:00:{seq:02d}.500+00:00", duration_ms=500, source=source,
        source_sha256=p.source_sha256(source), reads=analysis.reads, writes=analysis.writes,
        derivations=analysis.derivations, steps=steps, outputs=outputs, runtime=facts, input_files=files)


class DocBuilder:
    """`run(cell_id, source, stdout=...)` appends an execution; `restart()` starts a new session."""

    def __init__(self) -> None:
        self.executions: list[p.ExecutionRecord] = []
        self.session = 1
        self.env: dict = {}

    def run(self, cell_id: str, source: str, stdout: Optional[str] = None, status: str = "ok",
            result: Optional[str] = None, facts: Optional[list] = None, files: Optional[list] = None
            ) -> p.ExecutionRecord:
        record = _record(len(self.executions) + 1, self.session, cell_id, source, self.env, stdout, status, result,
                         facts or [], files or [])
        self.executions.append(record)
        return record

    def restart(self) -> None:
        self.session += 1
        self.env = {}

    def doc(self) -> p.LineageDocument:
        executions = [e.model_copy(deep=True) for e in self.executions]
        graph.link_parents(executions)
        return p.LineageDocument(notebook="/nb/t.ipynb", notebook_uri="file:///nb/t.ipynb", executions=executions)


@pytest.fixture
def notebook() -> DocBuilder:
    return DocBuilder()


# The bundled example's cells, trimmed to what matters for experiments (one cell per step).
TITANIC = {
    "c1": 'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n'
          'from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split\n'
          'passengers = pd.read_csv("passengers.csv")',
    "c2": "print(passengers.shape)",
    "c3": "df = passengers.drop_duplicates()",
    "c4": 'df["Age"] = df["Age"].fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))',
    "c5": 'X = df[["Pclass", "Age"]]\ny = df["Survived"]\n'
          'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42, stratify=y)',
    "c6": "model = LogisticRegression(max_iter=1000)\nmodel.fit(X_train, y_train)",
    "c7": 'predictions = model.predict(X_test)\naccuracy = accuracy_score(y_test, predictions)\n'
          'print(f"accuracy: {accuracy:.3f}")',
}


@pytest.fixture
def titanic() -> dict[str, str]:
    return dict(TITANIC)
