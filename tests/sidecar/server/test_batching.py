"""CaptureBatcher without pygls: a real in-memory store behind it, batches timed by the loop."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.server import batching
from trackit_sidecar.server.batching import BATCH_MAX, CaptureBatcher, acknowledgements
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


async def test_a_failed_store_keeps_the_batch_and_retries_it(service, monkeypatch):
    monkeypatch.setattr(batching, "RETRY_PAUSE_S", 0.01)
    rec = Recorder(service, fail_first=2)
    batcher = CaptureBatcher(rec.store, rec.on_stored)
    events = [_event(n) for n in range(5)]
    for event in events:
        batcher.enqueue(event)
    await batcher.flush()
    assert rec.batches == [5] and batcher.pending == 0
    assert [e.cell_id for e in service.lineage(NB).executions] == [e.cell_id for e in events]


def test_acknowledgements_name_every_durable_event_per_notebook(service):
    other = "file:///tmp/trackit-batching/other.ipynb"
    first, second, elsewhere = _event(0), _event(1), _event(2, other)
    service.ingest([first])
    report = service.ingest([first, second, elsewhere])  # `first` again: a re-send, acknowledged too
    acks = {ack.notebook_uri: ack for ack in acknowledgements(report)}
    assert acks[NB].event_ids == [first.event_id, second.event_id]
    assert (acks[NB].seq, acks[NB].cell_id) == (2, "c1")
    assert acks[other].event_ids == [elsewhere.event_id] and acks[other].seq == 1
