"""The summary's "What the final variables depend on" follows a variable back to an earlier cell only when its cell
read the earlier value (rev30). A cell's derivations join its statements, so `X = load(); X = add_constant(X)` lists
`X` among `X`'s own sources; that `X` is the one bound a line above, not the one an earlier cell left (statsmodels ols,
cell 37, read "`X` (DataFrame 16 × 7): last set in [cell 37], built from [cells 13, 21]"; banana classification's
models fitted in a loop were "built from" every earlier cell that had bound `model` or `X_train_scaled`)."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.protocol import LineageDocument, SessionInfo
from trackit_sidecar.summarize import builtin_summary

from .sample_docs import execution

MODULES = {"np", "pd", "sm"}


def _summary(cells: list[str]) -> str:
    executions = []
    for index, source in enumerate(cells):
        analysis = analyze_source(source)
        record = execution(index + 1, index, index + 1, source, steps=analysis.steps, reads=analysis.reads,
                           writes=analysis.writes, parents=[index] if index else [])
        # as the kernel's record says
        modules = {name: "module" if name in MODULES else "function" for name in analysis.writes
                   if name in MODULES or f"def {name}(" in source}
        executions.append(record.model_copy(update={"derivations": analysis.derivations, "code_names": modules}))
    doc = LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                          sessions=[SessionInfo(id=2, started_at="2026-11-29T19:01:00+00:00")], executions=executions)
    return builtin_summary(doc)


def _line(summary: str, name: str) -> str:
    lines = [line for line in summary.splitlines() if line.startswith(f"- `{name}`") and "last set in" in line]
    assert len(lines) == 1, summary
    return lines[0]


def test_a_variable_rebound_from_itself_in_its_cell_does_not_depend_on_the_value_it_replaced():
    summary = _summary([
        "import numpy as np\nimport statsmodels.api as sm",
        "X = np.column_stack((np.ones(5), np.arange(5)))",
        "X = np.loadtxt('exog.txt')\nX = sm.add_constant(X)",
        "y = np.loadtxt('endog.txt')\nols = sm.OLS(y, X).fit()",
    ])
    assert "depends on no earlier cell" in _line(summary, "X"), summary
    assert "built from [cell 3]" in _line(summary, "ols"), summary


def test_a_model_fitted_in_a_loop_depends_on_its_data_not_on_earlier_models_of_the_same_name():
    loop = ("for seed in range(3):\n"
            "    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=seed)\n"
            "    model = {model}\n    model.fit(X_train, y_train)\n    y_pred = model.predict(X_val)\n")
    summary = _summary([
        "import pandas as pd\ndf = pd.read_csv('train.csv')\nX = df.drop(columns=['q'])\ny = df['q']",
        "X_train, X_val, y_train, y_val = train_test_split(X, y)",
        loop.format(model="SVC()"),
        loop.format(model="RandomForestClassifier()"),
    ])
    assert "built from [cell 1]" in _line(summary, "model"), summary
    assert "built from [cell 1]" in _line(summary, "y_pred"), summary


def test_a_variable_the_cell_reads_before_binding_it_still_depends_on_the_earlier_value():
    summary = _summary([
        "import pandas as pd\ndf = pd.read_csv('train.csv')",
        "df = df.dropna()\ndf = df.reset_index(drop=True)",
    ])
    assert "built from [cell 1]" in _line(summary, "df"), summary


def test_a_value_made_by_a_function_an_earlier_cell_defined_depends_on_that_cell():
    # case1 bike count: `df2023 = process_bike_count_data(df_raw)` "depends on no earlier cell", the tree "<- cell 28"
    summary = _summary([
        "import pandas as pd",
        "def process(df):\n    return df.rename(columns={'Totaal': 'total'})",
        "raw = pd.read_csv('counts.csv')\nclean = process(raw).dropna()",
    ])
    assert "built from [cell 2]" in _line(summary, "clean"), summary
