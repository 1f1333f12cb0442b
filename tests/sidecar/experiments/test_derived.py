"""derived.py: experiments kept derived (in memory and in the store) are exactly what building the whole notebook
from its records gives, through every kind of change, and only what changed is derived again.

A real DuckDB file and the service as the editor drives it (no kernel: captures, runtime facts, kernel answers and
stamps are sent the way the server stores them). The reference is build.build over the whole notebook's records,
the way every read derived experiments before they were kept.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Optional

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments import build as builder
from trackit_sidecar.experiments import derivation, derived_keys
from trackit_sidecar.experiments import derived as derived_module
from trackit_sidecar.experiments.revisions import Revision
from trackit_sidecar.experiments.service import KernelWork
from trackit_sidecar.lineage import records as lineage_records
from trackit_sidecar.lineage.analysis import SourceAnalysis, analyze_source
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

LOAD = ('import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n'
        'from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split\n'
        'df = pd.read_csv("data.csv")')
FILTER = 'adults = df[df["age"] >= {threshold}]'
SPLIT = ('X_train, X_test, y_train, y_test = train_test_split(adults[["age", "income"]], adults["y"], '
         'test_size=0.25, random_state=1)')
FIT = "model = LogisticRegression(C={c}).fit(X_train, y_train)"
SCORE = 'acc = accuracy_score(y_test, model.predict(X_test))\nprint(f"accuracy: {acc:.3f}")'


class Notebook:
    """A notebook recorded through the service: `run(cell, source)` sends one execution of the current run."""

    def __init__(self, folder: Path, db: str):
        self.folder = folder
        self.db = db
        self.path = folder / "nb.ipynb"
        self.uri = self.path.as_uri()
        (folder / "data.csv").write_text("age,income,y\n" + "30,1,0\n40,2,1\n" * 20)
        self.service = TrackitService(Store.open(db))
        self.session = 1
        self.order = 0
        self.t = 1_700_000_000_000.0
        self.events: list[str] = []

    def run(self, cell: int, source: str, printed: str = "") -> str:
        self.order += 1
        self.t += 1000
        event = p.CellExecution(
            event_id=str(uuid.uuid4()), notebook_uri=self.uri, notebook_path=str(self.path), cell_id=f"c{cell}",
            cell_index=cell, source=source, execution_order=self.order, started_at=self.t, ended_at=self.t + 5,
            status="ok", kernel_id=f"k{self.session}",
            outputs=[p.CellOutput(output_type="stream", mime="text/plain", text=printed)] if printed else [])
        self.service.ingest([event])
        self.events.append(event.event_id)
        return event.event_id

    def experiment(self, threshold: int, c: float, accuracy: float, load: bool = False) -> str:
        if load:
            self.run(0, LOAD)
        self.run(1, FILTER.format(threshold=threshold))
        self.run(2, SPLIT)
        self.run(3, FIT.format(c=c))
        return self.run(4, SCORE, f"accuracy: {accuracy:.3f}\n")

    def restart(self) -> None:
        self.session += 1
        self.order = 0

    def reopen(self) -> TrackitService:
        """A new process: a new service over the same file (the old one's memory is gone)."""
        self.service.store.close()
        self.service = TrackitService(Store.open(self.db))
        return self.service


def reference(store: Store, uri: str) -> list[dict]:
    """build.build over the whole notebook's records (ids and revisions as assigned)."""
    db = store.experiments
    doc = lineage_records.complete(store.lineage(uri))
    assigned = db.assigned(doc.notebook_uri)
    numbers = [n for n, _, _, _ in assigned]
    records = builder.Records(
        doc=doc, assigned=[builder.Assigned(n, seq, origin) for n, seq, origin, _ in assigned],
        kernel_answers=db.kernel_answers(doc.notebook_uri), names=db.names(numbers),
        overrides={n: parent for n, parent in db.parents().items() if n in numbers},
        revisions=[Revision(*row) for row in db.revisions()], stamps=db.stamps(doc.notebook_uri))
    return [e.model_dump() for e in builder.build(records)]


def listed(service: TrackitService, uri: str) -> list[dict]:
    return [e.model_dump() for e in service.experiments.experiments(uri).experiments]


def summaries(experiments: list[dict]) -> list[dict]:
    """The listing of `experiments`: in the order they ran (an id found later among earlier runs keeps its number)."""
    return [{k: v for k, v in e.items() if k in p.ExperimentSummary.model_fields}
            for e in sorted(experiments, key=lambda e: (e["seq"], int(e["id"][1:])))]


def check(notebook: Notebook) -> list[dict]:
    """Listing and whole experiments equal the reference, in this process and in a new one."""
    service = notebook.service
    listing = listed(service, notebook.uri)  # numbers new experiments first, as the first listing does
    expected = reference(service.store, notebook.uri)
    assert listing == summaries(expected)
    assert [e.model_dump() for e in service.experiments.all(notebook.uri)] == expected
    cold = TrackitService(service.store)  # a new service: only what the store kept
    assert listed(cold, notebook.uri) == summaries(expected)
    assert [e.model_dump() for e in cold.experiments.all(notebook.uri)] == expected
    assert cold.experiments.derived.derived_count == 0  # nothing was derived again: it was all kept
    return expected


def derived_after(notebook: Notebook, change) -> int:
    """How many experiments listing derives again after `change` (the same service, warm)."""
    service = notebook.service
    listed(service, notebook.uri)
    before = service.experiments.derived.derived_count
    change()
    check(notebook)
    return service.experiments.derived.derived_count - before


@pytest.fixture
def notebook(tmp_path) -> Notebook:
    book = Notebook(tmp_path, str(tmp_path / "t.duckdb"))
    book.experiment(30, 1.0, 0.81, load=True)
    book.experiment(40, 1.0, 0.79)
    book.experiment(30, 0.1, 0.80)
    book.restart()
    book.experiment(30, 1.0, 0.82, load=True)
    book.experiment(50, 1.0, 0.75)
    yield book
    book.service.store.close()


def test_kept_experiments_equal_the_whole_notebook_built_and_a_new_process_derives_none(notebook):
    expected = check(notebook)
    assert [e["id"] for e in expected] == ["E0001", "E0002", "E0003", "E0004", "E0005"]
    assert [e["parent"] for e in expected] == [None, "E0001", "E0001", "E0001", "E0004"]
    assert notebook.service.experiments.derived.derived_count == 5
    service = notebook.reopen()
    assert listed(service, notebook.uri) == summaries(expected)
    assert service.experiments.derived.derived_count == 0


def test_derived_rows_written_a_few_at_a_time_are_all_kept_and_read_back(notebook, monkeypatch):
    """store/derived.py writes a notebook's derived experiments _ROWS_AT_ONCE per statement (one statement for 222
    took DuckDB +10 MB for a moment): 5 experiments two at a time, all kept, equal in a new process."""
    from trackit_sidecar.store import derived as derived_store

    monkeypatch.setattr(derived_store, "_ROWS_AT_ONCE", 2)
    expected = check(notebook)
    assert len(expected) == 5
    service = notebook.reopen()
    assert listed(service, notebook.uri) == summaries(expected)
    assert service.experiments.derived.derived_count == 0


def test_a_listing_keeps_summaries_only_and_whole_experiments_are_read_back_when_asked_for(notebook):
    service = notebook.service
    listing = listed(service, notebook.uri)
    kept = service.experiments.derived._kept[notebook.uri]
    assert len(kept.summaries) == 5 and kept.full == {}  # derived and saved: the whole experiments were let go
    derived_before = service.experiments.derived.derived_count
    expected = reference(service.store, notebook.uri)
    assert listing == summaries(expected)
    assert [e.model_dump() for e in service.experiments.all(notebook.uri)] == expected
    assert service.experiments.derived.derived_count == derived_before  # read back from the store, not derived


def test_an_execution_that_is_no_experiment_derives_nothing_and_a_new_one_derives_itself(notebook):
    assert derived_after(notebook, lambda: notebook.run(5, "rows = len(adults)")) == 0
    assert derived_after(notebook, lambda: notebook.experiment(45, 10.0, 0.70)) == 1
    assert [e.parent for e in notebook.service.experiments.experiments(notebook.uri).experiments][-1] == "E0005"


def test_late_runtime_facts_derive_the_experiments_after_them_in_their_run(notebook):
    split_of_first_run = notebook.events[2]
    facts = [p.RuntimeFacts(variable="X_train", kind="DataFrame", rows_after=30, cols_after=2, fingerprint="xxh3:a")]
    # E0001..E0003 read that split's run; E0004 and E0005 are another run's
    assert derived_after(notebook, lambda: notebook.service.add_runtime_facts(split_of_first_run, facts)) == 3
    first = notebook.service.experiments.experiment("E0001")
    assert [(f.role, f.variable, f.rows) for f in first.frames] == [("split", "X_train", 30), ("fit", "X_train", 30)]


def test_a_re_analysis_derives_again_what_read_that_source(notebook):
    store = notebook.service.store
    sha = p.source_sha256(FILTER.format(threshold=40))  # E0002's filter (run 1 only)
    without_steps = SourceAnalysis(**{k: v for k, v in vars(analyze_source(FILTER.format(threshold=40))).items()
                                      if k in ("reads", "writes", "derivations", "analysis_error")})
    listed(notebook.service, notebook.uri)
    before = listed(notebook.service, notebook.uri)[1]["changed"]

    def reanalyse():
        store.update_analyses({sha: without_steps}, analyzer_version=10**6)
        notebook.service.invalidate()  # a write outside ingest (as a spool merge does): cached lineage forgotten

    assert derived_after(notebook, reanalyse) == 2
    after = notebook.service.experiments.experiment("E0002")
    assert before == ["preprocessing.filter_rows[age]"] and "preprocessing" not in after.features


def test_a_name_a_mark_and_a_reparent_are_seen_at_once_and_by_a_new_process(notebook):
    service = notebook.service
    assert derived_after(notebook, lambda: service.experiments.name("E0002", "threshold 40", "worse")) == 1
    assert derived_after(notebook, lambda: service.experiments.reparent("E0005", "E0002")) == 0
    listing = service.experiments.experiments(notebook.uri).experiments
    assert (listing[1].name, listing[4].parent, listing[4].parent_set_by_user) == ("threshold 40", "E0002", True)
    assert listing[4].changed == ["preprocessing.filter_rows[age]"]
    # the load of the second run becomes an experiment: only it is derived; later ones' parents are chosen again
    load_of_second_run = service.store.experiments.execution_of(notebook.events[13])[1]
    assert derived_after(notebook, lambda: service.experiments.mark(notebook.uri, seq=load_of_second_run)) == 1
    marked = service.experiments.experiment("E0006")
    assert (marked.origin, marked.seq, marked.parent) == ("manual", load_of_second_run, "E0003")
    shown = TrackitService(service.store).experiments.experiment("E0002")  # a new process reads the kept one
    assert (shown.name, shown.notes) == ("threshold 40", "worse")


def test_a_kernel_answer_and_a_stamp_reach_the_kept_experiments(notebook):
    service = notebook.service
    score_of_e0005 = notebook.events[-1]
    answer = {"values": {"acc": {"kind": "number", "value": 0.7512345}}}
    work = KernelWork(score_of_e0005, notebook.uri, 5)
    assert derived_after(notebook, lambda: service.experiments.record(work, answer=answer)) == 1
    assert service.experiments.experiment("E0005").primary_metric.value == 0.7512345
    stamp = p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", env={"PYTHONHASHSEED": "0"},
                       git=p.GitState(commit="abc", dirty_worktree=True))
    # the stamp of the second run: both its experiments carry it (dirty worktree, PYTHONHASHSEED)
    assert derived_after(notebook, lambda: service.experiments.record(work, stamp=stamp)) == 2
    fourth = TrackitService(service.store).experiments.experiment("E0004")
    assert fourth.dirty_worktree is True and fourth.stamp.git.commit == "abc"
    assert {(s.kind, s.value) for s in fourth.stamp.seeds} == {("random_state", 1), ("PYTHONHASHSEED", "0")}


