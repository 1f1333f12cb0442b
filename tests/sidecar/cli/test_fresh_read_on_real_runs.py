"""What a user reads of real runs is true: each test is an output found false or misleading when rev19 ran notebooks of
the blind corpus twice in a real kernel (`trackit run`, an edit between) and read every command's output, the way
`test_claims_on_real_runs.py` runs them."""

from __future__ import annotations

import json

import nbformat

from .test_claims_on_real_runs import IMPORTS, trackit


def test_a_failed_cell_whose_message_starts_with_a_newline_says_its_error(tmp_path):
    """gulutu-ml chili, cell 69: a GridSearchCV whose 20 fits all failed raises "ValueError: \\nAll the 20 fits
    failed. ..."; `trackit run` and the `trackit lineage` tree printed "ValueError: " and nothing else (the message's
    first line, empty), the hover the same through its own code."""
    db = tmp_path / "t.duckdb"
    notebook = tmp_path / "nb.ipynb"
    written = nbformat.v4.new_notebook()
    written.cells = [nbformat.v4.new_code_cell(IMPORTS, id="c0"), nbformat.v4.new_code_cell(
        "raise ValueError('\\nAll the 20 fits failed.\\nIt is very likely ...')", id="c1")]
    nbformat.write(written, str(notebook))
    ran = trackit("run", str(notebook), "--db", str(db), cwd=tmp_path)
    assert ran.returncode == 1 and "ValueError: All the 20 fits failed." in ran.stdout, ran.stdout
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert "ValueError: All the 20 fits failed." in tree, tree
    executions = json.loads(trackit("lineage", str(notebook), "--db", str(db), "--json", cwd=tmp_path).stdout)
    from trackit_sidecar import protocol as p
    from trackit_sidecar.render.hover import build_annotation

    doc = p.LineageDocument.model_validate(executions)
    hover = build_annotation(doc, doc.executions[-1].cell_id).markdown
    assert "`ValueError`: All the 20 fits failed." in hover, hover
