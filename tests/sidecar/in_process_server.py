"""A sidecar server run inside the test's process (a real DuckDB file, no stdio): how to stop it."""

from __future__ import annotations

import asyncio


async def stop_capturing(server) -> None:
    """Let the runtime-capture worker and the change publisher finish what they were given."""
    await asyncio.gather(server.kernels._worker or asyncio.sleep(0), return_exceptions=True)
    await server.changes.idle()


async def stop_server(server) -> None:
    """Let the runtime-capture worker and the change publisher finish, then stop the threads and close the store."""
    await stop_capturing(server)
    server.kernels.shutdown()
    server.store_thread.shutdown(wait=True)
    server.close_store()
