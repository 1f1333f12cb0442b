"""The probe reads a cell's code (read_only) from IPython's own syntax tree of it when that is the tree ast.parse makes
and nothing changed it (ipython_parse, PROBE_VERSION 20): no second parse in the cell's time. With an AST transformer,
an interactivity that appends to the cell's statements, or a `from __future__` flag in IPython's compiler, it parses
the code itself, as before. Real ipykernel: ast.parse is counted in the kernel, by the code it was given."""

from __future__ import annotations

import json

from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.runtime_capture import RuntimeCapture

from .conftest import facts_by_variable
from .test_facts_when_idle import _stats

SETUP = """import ast as _ast
import numpy as np
import pandas as pd
_parsed_codes = []
_real_parse = _ast.parse
def _counting_parse(source, *args, **kwargs):
    _parsed_codes.append(source)
    return _real_parse(source, *args, **kwargs)
_ast.parse = _counting_parse
frame = pd.DataFrame({'a': np.arange(20_000.0), 'b': np.arange(20_000)})"""


def _probe_parsed(live_kernel, code: str) -> int:
    """How often ast.parse was given this cell's code (the probe's own reading of it; IPython compiles, it does not
    call ast.parse)."""
    codes = json.loads(silent_requests.silent_expression(live_kernel.client, "__import__('json').dumps(_parsed_codes)",
                                                         10))
    return sum(1 for parsed in codes if parsed.strip() == code.strip())


def _read_only_cell(live_kernel, capture, code: str) -> tuple[int, int]:
    """(times the probe parsed the code, cells whose named frame counted as only read) after running it. A cell before
    it measures the frame again: one that calls a library's method (the set-up cells here) may have changed it
    (tracking._mark_maybe_changed), and then it is measured, not read from the code."""
    live_kernel.run("frame['a'].size")
    before = _stats(live_kernel)["only_read"]
    facts = facts_by_variable(capture, live_kernel.run(code))
    assert "frame" not in facts or facts["frame"].changed is False
    return _probe_parsed(live_kernel, code), _stats(live_kernel)["only_read"] - before


def test_a_cells_code_is_read_from_ipythons_tree_unless_something_could_change_it(live_kernel):
    with RuntimeCapture(live_kernel.connection_file) as capture:
        assert capture.install()
        live_kernel.run(SETUP)

        # IPython's tree as it parsed it: read without a parse of the probe's, and the frame still found only read
        assert _read_only_cell(live_kernel, capture, "total = frame['a'].sum()") == (0, 1)

        # an AST transformer changes the tree in place: the probe parses the code
        live_kernel.run("get_ipython().ast_transformers.append(_ast.NodeTransformer())")
        assert _read_only_cell(live_kernel, capture, "total = frame['b'].sum()") == (1, 1)
        live_kernel.run("get_ipython().ast_transformers.clear()")

        # 'last_expr_or_assign' appends a statement to the cell's tree when it ends with an assignment
        live_kernel.run("get_ipython().ast_node_interactivity = 'last_expr_or_assign'")
        assert _read_only_cell(live_kernel, capture, "biggest = frame['a'].max()") == (1, 1)
        live_kernel.run("get_ipython().ast_node_interactivity = 'last_expr'")

        assert _read_only_cell(live_kernel, capture, "smallest = frame['a'].min()") == (0, 1)

        # a future import a cell ran is a flag of IPython's compiler from then on: not ast.parse's default
        live_kernel.run("from __future__ import annotations")
        assert _read_only_cell(live_kernel, capture, "middle = frame['a'].median()") == (1, 1)
        assert _stats(live_kernel)["errors"] == []
