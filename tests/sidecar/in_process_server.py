"""A sidecar server run inside the test's process (a real DuckDB file, no stdio): how to stop it."""

from __future__ import annotations

import asyncio


async def stop_server(server) -> None:
    """Let the runtime-capture worker and the change publisher finish, then stop the threads and close the store."""
    await asyncio.gather(server.kernels._worker or asyncio.sleep(0), return_exceptions=True)
    await server.changes.idle()
    server.kernels.shutdown()
    server.store_thread.shutdown(wait=True)
    server.close_store()
