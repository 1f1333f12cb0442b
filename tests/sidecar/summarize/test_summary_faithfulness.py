"""Faithfulness: invented numbers and nonexistent cells are flagged; backed statements are not."""

from __future__ import annotations

from trackit_sidecar.summarize import builtin_summary, check_faithfulness

from .sample_docs import titanic_document


def test_invented_number_is_flagged():
    doc = titanic_document()
    markdown = builtin_summary(doc) + "\n- The model reached 0.93 accuracy on 4,210 rows [cell 8].\n"
    problems = check_faithfulness(markdown, doc)
    assert any("0.93" in p for p in problems)
    assert any("4,210" in p for p in problems)
    assert len(problems) == 2


def test_nonexistent_cell_is_flagged():
    doc = titanic_document()
    problems = check_faithfulness("Dropped 177 rows [cell 2]; the plot is in [cells 3, 42]. Cell 57 failed.", doc)
    assert "cites cell 42, which has no recorded execution" in problems
    assert "cites cell 57, which has no recorded execution" in problems
    assert len(problems) == 2


def test_backed_statements_pass():
    doc = titanic_document()
    markdown = """## 1. Data sources

1. `data/train.csv` (59.8 KB) had 891 rows and 12 columns [cell 1].

## 2. Preprocessing

2. Dropping missing `Age` removed 177 rows (891 \u2192 714, \u221219.9%) [cell 2]; one-hot encoding added 3 columns [cell 3].
3. The join kept 712 rows [cells 3\u20135]; fitting took 2.35 s (2.4 s) [cell 7] (In [8]).

## 3. Modelling and results

- Accuracy was 0.81, i.e. 81% [cell 8], with test_size 0.2 [cell 6].
"""
    assert check_faithfulness(markdown, doc) == []


def test_numbers_inside_identifiers_and_code_blocks_are_not_claims():
    doc = titanic_document()
    markdown = "Columns `Embarked_C` and `X_train` [cell 3].\n\n```python\nx = 12345\n```\n"
    assert check_faithfulness(markdown, doc) == []


def test_wrong_rounding_is_flagged():
    doc = titanic_document()
    assert check_faithfulness("Accuracy was 0.84 [cell 8].", doc) == [
        "states the number 0.84, which does not appear in the recorded lineage"]
