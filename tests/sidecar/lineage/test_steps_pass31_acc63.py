"""The thirty-first pass (acc63, issue 10): a design matrix built from a formula or an ISLP ModelSpec one-hot codes the
categorical terms it is given (CONVENTIONS 20: encoders are encode_categorical). Small cells written for the test, each
group with negative controls: a numeric bare term stays a selected column, a ModelSpec without a coded term stays
derive_feature."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import ops_after

PATSY = "import pandas as pd\nimport patsy\nimport statsmodels.formula.api as smf\n"
LITERAL = PATSY + "data = pd.DataFrame({'g': ['a', 'a', 'b'], 'n': [0, 1, 0], 'v': [1.0, 2.0, 3.0]})\n"
READ = PATSY + "df = pd.read_csv('trial.csv')\n"


# patsy codes a column of strings as C() would ("string columns are automatically treated as categorical"): a bare
# term naming a column the code built from strings is encoded; a numeric column is only selected.
DESIGN_MATRICES = [
    (LITERAL, "y, X = patsy.dmatrices('v ~ g', data)", ["encode_categorical"]),
    (LITERAL, "y, X = patsy.dmatrices('v ~ g + 0', data)", ["encode_categorical"]),
    (LITERAL, "X = patsy.dmatrix('g:n', data)", ["encode_categorical"]),
    (LITERAL, "y, X = patsy.dmatrices('v ~ g + np.log(n)', data)", ["scale_normalize", "encode_categorical"]),
    # controls: numeric bare terms; the frame rebound from a file (its columns' kinds unknown again)
    (LITERAL, "y, X = patsy.dmatrices('v ~ n', data)", ["select_columns"]),
    (LITERAL + "data = pd.read_csv('other.csv')\n", "y, X = patsy.dmatrices('v ~ g', data)", ["select_columns"]),
    (READ, "y, X = patsy.dmatrices('v ~ g', data=df)", ["select_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", DESIGN_MATRICES)
def test_a_bare_term_of_strings_is_encoded(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


def test_a_column_the_notebook_codes_with_C_elsewhere_is_encoded_as_a_guess() -> None:
    cell = ("y, X = patsy.dmatrices('p ~ strain + dose', data=df, return_type='dataframe')\n"
            "m = smf.ols('p ~ C(strain) + dose', data=df).fit()")
    steps = classify_steps(READ + cell)[1:]
    assert [(s.op, s.inferred_from) for s in steps] == [("encode_categorical", "formula_terms"), ("fit_model", None)]
    # ... also in a later cell; control: a term never written C() stays a selected column
    later = classify_steps(READ + cell + "\ny2, X2 = patsy.dmatrices('p ~ strain', df)")[-1]
    assert (later.op, later.inferred_from) == ("encode_categorical", "formula_terms")
    assert ops_after(READ + cell + "\n", "y2, X2 = patsy.dmatrices('p ~ dose', df)") == ["select_columns"]


ISLP = ("import pandas as pd\nfrom ISLP import load_data\nfrom ISLP.models import ModelSpec as MS, contrast\n"
        "Bike = load_data('Bikeshare')\n")


# ISLP's contrast(col, method) codes a categorical column; a ModelSpec given such a term encodes when it transforms,
# beside building the design matrix (derive_feature, kb/islp.py)
MODEL_SPECS = [
    (ISLP, "X = MS([contrast('hr', 'sum'), 'temp']).fit_transform(Bike)", ["derive_feature", "encode_categorical"]),
    (ISLP + "hr_encode = contrast('hr', 'sum')\n", "X = MS([hr_encode, 'temp']).fit_transform(Bike)",
     ["derive_feature", "encode_categorical"]),
    (ISLP + "design = MS([contrast('mnth', 'sum'), 'temp'])\n", "X = design.fit_transform(Bike)",
     ["derive_feature", "encode_categorical"]),
    # controls: no coded term; the contrast alone is no step (a term's specification, CONVENTIONS 15)
    (ISLP, "X = MS(['temp', 'workingday']).fit_transform(Bike)", ["derive_feature"]),
    (ISLP, "hr_encode = contrast('hr', 'sum')", []),
]


@pytest.mark.parametrize("setup,cell,expected", MODEL_SPECS)
def test_a_model_spec_with_a_contrast_term_encodes(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


def test_a_later_cell_knows_the_string_columns_until_the_frame_is_rebound() -> None:
    from trackit_sidecar.lineage.steps import collect_aliases
    later = "y, X = patsy.dmatrices('v ~ g', data)"
    assert [s.op for s in classify_steps(later, collect_aliases(LITERAL))] == ["encode_categorical"]
    rebound = collect_aliases("data = pd.read_csv('other.csv')", collect_aliases(LITERAL))
    assert [s.op for s in classify_steps(later, rebound)] == ["select_columns"]
