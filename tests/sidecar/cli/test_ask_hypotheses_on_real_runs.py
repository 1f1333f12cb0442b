"""`trackit ask` about the hypotheses the user recorded, and the words of their evidence: rev28 left "is H1
supported?" answered "I could not tell what you are asking", and evidence worded "+0.0045 better" beside a neutral
verdict, and a diff's header "run 1 [run 1] → run 2 [run 2]". Run in a real kernel (`trackit run`: real ipykernel, real DuckDB file), then the CLI."""

from __future__ import annotations

import json

import pytest

from .test_claims_on_real_runs import MODEL_CELLS, THREE_MODELS, run_notebook, trackit



@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hypotheses")
    db = folder / "t.duckdb"
    for model in THREE_MODELS:  # E0001 accuracy 0.8667, E0002 0.8667 (C=0.3), E0003 0.8167 (a KNN)
        notebook = run_notebook(folder, [cell.format(model=model) for cell in MODEL_CELLS], db)

    def cli(*args: str):
        return trackit(*args, "--db", str(db), cwd=folder)

    assert cli("hypothesis", "add", "a smaller C helps", "--metric", "accuracy").returncode == 0
    assert cli("hypothesis", "link", "H1", "E0002", "E0003").returncode == 0
    # a drop of 0.05 under a threshold of 0.1: neutral
    assert cli("hypothesis", "add", "a KNN is as good", "--metric", "accuracy", "--min-abs-effect", "0.1").returncode == 0
    assert cli("hypothesis", "link", "H2", "E0003").returncode == 0
    return notebook, cli


def ask(runs, question: str) -> dict:
    notebook, cli = runs
    done = cli("ask", str(notebook), question, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ask_answers_whether_a_hypothesis_is_supported(runs):
    _, cli = runs
    said = ask(runs, "is H1 supported?")
    assert said["intent"] == "hypotheses", said["answer"]
    assert said["answer"].startswith('H0001 "a smaller C helps": Refuted; metric accuracy'), said["answer"]
    # the evidence in the words `trackit hypothesis show` uses, each piece citing its experiment and its baseline
    shown = cli("hypothesis", "show", "H1").stdout
    refuting = next(line.strip() for line in shown.splitlines() if line.strip().startswith("E0003 vs E0002"))
    assert f"- {refuting} [E0003] [E0002]" in said["answer"], said["answer"]
    assert {c["label"] for c in said["citations"]} == {"[E0001]", "[E0002]", "[E0003]"}, said["citations"]
    assert "H0001" in said["records"] and "refutes" in said["records"], said["records"]  # what an LLM would get


def test_ask_which_hypotheses_have_a_status(runs):
    said = ask(runs, "which hypotheses are refuted?")["answer"]
    assert said.startswith('H0001 "a smaller C helps": Refuted') and "H0002" not in said, said
    said = ask(runs, "which hypotheses are supported?")["answer"]
    assert said.startswith("No hypothesis is Supported; what each is:"), said
    assert "H0001" in said and "H0002" in said, said
    said = ask(runs, "is H7 supported?")["answer"]
    assert said == "No hypothesis H0007 is recorded (trackit hypotheses lists them).", said


def test_a_move_below_the_threshold_is_said_to_be_neither_better_nor_worse(runs):
    _, cli = runs
    shown = cli("hypothesis", "show", "H2").stdout
    assert ("accuracy 0.8667 \u2192 0.8167 (\u22120.0500, -5.8%, below the threshold (|difference| >= 0.1): neither "
            "better nor worse): neutral") in shown, shown
    assert "worse)" not in shown.replace("nor worse)", ""), shown


def test_a_diffs_header_names_each_side_once(runs):
    """rev28 left "run 1 [run 1] → run 2 [run 2]:": each side's name said again as its citation."""
    said = ask(runs, "what changed between run 1 and run 2?")
    assert said["answer"].startswith("[run 1] \u2192 [run 2]:\n"), said["answer"]
    said = ask(runs, "what changed between E1 and E3?")["answer"]
    assert said.startswith("[E0001] \u2192 [E0003]:\n"), said
