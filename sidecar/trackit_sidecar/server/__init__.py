"""The JSON-RPC sidecar the editor talks to, by job:

  transport.py  stdio, Content-Length framing, params conversion (the one place frames are read)
  batching.py   pending captures -> one store transaction per batch -> lineageChanged acknowledgements
  kernels.py    runtime facts from live kernels (glue; the logic is in kernel/)
  store_upkeep.py  the store thread's idle work: ready lineage rows, the vacuum owed, reopening the database
  app.py        TrackitServer: owns the store (or the spool), the threads and the parts above
  handlers/     request/notification handlers, one module per feature group with register(server)
"""

from __future__ import annotations

from typing import Optional

from ..config import Settings
from .app import TrackitServer
from .handlers import register_all


def build_server(db_path: str, settings: Optional[Settings] = None) -> TrackitServer:
    server = TrackitServer(db_path, settings)
    register_all(server)
    return server


__all__ = ["TrackitServer", "build_server"]
