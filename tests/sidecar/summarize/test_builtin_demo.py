"""Built-in summary on a session shaped like the bundled demo (examples/titanic/preprocess.ipynb).

The document is written by hand from what `trackit run` recorded for the demo: the classifier's
steps (including its quirks: `other` steps for `df.head()`, a derive_feature and an impute_missing
for one fillna line, an evaluate step holding an unchanged input's facts) and the kernel's facts,
which are per cell and per variable, so they sit on the last step that wrote each variable.
"""

from __future__ import annotations

import hashlib
import re

from trackit_sidecar.lineage.code_names import mark_code_names
from trackit_sidecar.protocol import InputFile, LineageDocument, OutputInfo, RuntimeFacts, SessionInfo, Step
from trackit_sidecar.summarize import builtin_summary, check_faithfulness

from .sample_docs import execution

NOTEBOOK = "/home/ana/titanic/preprocess.ipynb"
IMPORTS = ("pd", "LogisticRegression", "accuracy_score", "classification_report", "confusion_matrix",
           "train_test_split")


def _facts(variable, kind="DataFrame", **values) -> RuntimeFacts:
    return RuntimeFacts(variable=variable, kind=kind, **values)


def _stdout(text: str) -> OutputInfo:
    return OutputInfo(output_type="stream", mime="application/vnd.code.notebook.stdout", size=len(text),
                      sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)


def _step(op, code, line, **fields) -> Step:
    return Step(op=op, code=code, line=line, **fields)


def _execution(*args, derivations=None, **kwargs):
    rec = execution(*args, **kwargs)
    rec.derivations = derivations or {}
    return rec


