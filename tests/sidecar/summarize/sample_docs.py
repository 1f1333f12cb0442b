"""Hand-built lineage documents for the summary tests (what the store + kernel capture would produce)."""

from __future__ import annotations

import hashlib

from trackit_sidecar.lineage.code_names import mark_code_names
from trackit_sidecar.protocol import (
    ErrorInfo,
    ExecutionRecord,
    InputFile,
    LineageDocument,
    OutputInfo,
    RuntimeFacts,
    SessionInfo,
    Step,
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _time(minute: int, second: int = 0) -> str:
    return f"2026-11-29T19:{minute:02d}:{second:02d}+00:00"


def execution(seq: int, cell_index: int, count: int, source: str, *, session: int = 2, status: str = "ok",
              steps=(), reads=(), writes=(), parents=(), outputs=(), error=None, duration_ms=120.0,
              analysis_error=None, input_files=(), runtime=()) -> ExecutionRecord:
    return ExecutionRecord(
        seq=seq, session=session, cell_id=f"cell-{cell_index}", cell_index=cell_index, execution_count=count,
        status=status, started_at=_time(seq), ended_at=_time(seq, 1), duration_ms=duration_ms, source=source,
        source_sha256=_sha(source), reads=list(reads), writes=list(writes), parents=list(parents),
        steps=list(steps), outputs=list(outputs), error=error, analysis_error=analysis_error,
        input_files=list(input_files), runtime=list(runtime),
    )


def text_output(text: str, output_type: str = "stream") -> OutputInfo:
    return OutputInfo(output_type=output_type, mime="text/plain", size=len(text), sha256=_sha(text), text=text)


TRAIN_SHA = "9f2c41d07a55e8b3" + "0" * 48
OLD_TRAIN_SHA = "5b1e33aa09c4d2f1" + "0" * 48


def titanic_document() -> LineageDocument:
    """Session 1 (old, one load) and session 2: load, clean, encode, join, fit, evaluate, with problems."""
    train = InputFile(path="data/train.csv", size=61194, sha256=TRAIN_SHA, changed_since=OLD_TRAIN_SHA)
    old = execution(1, 0, 1, "import pandas as pd\ndf = pd.read_csv('data/train.csv')", session=1,
                    writes=["df", "pd"], steps=[Step(op="load", output="df", detail="data/train.csv")])
    s2 = [
        execution(2, 0, 1, "import pandas as pd\ndf = pd.read_csv('data/train.csv')", writes=["df", "pd"],
                  steps=[Step(op="load", output="df", detail="data/train.csv", input_file=train,
                              runtime=RuntimeFacts(variable="df", kind="DataFrame", rows_after=891, cols_after=12))]),
        execution(3, 1, 2, "df = df.dropna(subset=['Age'])", reads=["df"], writes=["df"], parents=[2],
                  steps=[Step(op="drop_missing", inputs=["df"], output="df", columns=["Age"],
                              runtime=RuntimeFacts(variable="df", rows_before=891, rows_after=714,
                                                   cols_before=12, cols_after=12, nulls_before=866, nulls_after=689))]),
        execution(4, 2, 3, "df = pd.get_dummies(df, columns=['Embarked'])", reads=["df", "pd"], writes=["df"],
                  parents=[2, 3],
                  steps=[Step(op="encode_categorical", inputs=["df"], output="df", columns=["Embarked"],
                              detail="get_dummies",
                              runtime=RuntimeFacts(variable="df", rows_before=714, rows_after=714, cols_before=12,
                                                   cols_after=14, added_columns=["Embarked_C", "Embarked_Q", "Embarked_S"],
                                                   removed_columns=["Embarked"]))]),
        execution(5, 3, 4, "fares = pd.read_csv('data/fares.csv')\ndf = df.merge(fares, on='PassengerId')",
                  reads=["df", "pd"], writes=["df", "fares"], parents=[2, 4],
                  steps=[Step(op="load", output="fares", detail="data/fares.csv",
                              input_file=InputFile(path="data/fares.csv", size=2048, sha256="c0ffee12" + "0" * 56)),
                         Step(op="join", inputs=["df", "fares"], output="df", detail="PassengerId",
                              runtime=RuntimeFacts(variable="df", rows_before=714, rows_after=712, cols_before=14,
                                                   cols_after=15, added_columns=["Fare2"]))]),
        execution(6, 4, 5, "df['Age'] = df['Age'].astype(int)", reads=["df"], writes=["df"], parents=[5],
                  steps=[Step(op="type_cast", inputs=["df"], output="df", columns=["Age"], detail="int",
                              runtime=RuntimeFacts(variable="df", rows_before=712, rows_after=712,
                                                   dtype_changes={"Age": ["float64", "int64"]}))]),
        execution(7, 6, 6, "model.fit(X, y)", status="error", reads=["model", "X", "y"],
                  error=ErrorInfo(name="NameError", message="name 'model' is not defined")),
        execution(8, 5, 7, "from sklearn.model_selection import train_test_split\n"
                           "X_train, X_test, y_train, y_test = train_test_split(df.drop(columns='Survived'), df['Survived'], test_size=0.2)",
                  reads=["df"], writes=["X_train", "X_test", "y_train", "y_test"], parents=[6],
                  steps=[Step(op="split", inputs=["df"], output="X_train", detail="test_size=0.2")]),
        execution(9, 6, 8, "from sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier()\n"
                           "model.fit(X_train, y_train)",
                  reads=["X_train", "y_train"], writes=["model"], parents=[8], duration_ms=2350.0,
                  steps=[Step(op="fit_model", inputs=["X_train", "y_train"], output="model",
                              detail="RandomForestClassifier")]),
        execution(10, 7, 9, "preds = model.predict(X_test)\nprint('accuracy', accuracy_score(y_test, preds))",
                  reads=["model", "X_test", "y_test"], writes=["preds"], parents=[8, 9],
                  steps=[Step(op="predict", inputs=["model", "X_test"], output="preds"),
                         Step(op="evaluate", inputs=["y_test", "preds"], detail="accuracy_score")],
                  outputs=[text_output("accuracy 0.81\n")]),
        execution(11, 1, 10, "%%sql\nSELECT * FROM t", analysis_error="not analysed: cell magic %%sql"),
    ]
    mark_code_names([old, *s2])  # as the store's records have them: imports are code
    return LineageDocument(
        notebook="/home/ana/projects/titanic.ipynb", notebook_uri="file:///home/ana/projects/titanic.ipynb",
        sessions=[SessionInfo(id=1, started_at=_time(1), executions=1),
                  SessionInfo(id=2, started_at=_time(2), executions=len(s2))],
        executions=[old, *s2],
    )


def synthetic_document(n: int = 500, seed: int = 7) -> LineageDocument:
    """A long session of n executions cycling through typical steps, with runtime facts."""
    import random

    rng = random.Random(seed)
    ops = ["filter_rows", "drop_missing", "impute_missing", "encode_categorical", "derive_feature", "join",
           "aggregate", "sort", "fit_model", "predict", "evaluate", "type_cast"]
    execs = []
    rows = 100_000
    for i in range(n):
        op = ops[i % len(ops)]
        before = rows
        rows = max(10, rows - rng.randint(0, 50))
        facts = RuntimeFacts(variable="df", rows_before=before, rows_after=rows, cols_before=20, cols_after=20 + i % 3)
        steps = [Step(op=op, inputs=["df"], output="df", columns=[f"col_{i % 17}"], runtime=facts)]
        if i == 0:
            steps = [Step(op="load", output="df", detail="data/big.parquet",
                          input_file=InputFile(path="data/big.parquet", size=10_000_000, sha256="ab" * 32))]
        execs.append(execution(i + 1, i % 40, i + 1, f"df = step_{i}(df)", session=1, steps=steps,
                               reads=["df"] if i else [], writes=["df", f"v{i % 25}"],
                               parents=[i] if i else [], duration_ms=float(rng.randint(5, 400))))
    return LineageDocument(notebook="big.ipynb", notebook_uri="file:///big.ipynb",
                           sessions=[SessionInfo(id=1, started_at=_time(0), executions=n)], executions=execs)
