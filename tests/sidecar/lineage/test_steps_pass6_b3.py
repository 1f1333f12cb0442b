"""Rules found on batch 3's tuning notebooks in the sixth pass (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- statistical tests and effect sizes of the test libraries (scikit-posthocs, cliffs-delta, pingouin) are `evaluate`
  (CONVENTIONS 27: "statistical and assumption tests"); the libraries' knowledge is data (kb/stat_tests.py); so are
  SciPy's and statsmodels' tests their tables lacked (ranksums, friedmanchisquare, ztest, grangercausalitytests, ...)
  and MultiComparison's pairwise tests (tukeyhsd, allpairtest).
- a pivot table or a cross-tabulation assigned and then only drawn is still a reshape (CONVENTIONS 8: an assigned
  result only plotted still counts if it is an aggregate, "groupby/resample/pivot/corr"); a melt only drawn is not.
- a cell indented as a whole runs in IPython (its `leading_indent` cleanup dedents it): it is read as it ran, so
  its statements are steps (what-is-a-step.md: a step is a statement that transforms data; lineage/magics.py).
- each text operation of a chain is a text_clean of its own (what-is-a-step.md: "Method chains give one step per
  transforming call"); text_clean leaves kb.ONE_STEP_PER_STATEMENT_OPS.
- a step that rebinds a name the cell did not make (`df = df.dropna(...)`) stays a step when the cell then only draws
  it or counts of it: later cells read the changed data (what-is-a-step.md; CONVENTIONS 8 is about data made to draw).
- `reindex` by a list of row labels written in the code puts the rows in that order: `sort` (CONVENTIONS 30).
- values past a bound of the column the mask tests, rescaled in place from themselves, are outliers replaced
  (CONVENTIONS 29).
- a table built and kept turned on its side at the end of a chain (`pd.DataFrame([a, b]).transpose()`,
  `groupby().mean().T`) is reshaped (CONVENTIONS 12: a layout change), besides the steps that built it.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_cell

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

GROUPS = FRAME_AND_NUMPY + (
    "import scikit_posthocs as sp\n"
    "from scikit_posthocs import posthoc_dunn\n"
    "from cliffs_delta import cliffs_delta\n"
    "import pingouin as pg\n"
    "low = df[df.dose == 'low']\n"
    "high = df[df.dose == 'high']\n"
)


@pytest.mark.parametrize("cell", [
    "samples = [low['weight'], high['weight']]\npairwise = posthoc_dunn(samples, p_adjust='holm')",
    "pairs = sp.posthoc_conover(df, val_col='weight', group_col='dose')",
    "delta, size = cliffs_delta(low['weight'], high['weight'])",
    "print(pg.ttest(low['weight'], high['weight']))",
    "effect = pg.compute_effsize(low['weight'], high['weight'], eftype='cohen')",
])
def test_a_test_librarys_test_or_effect_size_is_an_evaluation(cell: str) -> None:
    assert ops_after(GROUPS, cell)[-1:] == ["evaluate"]


@pytest.mark.parametrize("setup, cell", [
    ("from scipy.stats import ranksums\n", "stat, p = ranksums(low['weight'], high['weight'])"),
    ("from scipy import stats\n", "result = stats.friedmanchisquare(low['a'], low['b'], low['c'])"),
    ("from statsmodels.stats.weightstats import ztest\n", "z, p = ztest(low['weight'], high['weight'])"),
    ("from statsmodels.tsa.stattools import grangercausalitytests\n",
     "granger = grangercausalitytests(df[['sales', 'ads']], maxlag=2)"),
])
def test_scipy_and_statsmodels_tests_missing_from_their_tables_are_evaluations(setup: str, cell: str) -> None:
    assert ops_after(GROUPS + setup, cell) == ["evaluate"]


def test_pairwise_tests_of_a_multiple_comparison_are_an_evaluation() -> None:
    setup = GROUPS + "from statsmodels.stats.multicomp import MultiComparison\n"
    assert ops_after(setup, "comparison = MultiComparison(df['weight'], df['dose'])\nresult = comparison.tukeyhsd()") \
        == ["evaluate"]


def test_a_tuple_of_a_test_statistic_and_its_p_value_is_one_evaluation() -> None:
    assert ops_after(GROUPS, "delta, size = cliffs_delta(low['weight'], high['weight'])") == ["evaluate"]


def test_control_an_unknown_librarys_call_stays_no_step() -> None:
    # the table is what makes these evaluations: a function of a library nobody described is still no step
    assert ops_after(GROUPS + "import effectlib\n", "delta, size = effectlib.delta(low['weight'], high['weight'])") == []


def ops_in_next_cell(setup: str, cell: str) -> list[str]:
    """The ops of `cell` run as the cell after `setup` (what `setup` bound is carried over, as between cells)."""
    _, env = classify_cell(setup)
    return [step.op for step in classify_cell(cell, env)[0]]


DRAWING = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\nimport seaborn as sns\n"


@pytest.mark.parametrize("cell", [
    "means = df.pivot_table(values='income', index='role', columns='degree', aggfunc='mean')\n"
    "sns.heatmap(means, annot=True)\nplt.show()",
    "table = pd.crosstab(df.region, df.segment)\ntable.plot(kind='bar', stacked=True)",
    "wide = df.pivot(index='day', columns='store', values='sales')\nplt.plot(wide)",
])
def test_a_pivot_table_or_cross_tabulation_only_drawn_is_still_a_reshape(cell: str) -> None:
    # CONVENTIONS 8: an assigned result only plotted still counts if it is an aggregate (groupby/resample/pivot/corr)
    assert ops_after(DRAWING, cell) == ["reshape"]


@pytest.mark.parametrize("cell", [
    "long = df.melt(id_vars='day')\nsns.lineplot(data=long, x='day', y='value', hue='variable')",
    "survivors = df[df.survived == 1]\nplt.hist(survivors.age)",
])
def test_control_a_melt_or_a_subset_only_drawn_stays_plot_plumbing(cell: str) -> None:
    # CONVENTIONS 8: "data made only to draw a figure by filtering, ..., melting" is plot plumbing
    assert ops_after(DRAWING, cell) == []


def test_a_cell_indented_as_a_whole_is_read_as_ipython_runs_it() -> None:
    # IPython dedents the cell (leading_indent) before it runs: the statement ran, so it is a step
    assert ops_in_next_cell(FRAME, " df['joined'] = pd.to_datetime(df['joined'], format='mixed')\n") == ["datetime_parse"]


@pytest.mark.parametrize("cell, count", [
    ("df['income'] = df['income'].astype(str).str.replace('$', '', regex=False).str.replace(',', '', regex=False)", 2),
    ("df['weeks'] = df['span'].str.replace('Weeks', '').str.replace('Week', '').str.strip()", 3),
])
def test_each_text_operation_of_a_chain_is_a_text_clean(cell: str, count: int) -> None:
    # what-is-a-step.md: "Method chains give one step per transforming call"
    assert ops_after(FRAME, cell).count("text_clean") == count


@pytest.mark.parametrize("cell, ops", [
    ("df['name'] = df['name'].str.strip()", ["text_clean"]),
    ("df['first'] = df['name'].str.split(',').str[0]", ["text_clean"]),  # a part of the split taken: one operation
    ("df['last'] = df['name'].str.split().str.get(-1)", ["text_clean"]),
    ("df['code'] = df['kind'].astype('category').cat.codes", ["encode_categorical"]),  # one encoding, two calls
])
def test_control_one_text_operation_a_part_taken_of_it_or_one_encoding_stays_one_step(cell: str, ops: list) -> None:
    assert ops_after(FRAME, cell) == ops


def test_data_rebound_before_a_figure_of_its_counts_is_a_step() -> None:
    # the cell changes `df` for every later cell: how the data was prepared, not data made only to draw
    cell = ("df = df.dropna(subset=['kind', 'year'])\n"
            "kind_counts = df['kind'].value_counts()\n"
            "plt.bar(kind_counts.index, kind_counts.values)\nplt.show()")
    assert ops_in_next_cell(DRAWING, cell) == ["drop_missing"]


@pytest.mark.parametrize("cell, ops", [
    ("df = df.dropna(subset=['year'])\nplt.hist(df['year'])", ["drop_missing"]),
    ("df = df[df.year > 2015]\nplt.hist(df['year'])", ["filter_rows"]),
    ("df = df.sample(100, random_state=0)\nplt.scatter(df['year'], df['score'])", ["sample"]),
    # rev6: rebound twice, each rebinding is read by every later cell (not only the first one written)
    ("df = df.dropna(subset=['year'])\ndf = df[df.year > 2015]\nplt.hist(df['year'])", ["drop_missing", "filter_rows"]),
])
def test_data_rebound_and_then_only_drawn_is_a_step(cell: str, ops: list) -> None:
    assert ops_in_next_cell(DRAWING, cell) == ops


@pytest.mark.parametrize("cell", [
    # a subset made in the cell, then only counted for a figure: plot plumbing (CONVENTIONS 8)
    "recent = df[df.year > 2015]\nkind_counts = recent['kind'].value_counts()\nplt.bar(kind_counts.index, kind_counts)",
    # a name the cell makes and then narrows, only for a figure
    "recent = df.dropna(subset=['kind'])\nrecent = recent[recent.year > 2015]\n"
    "plt.hist(recent['year'])",
    # rev6: the same written on one line (the cell made `recent` first, whatever the lines)
    "recent = df.dropna(subset=['kind']); recent = recent[recent.year > 2015]\nplt.hist(recent['year'])",
])
def test_control_a_subset_the_cell_makes_only_for_a_figure_stays_plumbing(cell: str) -> None:
    assert ops_in_next_cell(DRAWING, cell) == []


def test_control_a_name_the_cell_made_and_narrows_again_for_a_figure_is_not_kept_as_rebound() -> None:
    # `recent` is the cell's own: narrowing it again only to count it for a figure stays plot plumbing
    cell = ("recent = df[df.year > 2015]\nrecent = recent.dropna(subset=['kind'])\n"
            "kind_counts = recent['kind'].value_counts()\nplt.bar(kind_counts.index, kind_counts)")
    assert "drop_missing" not in ops_in_next_cell(DRAWING, cell)


def test_rows_put_in_an_order_written_in_the_code_are_a_sort() -> None:
    # CONVENTIONS 30: an assigned sort is `sort`; reindex by a written list of labels orders the rows
    cell = "by_day = df.groupby('weekday')['total'].sum().reindex(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])"
    assert ops_after(FRAME, cell) == ["aggregate", "sort"]


@pytest.mark.parametrize("cell, ops", [
    ("aligned = df.reindex(other.index)", []),  # labels of other data: aligned, not ordered
    ("picked = df.reindex(columns=['a', 'b'])", ["select_columns"]),
    ("ordered = df.reindex(['m[%d]' % m for m in range(3)])", []),  # labels computed, not written out
])
def test_control_reindex_by_other_labels_or_columns_keeps_its_op(cell: str, ops: list) -> None:
    assert ops_after(FRAME + "other = pd.read_csv('other.csv')\n", cell) == ops


def test_values_past_a_bound_corrected_in_place_are_outliers_replaced() -> None:
    # CONVENTIONS 29: replacing outliers is outlier_remove (ages entered ten times too large, brought back)
    cell = "df.loc[df['age'] > 100, 'age'] = df.loc[df['age'] > 100, 'age'] / 10"
    assert ops_after(FRAME, cell) == ["outlier_remove"]


@pytest.mark.parametrize("cell", [
    "df.loc[df['age'] > 100, 'height'] = df.loc[df['age'] > 100, 'height'] / 10",  # another column than tested
    "df.loc[df['age'] > 100, 'age'] = df.loc[df['age'] > 100, 'weight'] / 10",  # computed from another column
    "df.loc[df['kind'] == 'x', 'kind'] = df.loc[df['kind'] == 'x', 'kind'] + 1",  # a text test picks a category
])
def test_control_other_masked_arithmetic_stays_derive_feature(cell: str) -> None:
    assert ops_after(FRAME, cell) == ["derive_feature"]


@pytest.mark.parametrize("cell, ops", [
    ("wide = pd.DataFrame([df['a'], df['b']]).transpose()", ["concat", "reshape"]),
    ("by_kind = df.groupby('kind').mean().T", ["aggregate", "reshape"]),
])
def test_a_table_built_and_kept_turned_on_its_side_is_reshaped(cell: str, ops: list) -> None:
    # CONVENTIONS 12: a reshape that changes the data layout is `reshape`; one step per transforming call
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ("gram = df.values.T @ df.values", []),  # turned around to compute with
    ("x, y = df[['a', 'b']].values.T", ["select_columns"]),  # turned around to unpack (CONVENTIONS 12)
    ("flipped = df.T", ["reshape"]),  # the whole right-hand side, as before
])
def test_control_a_transpose_to_compute_or_unpack_is_no_reshape(cell: str, ops: list) -> None:
    assert ops_after(FRAME, cell) == ops
