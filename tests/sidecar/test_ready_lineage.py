"""A whole notebook's lineage read from ready rows (ready_lineage.py) says what the document made from the records
says (public_lineage), through every kind of change: rows that no longer match are never served, and are made
again; a database from before the rows gets them made once."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar import ready_lineage
from trackit_sidecar.lineage.analysis import ANALYZER_VERSION
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store, schema
from trackit_sidecar.whole_lineage import document_parts

from .test_lineage_views import CELLS, _event_id, ev


@pytest.fixture
def service(tmp_path):
    svc = TrackitService(Store.open(str(tmp_path / "ready.duckdb")))
    yield svc
    svc.store.close()


def made(service: TrackitService) -> None:
    while service.ready.make_some():
        pass


def reference(service: TrackitService, uri: str, include_source: bool) -> dict:
    """The document as it was made before ready rows: by a new service (nothing held) from the records, as the server
    sends it (whole_lineage.document_parts)."""
    fresh = TrackitService(service.store)
    for notebook_uri, shas in service._current_sources.items():
        fresh.set_current_sources(notebook_uri, shas)
    return json.loads(b"".join(document_parts(fresh.public_lineage(uri, include_experiments=False), include_source)))


def ready(service: TrackitService, uri: str, include_source: bool = False):
    """The document read from the rows, each record with its shared part put back (as every reader does)."""
    text = service.whole_lineage_json(uri, include_source)
    return p.with_shared_parts(json.loads(text)) if text is not None else None


def assert_ready_equals_the_records(service: TrackitService, uri: str) -> None:
    for include_source in (False, True):
        assert ready(service, uri, include_source) == reference(service, uri, include_source)


def test_rows_equal_the_document_made_from_the_records_through_new_runs_late_facts_statuses_restarts_and_edits(
        service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10)])
    assert ready(service, uri) is None  # no rows yet: the caller makes the document
    made(service)
    assert_ready_equals_the_records(service, uri)

    service.ingest([ev(nb, 3, 3, t + 20), ev(nb, 2, 4, t + 30, status="error"), ev(nb, 4, 5, t + 40)])
    assert ready(service, uri) is None  # the new runs have no rows: never a document without them
    made(service)
    assert_ready_equals_the_records(service, uri)

    # facts for the failed run arrive after later runs: it wrote nothing, so cell 4 now reads cell 3's df
    before = ready(service, uri)["executions"][4]["parents"]
    service.add_runtime_facts(_event_id(service, uri, 4), [p.RuntimeFacts(variable="df", kind="DataFrame",
                                                                          rows_after=2, changed=False)])
    assert ready(service, uri) is None  # a later row was made from what the failed run said before
    made(service)
    assert_ready_equals_the_records(service, uri)
    assert (before, ready(service, uri)["executions"][4]["parents"]) == ([4], [3])

    # every run of the session unreachable: the session says it once, its runs' own notes are worded again
    service.set_runtime_status({_event_id(service, uri, seq): ("kernel_unreachable", None) for seq in range(1, 6)})
    assert ready(service, uri) is None
    made(service)
    assert_ready_equals_the_records(service, uri)
    assert ready(service, uri)["sessions"][0]["runtime_note"] == "runtime facts unavailable (kernel did not answer)"

    # a later run the kernel answered for: the session no longer says it, each earlier run says it itself (their
    # records are unchanged, their rows are not)
    service.ingest([ev(nb, 1, 6, t + 45)])
    service.set_runtime_status({_event_id(service, uri, 6): ("captured", "announced")})
    made(service)
    assert_ready_equals_the_records(service, uri)
    assert ready(service, uri)["executions"][0]["runtime_note"] == "runtime facts unavailable (kernel did not answer)"

    service.ingest([ev(nb, 0, 1, t + 50, kernel="k2"), ev(nb, 4, 2, t + 60, kernel="k2")])  # a restart
    made(service)
    assert_ready_equals_the_records(service, uri)

    # what the cells hold now is judged on every read: an edit needs no row made again
    service.set_current_sources(uri, {"c1": "edited", "c0": p.source_sha256(CELLS[0])})
    service.sources_changed(uri)
    got = ready(service, uri)
    assert got == reference(service, uri, False)
    assert [e.get("stale") for e in got["executions"]][:3] == [None, "edited", "upstream"]


def test_runs_of_the_same_code_send_what_its_analysis_gave_once_and_read_back_as_the_records(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, c % 5, c + 1, 1e12 + c * 10, kernel=f"k{c // 5}") for c in range(20)])  # 4 runs of 5 cells
    made(service)
    sent = json.loads(service.whole_lineage_json(uri, False))
    parts, runs = sent[p.SHARED_PARTS], sent["executions"]
    assert len(runs) == 20 and len(parts) == 5  # one per cell: each cell's code analysed alike in every run
    assert all(set(part) <= set(p.SHARED_FIELDS) for part in parts) and any("steps" in part for part in parts)
    assert not any(name in run for run in runs for name in p.SHARED_FIELDS)  # only in the table
    assert [parts[run[p.SHARED_PART]] for run in runs[5:10]] == [parts[run[p.SHARED_PART]] for run in runs[:5]]
    whole = reference(service, uri, False)
    assert len(json.dumps(sent)) < len(json.dumps(whole)) * 0.8
    assert p.with_shared_parts(sent) == whole
    # a reader through the model gets every field back
    parsed = p.LineageDocument.model_validate(json.loads(service.whole_lineage_json(uri, True)))
    assert parsed == p.LineageDocument.model_validate(reference(service, uri, True)) and parsed.executions[1].steps


def test_a_record_naming_a_shared_part_the_document_lacks_is_one_clear_error():
    sent = {"format": p.LINEAGE_FORMAT, "notebook": "n", "notebook_uri": "file:///n", p.SHARED_PARTS: [{"reads": ["df"]}],
            "executions": [{"seq": 7, p.SHARED_PART: 1}]}
    with pytest.raises(ValueError, match="execution 7 names shared_part 1, but the document has 1"):
        p.LineageDocument.model_validate(sent)


def test_a_run_stamp_is_added_with_the_seeds_its_code_set(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, 0, 1, 1e12, source="import numpy as np\nnp.random.seed(7)"), ev(nb, 1, 2, 1e12 + 10),
                    ev(nb, 0, 1, 1e12 + 50, kernel="k2")])
    service.store.experiments.save_stamp(_event_id(service, uri, 1),
                                         p.RunStamp(stamped_at="2026-12-03T10:00:00+00:00", python_version="3.11.7"))
    made(service)
    got = ready(service, uri)
    assert got == reference(service, uri, False)
    assert got["sessions"][0]["stamp"]["python_version"] == "3.11.7" and got["sessions"][0]["stamp"]["seeds"]
    assert got["sessions"][1]["stamp"] is None


def test_new_code_or_a_new_analyzer_makes_every_row_again(service, tmp_path, monkeypatch):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, c, c + 1, 1e12 + c * 10) for c in range(5)])
    made(service)
    assert ready(service, uri) is not None
    monkeypatch.setattr(ready_lineage, "code_version", lambda: "a newer analyzer")
    assert ready(service, uri) is None  # rows worded by other code are never served
    made(service)
    assert_ready_equals_the_records(service, uri)
    wordings = service.store.connection.con.execute("SELECT DISTINCT wording FROM lineage_rows").fetchall()
    assert wordings == [("a newer analyzer",)]


def test_a_database_from_before_the_rows_gets_them_made_once_with_one_line_and_loses_nothing(tmp_path, caplog):
    path = str(tmp_path / "old.duckdb")
    notebooks = [tmp_path / f"nb{k}.ipynb" for k in range(2)]
    with Store.open(path) as store:
        for nb in notebooks:
            store.ingest([ev(nb, c % 5, c + 1, 1e12 + c * 10) for c in range(12)], {})
        # what a release before the rows wrote: the same records, no rows table, the schema version before it
        store.connection.con.execute("DROP TABLE lineage_rows")
        store.connection.con.execute("DROP TABLE analyses")  # and what versions after it added
        store.connection.con.execute("DROP TABLE session_contexts")
        store.connection.con.execute("ALTER TABLE executions DROP COLUMN analysis_sha256")
        store.connection.con.execute("DELETE FROM schema_version WHERE version >= ?",
                                     [schema.MIGRATIONS.index(schema._ready_lineage_rows) + 1])
    with Store.open(path) as store:
        service = TrackitService(store)
        caplog.set_level(logging.INFO, logger="trackit_sidecar.ready_lineage")
        assert ready(service, notebooks[0].as_uri()) is None
        made(service)
        lines = [r.getMessage() for r in caplog.records if r.name == "trackit_sidecar.ready_lineage"]
        assert lines[0].startswith("lineage rows: making the ready rows of 24 executions in 2 notebooks once")
        assert len(lines) == 2 and lines[1].startswith("lineage rows: ready (24 made")
        assert store.count_executions() == 24
        for nb in notebooks:
            assert_ready_equals_the_records(service, nb.as_uri())
    with Store.open(path) as store:  # made once: a new process has nothing to make
        caplog.clear()
        assert not TrackitService(store).ready.make_some()
        assert not [r for r in caplog.records if r.name == "trackit_sidecar.ready_lineage"]


def test_a_read_only_store_makes_no_rows_and_is_answered_from_the_records(tmp_path):
    path = str(tmp_path / "ro.duckdb")
    nb = tmp_path / "nb.ipynb"
    with Store.open(path) as store:
        TrackitService(store).ingest([ev(nb, c, c + 1, 1e12 + c * 10) for c in range(3)])
    with Store.open(path, read_only=True) as store:
        service = TrackitService(store)
        assert not service.ready.make_some()
        assert ready(service, nb.as_uri()) is None


def test_a_long_run_is_made_from_the_records_a_read_holds_never_read_for_its_rows_alone(service, tmp_path, monkeypatch):
    monkeypatch.setattr(ready_lineage, "MAX_RUN_READ", 4)
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, c % 5, c + 1, 1e12 + c * 10) for c in range(6)] +  # one run of 6, then one of 2
                   [ev(nb, c, c + 1, 1e12 + 1000 + c * 10, kernel="k2") for c in range(2)])
    made(service)
    assert ready(service, uri) is None
    kept = service.store.connection.con.execute("SELECT session, count(*) FROM lineage_rows GROUP BY ALL").fetchall()
    assert kept == [(2, 2)]
    service.lineage(uri)  # the editor reads it whole (the records made the old way): the long run is held now
    made(service)
    assert_ready_equals_the_records(service, uri)


def test_a_run_changed_since_its_rows_were_made_is_read_from_the_records_the_others_from_their_rows(
        service, tmp_path, monkeypatch):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, c, c + 1, 1e12 + k * 1000 + c * 10, kernel=f"k{k}") for k in range(4) for c in range(3)])
    made(service)
    service.ingest([ev(nb, 3, 4, 1e12 + 3050, kernel="k3")])  # the latest run goes on
    service.set_runtime_status({_event_id(service, uri, 11): ("kernel_unreachable", None)})
    service.set_current_sources(uri, {"c0": "edited"})
    read_from_records: list[int] = []
    document = service.views.document
    monkeypatch.setattr(service.views, "document", lambda notebook, session=None, **kw: (
        read_from_records.append(session), document(notebook, session=session, **kw))[1])
    assert_ready_equals_the_records(service, uri)
    assert read_from_records == [4, 4]  # once per answer: the other runs came from their rows
    assert [e.get("stale") for e in ready(service, uri)["executions"]][:12:3] == ["edited"] * 4
    made(service)
    read_from_records.clear()
    assert_ready_equals_the_records(service, uri)
    assert read_from_records == []


def test_what_a_row_is_made_from_is_its_runs_record_hashes_summed_up_to_it(service, tmp_path):
    """store.derived.run_inputs (read without the experiments' own parts) sums the record hashes measure() reads,
    run by run; facts arriving for a run change what its rows from that execution on are made from, nothing else."""
    from itertools import accumulate

    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, c, c + 1, 1e12 + k * 1000 + c * 10, kernel=f"k{k}") for k in range(2) for c in range(3)])
    service.set_runtime_status({_event_id(service, uri, 4): ("captured", "announced")})

    def summed() -> dict[int, tuple[int, str]]:
        return {seq: (session, str(total)) for session, runs in service.store.derived.measure(uri).executions.items()
                for (seq, _, _), total in zip(runs, accumulate(record for _, record, _ in runs))}

    before = service.store.derived.run_inputs(uri)
    assert before == summed() and list(before) == [1, 2, 3, 4, 5, 6]
    assert {session for session, _ in before.values()} == {1, 2}
    service.add_runtime_facts(_event_id(service, uri, 2), [p.RuntimeFacts(variable="df", kind="DataFrame",
                                                                          rows_after=2, changed=True)])
    after = service.store.derived.run_inputs(uri)
    assert after == summed()
    assert [seq for seq in after if after[seq] != before[seq]] == [2, 3]
    assert service.store.derived.run_inputs("file:///never/recorded.ipynb") is None


def test_a_source_analysed_again_in_place_is_not_served_from_what_was_held_of_it(tmp_path: Path) -> None:
    """After an analyzer upgrade, re-running a cell text run before analyses that source again in place, in the new
    run's context; the earlier execution keeps the analysis it was classified with (named as its own: it now reads
    from another row). Neither the held views nor ready rows made from them may serve anything else, also after a
    restart."""
    store = Store.open(str(tmp_path / "upgrade.duckdb"))
    nb = tmp_path / "nb.ipynb"
    uri, t = nb.as_uri(), 1e12
    TrackitService(store).ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10)])
    # as an older analyzer left it: the cleaning cell's source with no steps
    store.connection.con.execute("UPDATE sources SET analyzer_version = ?, steps = '[]', writes = '[]', reads = '[]' "
                                 "WHERE text = ?", [ANALYZER_VERSION - 1, "df = df.dropna()"])
    service = TrackitService(store)  # a new process of the new version
    service.public_lineage(uri, include_experiments=False)  # the editor reads it: its views are held
    made(service)
    service.ingest([ev(nb, 1, 1, t + 1000, kernel="k2")])  # the same text run again, in a new session
    made(service)
    want = reference(service, uri, False)
    assert [s["op"] for s in want["executions"][2]["steps"]] == ["drop_missing"]
    assert "steps" not in want["executions"][1]  # the older analyzer's, as it was stored
    assert ready(service, uri) == want
    held = json.loads(b"".join(document_parts(service.public_lineage(uri, include_experiments=False), False)))
    assert held == want
    restarted = TrackitService(store)
    made(restarted)
    assert ready(restarted, uri) == want


def _rows(service: TrackitService, uri: str) -> list:
    return service.store.ready.read(uri, judged=False, text=False)


@pytest.mark.parametrize("held", [False, True])
def test_rows_are_made_a_piece_at_a_time_stopping_when_other_work_waits(service, tmp_path, monkeypatch, held):
    """Review F6: a long run is not made in one step while a capture waits; each piece is made and saved by itself
    (from the run held, or read a piece at a time, each completed against the pieces before it)."""
    monkeypatch.setattr(ready_lineage, "STEP_EXECUTIONS", 3)
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, i % 5, i + 1, 1e12 + 10 * i) for i in range(10)])
    service.views.forget()
    if held:
        service.lineage(uri)
    made_after_each_step = []
    while service.ready.make_some(waiting=lambda: True):  # other work always waits: one piece per step
        made_after_each_step.append(len(_rows(service, uri)))
    assert made_after_each_step == [3, 6, 9, 10]  # (the last step finds nothing left)
    assert_ready_equals_the_records(service, uri)


def test_a_run_read_in_pieces_that_changes_between_steps_is_read_again(service, tmp_path, monkeypatch):
    """Pieces read before late facts changed one of them are not completed against any more: a later piece's rows
    would carry what the old records said under the new inputs (here: whose `df` cell 4 reads)."""
    monkeypatch.setattr(ready_lineage, "STEP_EXECUTIONS", 2)
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10), ev(nb, 3, 3, t + 20), ev(nb, 2, 4, t + 30, status="error"),
                    ev(nb, 4, 5, t + 40)])
    service.views.forget()
    assert service.ready.make_some(waiting=lambda: True) and service.ready.make_some(waiting=lambda: True)
    assert len(_rows(service, uri)) == 4  # seqs 1-4 read and made; 5 not yet
    # facts for the failed run: it wrote nothing, so cell 4 (seq 5) reads cell 3's df
    service.add_runtime_facts(_event_id(service, uri, 4), [p.RuntimeFacts(variable="df", kind="DataFrame",
                                                                          rows_after=2, changed=False)])
    service.views.forget()
    made(service)
    assert_ready_equals_the_records(service, uri)
    assert ready(service, uri)["executions"][4]["parents"] == [3]


def test_a_row_whose_text_is_damaged_is_answered_from_the_records_with_one_line_and_made_again(
        service, tmp_path, caplog):
    """Review F7: a row's text is checked (cheaply) before it is spliced into the answer."""
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, i % 5, i + 1, 1e12 + 10 * i, kernel="k1" if i < 4 else "k2") for i in range(8)])
    made(service)
    conn = service.store.ready._conn
    with conn.lock:  # in the second run: the first is still read from its rows
        conn.con.execute("UPDATE lineage_rows SET tail = left(tail, 9) WHERE seq = 6")
        conn.con.execute("UPDATE lineage_rows SET head = '' WHERE seq = 8")
    caplog.set_level(logging.WARNING, logger="trackit_sidecar.ready_lineage")
    assert_ready_equals_the_records(service, uri)
    lines = [r.getMessage() for r in caplog.records if r.name == "trackit_sidecar.ready_lineage"]
    assert len(lines) == 1 and "2 of" in lines[0] and "seq 6" in lines[0], lines
    made(service)
    rows = service.store.ready.read(uri)
    assert len(rows) == 8 and all(ready_lineage.row_text_ok(r) for r in rows)
    assert_ready_equals_the_records(service, uri)


