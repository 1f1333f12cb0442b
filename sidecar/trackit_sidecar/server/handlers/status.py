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
        count = 0
        if server.service is not None:
            count = (await server.on_store(server.service.status))["executions_stored"]
        return p.StatusResult(
            version=__version__, db_path=server.db_path,
            db_mode="owner" if server.service is not None else "spool",
            lock_holder=str(server.locked_by) if server.locked_by else None,
            executions_stored=count,
        ).model_dump(mode="json")
