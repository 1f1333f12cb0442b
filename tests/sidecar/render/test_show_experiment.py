"""`trackit show E0007` in words (render/experiments.show): what changed reads like `trackit diff` says it."""

from __future__ import annotations

from trackit_sidecar.protocol import Experiment, FeatureChange, FrameFingerprint
from trackit_sidecar.render.experiments import show


def test_a_changed_decision_is_its_statement_and_a_series_has_rows_not_none_columns():
    # the bundled example with a filter edited: show printed the feature's dict ("{'op': 'filter_rows', 'columns':
    # [...], 'expr': ...") and "y_train: 290 x None" for a Series
    filter_rows = {"op": "filter_rows", "columns": ["Embarked", "Pclass"],
                   "expr": "df[df['Embarked'].notna() & (df['Pclass'] < 3)]"}
    shown = show(Experiment(
        id="E0002", notebook_uri="file:///nb.ipynb", seq=26, session=2, cell_id="c25", cell_index=25,
        created_at="2026-12-04T04:16:27+00:00", parent="E0001", config_sha256="ab" * 32,
        feature_changes=[FeatureChange(path="preprocessing.filter_rows[Embarked,Pclass]", change="added",
                                       after=filter_rows),
                         FeatureChange(path="model.params.C", change="changed", before=1.0, after=0.5)],
        frames=[FrameFingerprint(role="split", variable="X_train", rows=290, cols=9),
                FrameFingerprint(role="split", variable="y_train", rows=290)]))
    assert ("preprocessing.filter_rows[Embarked,Pclass]: (unset) \u2192 "
            "df[df['Embarked'].notna() & (df['Pclass'] < 3)]") in shown
    assert "'op'" not in shown
    assert "model.params.C: 1 \u2192 0.5" in shown
    assert "X_train: 290 x 9" in shown and "y_train: 290 rows" in shown and "None" not in shown


def test_the_experiments_table_counts_many_changed_decisions_by_section():
    # sklearn-videos 07's E0006 (a new data set and model) listed twelve paths: a 300-character column
    from trackit_sidecar.protocol import ExperimentSummary
    from trackit_sidecar.render.experiments import CHANGED_CELL_WIDTH, table
    many = ["data.sources.data", "data.sources.iris", "preprocessing.select_columns[TV,Radio,Newspaper]",
            "preprocessing.select_columns[Sales]", "model.class", "model.params.solver", "training.features",
            "training.target", "evaluation.scoring"]
    few = ["model.params.C"]
    rows = table([ExperimentSummary(id=f"E000{i}", notebook_uri="file:///nb.ipynb", seq=i, session=1, cell_id="c",
                                    cell_index=i, created_at="2026-12-05T08:35:33+00:00", parent="E0001",
                                    changed=changed) for i, changed in ((2, many), (3, few))]).splitlines()
    assert "data (2), preprocessing (2), model (2), training (2), evaluation (1)" in rows[1]
    assert "model.params.C" in rows[2]
    assert "data.sources.data" not in rows[1] and len(", ".join(few)) <= CHANGED_CELL_WIDTH