def test_a_notebook_whose_rows_cannot_be_made_goes_to_the_back_is_logged_once_and_raises(
        service, tmp_path, monkeypatch, caplog):
    """Review F5 (the notebook's part): the other notebooks' rows are still made, the failing one is tried again."""
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    service.ingest([ev(first, 0, 1, 1e12), ev(first, 1, 2, 1e12 + 10)])
    service.ingest([ev(second, 0, 1, 1e12 + 20), ev(second, 1, 2, 1e12 + 30)])
    failing = {first.as_uri()}
    make = service.ready._make

    def failing_make(uri, *args):
        if uri in failing:
            raise RuntimeError("a damaged page")
        return make(uri, *args)

    monkeypatch.setattr(service.ready, "_make", failing_make)
    caplog.set_level(logging.WARNING, logger="trackit_sidecar.ready_lineage")
    for _ in range(3):
        with pytest.raises(RuntimeError):
            service.ready.make_some()
    assert len(_rows(service, second.as_uri())) == 2 and _rows(service, first.as_uri()) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "trackit_sidecar.ready_lineage"]
    assert len(lines) == 1 and first.as_uri() in lines[0], lines
    failing.clear()
    assert not service.ready.make_some()
    assert len(_rows(service, first.as_uri())) == 2
    assert_ready_equals_the_records(service, first.as_uri())
