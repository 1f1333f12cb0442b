"""What an execution holds while it waits in the capture backlog for its runtime facts."""

from __future__ import annotations

import asyncio

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.experiments.service import _might_be_experiment
from trackit_sidecar.server.kernels import LiveKernels


async def _nothing(*_args):
    return None


async def test_a_waiting_execution_keeps_its_stream_text_and_lets_go_of_its_images_and_results():
    kernels = LiveKernels(Settings(runtime_capture=False), _nothing, lambda: None, lambda message: None)
    kernels._worker = asyncio.get_running_loop().create_future()  # still busy with earlier executions
    image = "iVBORw0KGgo" * 100_000  # a plot, ~1 MB of base64
    ran = p.CellExecution(
        event_id="e1", notebook_uri="file:///nb.ipynb", notebook_path="/nb.ipynb", cell_id="c1",
        cell_uri="vscode-notebook-cell:/nb.ipynb#c1", cell_index=0, source="model.fit(X, y)\nplot(model)",
        execution_order=3, started_at=1.0, ended_at=2.0, status="ok",
        outputs=[p.CellOutput(output_type="stream", mime="text/plain", text="accuracy 0.91\n"),
                 p.CellOutput(output_type="display_data", mime="image/png", base64=image),
                 p.CellOutput(output_type="execute_result", mime="text/html", text="<table>" * 100_000)])
    try:
        kernels.capture([ran])
        waiting = kernels._backlog[0]
        assert [(o.output_type, o.text) for o in waiting.outputs] == [("stream", "accuracy 0.91\n")]
        assert waiting.model_dump(exclude={"outputs"}) == ran.model_dump(exclude={"outputs"})
        assert _might_be_experiment(waiting.model_copy(update={"source": "plot(model)"}))  # the stream says so
        assert len(ran.outputs) == 3  # the stored execution is the editor's, untouched
    finally:
        kernels._worker.cancel()
        kernels.shutdown()
