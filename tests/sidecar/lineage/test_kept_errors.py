"""A `%%capture` body that raised (lineage.kept_errors): the kernel replied ok, the record says the error. The same
on a real kernel, through `trackit run`, `trackit lineage` and the summary: tests/sidecar/cli/test_cli.py."""

from __future__ import annotations

import json

import pytest

from trackit_sidecar.lineage.kept_errors import judged
from trackit_sidecar.lineage.measured import failing_line, unreached_names
from trackit_sidecar.protocol import CellExecution, CellOutput, ExecutionRecord

ERROR_MIME = "application/vnd.code.notebook.error"


def error_output(name: str, message: str, stack: str = "") -> CellOutput:
    return CellOutput(output_type="error", mime=ERROR_MIME,
                      text=json.dumps({"name": name, "message": message, "stack": stack}))


def event(source: str, outputs: list[CellOutput], status="ok") -> CellExecution:
    return CellExecution(event_id="e1", notebook_uri="file:///nb.ipynb", cell_id="c1", cell_index=0, source=source,
                         execution_order=2, started_at=1.0, ended_at=2.0, status=status, outputs=outputs)


# the traceback IPython shows for the body: the nested run's own number (the outer cell's + 1), the body's lines
BODY_STACK = "ZeroDivisionError  Traceback (most recent call last)\nCell In[3], line 2\n      1 df2 = df[df.a > 1]\n" \
             "----> 2 1/0\n      3 df3 = df2.dropna()\n\nZeroDivisionError: division by zero"
CAPTURE = "%%capture out\ndf2 = df[df.a > 1]\n1/0\ndf3 = df2.dropna()\nn = len(df3)"


def test_a_capture_body_that_raised_is_recorded_as_its_error_and_says_the_kernel_replied_ok():
    judged_event = judged(event(CAPTURE, [error_output("ZeroDivisionError", "division by zero", BODY_STACK)]))
    assert judged_event.status == "error"
    assert judged_event.error_name == "ZeroDivisionError"
    assert judged_event.error_message == ("division by zero (raised in the %%capture body, which kept it: the kernel "
                                          "replied ok)")
    assert judged_event.content_sha256() == event(CAPTURE, []).content_sha256()


def test_an_interrupt_of_the_body_is_a_cancelled_run():
    interrupted = judged(event("%%capture\nimport time\ntime.sleep(60)", [error_output("KeyboardInterrupt", "")]))
    assert (interrupted.status, interrupted.error_name) == ("cancelled", "KeyboardInterrupt")


@pytest.mark.parametrize("source, outputs, status", [
    (CAPTURE, [], "ok"),  # the body finished
    # a cell that shows a traceback itself and goes on: its own code is not a kept body
    ("try:\n    1/0\nexcept Exception:\n    get_ipython().showtraceback()\ndf8 = df.tail(1)",
     [error_output("ZeroDivisionError", "division by zero")], "ok"),
    ("get_ipython().run_cell('1/0')\ndf5 = df[df.a > 2]", [error_output("ZeroDivisionError", "division by zero")], "ok"),
    ("%%time\ndf2 = df[df.a > 1]\n1/0", [error_output("ZeroDivisionError", "division by zero")], "error"),
], ids=["finished", "showtraceback", "nested-run_cell", "time-replied-error"])
def test_other_cells_keep_what_the_kernel_replied(source, outputs, status):
    original = event(source, outputs, status)
    assert judged(original) is original


def test_a_capped_error_output_still_fails_the_body_without_details():
    capped = CellOutput(output_type="error", mime=ERROR_MIME, text='{"name": "ValueError", "mess', truncated=True)
    judged_event = judged(event(CAPTURE, [capped]))
    assert (judged_event.status, judged_event.error_name) == ("error", None)
    assert "kernel replied ok" in judged_event.error_message


def record(source: str, stack: str) -> ExecutionRecord:
    return ExecutionRecord(seq=2, session=1, cell_id="c1", cell_index=0, execution_count=2, status="error",
                           started_at="2026-12-04T15:00:00+00:00", ended_at="2026-12-04T15:00:01+00:00",
                           duration_ms=5.0, source=source, source_sha256="x", writes=["out", "df2", "df3", "n"],
                           outputs=[{"output_type": "error", "mime": ERROR_MIME, "size": 1, "sha256": "x",
                                     "text": json.dumps({"name": "ZeroDivisionError", "stack": stack})}])


def test_the_body_stopped_at_its_line_of_the_cell_and_names_bound_after_it_were_never_set():
    stopped = record(CAPTURE, BODY_STACK)
    assert failing_line(stopped) == 3  # the body's line 2 is the cell's line 3 (after `%%capture out`)
    assert unreached_names(stopped) == {"df3", "n"}


def test_a_magic_inside_the_body_hides_where_its_own_body_stopped():
    source = "%%capture\n%%time\ndf9 = df[df.a > 1]\n1/0\ndf10 = df9.dropna()"
    stack = "Cell In[6], line 1\n----> 1 get_ipython().run_cell_magic('time', '', ...)\nFile <timed exec>:2"
    assert failing_line(record(source, stack)) is None
    assert unreached_names(record(source, stack)) == frozenset()
