"""Splits made by sampling (what-is-a-step.md line 39-41: rows held out to create a train/test pair are a `split`,
one per output; CONVENTIONS 16 "sample + drop, selecting KFold indices"; CONVENTIONS 15: a boolean mask is not a
step). Small hand-written cells."""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

SETUP = FRAME_AND_NUMPY


ops_after_setup = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, expected", [
    # a random mask and its negation: the mask is no step, each part is a split
    ("msk = np.random.rand(len(df)) < 0.8\ntrain = df[msk]\ntest = df[~msk]", ["split", "split"]),
    # parts of a shuffled index array
    ("idx = np.random.permutation(len(df))\ntrain = df.iloc[idx[:800]]\ntest = df.iloc[idx[800:]]",
     ["sample", "split", "split"]),
])
def test_rows_held_out_by_sampling_are_a_split_per_part(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


def test_a_random_mask_on_rows_not_named_as_a_part_is_a_sample() -> None:
    assert ops_after_setup("keep = np.random.rand(len(df)) < 0.1\nsubset = df[keep]") == ["sample"]


def test_a_condition_on_the_data_stays_a_filter() -> None:
    assert ops_after_setup("df_train = df[df.year < 2015]") == ["filter_rows"]
