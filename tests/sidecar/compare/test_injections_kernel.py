"""`trackit diff` on injected changes with real kernels, on this repository's notebooks only (the committed example
and tests/compare/notebooks): a changed imputation, a split seed, a CSV row, a global seed set outside the slice, an
added cell, and a package version (the same notebook in a kernel with another version of a fixture package).
Expected answers are tests/compare/injections.json's, written before any case ran; bench/eval_compare.py runs all."""

from __future__ import annotations

from pathlib import Path

import pytest

from ...script_module import load_script

pytestmark = pytest.mark.kernel

HARNESS = Path(__file__).resolve().parents[2] / "compare" / "injection_harness.py"
CASES = ["titanic-impute-mean", "titanic-split-seed", "titanic-passenger-row", "shop-global-seed", "shop-added-cell",
         "sensor-package-version"]


@pytest.fixture(scope="module")
def harness():
    return load_script(HARNESS)


@pytest.fixture(scope="module")
def outcomes(harness, tmp_path_factory):
    cases = harness.load_cases(CASES)
    assert not any(c["notebook"].startswith("corpus:") for c in cases)
    found = harness.run_cases(cases, log=lambda line: None, workdir=tmp_path_factory.mktemp("injections"))
    return {o.case["id"]: o for o in found}


@pytest.mark.parametrize("case_id", CASES)
def test_first_divergent_step_and_cause(outcomes, case_id):
    outcome = outcomes[case_id]
    assert outcome.error is None, outcome.error
    assert outcome.correct, (outcome.case["expected"], outcome.predicted, outcome.diff_text)


def test_the_package_version_names_the_package(outcomes):
    text = outcomes["sensor-package-version"].diff_text
    assert "package versions differ: trackit-fixture-clean: 1.0 → 1.1" in text
