"""Values written in the code as a long chain of lists joined and repeated (`PRETRAIN_LABELS = [1]*274 + [0]*352 + ...`,
40 pieces, in a public CycleGAN Kaggle notebook) are judged in time linear in the chain: `is_literal_data` judged each
side of a `+` twice, so such a cell cost 2^length calls and that notebook took minutes to analyse (acc33's sweep found
it). The count of calls is asserted, not a time: the count is what grew."""

from __future__ import annotations

import ast

import pytest

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.classify import sources


def _chain(pieces: int) -> str:
    return "+".join("[1]*274" if i % 2 == 0 else "[0]*352" for i in range(pieces))


@pytest.fixture
def judged(monkeypatch):
    calls = []
    judge = sources._is_literal_list

    def counted(node):
        calls.append(node)
        return judge(node)

    monkeypatch.setattr(sources, "_is_literal_list", counted)
    return calls


@pytest.mark.parametrize("pieces", [10, 20])  # not 40: judged twice per side that would never end
def test_a_long_chain_of_written_lists_is_judged_once_per_piece(judged, pieces):
    assert sources.is_literal_data(ast.parse(_chain(pieces), mode="eval").body)
    assert 0 < len(judged) <= 4 * pieces, len(judged)


def test_the_notebooks_cell_is_analysed_with_a_linear_count(judged):
    analysis = analyze_source(f"PRETRAIN_LABELS = {_chain(20)}\nimport pandas as pd\nlabels = pd.Series({_chain(20)})\n")
    assert [step.op for step in analysis.steps] == ["load"]  # the table of values written in code (Sources)
    assert len(judged) <= 4 * 20 * 4, len(judged)


def test_a_chain_with_a_name_in_it_is_no_written_data():
    assert not sources.is_literal_data(ast.parse("[1]*3 + list(df['y']) + [0]*2", mode="eval").body)
    assert not sources.is_literal_data(ast.parse("[1]*3 + [0]*n", mode="eval").body)
