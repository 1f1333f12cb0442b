"""Poison isolation in the writer: an event the store cannot hold goes to the dead letter with its reason,
and the rest of its batch is stored; stored times that are no real time never break a notebook's lineage."""

from __future__ import annotations

import json

import pytest

from trackit_sidecar.protocol import CellOutput
from trackit_sidecar.store import Store, admission
from trackit_sidecar.store.admission import EPOCH_MS_MAX, INT32_MAX, Admitted, Rejection, admit, clean_text

NB = "file:///tmp/trackit-tests/nb.ipynb"

# The values issue 9 found stopping all recording: each passes protocol validation.
POISON = {
    "cell_index 2^40": {"cell_index": 2**40},
    "execution_order 2^40": {"execution_order": 2**40},
    "negative cell_index": {"cell_index": -1},
    "NaN start": {"started_at": float("nan")},
    "start 1e30": {"started_at": 1e30},
    "end -1e15": {"ended_at": -1e15},
    "end after 2200": {"ended_at": EPOCH_MS_MAX + 1},
    "event_id of 5,000 characters": {"event_id": "e" * 5000},
}


@pytest.mark.parametrize("name", list(POISON))
def test_a_poison_event_is_dead_lettered_and_its_batch_stored(mem_store, ev, analyses, name):
    events = [ev() for _ in range(3)]
    poison = ev(**POISON[name])
    batch = events[:1] + [poison] + events[1:]
    seqs = mem_store.ingest(batch, analyses(batch), 1)
    assert seqs == [1, None, 2, 3]
    [letter] = mem_store.dead_letters()
    assert letter.event_id == poison.event_id[:admission.MAX_ID_CHARS]
    assert letter.reason and letter.notebook_uri == NB
    assert json.loads(letter.payload)["source"] == poison.source
    # a re-sent poison event is dead-lettered once, not again
    mem_store.ingest([poison], {}, 1)
    assert mem_store.count_dead_letters() == 1


def test_lone_surrogates_are_replaced_not_refused_and_the_content_address_is_kept(mem_store, ev):
    event = ev(source="s = '\ud800'", error_name="E\udfff", error_message="bad \ud800",
               outputs=[CellOutput(mime="text/plain", text="out \udc00")], cell_id="cell-\ud800")
    assert mem_store.ingest([event], {}, 1) == [1]
    record = mem_store.lineage(NB).executions[0]
    assert record.source == "s = '\ufffd'" and record.outputs[0].text == "out \ufffd"
    assert record.error.name == "E\ufffd" and record.cell_id == "cell-\ufffd"
    assert record.source_sha256 == event.content_sha256()  # of the text the editor ran


def test_a_value_the_database_refuses_is_isolated_even_when_admission_let_it_through(mem_store, ev, analyses,
                                                                                    monkeypatch):
    # Admission is the first line; the writer's split-and-retry is the second, for whatever it misses.
    monkeypatch.setattr(admission, "problems", lambda event: [])
    events = [ev() for _ in range(40)]
    events[17] = ev(cell_index=2**40)  # INT32 column: DuckDB refuses it (Conversion Error)
    events[30] = ev(execution_order=2**40)
    seqs = mem_store.ingest(events, analyses(events), 1)
    assert seqs.count(None) == 2 and sorted(s for s in seqs if s is not None) == list(range(1, 39))
    letters = mem_store.dead_letters()
    assert {d.event_id for d in letters} == {events[17].event_id, events[30].event_id}
    assert all(d.reason.startswith("the database refused it:") and "1099511627776" in d.reason for d in letters)


def test_a_failing_database_is_not_mistaken_for_a_poison_event(db_path, ev, analyses):
    store = Store.open(db_path)
    store.connection.con.execute("DROP TABLE executions")  # the database, not the data, is broken
    with pytest.raises(Exception) as failure:
        store.ingest([ev()], {}, 1)
    assert "damaged" in str(failure.value)
    assert store.count_dead_letters() == 0
    store.close()


def test_stored_times_that_are_no_real_time_do_not_break_lineage_or_the_summary(mem_store, ev, analyses):
    from trackit_sidecar.services import TrackitService

    events = [ev(), ev(), ev()]
    mem_store.ingest(events, analyses(events), 1)
    # as an older TrackIT stored them, before admission checked times
    con = mem_store.connection.con
    con.execute("UPDATE executions SET started_at = 1e30 WHERE event_id = ?", [events[0].event_id])
    con.execute("UPDATE executions SET ended_at = -1e15 WHERE event_id = ?", [events[1].event_id])
    con.execute("UPDATE executions SET started_at = 'NaN'::DOUBLE WHERE event_id = ?", [events[2].event_id])
    service = TrackitService(mem_store)
    doc = service.lineage(NB)
    assert len(doc.executions) == 3
    assert all(e.started_at.startswith(("1970", "2200")) or e.ended_at.startswith(("1970", "2200")) for e in doc.executions)
    assert all(e.duration_ms >= 0 and e.duration_ms < float("inf") for e in doc.executions)
    doc.model_dump_json()  # finite: valid JSON for the editor
    summary = service.summaries.summarize(NB)
    assert summary.markdown


def test_admission_unit_cases(ev):
    assert clean_text("plain") == "plain" and clean_text("é\ud800") == "é\ufffd" and clean_text(None) is None
    assert isinstance(admit(ev(cell_index=INT32_MAX), 100), Admitted)
    rejected = admit(ev(cell_index=INT32_MAX + 1, started_at=float("inf")), 100)
    assert isinstance(rejected, Rejection)
    assert "cell_index" in rejected.reason and "started_at" in rejected.reason
    big = admit(ev(source="x" * (admission.MAX_SOURCE_CHARS + 1)), 100)
    assert isinstance(big, Rejection) and len(json.loads(big.payload)["source"]) < 100_000
