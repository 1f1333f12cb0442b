"""Values computed only to draw a figure are not steps (CONVENTIONS 8: "Plotting is not a step ... It also covers plot
plumbing: data made only to draw a figure by filtering, selecting, sampling, value-counting, melting, concatenating
such subsets, or building grids"; 28; what-is-a-step.md: "Plotting, even when the plot call computes something
internally"). One rule, one home (`classify/drawn_values.py`): a name is made only to draw when every read of it
outside a plot call computes, point by point or as plot plumbing, names that are themselves only drawn; the walker
then drops what such a name was assigned when it is plumbing (a subset, a rename, a cast, value counts) or a curve
over a drawn grid. An aggregate, a join, a prediction, or anything also used as data, stays.

Moved here from the fifth pass's two files (acc4's `feeds_only_plumbing` and acc5's `names_only_drawn` were two
mechanisms for the same rule), with the cases that only the removed mechanism covered.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

PLOTS = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\nimport seaborn as sns\nimport plotly.express as px\n"


@pytest.mark.parametrize("cell", [
    # melted, renumbered and its columns named only for the bar chart (titanic-ml-like importances)
    "long = df.melt(var_name='method', value_name='importance').reset_index().rename(columns={'index': 'feature'})\n"
    "px.bar(long, x='importance', y='feature', color='method')",
    # columns renamed for the axes' labels only
    "shown = df.rename(columns={'age': 'Age (years)'})\nsns.scatterplot(data=shown, x='Age (years)', y='income')",
    # numbers cast to text for tick labels only
    "ticks = df.age.astype(int).astype(str)\nplt.bar(range(len(df)), df.income)\nplt.xticks(range(len(df)), ticks)",
])
def test_names_and_text_made_only_to_draw_are_plot_plumbing(cell: str) -> None:
    # CONVENTIONS 8: "data made only to draw a figure by filtering, selecting, ... melting" is plotting, not a step
    assert ops_after(PLOTS, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # an aggregate only plotted still counts (CONVENTIONS 8), and so does the rename chained onto it
    ("means = df.groupby('city').mean().rename(columns={'age': 'mean age'})\nmeans.plot.bar()",
     ["aggregate", "rename"]),
    # renamed and kept (written out): a step
    ("renamed = df.rename(columns={'age': 'Age'})\nrenamed.to_csv('out.csv')", ["rename"]),
])
def test_renames_kept_or_chained_onto_an_aggregate_stay_steps(cell: str, ops: list[str]) -> None:
    assert ops_after(PLOTS, cell) == ops


SUBSETS_DRAWN = ("fig, ax = plt.subplots()\n"
                 "df_no = df[df.default == 0].sample(frac=0.15)\n"
                 "df_yes = df[df.default == 1]\n"
                 "{combine}\n"
                 "ax.scatter(both.balance, both.income)")


@pytest.mark.parametrize("combine", ["both = df_no.append(df_yes)", "both = pd.concat([df_no, df_yes])"])
def test_subsets_made_only_to_build_a_figures_data_are_plot_plumbing(combine: str) -> None:
    # CONVENTIONS 8: "data made only to draw a figure by filtering, selecting, sampling, ..., concatenating such
    # subsets" -- the subsets as well as their concatenation
    assert ops_after(PLOTS, SUBSETS_DRAWN.format(combine=combine)) == []


@pytest.mark.parametrize("cell, ops", [
    # the subset feeds an aggregate that is drawn: the aggregate counts (CONVENTIONS 8), and so does its input
    ("adults = df[df.age >= 18]\nby_city = adults.groupby('city').income.mean()\nby_city.plot.bar()",
     ["filter_rows", "aggregate"]),
    # the subset is also used as data after the figure
    ("adults = df[df.age >= 18]\nshown = adults.sample(50)\nplt.scatter(shown.age, shown.income)\n"
     "adults.to_csv('adults.csv')", ["filter_rows"]),
])
def test_what_feeds_a_kept_step_or_is_used_as_data_stays(cell: str, ops: list[str]) -> None:
    assert ops_after(PLOTS, cell) == ops


def test_counts_made_only_for_a_bar_charts_labels_are_plot_plumbing() -> None:
    # CONVENTIONS 8: value counts made only to draw, and the text of the bars' labels, are plotting (bar_label draws)
    cell = ("shares = df.city.value_counts(normalize=True).round(2) * 100\n"
            "bars = sns.countplot(x=df.city, order=shares.index)\n"
            "for container in bars.containers:\n"
            "    labels = shares.astype(int).astype(str) + '%'\n"
            "    bars.bar_label(container, labels=labels)")
    assert ops_after(PLOTS, cell) == []


def test_counts_kept_beyond_the_figure_stay_an_aggregate() -> None:
    cell = ("shares = df.city.value_counts(normalize=True)\n"
            "bars = sns.countplot(x=df.city, order=shares.index)\n"
            "shares.to_csv('shares.csv')")
    assert ops_after(PLOTS, cell) == ["aggregate"]


def test_rows_past_a_bound_picked_only_to_mark_them_on_a_figure_are_plot_plumbing() -> None:
    # CONVENTIONS 8: "data made only to draw a figure by filtering, selecting ..." -- a filter the notebook calls
    # an outlier filter too, when its rows are only drawn
    cell = ("for feature, outlier in zip(['age', 'income'], [90, 100000]):\n"
            "    outliers = df.loc[df[feature] > outlier, [feature, 'churn']]\n"
            "    sns.scatterplot(data=outliers, x=feature, y='churn', color='red')")
    assert ops_after(PLOTS, cell) == []


def test_outliers_removed_and_kept_are_still_removed() -> None:
    cell = "kept = df[df.income < df.income.quantile(0.99)]\nsns.histplot(kept.income)\nkept.to_csv('kept.csv')"
    assert ops_after(PLOTS, cell) == ["outlier_remove"]


# ---------------------------------------------------------------- curves over a drawn grid (CONVENTIONS 8, 28)


def test_a_curve_computed_over_a_grid_only_to_draw_it_is_no_step() -> None:
    cell = "z = np.arange(-7, 7, 0.1)\nphi_z = 1.0 / (1.0 + np.exp(-z))\nplt.plot(z, phi_z)"
    assert ops_after(PLOTS, cell) == []


def test_a_curve_of_a_function_named_as_a_metric_over_a_drawn_grid_is_no_evaluation() -> None:
    cell = "def cost(p):\n    return -np.log(p)\n\nz = np.linspace(0.01, 1, 100)\nc = [cost(x) for x in z]\n" \
           "plt.plot(z, c)"
    assert ops_after(PLOTS, cell) == []


def test_curves_handed_to_a_drawing_loop_are_no_steps() -> None:
    cell = "x = np.arange(0.0, 1.0, 0.01)\nent = [-p * np.log2(p) for p in x]\nsc = [e * 0.5 for e in ent]\n" \
           "for y, lab in zip([ent, sc], ['a', 'b']):\n    plt.plot(x, y, label=lab)"
    assert ops_after(PLOTS, cell) == []


def test_a_prediction_over_a_grid_reshaped_to_draw_stays_a_prediction_and_its_grid_a_load() -> None:
    setup = PLOTS + "from sklearn.linear_model import LogisticRegression\n" \
                    "clf = LogisticRegression().fit(df[['a', 'b']], df.y)\n"
    cell = "xx1, xx2 = np.meshgrid(np.arange(0, 1, 0.02), np.arange(0, 1, 0.02))\n" \
           "Z = clf.predict(np.array([xx1.ravel(), xx2.ravel()]).T)\nZ = Z.reshape(xx1.shape)\n" \
           "plt.contourf(xx1, xx2, Z)"
    assert ops_after(setup, cell) == ["load", "predict"]


def test_subsets_picked_sampled_and_stacked_only_to_draw_are_plot_plumbing() -> None:
    cell = "no = df[df.y == 0].sample(frac=0.15)\nyes = df[df.y == 1]\nboth = pd.concat([no, yes])\n" \
           "plt.scatter(both[both.y == 1].a, both[both.y == 1].b)"
    assert ops_after(PLOTS, cell) == []


def test_a_table_that_feeds_an_aggregation_only_drawn_stays_a_step() -> None:
    cell = "t = pd.DataFrame({'k': df.k, 'v': df.v * 2})\nm = t.groupby('k').v.mean()\nplt.bar(m.index, m)"
    assert "aggregate" in ops_after(PLOTS, cell) and len(ops_after(PLOTS, cell)) >= 2


def test_a_grid_that_feeds_data_used_elsewhere_stays() -> None:
    cell = "x = np.linspace(0, 1, 50)\ny = 2 * x + np.random.normal(size=50)\nplt.plot(x, y)\nfit = np.polyfit(x, y, 1)"
    assert "load" in ops_after(PLOTS, cell)


def test_a_function_called_only_to_compute_a_drawn_curve_has_no_steps_in_its_body() -> None:
    cell = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n\nz = np.arange(-7, 7, 0.1)\nphi_z = sigmoid(z)\n" \
           "plt.plot(z, phi_z)"
    assert ops_after(PLOTS, cell) == []


def test_a_function_also_called_on_data_keeps_its_body_where_written() -> None:
    cell = "def squash(z):\n    return 1.0 / (1.0 + np.exp(-z))\n\nz = np.arange(-7, 7, 0.1)\n" \
           "plt.plot(z, squash(z))\n" \
           "df['p'] = squash(df.x)"
    assert ops_after(PLOTS, cell) == ["derive_feature"]


def test_a_subset_renamed_only_for_a_figures_axes_is_plot_plumbing() -> None:
    # CONVENTIONS 8: the subset feeds only a rename made to draw, which is plumbing: so is the subset
    cell = "few = df[df.age > 30].sample(20)\nshown = few.rename(columns={'age': 'Age'})\n" \
           "sns.scatterplot(data=shown, x='Age', y='income')"
    assert ops_after(PLOTS, cell) == []


def test_a_subset_that_also_feeds_kept_data_stays() -> None:
    cell = "few = df[df.age > 30].sample(20)\nshown = few.rename(columns={'age': 'Age'})\n" \
           "sns.scatterplot(data=shown, x='Age', y='income')\nfew.to_csv('few.csv')"
    assert ops_after(PLOTS, cell) == ["filter_rows", "sample"]


GRID_READ_BY_A_FUNCTION = ("x = np.arange(df.income.min(), df.income.max(), 50)\n"
                           "def get_y(a, b):\n    return a + b * x\n"
                           "fig, ax = plt.subplots()\n"
                           "y = get_y(1.0, 0.5)\n"
                           "ax.plot(x, y)\n")


def test_a_grid_read_by_a_function_whose_result_is_only_drawn_is_no_load() -> None:
    # CONVENTIONS 8, 28: the grid's only use outside the figure is the line a function computes over it to draw
    assert ops_after(PLOTS, GRID_READ_BY_A_FUNCTION) == []


@pytest.mark.parametrize("more", ["df['fit'] = get_y(1.0, 0.5)", "table = pd.DataFrame({'y': get_y(1.0, 0.5)})"])
def test_a_grid_read_by_a_function_whose_result_is_also_data_stays_a_load(more: str) -> None:
    assert ops_after(PLOTS, GRID_READ_BY_A_FUNCTION + more)[0] == "load"
