"""verify: pure comparison of a replay's records with the recording, and the causes it names."""

from __future__ import annotations

from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.protocol import ErrorInfo, InputFile, RuntimeFacts
from trackit_sidecar.reproduce.gather import Target, gather
from trackit_sidecar.reproduce.verify import ReplayedCell, verify

from .records import history

LOAD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('passengers.csv')"
FILTER = "df = df[df['Embarked'].notna()]"
SPLIT = "train = df.sample(frac=0.8)"


def facts(variable, rows, cols=12, fingerprint="xxh3_128:aaaa", nulls=0):
    return RuntimeFacts(variable=variable, kind="DataFrame", rows_after=rows, cols_after=cols, nulls_after=nulls,
                        fingerprint=fingerprint)


def recorded(sources, runtime, files=None):
    """A recording: runs of c1..cN with runtime facts per run (list of RuntimeFacts) and input files."""
    doc = history([(f"c{i + 1}", source) for i, source in enumerate(sources)], notebook="/data/titanic/prep.ipynb")
    for execution, measured in zip(doc.executions, runtime):
        execution.runtime = measured
        attach_runtime(execution.steps, measured)
    for seq, listed in (files or {}).items():
        doc.executions[seq - 1].input_files = listed
    return doc


def replayed(cells, runtime, files=None, failed=None):
    """The replay's own records: one execution per gathered cell, recorded under the gathered cell's id."""
    doc = history([(cell.cell_id, cell.source) for cell in cells], notebook="/data/titanic/trackit-replay.ipynb")
    for execution, measured in zip(doc.executions, runtime):
        execution.runtime = measured
    for index, listed in (files or {}).items():
        doc.executions[index].input_files = listed
    if failed is not None:
        index, name, message = failed
        doc.executions[index].status = "error"
        doc.executions[index].error = ErrorInfo(name=name, message=message)
        doc.executions = doc.executions[: index + 1]
    return doc


def cells_for(doc, variable, edits=None):
    result = gather(doc, Target(variable))
    cells = []
    for number, cell in enumerate(result.cells, 1):
        source = (edits or {}).get(number, cell.source)
        from trackit_sidecar.protocol import source_sha256

        cells.append(ReplayedCell(number, f"g{number}", source, cell.origin, cell.compare, source_sha256(cell.source)))
    return cells


PASSENGERS = InputFile(path="/data/titanic/passengers.csv", size=100, sha256="5efb" + "0" * 60)
PASSENGERS_CHANGED = InputFile(path="/data/titanic/passengers.csv", size=101, sha256="91ac" + "0" * 60)


def test_every_step_matching_is_reproduced():
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889, fingerprint="xxh3_128:bbbb")]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 891)], [facts("df", 889, fingerprint="xxh3_128:bbbb")]])
    report = verify(doc, cells, replay)
    assert report.reproduced
    assert report.message == "reproduced ✓ (2 of 2 steps match)"


def test_an_input_changed_where_no_step_reads_it_is_said_beside_the_same_result():
    """A row of the csv edited in a column the target never keeps: every step matches, so the result reproduced, and
    the report says so, but it also says the file is not the recorded one (bench_reproduce's csv fault on islr
    chapter 3's `y` said only "reproduced ✓")."""
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889)]], files={1: [PASSENGERS]})
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 891)], [facts("df", 889)]], files={0: [PASSENGERS_CHANGED]})
    report = verify(doc, cells, replay)
    assert report.reproduced and [c.kind for c in report.unaffected_by] == ["input_changed"]
    assert report.message == ("reproduced ✓ (2 of 2 steps match), although input `passengers.csv` has changed since "
                              "(sha256 5efb… → 91ac…): the values measured at each step did not move")


def test_one_step_is_counted_as_one():
    doc = recorded([LOAD], [[facts("df", 891)]])
    cells = cells_for(doc, "df")
    report = verify(doc, cells, replayed(cells, [[facts("df", 891)]]))
    assert report.message == "reproduced ✓ (1 of 1 step matches)"


def test_first_divergence_names_the_step_the_counts_and_the_changed_input():
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889)]], files={1: [PASSENGERS]})
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 893, fingerprint="xxh3_128:cccc")], [facts("df", 891)]],
                      files={0: [PASSENGERS_CHANGED]})
    report = verify(doc, cells, replay)
    assert not report.reproduced
    assert report.divergence.check.number == 1
    assert report.message == (
        "step 1, cell 1 (from cell 1, run #1) `df = pd.read_csv('passengers.csv')`: recorded 891 rows, "
        "replay 893 rows; input `passengers.csv` has changed since (sha256 5efb… → 91ac…)")
    assert [c.kind for c in report.divergence.causes] == ["input_changed"]


def test_same_shape_different_values_is_a_divergence():
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889, fingerprint="xxh3_128:1111")]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 891)], [facts("df", 889, fingerprint="xxh3_128:2222")]])
    report = verify(doc, cells, replay)
    assert report.divergence.check.number == 2
    assert "same shape, different values (fingerprint 1111… → 2222…)" in report.message
    assert report.divergence.causes[0].kind == "unknown"


def test_fingerprints_from_different_hash_functions_are_not_a_difference():
    doc = recorded([LOAD], [[facts("df", 891, fingerprint="xxh3_128:1111")]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 891, fingerprint="blake2b:2222")]])
    assert verify(doc, cells, replay).reproduced


