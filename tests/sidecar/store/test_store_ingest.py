"""Ingest: append-only executions, content-addressed sources, dedupe, seq order, sessions, identity."""

from __future__ import annotations

import duckdb
import pytest

from trackit_sidecar.lineage.analysis import SourceAnalysis
from trackit_sidecar.protocol import InputFile, RuntimeFacts, SummaryResult
from trackit_sidecar.store import Store, StoreError, UnknownEvent, source_sha256

NB = "file:///tmp/trackit-tests/nb.ipynb"


def _count(db_path, sql: str) -> int:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_rerun_adds_a_row_and_the_same_source_is_stored_once(db_path, ev, analyses):
    runs = [ev(source="df = df.dropna()") for _ in range(3)]
    with Store.open(db_path) as store:
        assert store.ingest(runs[:1], analyses(runs[:1]), 1) == [1]
        assert store.ingest(runs[1:], analyses(runs[1:]), 1) == [2, 3]
    assert _count(db_path, "SELECT count(*) FROM executions") == 3
    assert _count(db_path, "SELECT count(*) FROM sources") == 1
    assert _count(db_path, f"SELECT count(*) FROM sources WHERE sha256 = '{source_sha256('df = df.dropna()')}'") == 1


def test_source_sha256_is_sha256_of_utf8_bytes():
    import hashlib

    assert source_sha256("é = 1\n") == hashlib.sha256("é = 1\n".encode("utf-8")).hexdigest()


def test_stored_source_keeps_its_first_analysis(mem_store, ev):
    first, again = ev(source="y = x"), ev(source="y = x")
    sha = source_sha256("y = x")
    mem_store.ingest([first], {sha: SourceAnalysis(reads=["x"], writes=["y"])}, 1)
    mem_store.ingest([again], {sha: SourceAnalysis(reads=["CHANGED"])}, 1)
    assert [e.reads for e in mem_store.lineage(NB).executions] == [["x"], ["x"]]


def test_duplicate_event_ids_return_none_and_write_nothing(mem_store, ev, analyses):
    a, b = ev(), ev()
    assert mem_store.ingest([a, b], analyses([a, b]), 1) == [1, 2]
    c = ev()
    repeat_in_batch = c.model_copy()
    assert mem_store.ingest([a, c, repeat_in_batch, b], analyses([c]), 1) == [None, 3, None, None]
    assert mem_store.count_executions() == 3


def test_seq_follows_started_at_not_arrival_order(mem_store, ev, analyses):
    early, late = ev(cell_id="early"), ev(cell_id="late")
    assert mem_store.ingest([late, early], analyses([early, late]), 1) == [2, 1]
    assert [e.cell_id for e in mem_store.lineage(NB).executions] == ["early", "late"]


def test_seq_is_per_notebook(mem_store, ev, analyses):
    batch = [ev(notebook_uri="file:///tmp/a.ipynb"), ev(notebook_uri="file:///tmp/b.ipynb"), ev(notebook_uri="file:///tmp/a.ipynb")]
    assert mem_store.ingest(batch, analyses(batch), 1) == [1, 1, 2]
    assert mem_store.notebooks() == ["file:///tmp/a.ipynb", "file:///tmp/b.ipynb"]
    assert mem_store.count_executions("/tmp/a.ipynb") == 2


def test_sessions_through_the_store_survive_reopen(db_path, ev, analyses):
    first = [ev(kernel_id="k1", execution_order=1), ev(kernel_id="k1", execution_order=2)]
    restarted = [ev(kernel_id="k1", execution_order=1)]
    other_kernel = [ev(kernel_id="k9", execution_order=2)]
    with Store.open(db_path) as store:
        store.ingest(first, analyses(first), 1)
        store.ingest(restarted, analyses(restarted), 1)
    # A fresh Store has no cache: the state must come back from the file.
    with Store.open(db_path) as store:
        store.ingest(other_kernel, analyses(other_kernel), 1)
        doc = store.lineage(NB)
    assert [(e.seq, e.session) for e in doc.executions] == [(1, 1), (2, 1), (3, 2), (4, 3)]
    assert [(s.id, s.executions) for s in doc.sessions] == [(1, 2), (2, 1), (3, 1)]


