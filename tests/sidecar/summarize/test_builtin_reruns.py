"""Built-in summary when cells are re-run in one session (same kernel): the narrative describes the state
the session ended in, earlier runs are reported as re-runs, not repeated as extra sources or steps.

The first tests use a real recording: the bundled example run twice ("Run All" twice) in ONE real
kernel, ingested through TrackitService into a real DuckDB file, with the kernel's runtime facts.
The others use small hand-built documents for cases the example does not have (an in-place step
re-run on its own result, a file that changed between loads, an edited cell).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from pathlib import Path

import nbformat
import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.cell_execution import execute_cell
from trackit_sidecar.kernel.kernel_start import start_kernel
from trackit_sidecar.notebook_file import cell_id_for
from trackit_sidecar.protocol import InputFile, LineageDocument, RuntimeFacts, SessionInfo, Step
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store
from trackit_sidecar.summarize import builtin_summary, check_faithfulness
from trackit_sidecar.summarize.session_view import described_runs, latest_session

from .sample_docs import execution

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "titanic"
PASSES = 2


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"section {title!r} missing"
    return match.group(1)


def _bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def _run_all_twice_in_one_kernel(folder: Path) -> LineageDocument:
    """What the editor records for Run All, Run All: every code cell twice, one kernel, one kernel_id.

    `trackit run` always starts a fresh kernel, so the runner's own per-cell execution is driven here
    against one kernel that stays up between the passes.
    """
    notebook_path = folder / "preprocess.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    service = TrackitService(Store.open(str(folder / "twice.duckdb")), Settings())
    kernel_id = str(uuid.uuid4())
    with tempfile.TemporaryFile() as kernel_log:
        manager, client = start_kernel("python3", folder, kernel_log)
        try:
            silent_requests.install_probe(client)
            for _ in range(PASSES):
                for index, cell in enumerate(notebook.cells):
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    run = execute_cell(manager, client, cell.source, 120)
                    event = p.CellExecution(
                        event_id=str(uuid.uuid4()), notebook_uri=notebook_path.as_uri(),
                        notebook_path=str(notebook_path), cell_id=cell_id_for(cell, index), cell_index=index,
                        source=cell.source, execution_order=run.execution_count, started_at=run.started_at,
                        ended_at=run.ended_at, status=run.status, outputs=run.outputs, error_name=run.error_name,
                        error_message=run.error_message, kernel_id=kernel_id, kernel_name="python3")
                    facts, _, _ = silent_requests.fetch_facts(client, run.execution_count)
                    service.ingest([event])
                    service.add_runtime_facts(event.event_id, facts)
                    assert run.status == "ok", run.error_message
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    try:
        return service.lineage(str(notebook_path))
    finally:
        service.store.close()


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    folder = tmp_path_factory.mktemp("titanic-twice")
    for name in ("preprocess.ipynb", "passengers.csv", "tickets.csv"):
        shutil.copy(EXAMPLE / name, folder / name)
    doc = _run_all_twice_in_one_kernel(folder)
    return doc, builtin_summary(doc)


def test_the_recording_is_one_session_with_every_cell_run_twice(twice):
    doc, _ = twice
    assert len({r.session for r in doc.executions}) == 1
    runs: dict[str, int] = {}
    for rec in doc.executions:
        runs[rec.cell_id] = runs.get(rec.cell_id, 0) + 1
    assert set(runs.values()) == {PASSES}


def test_twice_run_summary_is_faithful_and_cited(twice):
    doc, markdown = twice
    assert check_faithfulness(markdown, doc) == []
    for line in _bullets(markdown):
        assert re.search(r"\[cells? \d+(, \d+)*\]", line), f"uncited: {line}"


def test_each_file_is_one_data_source_saying_how_often_it_was_loaded(twice):
    _, markdown = twice
    sources = _bullets(_section(markdown, "Data sources"))
    assert len(sources) == 2, sources
    for name in ("passengers.csv", "tickets.csv"):
        (line,) = [s for s in sources if f"`{name}`" in s]
        assert "Loaded twice in this session" in line and "sha256" in line
        # a load builds a new object: the previous binding's size is no "before" ("900 rows (unchanged)")
        assert "unchanged" not in line and "rows \u00d7" in line
        assert "changed between loads" not in line  # the same bytes both times


def test_every_step_of_the_latest_run_of_each_cell_is_named_once(twice):
    doc, markdown = twice
    view = latest_session(doc)
    latest = {}
    for rec in view.executions:
        latest[rec.cell_id] = rec
    lines = _bullets(markdown)
    # Coverage over the latest run of each cell: that run made the current variables. Earlier runs of the
    # same code are reported as re-runs, so naming their steps again would double every step.
    for rec in latest.values():
        for step in rec.steps:
            if step.op in ("other", "load"):
                continue
            cited = [line for line in lines if f"[cell {rec.cell_index + 1}] (In [{rec.execution_count}])" in line]
            assert cited, f"no line for the latest run of cell {rec.cell_index + 1}"
    preprocessing = _bullets(_section(markdown, "Preprocessing"))
    modelling = _bullets(_section(markdown, "Modelling and results"))
    for line in preprocessing + modelling:
        counts = [int(n) for n in re.findall(r"\(In \[(\d+)\]\)", line)]
        assert all(c > len(latest) for c in counts), f"a first-pass run is described: {line}"
    assert len(preprocessing) == len(set(preprocessing))
    assert sum("Dropped duplicate rows" in line for line in preprocessing) == 1


def test_a_rebuilt_variable_is_measured_against_its_input_not_its_previous_value(twice):
    _, markdown = twice
    (dedupe,) = [line for line in markdown.splitlines() if "Dropped duplicate rows" in line]
    # the second pass's kernel "before" of `df` is the first pass's final df (889 rows, 13 columns)
    assert "900 \u2192 891 rows (\u22129)" in dedupe and "889 \u2192 891" not in dedupe
    (split,) = [line for line in markdown.splitlines() if line.startswith("- Split")]
    assert "889 rows \u2192 666" in split


def test_problems_say_which_runs_are_described_and_the_rerun_is_not_out_of_order(twice):
    _, markdown = twice
    problems = _section(markdown, "Problems")
    (rerun,) = [line for line in _bullets(problems) if "each ran twice" in line]
    assert "only the latest run of each is described" in rerun
    assert "Cell 2 ran after cell 26: the notebook was run again from cell 2 down to cell 26 in order" in problems
    assert "out of notebook order" not in problems
    assert "applied twice" not in problems


# ------------------------------------------------------------------ hand-built re-run cases
def _doc(executions) -> LineageDocument:
    return LineageDocument(notebook="/home/ana/nb.ipynb", notebook_uri="file:///home/ana/nb.ipynb",
                           sessions=[SessionInfo(id=2, started_at="2026-11-29T19:01:00+00:00")],
                           executions=list(executions))


def _load(seq, count, sha, rows, path="/home/ana/data.csv"):
    f = InputFile(path=path, size=2048, sha256=sha)
    return execution(seq, 0, count, "df = pd.read_csv('data.csv')", writes=["df"],
                     steps=[Step(op="load", output="df", detail="data.csv", input_file=f,
                                 runtime=RuntimeFacts(variable="df", kind="DataFrame", rows_after=rows, cols_after=4))])


def _double(seq, count, parent, before, after):
    facts = RuntimeFacts(variable="df", kind="DataFrame", rows_before=before, rows_after=after)
    return execution(seq, 1, count, "df['x'] *= 2\ndf = df[df['x'] < 100]", reads=["df"], writes=["df"],
                     parents=[parent],
                     steps=[Step(op="filter_rows", inputs=["df"], output="df", columns=["x"], runtime=facts)])


def test_an_in_place_step_rerun_on_its_own_result_is_applied_twice_and_both_runs_are_described():
    doc = _doc([_load(1, 1, "aa" * 32, 500), _double(2, 2, 1, 500, 420), _double(3, 3, 2, 420, 300)])
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    problems = _section(markdown, "Problems")
    assert ("Cell 2 (In [3]) ran again on the `df` its previous run (In [2]) had already changed, "
            "so its change was applied twice [cell 2].") in problems
    assert "the earlier run (In [2]) is described too" in problems
    steps = _bullets(_section(markdown, "Preprocessing"))
    assert [("500 \u2192 420" in s, "420 \u2192 300" in s) for s in steps] == [(True, False), (False, True)]


def test_a_file_that_changed_between_loads_is_one_source_that_says_so():
    first, second = "11aa" + "0" * 60, "22bb" + "0" * 60
    doc = _doc([_load(1, 1, first, 500), _load(2, 2, second, 510)])
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    (source,) = _bullets(_section(markdown, "Data sources"))
    assert "510 rows" in source and "500 rows" not in source  # the latest load describes the data in use
    assert "Loaded twice in this session (In [1], In [2])" in source
    assert "changed between loads (sha256 11aa0000 \u2192 22bb0000)" in source


def test_an_edited_cell_whose_first_version_is_no_longer_used_is_described_by_its_latest_run():
    load = _load(1, 1, "aa" * 32, 500)
    old = execution(2, 1, 2, "df = df.dropna()", reads=["df"], writes=["df"], parents=[1],
                    steps=[Step(op="drop_missing", inputs=["df"], output="df")])
    # the edited cell starts from the file again, so nothing still depends on the old version
    new = execution(3, 1, 3, "df = raw.drop_duplicates()", reads=["raw"], writes=["df"],
                    steps=[Step(op="drop_duplicates", inputs=["raw"], output="df")])
    doc = _doc([load, old, new])
    assert [r.seq for r in described_runs(doc.executions, latest_session(doc).parents)] == [1, 3]
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    preprocessing = _section(markdown, "Preprocessing")
    assert "Dropped duplicate rows" in preprocessing and "missing values" not in preprocessing
    assert ("Cell 2 was run 2 times (execution counts 2, 3), with its code edited in between; "
            "only the latest run (In [3]) is described [cell 2].") in _section(markdown, "Problems")


def _made(seq, cell, count, name, rows):
    code = f"{name} = pd.DataFrame({{'k': range({rows})}})"
    return execution(seq, cell, count, code, writes=[name],
                     steps=[Step(op="load", output=name, detail="DataFrame", method="DataFrame", code=code,
                                 runtime=RuntimeFacts(variable=name, kind="DataFrame", rows_after=rows, cols_after=1))])


def test_frames_made_by_different_constructors_are_different_sources_and_a_rerun_is_the_same():
    # pdsh 03.07: six cells each building their own frames read "Loaded `DataFrame` into `df8`: ... Loaded 6
    # times in this session"; df1 to df7 were not listed at all
    doc = _doc([_made(1, 0, 1, "left", 3), _made(2, 1, 2, "right", 4), _made(3, 0, 3, "left", 3)])
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    sources = _bullets(_section(markdown, "Data sources"))
    assert len(sources) == 2, sources
    assert sources[0].startswith("- Created `right` with `DataFrame`: 4 rows \u00d7 1 column")
    assert sources[1].startswith("- Created `left` with `DataFrame`: 3 rows \u00d7 1 column")
    assert "Created twice in this session (In [1], In [3])" in sources[1]


def test_two_cells_that_make_the_same_array_are_two_sources_each_made_once():
    # islr chapter 4: cells 9 and 21 each `X_test = np.arange(df.balance.min(), df.balance.max()).reshape(-1,1)`:
    # "Created `X_test` with `arange`: 2,655 rows x 1 column. Loaded twice in this session (In [4], In [10])"
    doc = _doc([_made(1, 0, 1, "grid", 3), _made(2, 1, 2, "grid", 3)])
    markdown = builtin_summary(doc)
    assert check_faithfulness(markdown, doc) == []
    sources = _bullets(_section(markdown, "Data sources"))
    assert sources and all("twice" not in s and "Loaded" not in s for s in sources), sources
