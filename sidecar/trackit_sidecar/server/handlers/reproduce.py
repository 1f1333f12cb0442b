"""Reproduce: gather the code that made a result (`trackit/gather`), replay and verify it (`trackit/verify`).

Records are read on the store thread; listing the kernel's packages and the replay (a fresh kernel, seconds
to minutes) run on a thread of their own, so captures keep flowing meanwhile. An untrusted workspace runs
nothing: gather still answers (it is pure), without the package list; verify is refused.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcInvalidParams

from ... import protocol as p
from ...reproduce import service as reproduce
from ...reproduce.document import GatheredNotebookError
from ...reproduce.gather import GatherError, Target
from ...reproduce.replay import ReplayInputError, replayed_cells
from .params import parse_params

if TYPE_CHECKING:
    from ..app import TrackitServer

UNTRUSTED = "TrackIT runs no code in an untrusted workspace: trust the workspace to replay and verify"


def _target(req: p.GatherParams) -> Target:
    if req.experiment_id:
        return Target(label=req.experiment_id)
    if req.variable is None and req.seq is None:
        raise JsonRpcInvalidParams("name a variable, a run (seq) or an experiment to gather")
    return Target(variable=req.variable or None, seq=req.seq)


def register(server: "TrackitServer") -> None:
    replay_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trackit-replay")

    async def off_store(fn, *args):
        return await asyncio.get_running_loop().run_in_executor(replay_thread, fn, *args)

    async def gathered(req: p.GatherParams) -> reproduce.Gathered:
        await server.flush()  # gather from everything received so far
        service = server.require_service()
        try:
            result = await server.on_store(reproduce.gather_notebook, service, req.notebook_uri, _target(req))
        except GatherError as error:
            raise JsonRpcInvalidParams(str(error)) from None
        meta = result.notebook["metadata"]["trackit"]["gathered"]
        if server.settings.trusted and "environment" not in meta:  # no stamp: list the kernelspec's packages now
            environment = await off_store(reproduce.gather_environment, meta.get("kernel_name"))
            if environment:
                meta["environment"] = environment
        return result

    @server.feature(p.GATHER)
    async def gather(params: Any) -> dict:
        req = parse_params(p.GatherParams, params)
        return reproduce.gather_answer(await gathered(req)).model_dump(mode="json")

    @server.feature(p.VERIFY)
    async def verify(params: Any) -> dict:
        req = parse_params(p.VerifyParams, params)
        if not server.settings.trusted:
            raise JsonRpcInvalidParams(UNTRUSTED)
        notebook = req.gathered if req.gathered is not None else (await gathered(req)).notebook
        try:
            meta, _cells = replayed_cells(notebook)
        except GatheredNotebookError as error:
            raise JsonRpcInvalidParams(str(error)) from None
        recorded = await server.on_store(reproduce.recorded_lineage, server.require_service(), meta)
        if not recorded.executions:
            raise JsonRpcInvalidParams(f"no recording of {meta.get('notebook')} in this database")
        try:
            replayed, report = await off_store(reproduce.replay_and_verify, notebook, recorded, req.kernel_name)
        except ReplayInputError as error:
            raise JsonRpcInvalidParams(str(error)) from None
        return reproduce.verify_result(report, replayed).model_dump(mode="json")