def test_an_event_that_cannot_be_stored_is_dead_lettered_and_the_rest_of_its_batch_stored(mem_store, ev):
    bad = ev(source="z = 1")
    good = ev()
    bad_analysis = {source_sha256("z = 1"): SourceAnalysis(steps=[{"op": "not-an-op"}])}
    assert mem_store.ingest([bad, good], bad_analysis, 1) == [None, 1]
    assert mem_store.count_executions() == 1
    [letter] = mem_store.dead_letters()
    assert letter.event_id == bad.event_id and "not-an-op" in letter.reason
    assert mem_store.ingest([bad], {}, 1) == [2]  # the same event, storable now, is accepted later


def test_source_without_analysis_is_marked_not_analysed(mem_store, ev):
    e = ev(source="%%bash\necho hi")
    mem_store.ingest([e], {}, 1)
    record = mem_store.lineage(NB).executions[0]
    assert record.analysis_error.startswith("not analysed")
    assert mem_store.analysed_shas(1) == set()


def test_analysed_shas_and_update_analyses(mem_store, ev, analyses):
    old, new = ev(source="a = 1"), ev(source="b = 2")
    mem_store.ingest([old], analyses([old]), 1)
    mem_store.ingest([new], analyses([new]), 2)
    assert mem_store.analysed_shas(2) == {source_sha256("b = 2")}
    assert mem_store.analysed_shas(1) == {source_sha256("a = 1"), source_sha256("b = 2")}
    updated = mem_store.update_analyses({source_sha256("a = 1"): SourceAnalysis(writes=["a2"]), "0" * 64: SourceAnalysis()}, 2)
    assert updated == 1
    assert mem_store.lineage(NB).executions[0].writes == ["a2"]
    assert len(mem_store.analysed_shas(2)) == 2


def test_notebook_found_by_uri_path_and_relative_path(tmp_path, monkeypatch, mem_store, ev, analyses):
    folder = tmp_path / "my notebooks"
    folder.mkdir()
    (folder / "ana lysis.ipynb").write_text("{}")
    link = tmp_path / "link.ipynb"
    link.symlink_to(folder / "ana lysis.ipynb")
    uri = "file://" + str(folder / "ana lysis.ipynb").replace(" ", "%20")
    e = ev(notebook_uri=uri)
    mem_store.ingest([e], analyses([e]), 1)
    monkeypatch.chdir(folder)
    for name in (uri, str(folder / "ana lysis.ipynb"), "ana lysis.ipynb", str(link)):
        doc = mem_store.lineage(name)
        assert len(doc.executions) == 1, name
        assert doc.notebook_uri == uri and doc.notebook == str(folder / "ana lysis.ipynb")
    assert mem_store.lineage(str(tmp_path / "other.ipynb")).executions == []


def test_path_and_uri_events_land_in_one_notebook(tmp_path, mem_store, ev, analyses):
    path = tmp_path / "nb.ipynb"
    from_editor = ev(notebook_uri=path.as_uri(), notebook_path=None)
    from_cli = ev(notebook_uri=path.as_uri(), notebook_path=str(path))
    mem_store.ingest([from_editor, from_cli], analyses([from_editor]), 1)
    assert mem_store.notebooks() == [path.as_uri()]


def test_memory_string_opens_an_in_memory_store():
    with Store.open(":memory:") as store:
        assert store.mode == "memory" and store.path is None and store.count_executions() == 0


def test_untitled_notebook_is_keyed_by_uri(mem_store, ev, analyses):
    e = ev(notebook_uri="untitled:Untitled-1.ipynb")
    mem_store.ingest([e], analyses([e]), 1)
    assert len(mem_store.lineage("untitled:Untitled-1.ipynb").executions) == 1
    assert mem_store.lineage("untitled:Untitled-1.ipynb").notebook == "untitled:Untitled-1.ipynb"


def test_find_cell_by_uri_returns_the_latest_cell(mem_store, ev, analyses):
    cell_uri = "vscode-notebook-cell:/tmp/trackit-tests/nb.ipynb#W1sZmlsZQ%3D%3D"
    batch = [ev(cell_id="old", cell_uri=cell_uri), ev(cell_id="new", cell_uri=cell_uri), ev(cell_id="x", cell_uri=None)]
    mem_store.ingest(batch, analyses(batch), 1)
    assert mem_store.find_cell_by_uri(cell_uri) == (NB, "new")
    assert mem_store.find_cell_by_uri("vscode-notebook-cell:/nope#x") is None


