"""CaptureBatcher without pygls: a real in-memory store behind it, batches timed by the loop."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage.analysis import SourceAnalysis
from trackit_sidecar.server import batching
from trackit_sidecar.server.batching import BATCH_MAX, CaptureBatcher, acknowledgements
from trackit_sidecar.server.overflow import OverflowQueue
from trackit_sidecar.services import IngestReport, TrackitService
from trackit_sidecar.store import Store

NB = "file:///tmp/trackit-batching/nb.ipynb"


def _event(n: int, notebook_uri: str = NB) -> p.CellExecution:
    return p.CellExecution(event_id=str(uuid.uuid4()), notebook_uri=notebook_uri, cell_id=f"c{n}", cell_index=n,
                           source=f"x{n} = {n}", execution_order=n + 1, started_at=1000.0 * (n + 1),
                           ended_at=1000.0 * (n + 1) + 5, status="ok")


@pytest.fixture
def service():
    svc = TrackitService(Store.open(None))
    yield svc
    svc.store.close()


class Recorder:
    """The batcher's store and on_stored: ingests into the real service, remembers batch sizes."""

    def __init__(self, service: TrackitService, fail_first: int = 0):
        self.service, self.fail_first = service, fail_first
        self.batches: list[int] = []
        self.reports: list[IngestReport] = []

    async def store(self, batch: list[p.CellExecution]) -> IngestReport:
        if self.fail_first:
            self.fail_first -= 1
            raise RuntimeError("database busy")
        self.batches.append(len(batch))
        return self.service.ingest(batch)

    def on_stored(self, report: IngestReport) -> None:
        self.reports.append(report)


async def test_a_single_capture_is_stored_and_acknowledged_without_a_flush(service):
    rec = Recorder(service)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    loop = asyncio.ensure_future(batcher.run())
    try:
        event = _event(0)
        batcher.enqueue(event)
        for _ in range(100):
            if rec.reports:
                break
            await asyncio.sleep(0.02)
    finally:
        loop.cancel()
    assert rec.batches == [1] and batcher.pending == 0
    assert rec.reports[0].event_ids == {NB: [event.event_id]}
    assert service.store.count_executions() == 1


async def test_a_burst_is_stored_in_batches_of_at_most_batch_max(service):
    rec = Recorder(service)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    loop = asyncio.ensure_future(batcher.run())
    try:
        for n in range(2 * BATCH_MAX + 50):
            batcher.enqueue(_event(n))
            if n % 10 == 0:
                await asyncio.sleep(0)  # let the loop see the burst as it arrives
        await batcher.flush()
    finally:
        loop.cancel()
    assert sum(rec.batches) == 2 * BATCH_MAX + 50 and len(rec.batches) < 2 * BATCH_MAX + 50
    assert service.store.count_executions() == 2 * BATCH_MAX + 50
    assert [e.seq for e in service.lineage(NB).executions] == list(range(1, 2 * BATCH_MAX + 51))


async def test_a_failed_store_is_retried_with_back_off_then_stored(service, monkeypatch):
    monkeypatch.setattr(batching, "RETRY_DELAYS_S", (0.01, 0.01, 0.01))
    rec = Recorder(service, fail_first=2)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    loop = asyncio.ensure_future(batcher.run())
    events = [_event(n) for n in range(5)]
    try:
        for event in events:
            batcher.enqueue(event)
        await _until(lambda: service.store.count_executions() == 5)
    finally:
        loop.cancel()
    assert rec.batches == [5] and batcher.pending == 0 and batcher.unavailable is None
    assert [e.cell_id for e in service.lineage(NB).executions] == [e.cell_id for e in events]


