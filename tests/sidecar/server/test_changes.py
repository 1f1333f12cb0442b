"""The lineageChanged queue while the store thread is busy (a burst of captures): one message waits per notebook."""

from __future__ import annotations

import asyncio
import threading

from trackit_sidecar import protocol as p
from trackit_sidecar.server.changes import ChangePublisher
from trackit_sidecar.server.store_thread import StoreThread


async def test_a_notebook_has_one_message_waiting_and_it_carries_every_event_id_published_meanwhile():
    thread = StoreThread("test-store")
    busy, release = threading.Event(), threading.Event()
    sent: list[dict] = []

    async def on_store(fn, *args):
        return await asyncio.wrap_future(thread.submit(fn, *args))

    publisher = ChangePublisher(on_store, lambda: None, lambda method, params: sent.append(params))
    try:
        thread.submit(lambda: (busy.set(), release.wait(10)))  # the store thread is storing a burst
        assert busy.wait(10)
        publisher.publish(p.LineageChanged(notebook_uri="file:///a.ipynb", seq=1, event_ids=["a1"]))
        await asyncio.sleep(0)  # the worker takes a's first message: it waits for the store thread
        for i in range(2, 201):  # a batch stored per notebook, while that one waits
            for nb in ("a", "b"):
                publisher.publish(p.LineageChanged(notebook_uri=f"file:///{nb}.ipynb", seq=i, cell_id=f"cell-{i}",
                                                   event_ids=[f"{nb}{i}"]))
        assert len(publisher._waiting) == 2
        release.set()
        await asyncio.wait_for(publisher.idle(), 10)
    finally:
        thread.shutdown()
    assert [(m["notebook_uri"], m["seq"], m["cell_id"]) for m in sent] == [
        ("file:///a.ipynb", 1, None), ("file:///a.ipynb", 200, "cell-200"), ("file:///b.ipynb", 200, "cell-200")]
    assert [e for m in sent for e in m["event_ids"]] == (
        ["a1"] + [f"a{i}" for i in range(2, 201)] + [f"b{i}" for i in range(2, 201)])