def test_runtime_facts_and_input_files_attach_to_their_execution(mem_store, ev, analyses):
    a, b = ev(), ev()
    mem_store.ingest([a, b], analyses([a, b]), 1)
    mem_store.add_runtime_facts(b.event_id, [RuntimeFacts(variable="df", rows_before=100, rows_after=90, added_columns=["z"])])
    mem_store.add_runtime_facts(b.event_id, [RuntimeFacts(variable="y")])
    mem_store.add_input_files(a.event_id, [InputFile(path="/tmp/in.csv", size=10, sha256="a" * 64)])
    mem_store.add_input_files(b.event_id, [InputFile(path="/tmp/in.csv", size=11, sha256="b" * 64, changed_since="a" * 64)])
    first, second = mem_store.lineage(NB).executions
    assert first.runtime == [] and [f.variable for f in second.runtime] == ["df", "y"]
    assert second.runtime[0].added_columns == ["z"] and second.runtime[0].rows_after == 90
    assert first.input_files[0].sha256 == "a" * 64 and second.input_files[0].changed_since == "a" * 64
    assert mem_store.last_input_file_sha("/tmp/in.csv") == "b" * 64
    assert mem_store.last_input_file_sha("/tmp/never.csv") is None


def test_facts_for_an_unknown_event_are_a_clear_error(mem_store):
    with pytest.raises(UnknownEvent, match="ingest it first"):
        mem_store.add_runtime_facts("missing", [RuntimeFacts(variable="df")])
    with pytest.raises(UnknownEvent):
        mem_store.add_input_files("missing", [InputFile(path="/x")])


def test_summaries_latest_per_provider(mem_store):
    def result(provider: str, markdown: str) -> SummaryResult:
        return SummaryResult(notebook_uri=NB, markdown=markdown, provider=provider, model="m",
                             created_at="2026-01-01T00:00:00+00:00", prompt_sha256="p" * 64, warnings=["w"])

    assert mem_store.latest_summary(NB) is None
    mem_store.save_summary(result("builtin", "one"))
    mem_store.save_summary(result("ollama", "two"))
    mem_store.save_summary(result("builtin", "three"))
    assert mem_store.latest_summary(NB).markdown == "three"
    latest_ollama = mem_store.latest_summary("/tmp/trackit-tests/nb.ipynb", provider="ollama")
    assert latest_ollama.markdown == "two" and latest_ollama.cached is True
    assert latest_ollama.warnings == ["w"] and latest_ollama.prompt_sha256 == "p" * 64
    assert mem_store.latest_summary(NB, provider="builtin", prompt_sha256="p" * 64).markdown == "three"
    assert mem_store.latest_summary(NB, prompt_sha256="q" * 64) is None


def test_cell_history_groups_runs_by_source(mem_store, ev, analyses):
    batch = [
        ev(cell_id="c1", source="a = 1"),
        ev(cell_id="c1", source="a = 2", status="error", error_name="E"),
        ev(cell_id="c1", source="a = 2"),
        ev(cell_id="c2", source="b = a"),
    ]
    mem_store.ingest(batch, analyses(batch), 1)
    history = mem_store.cell_history(NB, "c1")
    assert [(v.source, v.runs, v.statuses) for v in history.versions] == [
        ("a = 1", 1, {"ok": 1}),
        ("a = 2", 2, {"error": 1, "ok": 1}),
    ]
    assert history.versions[1].first_run_at < history.versions[1].last_run_at
    assert {v.cell_id for v in mem_store.cell_history(NB).versions} == {"c1", "c2"}


def test_writes_on_a_read_only_store_are_refused(db_path, ev, analyses):
    Store.open(db_path).close()
    with Store.open(db_path, read_only=True) as ro:
        with pytest.raises(Exception, match="read-only"):
            ro.ingest([ev()], {}, 1)


def test_concurrent_ingest_from_threads_keeps_every_event_once(db_path, ev, analyses):
    import threading

    batches = [[ev(cell_id=f"t{t}", source=f"t{t} = {i}") for i in range(30)] for t in range(4)]
    with Store.open(db_path) as store:
        threads = [threading.Thread(target=store.ingest, args=(b, analyses(b), 1)) for b in batches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seqs = [e.seq for e in store.lineage(NB).executions]
    assert seqs == list(range(1, 121))


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path):
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_bytes(b"my precious notes\n" * 1000)
    with pytest.raises(StoreError, match="is damaged"):
        Store.open(not_a_db)
    assert not_a_db.read_bytes() == b"my precious notes\n" * 1000


