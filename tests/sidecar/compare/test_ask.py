"""`trackit ask`: questions in free wording answered from stored records, each answer citing what it says.

The history (no kernel: the runtime facts a kernel would measure are added by hand, as the server adds them):
run 1 -> E0001 accuracy 0.810 (median imputation); run 2 -> E0002 0.790 (mean imputation: the drop);
run 3 -> E0003 0.800 (the same code on a new revision of customers.csv, from a dirty git worktree).
"""

from __future__ import annotations

import re

import json

import pytest

from tests.sidecar.summarize.fakes import FakeServer, openai_answer
from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

IMPORTS = ("import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
           "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split")


def cells(statistic: str) -> list[tuple[str, str]]:
    return [
        ("c0", IMPORTS),
        ("c1", 'df = pd.read_csv("customers.csv")'),
        ("c2", 'df = df[df["age"] >= 18]'),
        ("c3", f'df["income"] = df["income"].fillna(df["income"].{statistic}())'),
        ("c4", 'X_train, X_test, y_train, y_test = train_test_split(df[["age", "income"]], df["churn"], '
               "test_size=0.25, random_state=1)"),
        ("c5", "model = LogisticRegression(C=1.0).fit(X_train, y_train)"),
        ("c6", 'acc = accuracy_score(y_test, model.predict(X_test))\nprint(f"accuracy: {acc:.3f}")'),
    ]


def measured(rows: int, imputed: str) -> dict[str, list[p.RuntimeFacts]]:
    def f(variable, n, cols, fp):
        return p.RuntimeFacts(variable=variable, kind="DataFrame", rows_after=n, cols_after=cols, nulls_after=0,
                              fingerprint=fp)
    kept = rows - 10
    return {"c1": [f("df", rows, 4, f"load-{rows}")], "c2": [f("df", kept, 4, f"adults-{rows}")],
            "c3": [f("df", kept, 4, f"{imputed}-{rows}")],
            "c4": [f("X_train", 60, 2, f"xt-{imputed}-{rows}"), f("X_test", kept - 60, 2, "xs"),
                   f("y_train", 60, None, "yt"), f("y_test", kept - 60, None, "ys")]}