def demo_document() -> LineageDocument:
    passengers = _facts("passengers", rows_after=900, cols_after=10, nulls_after=141)
    tickets = _facts("tickets", rows_after=478, cols_after=3, nulls_after=349)
    df_6 = _facts("df", rows_before=900, rows_after=891, cols_before=10, cols_after=10,
                  dtype_changes={"Age": ["str", "float64"]}, nulls_before=141, nulls_after=151)
    df_8 = _facts("df", rows_before=891, rows_after=889, cols_before=10, cols_after=10, nulls_before=151, nulls_after=149)
    df_10 = _facts("df", rows_before=889, rows_after=889, cols_before=10, cols_after=10, nulls_before=149, nulls_after=0)
    df_12 = _facts("df", rows_before=889, rows_after=889, cols_before=10, cols_after=11,
                   added_columns=["Sex_male", "Embarked_Q", "Embarked_S"], removed_columns=["Sex", "Embarked"],
                   nulls_before=0, nulls_after=0)
    df_14 = _facts("df", rows_before=889, rows_after=889, cols_before=11, cols_after=12, added_columns=["FamilySize"],
                   nulls_before=0, nulls_after=0)
    df_16 = _facts("df", rows_before=889, rows_after=889, cols_before=12, cols_after=13, added_columns=["Fare"],
                   nulls_before=0, nulls_after=0)
    x = _facts("X", rows_before=889, rows_after=889, cols_before=13, cols_after=9,
               removed_columns=["PassengerId", "Survived", "Name", "Ticket"], nulls_before=0, nulls_after=0)
    y = _facts("y", kind="Series", rows_after=889, nulls_after=0)
    x_train = _facts("X_train", rows_before=889, rows_after=666, cols_before=9, cols_after=9, nulls_before=0, nulls_after=0)
    x_test = _facts("X_test", rows_before=889, rows_after=223, cols_before=9, cols_after=9)
    y_train = _facts("y_train", kind="Series", rows_before=889, rows_after=666)
    y_test = _facts("y_test", kind="Series", rows_before=889, rows_after=223)
    y_test_read = _facts("y_test", kind="Series", rows_before=223, rows_after=223, nulls_before=0, nulls_after=0)
    predictions = _facts("predictions", kind="ndarray", rows_after=223, nulls_after=0)

    load_source = ("import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
                   "from sklearn.metrics import accuracy_score, classification_report, confusion_matrix\n"
                   "from sklearn.model_selection import train_test_split\n\n"
                   'passengers = pd.read_csv("passengers.csv")\ntickets = pd.read_csv("tickets.csv")')
    fillna = 'df["Age"] = df["Age"].fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))'
    merge = 'df = df.merge(tickets[["Ticket", "Fare"]], on="Ticket", how="left")'
    fare = 'df["Fare"] = df["Fare"].fillna(df["Fare"].median())'
    split = "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42, stratify=y)"
    features = ('features = ["Pclass", "Age", "SibSp", "Parch", "FamilySize", "Fare", "Sex_male", "Embarked_Q", '
                '"Embarked_S"]')
    columns = ["Pclass", "Age", "SibSp", "Parch", "FamilySize", "Fare", "Sex_male", "Embarked_Q", "Embarked_S"]
    folder = NOTEBOOK.rsplit("/", 1)[0]
    execs = [
        _execution(1, 1, 1, load_source, session=1, writes=[*IMPORTS, "passengers", "tickets"],
                  runtime=[passengers, tickets],
                  derivations={"passengers": ["pd"], "tickets": ["pd"]},
                  input_files=[InputFile(path=f"{folder}/passengers.csv", size=50144, sha256="5efb7e27dc43" + "0" * 52),
                               InputFile(path=f"{folder}/tickets.csv", size=10305, sha256="e640a7c5720f" + "0" * 52)],
                  steps=[_step("load", 'passengers = pd.read_csv("passengers.csv")', 6, output="passengers",
                               detail="passengers.csv", runtime=passengers),
                         _step("load", 'tickets = pd.read_csv("tickets.csv")', 7, output="tickets",
                               detail="tickets.csv", runtime=tickets)]),
        _execution(2, 3, 2, "print(passengers.shape)\npassengers.isna().sum()", session=1, reads=["passengers"],
                  parents=[1]),
        _execution(3, 5, 3, 'df = passengers.drop_duplicates()\ndf["Age"] = pd.to_numeric(df["Age"], errors="coerce")',
                  session=1, reads=["passengers", "pd"], writes=["df"], parents=[1], runtime=[df_6],
                  derivations={"df": ["passengers", "df", "pd"]},
                  steps=[_step("drop_duplicates", "df = passengers.drop_duplicates()", 1, inputs=["passengers"],
                               output="df"),
                         _step("type_cast", 'df["Age"] = pd.to_numeric(df["Age"], errors="coerce")', 2,
                               inputs=["df"], output="df", columns=["Age"], runtime=df_6)]),
        _execution(4, 7, 4, 'df = df[df["Embarked"].notna()]', session=1, reads=["df"], writes=["df"], parents=[3],
                  runtime=[df_8], derivations={"df": ["df"]},
                  steps=[_step("drop_missing", 'df = df[df["Embarked"].notna()]', 1, inputs=["df"], output="df",
                               columns=["Embarked"], runtime=df_8)]),
        _execution(5, 9, 5, fillna, session=1, reads=["df"], writes=["df"], parents=[4], runtime=[df_10],
                  derivations={"df": ["df"]},
                  steps=[_step("derive_feature", fillna, 1, inputs=["df"], output="df", columns=["Sex", "Pclass", "Age"]),
                         _step("impute_missing", fillna, 1, inputs=["df"], output="df", columns=["Age"],
                               runtime=df_10)]),
        _execution(6, 11, 6, 'df = pd.get_dummies(df, columns=["Sex", "Embarked"], drop_first=True, dtype=int)',
                  session=1, reads=["pd", "df"], writes=["df"], parents=[1, 5], runtime=[df_12],
                  derivations={"df": ["df", "pd"]},
                  steps=[_step("encode_categorical",
                               'df = pd.get_dummies(df, columns=["Sex", "Embarked"], drop_first=True, dtype=int)', 1,
                               inputs=["df"], output="df", columns=["Sex", "Embarked"], runtime=df_12,
                               method="get_dummies", detail="get_dummies")]),
        _execution(7, 13, 7, 'df["FamilySize"] = df["SibSp"] + df["Parch"] + 1\ndf["FamilySize"].describe()',
                  session=1, reads=["df"], writes=["df"], parents=[6], runtime=[df_14], derivations={"df": ["df"]},
                  steps=[_step("derive_feature", 'df["FamilySize"] = df["SibSp"] + df["Parch"] + 1', 1, inputs=["df"],
                               output="df", columns=["FamilySize"], derived_from=["SibSp", "Parch"], runtime=df_14),
                         _step("other", 'df["FamilySize"].describe()', 2, inputs=["df"], columns=["FamilySize"])]),
        _execution(8, 15, 8, f"{merge}\n{fare}\ndf.head()", session=1, reads=["df", "tickets"], writes=["df"],
                  parents=[1, 7], runtime=[df_16], derivations={"df": ["df", "tickets"]},
                  steps=[_step("join", merge, 1, inputs=["df", "tickets"], output="df", columns=["Ticket"],
                               detail="Ticket"),
                         _step("impute_missing", fare, 2, inputs=["df"], output="df", columns=["Fare"], runtime=df_16),
                         _step("other", "df.head()", 3, inputs=["df"])]),
        _execution(9, 17, 9, f'{features}\nX = df[features]\ny = df["Survived"]\n{split}', session=1,
                  reads=["df", "train_test_split"], writes=["features", "X", "y", "X_train", "X_test", "y_train", "y_test"],
                  parents=[1, 8], runtime=[x, y, x_train, x_test, y_train, y_test],
                  derivations={"features": [], "X": ["df", "features"], "y": ["df"],
                               **{n: ["train_test_split", "X", "y"] for n in ("X_train", "X_test", "y_train", "y_test")}},
                  steps=[_step("select_columns", "X = df[features]", 2, inputs=["df"], output="X", columns=columns,
                               runtime=x),
                         _step("select_columns", 'y = df["Survived"]', 3, inputs=["df"], output="y",
                               columns=["Survived"], runtime=y),
                         _step("split", split, 4, inputs=["X", "y"], output="X_train",
                               detail="outputs: X_train, X_test, y_train, y_test",
                               outputs=["X_train", "X_test", "y_train", "y_test"], runtime=x_train)]),
        _execution(10, 19, 10, "model = LogisticRegression(max_iter=1000)\nmodel.fit(X_train, y_train)", session=1,
                  reads=["LogisticRegression", "X_train", "y_train"], writes=["model"], parents=[1, 9],
                  derivations={"model": ["LogisticRegression", "model", "X_train", "y_train"]},
                  steps=[_step("fit_model", "model.fit(X_train, y_train)", 2, inputs=["X_train", "y_train"],
                               output="model", detail="LogisticRegression")]),
        _execution(11, 21, 11, "predictions = model.predict(X_test)\naccuracy = accuracy_score(y_test, predictions)\n"
                              'print(f"accuracy: {accuracy:.3f}")\nprint(confusion_matrix(y_test, predictions))\n'
                              "print(classification_report(y_test, predictions))", session=1,
                  reads=["model", "X_test", "accuracy_score", "y_test", "confusion_matrix", "classification_report"],
                  writes=["predictions", "accuracy"], parents=[1, 9, 10], runtime=[y_test_read, predictions],
                  derivations={"predictions": ["model", "X_test"], "accuracy": ["accuracy_score", "y_test", "predictions"]},
                  outputs=[_stdout("accuracy: 0.789\n[[102  13]\n [ 34  74]]\n              precision    recall  "
                                   "f1-score   support\n\n    accuracy                           0.79       223\n"
                                   "   macro avg       0.80      0.79      0.79       223\n")],
                  steps=[_step("predict", "predictions = model.predict(X_test)", 1, inputs=["model", "X_test"],
                               model="model", output="predictions", runtime=predictions),
                         _step("evaluate", "accuracy = accuracy_score(y_test, predictions)", 2,
                               inputs=["y_test", "predictions"], output="accuracy", detail="accuracy_score"),
                         _step("evaluate", "print(confusion_matrix(y_test, predictions))", 4,
                               inputs=["y_test", "predictions"], detail="confusion_matrix"),
                         _step("evaluate", "print(classification_report(y_test, predictions))", 5,
                               inputs=["y_test", "predictions"], detail="classification_report", runtime=y_test_read)]),
    ]
    mark_code_names(execs)  # as the store's records have them: imports are code
    return LineageDocument(notebook=NOTEBOOK, notebook_uri=f"file://{NOTEBOOK}",
                           sessions=[SessionInfo(id=1, started_at=execs[0].started_at, executions=len(execs))],
                           executions=execs)


