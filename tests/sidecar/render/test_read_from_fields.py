"""Issue 10 item 5: the wording reads fields, never code. The loops a statement runs in (`Step.loops`), a formula fit's
function, formula and table (`Step.formula_fit`) and the files a cell's code writes (`ExecutionRecord.files_written`)
were read from the cell's source or the step's code when worded (lineage/loops.py, render/formula_fits.py,
lineage/files_written.py called by render); they are set when the cell is analysed (the loops, the formula fit) or its
record completed (the files), and render says what the fields hold.

Each test words a step or record whose field says something its code does not: a sentence read from the code says
nothing of it."""

from __future__ import annotations

from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.records import complete
from trackit_sidecar.protocol import FileWritten, FormulaFit, LineageDocument, SessionInfo, Step, StepLoop
from trackit_sidecar.render.sentences import describe_execution, describe_step, describe_steps

from ..summarize.sample_docs import execution

LOOP_CELL = ("import pandas as pd\nfor i, col in enumerate(cols):\n    df[col] = df[col].fillna(0)\n"
             "    while df[col].max() > 10:\n        df[col] = df[col] / 2\nkept = df.dropna()\n")


def test_a_step_carries_the_loops_its_statement_runs_in():
    steps = analyze_source(LOOP_CELL).steps
    loops = {s.op: s.loops for s in steps}
    assert loops["impute_missing"] == [StepLoop(target="col", over="cols")], steps  # enumerate's counter left out
    assert loops["derive_feature"] == [StepLoop(target="col", over="cols"), StepLoop()], steps  # and a `while`
    assert loops["drop_missing"] == [], steps  # after the loop


def test_a_steps_loops_are_said_from_its_field():
    fill = Step(op="impute_missing", inputs=["df"], output="df", columns=["a"], line=1, code="df = df.fillna(0)",
                loops=[StepLoop(target="col", over="cols")])
    assert describe_step(fill) == "Filled missing values in `a` of `df` (for each `col` in `cols`)"


def test_a_formula_fit_is_set_when_the_step_is_made_and_said_from_its_field():
    fit = next(s for s in analyze_source("m = smf.ols('y ~ x', data=df).fit()").steps if s.op == "fit_model")
    assert fit.formula_fit == FormulaFit(function="smf.ols", formula="y ~ x", data="df"), fit
    said = Step(op="fit_model", output="m", code="m = fit(table)",
                formula_fit=FormulaFit(function="smf.ols", formula="y ~ x", data="df"))
    assert describe_step(said) == "Fitted a `smf.ols` model of `y ~ x` as `m` on `df`"


def _document(source: str, files_written=()) -> LineageDocument:
    record = execution(1, 0, 1, source).model_copy(update={"files_written": list(files_written)})
    return LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                           sessions=[SessionInfo(id=2, started_at="2026-12-06T19:01:00+00:00")], executions=[record])


def test_the_files_a_cell_writes_are_set_on_its_record_when_it_is_completed():
    record = complete(_document("clean = df.dropna()\nclean.to_csv('clean.csv')")).executions[0]
    assert record.files_written == [FileWritten(path="clean.csv", literal=True, source="clean", whole=True,
                                                call="to_csv", line=2)], record.files_written


def test_the_files_written_are_said_from_the_records_field():
    written = FileWritten(path="out.csv", literal=True, source="df", whole=True, call="to_csv", line=1)
    record = _document("x = 1", [written]).executions[0]
    assert describe_execution(record) == ["Wrote `df` to `out.csv` (`to_csv`)"]


def test_a_loop_is_said_once_for_the_lines_and_clauses_under_it():
    # banana's loop cell said "(for each `C` in `C_values` and each `seed` in `range(10)`)" on each of its six lines
    said = describe_steps(analyze_source(
        "import pandas as pd\nfor n in [1, 2]:\n    big = df[df['c'] > n]\n    small = df[df['c'] < n].dropna()\n"
        "    for m in [3]:\n        mid = df[df['c'] == m]\n    top = big.sort_values('c')\nout = df.dropna()\n").steps)
    assert said == [
        "Filtered rows of `df` on `c` into `big` (for each `n` in `[1, 2]`)",
        # the next line in the same loop, its two clauses (one statement) said under it once
        "Filtered rows of `df` on `c` into `small` and dropped rows with missing values (in the same loop)",
        "Filtered rows of `df` on `c` into `mid` (for each `n` in `[1, 2]` and each `m` in `[3]`)",  # another loop
        "Sorted `big` by `c` into `top` (for each `n` in `[1, 2]`)",  # not the loop just said: in full
        "Dropped rows with missing values from `df` into `out`",
    ], said


def test_a_tree_rows_description_says_its_loop_in_full():
    # the row shows one line, the run's main effect, alone: "(in the same loop)" would name a loop it does not show
    from trackit_sidecar.lineage.records import complete
    from trackit_sidecar.protocol import RuntimeFacts
    from trackit_sidecar.render.tree import label_document

    source = "for n in [1, 2]:\n    big = df[df['c'] > n]\n    small = df[df['c'] < n]"
    changed = RuntimeFacts(variable="small", rows_before=4, rows_after=1, before_variable="df")
    record = execution(1, 0, 1, source, steps=analyze_source(source).steps, runtime=[changed])
    doc = LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                          sessions=[SessionInfo(id=2, started_at="2026-12-06T19:01:00+00:00")], executions=[record])
    labelled = label_document(complete(doc)).executions[0]
    assert labelled.step_lines[1].startswith("Filtered rows of `df` on `c` into `small` (in the same loop)"), \
        labelled.step_lines
    assert labelled.description.startswith("Filtered rows of df on c into small (for each n in [1, 2])"), \
        labelled.description