async def _until(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_database_that_keeps_failing_gets_the_captures_on_disk_then_all_of_them_in_order(
        service, tmp_path, monkeypatch):
    monkeypatch.setattr(batching, "RETRY_DELAYS_S", (0.01,))
    rec = Recorder(service, fail_first=10**9)
    told: list[str] = []
    clock = Clock()
    batcher = CaptureBatcher(rec.store, rec.on_stored, OverflowQueue(str(tmp_path / "t.duckdb")), told.append, clock)
    loop = asyncio.ensure_future(batcher.run())
    events = [_event(n) for n in range(30)]
    try:
        for event in events[:10]:
            batcher.enqueue(event)
        await _until(lambda: batcher.unavailable is not None and batcher.pending == 0 and not batcher._spills)
        assert told == ["database busy"]  # told once
        acked = {e for r in rec.reports for ids in r.event_ids.values() for e in ids}
        assert acked == {e.event_id for e in events[:10]}  # durable on disk: acknowledged
        with pytest.raises(batching.DatabaseUnavailableError, match="database busy"):
            await asyncio.wait_for(batcher.flush(), 1.0)  # a request fails at once, it does not wait
        for event in events[10:]:
            batcher.enqueue(event)
        await _until(lambda: batcher.pending == 0 and not batcher._spills)
        rec.fail_first = 0  # the database is back; the next probe finds it
        clock.now += batching.PROBE_INTERVAL_S + 1
        batcher._wake.set()
        await _until(lambda: service.store.count_executions() == 30)
    finally:
        loop.cancel()
    assert told == ["database busy"] and batcher.unavailable is None
    assert [e.cell_id for e in service.lineage(NB).executions] == [e.cell_id for e in events]
    assert not OverflowQueue(str(tmp_path / "t.duckdb")).files()


async def test_memory_holds_a_bounded_queue_and_the_rest_waits_on_disk_in_arrival_order(service, tmp_path, monkeypatch):
    monkeypatch.setattr(batching, "MAX_PENDING_EVENTS", 50)
    monkeypatch.setattr(batching, "SPILL_CHUNK", 20)
    gate = asyncio.Event()
    rec = Recorder(service)
    stored_report = rec.store

    async def slow_store(batch):
        await gate.wait()
        return await stored_report(batch)

    overflow = OverflowQueue(str(tmp_path / "t.duckdb"))
    batcher = CaptureBatcher(slow_store, rec.on_stored, overflow)
    loop = asyncio.ensure_future(batcher.run())
    events = [_event(n) for n in range(500)]
    peak = 0
    try:
        for n, event in enumerate(events):
            batcher.enqueue(event)
            peak = max(peak, len(batcher._pending) + len(batcher._staging))
            if n % 25 == 0:
                await asyncio.sleep(0)
        await _until(lambda: not batcher._spills)
        assert overflow.files(), "what does not fit in memory waits on disk"
        gate.set()
        await batcher.flush()
    finally:
        loop.cancel()
    assert peak <= 50 + 20
    assert [e.cell_id for e in service.lineage(NB).executions] == [e.cell_id for e in events]
    assert not overflow.files()


async def test_close_stores_within_its_deadline_and_writes_the_rest_to_disk(service, tmp_path):
    never = asyncio.Event()
    rec = Recorder(service)

    async def stuck_store(batch):
        await never.wait()

    db = str(tmp_path / "t.duckdb")
    overflow = OverflowQueue(db, pid=424242)  # as a process that has since died
    batcher = CaptureBatcher(stuck_store, rec.on_stored, overflow)
    events = [_event(n) for n in range(7)]
    for event in events:
        batcher.enqueue(event)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await batcher.close(0.2)
    assert loop.time() - started < 1.0
    assert {e for r in rec.reports for ids in r.event_ids.values() for e in ids} == {e.event_id for e in events}
    # the next owner merges what the dead one left, before anything else
    with Store.open(db) as store:
        report = store.merge_spool(lambda source, language, new: SourceAnalysis())
        assert report.events_ingested == 7
        assert [e.cell_id for e in store.lineage(NB).executions] == [e.cell_id for e in events]
    assert not overflow.files()


def test_acknowledgements_name_every_durable_event_per_notebook(service):
    other = "file:///tmp/trackit-batching/other.ipynb"
    first, second, elsewhere = _event(0), _event(1), _event(2, other)
    service.ingest([first])
    report = service.ingest([first, second, elsewhere])  # `first` again: a re-send, acknowledged too
    acks = {ack.notebook_uri: ack for ack in acknowledgements(report)}
    assert acks[NB].event_ids == [first.event_id, second.event_id]
    assert (acks[NB].seq, acks[NB].cell_id) == (2, "c1")
    assert acks[other].event_ids == [elsewhere.event_id] and acks[other].seq == 1


async def test_a_lone_capture_waits_for_no_window(service):
    rec = Recorder(service)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    loop = asyncio.ensure_future(batcher.run())
    try:
        await asyncio.sleep(0)
        batcher.enqueue(_event(0))
        for _ in range(10):  # a few turns of the event loop, no timer: it is stored at once
            await asyncio.sleep(0)
            if rec.batches:
                break
    finally:
        loop.cancel()
    assert rec.batches == [1]


async def test_captures_arriving_during_a_transaction_are_stored_together_in_the_next(service):
    gate = asyncio.Event()

    class Gated(Recorder):
        async def store(self, batch):
            self.batches.append(len(batch))
            if len(self.batches) == 1:
                await gate.wait()  # the first transaction is still running
            return self.service.ingest(batch)

    rec = Gated(service)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    loop = asyncio.ensure_future(batcher.run())
    try:
        batcher.enqueue(_event(0))
        await _until(lambda: rec.batches == [1])
        for n in range(1, 5):
            batcher.enqueue(_event(n))
        gate.set()
        await _until(lambda: service.store.count_executions() == 5)
    finally:
        loop.cancel()
    assert rec.batches == [1, 4]
    assert [e.seq for e in service.lineage(NB).executions] == [1, 2, 3, 4, 5]
