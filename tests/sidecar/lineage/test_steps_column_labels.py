"""Columns picked by labels taken from the frame itself (CONVENTIONS 18: `X = df[cols]` and `select_dtypes` are
select_columns, whatever computes `cols`); the labels on their own are not a step (CONVENTIONS 15: column-name
lists, also when computed). Small hand-written cells."""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import FRAME, ops_after

SETUP = FRAME


ops_after_setup = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell", [
    "X = df[df.columns[1:]]",
    "X = df[df.columns.drop('target')]",
    "X = df[df.columns.difference(['target', 'id'])]",
    "numeric = df.select_dtypes(include='number').columns\nX = df[numeric]",
    "first = df.columns[:4]\nX = df[first]",
    "X = df.loc[:, df.columns != 'target']",
    "X = df.filter(['age', 'income'])",
])
def test_a_frame_indexed_by_its_own_column_labels_selects_columns(cell: str) -> None:
    assert ops_after_setup(cell) == ["select_columns"]


@pytest.mark.parametrize("cell, expected", [
    ("first = df.columns[:4]", []),  # the labels alone (CONVENTIONS 15)
    ("adults = df.filter(df.age > 17)", ["filter_rows"]),  # a mask still filters rows
    ("X = df.filter(like='score_')", ["select_columns"]),
])
def test_labels_alone_and_row_filters_are_unchanged(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected
