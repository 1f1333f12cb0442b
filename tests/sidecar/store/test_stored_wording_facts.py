"""Runs recorded before the classifier set the wording's facts on steps (analyzer 29 and before) keep their stored
analysis: reading them back reads those facts from each step's stored code, so an old run is worded as a new one is
(lineage/classify/wording_facts.add_to_stored_steps), not by the guesses the fields replaced."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.classify.wording_facts import (ALL_FIELDS_VERSION, FIRST_ANALYZER_VERSION,
                                                           PACKAGED_DATA_VERSION, STATEMENT_FORMS_VERSION)
from trackit_sidecar.protocol import FormulaFit, StepLoop
from trackit_sidecar.render.sentences import describe_step
from trackit_sidecar.store import Store, source_sha256

NB = "file:///tmp/trackit-tests/nb.ipynb"
WORDING_FIELDS = ("reads_output", "assigned_columns", "model", "names_axis", "named_as", "shown_expression",
                  "in_place_on_pick")
CELL = ('import pandas as pd\ns = pd.read_csv("d.csv").a\ns.name = "Snowiness"\n'
        'df = pd.read_csv("d.csv")\ndf["a"].fillna(0, inplace=True)\n')


def _as_stored_before_the_fields(source: str):
    """The analysis an analyzer of version 29 stored: the same steps, without the fields it did not set."""
    analysis = analyze_source(source)
    for step in analysis.steps:
        for field in WORDING_FIELDS:
            setattr(step, field, type(step).model_fields[field].get_default(call_default_factory=True))
    return analysis


@pytest.mark.parametrize("version, read_from_code", [(FIRST_ANALYZER_VERSION - 1, True), (FIRST_ANALYZER_VERSION, False)])
def test_steps_stored_before_the_fields_get_them_from_their_code(db_path, ev, version: int, read_from_code: bool) -> None:
    run = ev(source=CELL)
    with Store.open(db_path) as store:
        store.ingest([run], {source_sha256(CELL): _as_stored_before_the_fields(CELL)}, version)
    with Store.open(db_path) as store:
        steps = store.lineage(NB).executions[0].steps
    named = next(s for s in steps if s.op == "rename")
    fill = next(s for s in steps if s.op == "impute_missing")
    if read_from_code:
        assert (named.named_as, fill.in_place_on_pick) == ("Snowiness", True)
        assert describe_step(named) == "Named `s` `Snowiness`"
    else:  # a version-30 analysis is taken as stored: its fields are the classifier's, never read again from code
        assert (named.named_as, fill.in_place_on_pick) == (None, False)


def test_a_stored_step_whose_code_was_cut_gets_no_field_and_loses_nothing(db_path, ev) -> None:
    cell = 'import pandas as pd\ns = pd.read_csv("d.csv").a\ns.name = "' + "x" * 400 + '"\n'
    analysis = _as_stored_before_the_fields(cell)
    run = ev(source=cell)
    with Store.open(db_path) as store:
        store.ingest([run], {source_sha256(cell): analysis}, FIRST_ANALYZER_VERSION - 1)
        steps = store.lineage(NB).executions[0].steps
    assert [s.op for s in steps] == [s.op for s in analysis.steps]
    assert next(s for s in steps if s.op == "rename").named_as is None


FORMS_CELL = ("import numpy as np\nimport pandas as pd\ne = np.random.normal(size=100)\n"
              "xtx = np.dot(e.T, e)\ndf = pd.read_csv('d.csv')\ntotals = df.sum(axis=1)\n")


@pytest.mark.parametrize("version, read_from_code", [(STATEMENT_FORMS_VERSION - 1, True), (STATEMENT_FORMS_VERSION, False)])
def test_steps_stored_before_the_statement_forms_get_them_from_their_code(db_path, ev, version: int,
                                                                         read_from_code: bool) -> None:
    """random_draw, matrix_product and row_wise were read from the code by render until analyzer 40 made them fields:
    a run stored before is worded as before ("Created `e` as random data"), one stored since takes its fields."""
    analysis = analyze_source(FORMS_CELL)
    for step in analysis.steps:
        step.random_draw, step.matrix_product, step.row_wise = None, None, False
    run = ev(source=FORMS_CELL)
    with Store.open(db_path) as store:
        store.ingest([run], {source_sha256(FORMS_CELL): analysis}, version)
    with Store.open(db_path) as store:
        steps = store.lineage(NB).executions[0].steps
    drawn = next(s for s in steps if s.output == "e")
    product = next(s for s in steps if s.output == "xtx")
    totals = next(s for s in steps if s.output == "totals")
    found = (drawn.random_draw, product.matrix_product, totals.row_wise)
    assert found == (("whole", "np.dot(e.T, e)", True) if read_from_code else (None, None, False)), found
    if read_from_code:
        assert describe_step(drawn).startswith("Created `e` as random data (`normal`)"), describe_step(drawn)


PACKAGED_CELL = "import seaborn as sns\ntips = sns.load_dataset('tips')\n"


@pytest.mark.parametrize("version, read_from_code", [(PACKAGED_DATA_VERSION - 1, True), (PACKAGED_DATA_VERSION, False)])
def test_steps_stored_before_the_packaged_data_set_fields_get_them_from_their_code(db_path, ev, version: int,
                                                                                  read_from_code: bool) -> None:
    """A run stored by analyzer 41 said "Loaded `tips` into `tips`" of seaborn's data set: read back, its step names
    the data set and the library from its stored code (`sns`: a conventional alias), as one analysed since does; a
    step stored since keeps the fields it was stored with."""
    analysis = analyze_source(PACKAGED_CELL)
    for step in analysis.steps:
        step.packaged_data_set, step.packaged_by = None, None
    run = ev(source=PACKAGED_CELL)
    with Store.open(db_path) as store:
        store.ingest([run], {source_sha256(PACKAGED_CELL): analysis}, version)
    with Store.open(db_path) as store:
        loaded = next(s for s in store.lineage(NB).executions[0].steps if s.op == "load")
    found = (loaded.packaged_data_set, loaded.packaged_by)
    assert found == (("tips", "seaborn") if read_from_code else (None, None)), found
    if read_from_code:
        assert describe_step(loaded).startswith("Loaded seaborn's tips data set into `tips`"), describe_step(loaded)


LOOP_AND_FORMULA_CELL = ("import statsmodels.formula.api as smf\nfor col in cols:\n    df[col] = df[col].fillna(0)\n"
                         "m = smf.ols('y ~ x', data=df).fit()\n")


@pytest.mark.parametrize("version, read_back", [(ALL_FIELDS_VERSION - 1, True), (ALL_FIELDS_VERSION, False)])
def test_steps_stored_before_loops_and_formula_fits_get_them_when_read_back(db_path, ev, version: int,
                                                                            read_back: bool) -> None:
    """loops and formula_fit were read from the cell's source and the step's code by render until analyzer 42 made
    them fields: a run stored before is worded as before ("(for each `col` in `cols`)", "a `smf.ols` model of ..."),
    one stored since takes its fields as stored."""
    analysis = analyze_source(LOOP_AND_FORMULA_CELL)
    for step in analysis.steps:
        step.loops, step.formula_fit = [], None
    run = ev(source=LOOP_AND_FORMULA_CELL)
    with Store.open(db_path) as store:
        store.ingest([run], {source_sha256(LOOP_AND_FORMULA_CELL): analysis}, version)
    with Store.open(db_path) as store:
        steps = store.lineage(NB).executions[0].steps
    fill = next(s for s in steps if s.op == "impute_missing")
    fit = next(s for s in steps if s.op == "fit_model")
    found = (fill.loops, fit.formula_fit)
    expected = ([StepLoop(target="col", over="cols")], FormulaFit(function="smf.ols", formula="y ~ x", data="df"))
    assert found == (expected if read_back else ([], None)), found
    if read_back:
        assert describe_step(fill).endswith("(for each `col` in `cols`)"), describe_step(fill)
        assert describe_step(fit).startswith("Fitted a `smf.ols` model of `y ~ x`"), describe_step(fit)
