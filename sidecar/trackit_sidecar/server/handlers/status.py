"""Status: version, database, owner or spooling, how much is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import __version__
from ... import protocol as p

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    @server.feature(p.STATUS)
    async def status(params: Any) -> dict:
        service = server.service
        # answered on the loop, not the store thread: a long write (a 10 MB cell) never delays it
        count = service.status()["executions_stored"] if service is not None else 0
        return p.StatusResult(
            version=__version__, db_path=server.db_path,
            db_mode="owner" if server.service is not None else "spool",
            lock_holder=str(server.locked_by) if server.locked_by else None,
            executions_stored=count,
        ).model_dump(mode="json")