def test_a_removed_seed_is_named():
    seeded = LOAD + "\nnp.random.seed(42)"
    doc = recorded([seeded, SPLIT], [[facts("df", 891)], [facts("train", 713, fingerprint="xxh3_128:1111")]])
    cells = cells_for(doc, "train", edits={1: cells_for(doc, "train")[0].source.replace("np.random.seed(42)", "")})
    replay = replayed(cells, [[facts("df", 891)], [facts("train", 713, fingerprint="xxh3_128:9999")]])
    report = verify(doc, cells, replay)
    kinds = [c.kind for c in report.divergence.causes]
    assert kinds[0] == "seed_removed"
    assert "`np.random.seed(42)`" in report.message


def test_unseeded_randomness_is_named_when_the_recording_had_no_seed():
    doc = recorded([LOAD, SPLIT], [[facts("df", 891)], [facts("train", 713, fingerprint="xxh3_128:1111")]])
    cells = cells_for(doc, "train")
    replay = replayed(cells, [[facts("df", 891)], [facts("train", 713, fingerprint="xxh3_128:9999")]])
    report = verify(doc, cells, replay)
    assert report.divergence.causes[0].kind == "unseeded"
    assert "`train = df.sample(frac=0.8)` (cell 2) draws from numpy's global generator" in report.message


def test_a_changed_package_of_an_imported_module_is_named_and_others_are_not():
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889)]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 890)], [facts("df", 888)]])
    # a stamp lists modules only where the distribution is named otherwise; the replay's listing has them all
    before = {"python": "3.11.7", "packages": {"pandas": "2.2.3", "numpy": "1.26.4", "requests": "2.0"}, "modules": {}}
    after = {"python": "3.11.7", "packages": {"pandas": "2.2.3+shim", "numpy": "1.26.4", "requests": "3.0"},
             "modules": {"pandas": ["pandas"], "numpy": ["numpy"], "requests": ["requests"]}}
    report = verify(doc, cells, replay, before, after)
    assert [c.text for c in report.divergence.causes] == ["package pandas 2.2.3 → 2.2.3+shim"]


def test_a_failing_cell_is_the_divergence_with_its_error():
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889)]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[facts("df", 891)], []], failed=(1, "KeyError", "'Embarked'"))
    report = verify(doc, cells, replay)
    assert report.divergence.check is None and report.divergence.error == "KeyError: 'Embarked'"
    assert report.message.startswith("cell 2 (from cell 2, run #2) failed in the replay: KeyError: 'Embarked'")


def test_a_missing_module_is_the_cause_of_an_import_error():
    doc = recorded([LOAD], [[facts("df", 891)]])
    cells = cells_for(doc, "df")
    replay = replayed(cells, [[]], failed=(0, "ModuleNotFoundError", "No module named 'pandas'"))
    report = verify(doc, cells, replay)
    assert report.divergence.causes[0].kind == "missing_package"


def test_nothing_recorded_to_compare_is_not_called_reproduced():
    doc = recorded([LOAD, FILTER], [[], []])
    cells = cells_for(doc, "df")
    report = verify(doc, cells, replayed(cells, [[facts("df", 891)], [facts("df", 889)]]))
    assert not report.reproduced and report.divergence is None
    assert report.message.startswith("not verified: the recording has no runtime facts")


def test_a_variable_the_replayed_cell_left_alone_is_compared_with_its_earlier_value():
    # the gathered filter cell was edited to do nothing: the probe measures no `df` there, and df still has
    # the rows of the cell before, which is what differs from the recording
    doc = recorded([LOAD, FILTER], [[facts("df", 891)], [facts("df", 889)]])
    cells = cells_for(doc, "df", edits={2: "pass"})
    report = verify(doc, cells, replayed(cells, [[facts("df", 891)], []]))
    assert report.divergence.check.number == 2
    assert report.divergence.check.difference == "recorded 889 rows, replay 891 rows"
    assert report.divergence.causes[0].kind == "code_changed"


def test_a_whole_run_target_compares_what_it_printed():
    from trackit_sidecar.protocol import OutputInfo

    def printed(text):
        return OutputInfo(output_type="stream", mime="application/vnd.code.notebook.stdout", size=len(text),
                          sha256="0", text=text)

    doc = recorded([LOAD, "n = len(df)\nprint(f'rows: {n}')"], [[facts("df", 891)], []])
    doc.executions[1].outputs = [printed("rows: 891\n")]
    result = gather(doc, Target(seq=2))
    from trackit_sidecar.protocol import source_sha256

    cells = [ReplayedCell(i, f"g{i}", c.source, c.origin, c.compare, source_sha256(c.source), c.outputs)
             for i, c in enumerate(result.cells, 1)]
    replay = replayed(cells, [[facts("df", 891)], []])
    replay.executions[1].outputs = [printed("rows: 891\n")]
    report = verify(doc, cells, replay)
    assert report.reproduced and report.message == "reproduced ✓ (2 of 2 steps match)"
    replay.executions[1].outputs = [printed("rows: 890\n")]
    report = verify(doc, cells, replay)
    assert report.message.startswith("step 2, cell 2 (from cell 2, run #2) output: printed `rows: 891`, "
                                     "replay printed `rows: 890`")


def test_an_unordered_group_by_is_named():
    loop = "import polars as pl\nframe = pl.DataFrame({'k': [1, 2, 1], 'v': [1, 2, 3]})"
    last = "for key, group in frame.group_by('k'):\n    pass"
    doc = recorded([loop, last], [[facts("frame", 3)], [facts("group", 2, fingerprint="xxh3_128:1111")]])
    cells = cells_for(doc, "group")
    report = verify(doc, cells, replayed(cells, [[facts("frame", 3)], [facts("group", 1)]]))
    assert report.divergence.causes[0].kind == "unordered"
    assert "returns its groups in no fixed order" in report.message