# What a reader must find for each recorded step, in execution order (hand-written): fragments
# that must all be on one line. Steps the kernel's facts cannot tell apart share one line.
EXPECTED = [
    ("load", ["Loaded `passengers.csv` (49.0 KB, sha256 5efb7e27) into `passengers`", "900 rows \u00d7 10 columns",
     "141 missing values", "[cell 2]"]),
    ("load", ["Loaded `tickets.csv` (10.1 KB, sha256 e640a7c5) into `tickets`", "478 rows \u00d7 3 columns",
     "[cell 2]"]),
    ("drop_duplicates", ["Dropped duplicate rows from `passengers` into `df` and converted `Age` from str to float64",
     "900 \u2192 891 rows (\u22129)", "missing values 141 \u2192 151", "[cell 6]"]),
    ("type_cast", ["Dropped duplicate rows from `passengers` into `df` and converted `Age` from str to float64",
     "[cell 6]"]),
    ("drop_missing", ["Dropped rows with missing values in `Embarked` from `df`", "891 \u2192 889 rows (\u22122)",
     "[cell 8]"]),
    ("derive_feature", ["Filled missing values in `Age` of `df` using `Sex` and `Pclass`",
     "missing values 149 \u2192 0", "[cell 10]"]),
    ("impute_missing", ["Filled missing values in `Age` of `df`", "missing values 149 \u2192 0", "[cell 10]"]),
    ("encode_categorical", ["One-hot encoded `Sex` and `Embarked` of `df` into 3 columns",
     "10 \u2192 11 columns (+1)", "[cell 12]"]),
    ("derive_feature", ["Derived `FamilySize` from `SibSp` and `Parch` in `df`", "added `FamilySize`", "[cell 14]"]),
    ("join", ["Joined `df` with `tickets` on `Ticket` and filled missing values in `Fare`",
     "12 \u2192 13 columns (+1)", "added `Fare`", "[cell 16]"]),
    ("impute_missing", ["Joined `df` with `tickets` on `Ticket` and filled missing values in `Fare`", "[cell 16]"]),
    ("select_columns", ["Selected `Pclass`", "`Embarked_S` from `df` into `X`", "13 \u2192 9 columns (\u22124)",
     "[cell 18]"]),
    ("select_columns", ["Selected `Survived` from `df` into `y`", "[cell 18]"]),
    ("split", ["Split `X` and `y` into training and test sets",
     "889 rows \u2192 666 in `X_train` and `y_train`, 223 in `X_test` and `y_test`", "[cell 18]"]),
    ("fit_model", ["Fitted a `LogisticRegression` model as `model` on `X_train` and `y_train`", "[cell 20]"]),
    ("predict", ["Predicted with `model` on `X_test` into `predictions`", "223 rows", "[cell 22]"]),
    ("evaluate", ["Evaluated `y_test` and `predictions` with `accuracy_score` (into `accuracy`)", "[cell 22]"]),
    ("evaluate", ["`confusion_matrix` and `classification_report`", "[cell 22]"]),
    ("evaluate", ["`classification_report`", "[cell 22]"]),
]