def test_a_changed_csv_is_a_new_revision_for_the_experiments_that_read_it(notebook):
    (notebook.folder / "data.csv").write_text("age,income,y\n" + "31,1,0\n40,2,1\n" * 20)
    notebook.restart()
    derived_after(notebook, lambda: notebook.experiment(30, 1.0, 0.83, load=True))
    last = notebook.service.experiments.experiment("E0006")
    assert last.datasets[0].endswith("@D0002") and last.data_changed and last.parent == "E0004"


def test_new_code_derives_everything_again(notebook, monkeypatch):
    listed(notebook.service, notebook.uri)
    monkeypatch.setattr(derived_keys, "_code_version", "a newer analyzer")
    service = notebook.reopen()
    check(notebook)
    assert service.experiments.derived.derived_count == 5


def test_a_notebook_derived_whole_is_read_a_group_of_runs_at_a_time(notebook, monkeypatch):
    # its records held at once (2,000 runs: ~15 MB) were the high-water mark of listing every notebook's experiments
    service = notebook.service
    monkeypatch.setattr(derivation, "_READ_EXECUTIONS", 13)  # the fixture's runs: 13 and 9 executions
    derived = service.experiments.derived
    read_sessions: list[set[int]] = []
    whole = derived.lineage

    def counted(uri, **kwargs):
        doc = whole(uri, **kwargs)
        read_sessions.append({e.session for e in doc.executions})
        return doc

    monkeypatch.setattr(derived, "lineage", counted)
    check(notebook)
    assert read_sessions and all(len(sessions) == 1 for sessions in read_sessions)
    assert len(set().union(*read_sessions)) == 2  # both runs read, never together