@pytest.fixture(scope="module")
def history(tmp_path_factory, ingest_run):
    folder = tmp_path_factory.mktemp("ask")
    notebook = folder / "churn.ipynb"
    data = folder / "customers.csv"
    db = str(folder / "t.duckdb")
    service = TrackitService(Store.open(db))
    t = 1_700_000_000_000.0
    runs = [("median", 100, "0.810", False), ("mean", 100, "0.790", False), ("mean", 101, "0.800", True)]
    for session, (statistic, rows, accuracy, dirty) in enumerate(runs, 1):
        data.write_text("age,income,churn\n" + "30,1,0\n" * rows)
        facts = measured(rows, statistic)
        first, t = ingest_run(service, notebook, session, cells(statistic), t, "c6", f"accuracy: {accuracy}\n",
                              lambda cell, _event_id, facts=facts: facts.get(cell, []))
        git = p.GitState(commit="a1b2c3d4e5f6a7b8", branch="main", dirty_worktree=dirty,
                         changed_files=["M churn.ipynb"] if dirty else [])
        service.store.experiments.save_stamp(first, p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", git=git))
    listing = service.experiments.experiments(notebook.as_uri())
    assert [(e.id, e.primary_metric.value, e.parent) for e in listing.experiments] == [
        ("E0001", 0.81, None), ("E0002", 0.79, "E0001"), ("E0003", 0.8, "E0002")]
    yield service, notebook.as_uri()
    service.store.close()


def seq_of(service, uri, session, cell):
    return next(e.seq for e in service.lineage(uri).executions if e.session == session and e.cell_id == cell)


# question, the intent, labels the answer must cite (a step's seq is given as (session, cell, op))
QUESTIONS = [
    ("why did accuracy drop?", "why_metric", ["[E0001]", "[E0002]", "[cell 4]", (2, "c3", "impute_missing")]),
    ("Why did the accuracy go down?", "why_metric", ["[E0001]", "[E0002]", "[cell 4]"]),
    ("what made acc fall", "why_metric", ["[E0002]", (2, "c3", "impute_missing")]),
    ("why did accuracy improve?", "why_metric", ["[E0002]", "[E0003]", "[cell 2]", (3, "c1", "load")]),
    ("why did E0003 change?", "why_metric", ["[E0002]", "[E0003]", "[cell 2]"]),
    ("What changed between E1 and E3?", "diff", ["[E0001]", "[E0003]", "[cell 2]"]),
    ("diff E0002 vs E0003", "diff", ["[E0002]", "[E0003]", (3, "c1", "load")]),
    ("what changed between the last two experiments?", "diff", ["[E0002]", "[E0003]"]),
    ("What changed since the previous experiment?", "diff", ["[E0002]", "[E0003]"]),
    ("what's different between the two latest runs", "diff", ["[E0002]", "[E0003]"]),
    ("compare the best and the latest experiment", "diff", ["[E0001]", "[E0003]"]),
    ("which experiments used D0002?", "experiments_using_data", ["[E0003]"]),
    ("which runs used customers.csv?", "experiments_using_data", ["[E0001]", "[E0002]", "[E0003]"]),
    ("Which experiments were trained on the customers data?", "experiments_using_data", ["[E0001]", "[E0003]"]),
    ("which experiments used the income column?", "experiments_using_column",
     ["[E0001]", "[E0002]", "[E0003]", (1, "c3", "impute_missing")]),
    ("experiments with column age", "experiments_using_column", ["[E0001]", "[E0003]", (3, "c2", "filter_rows")]),
    ("what produced X_train?", "variable_origin", ["[cell 5]", (3, "c4", "split"), (3, "c1", "load")]),
    ("where does df come from?", "variable_origin", ["[cell 2]", (3, "c1", "load"), (3, "c3", "impute_missing")]),
    ("how was model built?", "variable_origin", ["[cell 6]", (3, "c5", "fit_model")]),
    ("which steps touch income?", "column_steps", ["[run 3]", (3, "c3", "impute_missing"), (3, "c4", "split")]),
    ("what happened to the age column?", "column_steps", [(3, "c2", "filter_rows")]),
    ("where is income modified", "column_steps", [(3, "c3", "impute_missing")]),
    ("which runs were dirty?", "dirty_runs", ["[run 3]", "[E0003]"]),
    ("were there uncommitted changes?", "dirty_runs", ["[run 3]"]),
    ("which experiment has the highest accuracy?", "best_experiment", ["[E0001]", "[cell 7]"]),
    ("best experiment", "best_experiment", ["[E0001]"]),
    ("list the experiments", "list_experiments", ["[E0001]", "[E0002]", "[E0003]"]),
    ("show me the experiment history", "list_experiments", ["[E0001]", "[E0003]"]),
    ("tell me a joke", "unknown", ["[E0003]"]),
]


@pytest.mark.parametrize("question,intent,cited", QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
def test_the_builtin_answerer_cites_what_it_says(history, question, intent, cited):
    service, uri = history
    answer = service.compare.ask(uri, question)
    assert answer.intent == intent, answer.answer
    labels = [c.label for c in answer.citations]
    for item in cited:
        label = item if isinstance(item, str) else f"[#{seq_of(service, uri, *item[:2])} {item[2]}]"
        assert label in labels and label in answer.answer, (label, answer.answer)
    assert answer.provider == "builtin" and not answer.sent
    # a citation names what it cites: "E0003 [E0003]", "run 3 [run 3]", "cell 5 [cell 5]" said each name twice
    assert not re.search(r"\b(E\d{4}|run \d+|cell \d+) \[\1\]", answer.answer), answer.answer
    assert "(s)" not in answer.answer, answer.answer  # "3 experiment(s):" said a count as a hedge


def test_the_drop_is_explained_by_the_imputation_change(history):
    service, uri = history
    text = service.compare.ask(uri, "why did accuracy drop?").answer
    assert "accuracy: 0.81 → 0.79 (\u22120.02), E0001 better" in text
    assert "preprocessing.impute_missing[income].strategy: median → mean" in text


def test_the_rise_is_explained_by_the_new_data_revision(history):
    service, uri = history
    text = service.compare.ask(uri, "why did accuracy improve?").answer
    assert "the input data changed: ask/customers.csv: D0001 → D0002" in text or "customers.csv: D0001 → D0002" in text


def test_a_provider_gets_the_question_and_redacted_records_and_its_answer_is_checked(history):
    service, uri = history
    question = "why did accuracy drop? my key is AKIAIOSFODNN7EXAMPLE"
    good = ("Accuracy fell from 0.81 to 0.79 [E0001] [E0002] because the income imputation changed from median to "
            "mean in [cell 4] [#{seq} impute_missing].").format(seq=seq_of(service, uri, 2, "c3"))
    with FakeServer([openai_answer(good)]) as server:
        answer = service.compare.ask(uri, question, "openai", {"base_url": server.url, "api_key_env": "NO_SUCH_KEY",
                                                               "model": "m", "max_retries": 1})
        sent = json.dumps(server.requests[0].body)
    assert answer.sent and answer.provider == "openai" and answer.faithfulness == []
    assert "AKIAIOSFODNN7EXAMPLE" not in sent and "[REDACTED:" in sent
    assert "[E0001]" in sent and "impute_missing" in sent  # the retrieved records went along
    assert answer.answer.startswith("Accuracy fell") and "every cited record exists" in answer.answer


def test_an_unfaithful_provider_answer_is_flagged(history):
    service, uri = history
    bad = "Accuracy fell to 0.55 because of [E0042] and cell 9 [cell 9]."
    with FakeServer([openai_answer(bad)]) as server:
        answer = service.compare.ask(uri, "why did accuracy drop?", "openai",
                                     {"base_url": server.url, "model": "m", "max_retries": 1})
    problems = " | ".join(answer.faithfulness)
    assert "E0042" in problems and "cell 9" in problems and "0.55" in problems
    assert any("Faithfulness check" in w for w in answer.warnings)
    uncited = "Accuracy fell because things changed."
    with FakeServer([openai_answer(uncited)]) as server:
        answer = service.compare.ask(uri, "why did accuracy drop?", "openai",
                                     {"base_url": server.url, "model": "m", "max_retries": 1})
    assert "cites no record" in answer.faithfulness


def test_dry_run_shows_what_would_be_sent_and_sends_nothing(history):
    service, uri = history
    with FakeServer([openai_answer("unused")]) as server:
        answer = service.compare.ask(uri, "which runs were dirty?", "openai", {"base_url": server.url}, dry_run=True)
        assert server.requests == []
    assert not answer.sent and answer.prompt.startswith("--- system ---")
    assert "Question: which runs were dirty?" in answer.prompt and "[run 3] git commit a1b2c3d4e5f6" in answer.prompt


def test_a_failing_provider_leaves_the_builtin_answer(history):
    service, uri = history
    from tests.sidecar.summarize.fakes import closed_port_url

    answer = service.compare.ask(uri, "why did accuracy drop?", "openai", {"base_url": closed_port_url(),
                                                                            "max_retries": 1})
    assert answer.provider == "builtin" and "[E0002]" in answer.answer
    assert any("did not answer" in w and "connection refused" in w for w in answer.warnings)


def test_the_cli_answers_and_dry_runs(history, tmp_path):
    import subprocess
    import sys

    service, uri = history
    db = service.store.path
    service.store.close()
    try:
        def trackit(*args):
            return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                                  timeout=120)
        path = uri[len("file://"):]
        shown = trackit("ask", path, "why did accuracy drop?", "--db", db)
        assert shown.returncode == 0 and "[E0002]" in shown.stdout, shown.stderr
        dry = trackit("ask", path, "which runs were dirty?", "--provider", "ollama", "--dry-run", "--db", db)
        assert dry.stdout.startswith("--- system ---") and "[run 3]" in dry.stdout
        missing = trackit("ask", str(tmp_path / "none.ipynb"), "why?", "--db", db)
        assert missing.returncode == 2 and "no executions recorded" in missing.stderr
    finally:
        service.store = Store.open(db)