def _recorded_ops(doc: LineageDocument) -> list[str]:
    """The op of every step of the latest run of each cell, in execution order (`other` steps left out by design).

    The latest run of a cell is what produced the variables the session ended with. An earlier run of
    the same cell is reported as a re-run under Problems rather than narrated again (a Run All done
    twice would otherwise name every step twice), so coverage is owed to the latest runs only.
    (test_builtin_reruns.py checks the earlier runs that still matter are described as well.)
    """
    session = max(rec.session for rec in doc.executions)
    runs = [rec for rec in doc.executions if rec.session == session]
    latest = {rec.cell_id: rec.seq for rec in runs}
    return [step.op for rec in runs if latest[rec.cell_id] == rec.seq for step in rec.steps if step.op != "other"]


def _line_of(lines: list[str], fragments: list[str]) -> int:
    for i, line in enumerate(lines):
        if all(f in line for f in fragments):
            return i
    raise AssertionError(f"no line has all of {fragments}")


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"section {title!r} missing"
    return match.group(1)


def test_every_recorded_step_is_named_in_order_grouped_steps_sharing_a_line():
    doc = demo_document()
    recorded = _recorded_ops(doc)
    assert recorded == [op for op, _ in EXPECTED]  # keeps the expectations in step with the document
    lines = builtin_summary(doc).splitlines()
    # Coverage counts a step as named when its expected line exists. Steps of one execution that
    # write the same variable are named by one grouped sentence, so several steps may map to the
    # same line; the count is over steps, not lines, and every step must be found.
    positions = [_line_of(lines, fragments) for _, fragments in EXPECTED]
    assert len(positions) / len(recorded) == 1.0
    preprocessing = [p for p, op in zip(positions, recorded) if op not in ("load", "fit_model", "predict", "evaluate")]
    assert preprocessing == sorted(preprocessing), "preprocessing steps out of execution order"
    assert positions[2] == positions[3], "drop_duplicates and type_cast write `df` in one cell: one sentence"


def test_a_shared_effect_is_stated_once_and_never_on_one_step_alone():
    lines = builtin_summary(demo_document()).splitlines()
    with_delta = [line for line in lines if "900 \u2192 891 rows" in line]
    assert len(with_delta) == 1
    assert "Dropped duplicate rows" in with_delta[0] and "converted `Age`" in with_delta[0]
    assert not any(line.startswith("- Converted `Age`") for line in lines)
    with_fare = [line for line in lines if "added `Fare`" in line]
    assert len(with_fare) == 1 and with_fare[0].startswith("- Joined `df` with `tickets`")


