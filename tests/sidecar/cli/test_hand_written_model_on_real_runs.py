"""A hand-written model (ml-basics logistic regression: a class with `train` and `predict`, its accuracy printed from an
f-string) described truly in the lineage: its fit's weights are a new value, not `X_train` with rows dropped ("Fitted
... as `w_trained` on `X_train` and `y_train`: 750 → 2 rows (−748)"), and its printed figures are not "Evaluated the
data with another metric and another metric". Run in a real kernel (`trackit run`: real ipykernel, real DuckDB file)."""

from __future__ import annotations

from .test_claims_on_real_runs import run_notebook, trackit

CELLS = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split",
    "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split(df[['x1', 'x2']].values, "
    "df[['y']].values, random_state=0)",
    "class LogisticRegression:\n    def train(self, X, y, n_iters):\n        self.w = np.zeros((X.shape[1], 1))\n"
    "        for _ in range(n_iters):\n            p = 1 / (1 + np.exp(-X @ self.w))\n"
    "            self.w -= 0.1 * X.T @ (p - y) / len(X)\n        return self.w, 0.0, []\n"
    "    def predict(self, X):\n        return (1 / (1 + np.exp(-X @ self.w)) > 0.5).astype(int)",
    "regressor = LogisticRegression()\nw_trained, b_trained, costs = regressor.train(X_train, y_train, n_iters=50)",
    "y_p_train = regressor.predict(X_train)\ny_p_test = regressor.predict(X_test)\n"
    "print(f\"train accuracy: {100 - np.mean(np.abs(y_p_train - y_train)) * 100}%\")\n"
    "print(f\"test accuracy: {100 - np.mean(np.abs(y_p_test - y_test)) * 100}%\")",
]


def test_a_hand_written_models_fit_and_printed_figures(tmp_path):
    db = tmp_path / "t.duckdb"
    notebook = run_notebook(tmp_path, CELLS, db)
    lines = [line.strip(" │├└─") for line in trackit("lineage", str(notebook), "--db", str(db),
                                                      cwd=tmp_path).stdout.splitlines()]
    fit = next(line for line in lines if line.startswith("Fitted"))
    # the weights' shape, nothing dropped; a fit by the method's name `train` (the notebook's own class), a guess said
    # as one (lineage/kb/guesses.py)
    assert fit.endswith("on `X_train` and `y_train` (inferred from the name `train`): 2 rows × 1 column"), fit
    assert ("Computed the `train accuracy` it prints from the model's results and computed the `test accuracy` it "
            "prints from the model's results") in lines, lines
    assert not [line for line in lines if "another metric" in line or "Evaluated the data" in line], lines
