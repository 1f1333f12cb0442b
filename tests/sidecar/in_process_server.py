"""A sidecar server run inside the test's process (a real DuckDB file, no stdio): how to stop it."""

from __future__ import annotations


async def stop_capturing(server) -> None:
    """Let the runtime-capture worker, the stamps under way and the change publisher finish what they were given."""
    await server.kernels.idle()
    await server.changes.idle()


async def stop_server(server) -> None:
    """Let the runtime-capture worker and the change publisher finish, then stop the threads and close the store."""
    await stop_capturing(server)
    server.kernels.shutdown()
    server.store_thread.shutdown(wait=True)
    server.close_store()