def test_a_read_only_process_derives_in_memory_what_the_writer_left_stale(notebook):
    listed(notebook.service, notebook.uri)
    notebook.service.store.experiments.set_name(1, "baseline", None)  # written, not derived: the kept E0001 is stale
    notebook.service.store.close()
    reader = TrackitService(Store.open(notebook.db, read_only=True))
    try:
        assert listed(reader, notebook.uri)[0]["name"] == "baseline"
        assert listed(reader, notebook.uri) == summaries(reference(reader.store, notebook.uri))
        assert reader.experiments.derived.derived_count == 1
    finally:
        reader.store.close()
    notebook.service = TrackitService(Store.open(notebook.db))


def whole_notebook_diff(store: Store, a: str, b: str) -> dict:
    """A diff walked over the whole notebook's completed records (the way every diff read them before runs were
    read up to an experiment): the reference for CompareService.diff."""
    from trackit_sidecar.compare import sides
    from trackit_sidecar.compare.diff import diff as diff_sides
    from trackit_sidecar.compare.metrics import repeats
    from trackit_sidecar.render.compare import label_diff

    from trackit_sidecar.render.tree import label_document

    service = TrackitService(store)
    # completed and worded, as the service's session views hold every run it serves
    doc = label_document(lineage_records.complete(store.lineage(notebook_uri(store))))
    everything = service.experiments.all(doc.notebook_uri)
    side = {}
    for ref in (a, b):
        target = next(e for e in everything if e.id == ref)
        side[ref] = (sides.from_experiment(target, doc), repeats(target, everything))
    return label_diff(diff_sides(side[a][0], side[b][0], side[a][1], side[b][1])).model_dump()