def test_uri_through_a_symlinked_folder_matches_the_real_path(tmp_path, mem_store, ev, analyses):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    (real_dir / "nb.ipynb").write_text("{}")
    (tmp_path / "linked").symlink_to(real_dir, target_is_directory=True)
    e = ev(notebook_uri=(tmp_path / "linked" / "nb.ipynb").as_uri())
    mem_store.ingest([e], analyses([e]), 1)
    assert len(mem_store.lineage(str(real_dir / "nb.ipynb")).executions) == 1
    assert mem_store.lineage(str(real_dir / "nb.ipynb")).notebook == str(real_dir / "nb.ipynb")


def test_two_stores_on_one_file_in_one_process_never_share_a_seq(db_path, ev, analyses):
    # DuckDB hands both opens the same database instance; numbering must come from the file.
    first, second = Store.open(db_path), Store.open(db_path)
    try:
        a, b, c = ev(), ev(), ev()
        assert first.ingest([a], analyses([a]), 1) == [1]
        assert second.ingest([b], analyses([b]), 1) == [2]
        assert first.ingest([c], analyses([c]), 1) == [3]
    finally:
        second.close()
        first.close()


def test_default_analyzer_version_is_the_analyzers(mem_store, ev, analyses):
    from trackit_sidecar.lineage.analysis import ANALYZER_VERSION

    e = ev(source="k = 1")
    mem_store.ingest([e], analyses([e]))
    assert mem_store.analysed_shas(ANALYZER_VERSION) == {source_sha256("k = 1")}
    assert mem_store.stored_shas([source_sha256("k = 1"), "0" * 64]) == {source_sha256("k = 1")}


def test_an_outdated_or_missing_analysis_is_upgraded_by_a_newer_one(mem_store, ev):
    old, missing = ev(source="m = 1"), ev(source="n = 1")
    mem_store.ingest([old], {source_sha256("m = 1"): SourceAnalysis(writes=["old"])}, 1)
    mem_store.ingest([missing], {}, 1)
    assert mem_store.stored_shas([source_sha256("m = 1"), source_sha256("n = 1")], 2) == set()

    rerun = [ev(source="m = 1"), ev(source="n = 1")]
    mem_store.ingest(rerun, {source_sha256("m = 1"): SourceAnalysis(writes=["new"]),
                             source_sha256("n = 1"): SourceAnalysis(writes=["n"])}, 2)
    doc = mem_store.lineage(NB)
    # The source's row is upgraded; an earlier run keeps the analysis it was classified with (in its own context,
    # which the new one need not share), a source never analysed reads the new one.
    assert [e.writes for e in doc.executions] == [["old"], ["n"], ["new"], ["n"]]
    assert doc.executions[1].analysis_error is None
    assert mem_store.analysed_shas(2) == {source_sha256("m = 1"), source_sha256("n = 1")}


def test_missing_values_by_column_are_stored_and_facts_stored_without_them_read_as_not_counted(db_path, ev, analyses):
    """The facts column is JSON: no migration. A frame's counts by column come back as stored ({} is "no gaps", not
    "not counted"); a row an older probe wrote (no such field) reads None, which leaves the runtime rules as before."""
    new, old = ev(source="df = df.fillna(0)"), ev(source="df = df.fillna(0)")
    with Store.open(db_path) as store:
        store.ingest([new, old], analyses([new, old]), 1)
        store.add_runtime_facts(new.event_id, [RuntimeFacts(variable="df", kind="DataFrame", nulls_before=3, nulls_after=0,
                                                             column_nulls_before={"a": 1, "b": 2}, column_nulls_after={})])
    con = duckdb.connect(str(db_path))
    try:
        notebook_id = con.execute("SELECT notebook_id FROM executions WHERE event_id = ?", [old.event_id]).fetchone()[0]
        con.execute("INSERT INTO runtime_facts VALUES (?, ?, 0, ?)",
                    [old.event_id, notebook_id, '{"variable": "df", "kind": "DataFrame", "nulls_before": 3, "nulls_after": 3}'])
    finally:
        con.close()
    with Store.open(db_path) as store:
        measured, older = (e.runtime[0] for e in store.lineage(NB).executions)
    assert (measured.column_nulls_before, measured.column_nulls_after) == ({"a": 1, "b": 2}, {})
    assert (older.column_nulls_before, older.column_nulls_after, older.nulls_after) == (None, None, 3)