def test_other_steps_and_unchanged_inputs_are_left_out():
    markdown = builtin_summary(demo_document())
    assert "Ran " not in markdown and "df.head()" not in markdown and "describe()" not in markdown
    evaluation = next(line for line in markdown.splitlines() if line.startswith("- Evaluated"))
    assert "rows" not in evaluation  # the y_test facts the evaluate step holds show no change


def test_data_sources_merge_file_facts_into_the_load_with_the_path_as_written():
    markdown = builtin_summary(demo_document())
    sources = [line for line in _section(markdown, "Data sources").splitlines() if line.startswith("- ")]
    assert len(sources) == 2
    assert "/home/ana" not in markdown


def test_final_variables_leave_out_imports_and_put_the_model_and_its_data_first():
    deps = [line for line in _section(builtin_summary(demo_document()), "What the final variables depend on").splitlines()
            if line.startswith("- ")]
    named = [re.match(r"- `([^`]+)`", line).group(1) for line in deps if re.match(r"- `([^`]+)`", line)]
    assert not set(IMPORTS) & set(named)
    assert named[:5] == ["model", "X_train", "y_train", "X_test", "y_test"]
    assert named.index("X") < named.index("df") < named.index("passengers")
    assert deps[0] == ("- `model` (fitted `LogisticRegression`): last set in [cell 20], "
                       "built from [cells 2, 6, 8, 10, 12, 14, 16, 18].")
    assert "- `X_train` (DataFrame 666 \u00d7 9): last set in [cell 18]" in deps[1]
    assert "- `passengers` (DataFrame 900 \u00d7 10): last set in [cell 2], depends on no earlier cell." in deps
    assert deps[-1] == "- Other variables: `features` [cell 18]."


def test_printed_metric_is_quoted_from_stdout():
    results = _section(builtin_summary(demo_document()), "Modelling and results")
    assert "The evaluation printed \u201caccuracy: 0.789\u201d [cell 22]." in results
    assert "macro avg" not in results


def test_demo_summary_is_faithful_cited_and_deterministic():
    doc = demo_document()
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    for line in markdown.splitlines():
        if line.startswith("- "):
            assert re.search(r"\[cells? \d+(, \d+)*\]", line), f"uncited: {line}"
    assert markdown == builtin_summary(demo_document())
    assert " and among others" not in markdown and "Ran an operation" not in markdown


def test_an_input_file_without_a_load_step_is_listed_relative_to_the_notebook():
    doc = demo_document()
    doc.executions[0].steps = []
    sources = _section(builtin_summary(doc), "Data sources")
    assert "- Read `passengers.csv` (49.0 KB, sha256 5efb7e27) [cell 2]." in sources
    assert "- Read `tickets.csv` (10.1 KB, sha256 e640a7c5) [cell 2]." in sources


def test_a_changed_input_is_noted_once_on_its_load_and_in_problems():
    doc = demo_document()
    doc.executions[0].input_files[0].changed_since = "abcdef12" + "0" * 56
    markdown = builtin_summary(doc)
    load = next(line for line in markdown.splitlines() if line.startswith("- Loaded `passengers.csv`"))
    assert "The file changed since the last session (it was sha256 abcdef12) [cell 2]." in load
    assert "Input `passengers.csv` changed since the last session" in _section(markdown, "Problems")
    assert check_faithfulness(markdown, doc) == []


def test_an_execution_with_only_other_steps_still_says_what_ran():
    doc = demo_document()
    rec = doc.executions[1]
    rec.steps = [Step(op="other", inputs=["passengers"], code="passengers.isna().sum()", line=2)]
    preprocessing = _section(builtin_summary(doc), "Preprocessing")
    assert "- Ran `passengers.isna().sum()` [cell 4]." in preprocessing


def test_in_short_names_the_pipeline_with_citations():
    markdown = builtin_summary(demo_document())
    assert ("In short, it loads `passengers.csv` and `tickets.csv` [cell 2]; prepares `df`, `X` and `y` "
            "[cells 6, 8, 10, 12, 14, 16, 18]; splits `X` and `y` into training and test sets [cell 18]; "
            "fits a `LogisticRegression` model as `model` [cell 20]; evaluates with `accuracy_score`, "
            "`confusion_matrix` and `classification_report` [cell 22].") in markdown


def test_one_execution_is_counted_in_the_singular():
    doc = demo_document()
    doc.executions = doc.executions[:1]
    assert "This session ran 1 execution of 1 cell (" in builtin_summary(doc)