def notebook_uri(store: Store) -> str:
    return store.notebooks()[0]


def test_a_diff_keeps_the_runs_it_read_and_sees_late_facts(notebook, monkeypatch):
    service = notebook.service
    assert service.compare.diff("E0002", "E0005").model_dump() == whole_notebook_diff(service.store, "E0002", "E0005")
    reads: list[tuple] = []
    lineage = service.store.lineage
    monkeypatch.setattr(service.store, "lineage", lambda *a, **k: reads.append((a, k)) or lineage(*a, **k))
    notebook.run(5, "rows = len(adults)")  # a later execution of the second run: neither prefix changed
    again = service.compare.diff("E0002", "E0005")
    assert again.model_dump() == whole_notebook_diff(service.store, "E0002", "E0005")
    # the first run's records were kept (the whole-notebook reads are the reference's, above)
    first_run = service.experiments.experiment("E0002").session
    assert [(a, k) for a, k in reads if k.get("session", a[1] if len(a) > 1 else None) == first_run] == []
    # late facts for the first run's split (before E0002): that prefix is read again and the diff shows them
    facts = [p.RuntimeFacts(variable="X_train", kind="DataFrame", rows_after=30, cols_after=2, fingerprint="xxh3:a")]
    service.add_runtime_facts(notebook.events[2], facts)
    changed = service.compare.diff("E0002", "E0005")
    assert changed.model_dump() == whole_notebook_diff(service.store, "E0002", "E0005")
    split = service.experiments.run_records(service.experiments.experiment("E0002")).executions[2]
    assert [f.rows_after for f in split.runtime] == [30]  # the records walked carry the late facts


