"""Experiments: list a notebook's, show one, mark / name / re-parent, export (the editor's experiment panel)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable

from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer


def register(server: "TrackitServer") -> None:
    async def call(fn: Callable[..., Any], *args: Any) -> Any:
        """On the store thread; an unknown experiment, a bad id or an impossible parent is invalid params."""
        from ...experiments.service import ExperimentNotFound

        try:
            return await server.on_store(fn, *args)
        except (ExperimentNotFound, ValueError) as bad:
            raise JsonRpcInvalidParams(str(bad)) from None

    @server.feature(p.EXPERIMENTS)
    async def experiments(params: Any) -> dict:
        req = parse_params(p.ExperimentsParams, params)
        await server.flush()
        listing = await call(server.require_service().experiments.experiments, req.notebook_uri)
        return listing.model_dump(mode="json")

    @server.feature(p.EXPERIMENT)
    async def experiment(params: Any) -> dict:
        req = parse_params(p.ExperimentParams, params)
        return (await call(server.require_service().experiments.experiment, req.experiment_id)).model_dump(mode="json")

    @server.feature(p.MARK_EXPERIMENT)
    async def mark(params: Any) -> dict:
        req = parse_params(p.MarkExperimentParams, params)
        if req.cell_id is None and req.seq is None:
            raise JsonRpcInvalidParams("give cell_id or seq")
        await server.flush()
        marked = await call(server.require_service().experiments.mark, req.notebook_uri, req.cell_id, req.seq, req.name)
        return marked.model_dump(mode="json")

    @server.feature(p.NAME_EXPERIMENT)
    async def name(params: Any) -> dict:
        req = parse_params(p.NameExperimentParams, params)
        named = await call(server.require_service().experiments.name, req.experiment_id, req.name, req.notes)
        return named.model_dump(mode="json")

    @server.feature(p.REPARENT_EXPERIMENT)
    async def reparent(params: Any) -> dict:
        req = parse_params(p.ReparentExperimentParams, params)
        moved = await call(server.require_service().experiments.reparent, req.experiment_id, req.parent_id)
        return moved.model_dump(mode="json")

    @server.feature(p.EXPORT_EXPERIMENT)
    async def export(params: Any) -> dict:
        req = parse_params(p.ExportExperimentParams, params)
        if not os.path.isabs(req.out_dir):
            raise JsonRpcInvalidParams(f"out_dir must be an absolute path, got {req.out_dir!r}")
        result = await call(server.require_service().experiments.export, req.experiment_id, req.format, req.out_dir,
                            req.all)
        return result.model_dump(mode="json")
