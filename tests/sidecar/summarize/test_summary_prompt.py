"""Prompt building: structured facts only, redacted, no raw rows, chunked to a token budget."""

from __future__ import annotations

import re

from trackit_sidecar.protocol import ErrorInfo
from trackit_sidecar.summarize.prompt import (
    SECTIONS,
    SYSTEM_PROMPT,
    build_prompt,
    build_reduce_prompt,
    estimate_tokens,
    plan_prompt,
    render_preview,
)
from trackit_sidecar.summarize.service import preview_prompt

from .sample_docs import execution, synthetic_document, text_output, titanic_document

TABLE = """     PassengerId  Survived  Pclass   Name
0              1         0       3   Braund, Mr. Owen Harris
1              2         1       1   Cumings, Mrs. John Bradley
2              3         1       3   Heikkinen, Miss. Laina"""
SECRET_KEY = "sk-" + "Zq7" * 16


def doc_with_secrets_and_rows():
    doc = titanic_document()
    doc.executions.append(execution(
        12, 8, 11, f"client = OpenAI(api_key='{SECRET_KEY}')\ndf.head()", reads=["df"],
        outputs=[text_output(TABLE, "execute_result"), text_output("connecting with password=Tr0ub4dor&3 now\n")],
        status="error", error=ErrorInfo(name="AuthenticationError", message=f"Incorrect API key provided: {SECRET_KEY}"),
    ))
    return doc


def test_prompt_carries_steps_facts_errors_and_citations():
    [prompt] = build_prompt(titanic_document())
    assert "### [cell 2] execution count 2" in prompt
    assert "drop_missing; inputs df; output df; columns Age | measured: rows 891 -> 714" in prompt
    assert "columns 12 -> 14; added columns Embarked_C, Embarked_Q, Embarked_S" in prompt
    assert "error: NameError: name 'model' is not defined" in prompt
    assert "short output: accuracy 0.81" in prompt
    assert "CHANGED since last session" in prompt
    assert "Out-of-order runs: [cell 6] after [cell 7]" in prompt
    assert "lineage: not analysed: cell magic %%sql" in prompt
    assert "preds <- [cell 8] built from [cells 1, 2, 3, 4, 5, 6, 7]" in prompt


def test_system_prompt_requests_sections_and_citations():
    for section in SECTIONS:
        assert f"## {section}" in SYSTEM_PROMPT
    assert SECTIONS == ["Data sources", "Preprocessing", "Modelling and results", "Problems", "Open questions"]
    assert "[cell N]" in SYSTEM_PROMPT and "do not invent" in SYSTEM_PROMPT.lower()


def test_secrets_in_code_outputs_and_errors_never_reach_the_prompt():
    doc = doc_with_secrets_and_rows()
    plan = plan_prompt(doc, options={"send_raw_outputs": True})
    text = render_preview(plan)
    assert SECRET_KEY not in text and "Tr0ub4dor&3" not in text
    assert "[REDACTED:openai_key]" in text and "[REDACTED:dsn_password]" in text
    assert plan.redactions >= 3
    assert any("redacted" in w for w in plan.warnings)


def test_raw_rows_are_withheld_unless_asked_for():
    doc = doc_with_secrets_and_rows()
    [prompt] = build_prompt(doc)
    assert "Braund" not in prompt and "Heikkinen" not in prompt
    assert "other outputs withheld (raw data is not sent)" in prompt
    [raw] = build_prompt(doc, options={"send_raw_outputs": True})
    assert "Braund, Mr. Owen Harris" in raw


def test_long_session_is_chunked_within_budget_and_keeps_every_execution_once():
    doc = synthetic_document(500)
    budget = 3000
    plan = plan_prompt(doc, budget)
    assert len(plan.map_prompts) > 3
    for prompt in plan.map_prompts:
        assert estimate_tokens(prompt) <= budget
    runs = [int(n) for p in plan.map_prompts for n in re.findall(r"run #(\d+),", p)]
    assert runs == list(range(1, 501))
    assert "part 1 of" in plan.map_prompts[0]
    reduce = build_reduce_prompt(plan, ["first part [cell 1]", "second part [cell 2]"])
    assert "Combine these 2 partial summaries" in reduce and "### Part 2\nsecond part [cell 2]" in reduce


def test_single_huge_execution_is_cut_to_fit():
    doc = titanic_document()
    doc.executions[-1].source = "x = 1\n" * 20_000
    budget = 1500
    for prompt in build_prompt(doc, budget):
        assert estimate_tokens(prompt) <= budget


def test_preview_is_exactly_what_would_be_sent():
    doc = titanic_document()
    plan = plan_prompt(doc)
    preview = preview_prompt(doc, "ollama", {})
    assert preview == render_preview(plan)
    assert preview.startswith("=== system ===\n" + SYSTEM_PROMPT + "\n=== user ===\n" + plan.map_prompts[0][:50])
    assert "nothing is sent" in preview_prompt(doc, "builtin", {})
    multi = preview_prompt(synthetic_document(200), "openai", {"budget_tokens": 2000})
    assert "=== user (part 2 of" in multi and "=== user (combine step) ===" in multi


def test_a_step_tells_the_model_what_its_columns_came_from_and_what_it_grouped_by():
    # without these a model reads `columns Pclass, Survived` of an aggregate as its keys, and `columns x2` of a fill
    # as the column filled (the wrong claims the built-in wording had, words branch)
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.protocol import LineageDocument

    source = 'df["x2"] = df["x"].fillna(0)\nby_class = df.groupby("Pclass").Survived.mean()'
    doc = LineageDocument(notebook="w.ipynb", notebook_uri="file:///w.ipynb", executions=[
        execution(1, 0, 1, source, reads=["df"], writes=["df", "by_class"], steps=analyze_source(source).steps)])
    [prompt] = build_prompt(doc)
    assert "impute_missing; inputs df; output df; columns x2; from columns x" in prompt
    assert "aggregate; inputs df; output by_class; columns Pclass, Survived; grouped by Pclass; statistic mean" in prompt


def test_a_step_whose_op_is_a_guess_is_given_to_the_model_as_one():
    # a provider's summary must not state as fact what the built-in one says is inferred (lineage/kb/guesses.py)
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.protocol import LineageDocument

    source = "from utils import load_data\ndf = load_data()\ndf = df.dropna()"
    doc = LineageDocument(notebook="g.ipynb", notebook_uri="file:///g.ipynb", executions=[
        execution(1, 0, 1, source, writes=["df"], steps=analyze_source(source).steps)])
    [prompt] = build_prompt(doc)
    assert "load; op a guess (inferred from the name `load_data`), not known: say it as probable; output df" in prompt
    assert "drop_missing; inputs df" in prompt and prompt.count("a guess") == 1