def two_notebooks(tmp_path: Path, second_data: Optional[str] = None) -> tuple[Notebook, Notebook]:
    """Two notebooks with an experiment each, recorded by one service (one sidecar serving both); the second's
    data.csv is `second_data` when given (else the same bytes as the first's)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = Notebook(tmp_path / "a", str(tmp_path / "t.duckdb"))
    first.experiment(30, 1.0, 0.8, load=True)
    second = Notebook(tmp_path / "b", str(tmp_path / "t.duckdb"))
    second.service.store.close()
    second.service = first.service
    if second_data is not None:
        (tmp_path / "b" / "data.csv").write_text(second_data)
    second.experiment(40, 2.0, 0.9, load=True)
    return first, second


def test_only_the_notebook_last_measured_holds_its_measured_keys_and_both_still_read_right(tmp_path, monkeypatch):
    monkeypatch.setattr(derived_module, "_KEPT_NOTEBOOKS", 2)  # both kept in memory: only the keys are let go
    first, second = two_notebooks(tmp_path)
    service = first.service
    derived = service.experiments.derived
    expected_first = listed(service, first.uri)
    expected_second = listed(service, second.uri)
    kept = derived._kept
    assert kept[second.uri].keys is not None and kept[first.uri].keys is None  # a hash per execution, let go
    assert listed(service, first.uri) == expected_first == summaries(reference(service.store, first.uri))
    assert expected_second == summaries(reference(service.store, second.uri))
    assert kept[first.uri].keys is not None and kept[second.uri].keys is None
    experiment = service.experiments.all(first.uri)[0]
    assert derived.run_records(experiment).executions  # read again with a fresh prefix key


def test_only_the_notebook_listed_last_keeps_its_experiments_in_memory_the_others_are_read_back(tmp_path):
    # other bytes than the first's data: not a new revision of what the first notebook's experiments read
    first, second = two_notebooks(tmp_path, "age,income,y\n" + "35,3,1\n50,4,0\n" * 20)
    service = first.service
    derived = service.experiments.derived
    expected_first = listed(service, first.uri)
    expected_second = listed(service, second.uri)
    assert list(derived._kept) == [second.uri]  # the first notebook's experiments were let go
    derived_before = derived.derived_count
    assert listed(service, first.uri) == expected_first == summaries(reference(service.store, first.uri))
    assert [e.model_dump() for e in service.experiments.all(first.uri)] == reference(service.store, first.uri)
    assert derived.derived_count == derived_before  # read back from the store's rows, not derived again
    assert list(derived._kept) == [first.uri]
    assert listed(service, second.uri) == expected_second
    service.store.close()
    reader = TrackitService(Store.open(str(tmp_path / "t.duckdb"), read_only=True))  # keeps no rows: keeps all
    assert listed(reader, first.uri) == expected_first and listed(reader, second.uri) == expected_second
    assert sorted(reader.experiments.derived._kept) == sorted([first.uri, second.uri])
    reader.store.close()


def _art_index_bytes(store: Store) -> int:
    with store.connection.lock:
        found = store.connection.con.execute(
            "SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = 'ART_INDEX'").fetchone()
    return int(found[0]) if found else 0


def test_saving_derived_experiments_loads_no_index_into_duckdb_memory(notebook, monkeypatch):
    """A write to a table with a key loads the key's whole index into DuckDB's memory until the next checkpoint: a
    listing that saved its derived experiments kept +2.75 MB into the next listing (store/schema.py:
    _derived_experiments_unindexed). Their rows are replaced by delete and insert, one row a key."""
    service = notebook.service
    listed(service, notebook.uri)
    with service.store.connection.lock:
        service.store.connection.con.execute("CHECKPOINT")  # every index written out and let go
    notebook.experiment(60, 2.0, 0.7)  # a new experiment: listing derives and saves again
    saves = []
    save = type(service.store.derived).save

    def measured_save(self, *args, **kwargs):
        before = _art_index_bytes(service.store)
        save(self, *args, **kwargs)
        saves.append(_art_index_bytes(service.store) - before)

    monkeypatch.setattr(type(service.store.derived), "save", measured_save)
    check(notebook)
    assert saves and saves[0] == 0
    with service.store.connection.lock:
        con = service.store.connection.con
        for table, key in (("derived_experiments", "number"), ("derived_runs", "notebook_id, session"),
                           ("derived_notebooks", "notebook_id")):
            rows, keys = con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
            assert rows == keys > 0, table


def test_a_table_shown_of_a_scored_result_joins_that_experiment_and_derives_it_alone(notebook):
    """A later cell that only shows `confusion_matrix` of what E0005 scored is no experiment, but a second look at
    E0005's result (also_looked_at). It comes after E0005 and leaves E0005's key as it was: kept as derived, E0005
    did not list it (the kept experiments then differed from the whole notebook built)."""
    look = "from sklearn.metrics import confusion_matrix\nconfusion_matrix(y_test, model.predict(X_test))"
    assert derived_after(notebook, lambda: notebook.run(5, look)) == 1
    experiments = notebook.service.experiments.experiments(notebook.uri).experiments
    assert [e.id for e in experiments][-1] == "E0005"
    assert [(look.cell_index, look.functions) for look in experiments[-1].also_looked_at] == [(5, ["confusion_matrix"])]
    assert all(not e.also_looked_at for e in experiments[:-1])


def walks_while_listing(notebook: Notebook, monkeypatch) -> list[tuple[int, ...]]:
    """Listing the notebook's experiments (the service, warm): the runs detect.experiments_and_looks walked, one
    tuple of sessions per walk (every module that imports it counted)."""
    from trackit_sidecar.experiments import detect

    walks: list[tuple[int, ...]] = []
    walk = detect.experiments_and_looks

    def counted(run):
        run = list(run)
        walks.append(tuple(sorted({e.session for e in run})))
        return walk(run)

    with monkeypatch.context() as patch:
        for module in (detect, derivation, builder):
            if hasattr(module, "experiments_and_looks"):
                patch.setattr(module, "experiments_and_looks", counted)
        listed(notebook.service, notebook.uri)
    return walks


@pytest.mark.parametrize("held", [True, False], ids=["records held", "each run read again"])
def test_deriving_walks_each_run_once_to_find_its_experiments_and_looks(notebook, monkeypatch, held):
    """The runs read are walked once (derivation._detect_runs) for their experiments and second looks; building the
    experiments' own facts takes the looks found there (build.Records.looks) instead of walking each run again.
    Held or read again (_READ_EXECUTIONS: the fixture's runs are 13 and 9 executions), the same."""
    if not held:
        monkeypatch.setattr(derivation, "_READ_EXECUTIONS", 13)
    assert walks_while_listing(notebook, monkeypatch) == [(1,), (2,)]
    check(notebook)
    look = "from sklearn.metrics import confusion_matrix\nconfusion_matrix(y_test, model.predict(X_test))"
    notebook.run(5, look)  # a second look at E0005: its run is read again, once
    assert walks_while_listing(notebook, monkeypatch) == [(2,)]
    assert [look.seq for look in notebook.service.experiments.experiments(notebook.uri).experiments[-1]
            .also_looked_at] == [notebook.service.store.experiments.assigned(notebook.uri)[-1][1] + 1]
    check(notebook)
