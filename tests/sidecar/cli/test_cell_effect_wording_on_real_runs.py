"""A step said with the cell's measured effect it shares with other steps (render/sentences.with_cell_effect): rev28
left `lineage` reading "Filled missing values of `train` (with the earlier step on `train`, as the kernel measured the
cell: ...)", hard to read. Run in a real kernel (`trackit run`: real ipykernel, real DuckDB file)."""

from __future__ import annotations

import json

from .test_claims_on_real_runs import IMPORTS, run_notebook, trackit


def test_a_shared_measured_effect_is_said_plainly(tmp_path):
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, [
        IMPORTS,
        "train = pd.read_csv('data.csv')\ntrain.loc[train['x1'] > 0.5, 'x1'] = None",
        "train = train[train['x2'] > -0.9]\nsmall = train.head(3)\ntrain = train.fillna(0)",
    ], db)
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    labels = [s["label"] for e in executions["executions"] if e["cell_index"] == 2 for s in e["steps"]]
    assert ("Filled missing values of `train` (this and the earlier step on `train` together: 240 \u2192 225 rows "
            "(\u221215); missing values 59 \u2192 0)") in labels, labels
    assert not any("as the kernel measured" in label for label in labels), labels
