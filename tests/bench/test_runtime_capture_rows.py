"""The runtime-capture README row (bench/runtime_capture_rows.paired) on small saved rounds: it says which cells ended
in error (they leave the notebook's wall, the share's denominator, smaller than its author's), or that every cell ran,
and keeps each config's added ms a run next to the share. No benchmark runs here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import runtime_capture_rows  # noqa: E402


def run(round_no: int, cells: list[float], errors: list[str] | None = None) -> dict:
    return {"round": round_no, "cells": cells, "errors": errors or []}


def saved(errors: list[str] | None = None) -> dict:
    plain = [run(1, [0.100, 0.010], errors), run(2, [0.120, 0.012], errors), run(3, [0.110, 0.011], errors)]
    trackit = [run(1, [0.101, 0.013], errors), run(2, [0.121, 0.015], errors), run(3, [0.111, 0.014], errors)]
    return {"nb.ipynb [run all]": {"plain": plain, "trackit": trackit}}


def test_a_notebook_whose_cells_all_ran_says_so_and_keeps_its_added_ms():
    row = runtime_capture_rows.paired(saved(), "made from bench/notebook_kernel_requirements.txt")
    assert "every cell ran" in row.what
    assert "kernel made from bench/notebook_kernel_requirements.txt" in row.what
    figures = row.figures["workloads"]["nb.ipynb [run all]"]
    assert figures["failed_cells"] == []
    # per cell, the median over rounds of (trackit - plain): 1 ms and 3 ms
    assert figures["trackit"]["added_ms"] == pytest.approx(4.0)
    assert figures["trackit"]["share"] == pytest.approx(0.004 / 0.121)


def test_cells_that_ended_in_error_are_named_in_the_row_in_cell_order():
    row = runtime_capture_rows.paired(saved(["cell 12 KeyError", "cell 1 ModuleNotFoundError"]))
    assert "every cell ran" not in row.what
    assert "cells ending in error (in any kernel): nb.ipynb [run all]: cell 1 ModuleNotFoundError, cell 12 KeyError" \
        in row.what
    assert row.figures["workloads"]["nb.ipynb [run all]"]["failed_cells"] == ["cell 1 ModuleNotFoundError",
                                                                             "cell 12 KeyError"]
