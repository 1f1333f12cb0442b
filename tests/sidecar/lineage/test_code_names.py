"""Imports and definitions are code, not data (issue 8, item 7): not data reads or writes in the tree, the
hover or the summary, not sources of data; listed with their kind in the JSON; execution parents keep them."""

from __future__ import annotations

from datetime import datetime, timezone

from trackit_sidecar.cli.tree import render_tree
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.render.hover import build_annotation
from trackit_sidecar.lineage.code_names import code_bindings
from trackit_sidecar.lineage.records import complete
from trackit_sidecar.protocol import ExecutionRecord, LineageDocument, SessionInfo, source_sha256
from trackit_sidecar.summarize import builtin_summary

CELLS = [
    "import pandas as pd\nfrom collections import Counter",
    "def double(frame):\n    return frame.assign(a=frame.a * 2)",
    "class Box:\n    pass",
    "df = pd.read_csv('abc.csv')",
    "df2 = double(df)",
    "counts = Counter(df2.a)",
]


def _doc() -> LineageDocument:
    return _completed(CELLS)


def _completed(cells: list[str]) -> LineageDocument:
    executions = []
    for seq, source in enumerate(cells, start=1):
        analysis = analyze_source(source)
        executions.append(ExecutionRecord(
            seq=seq, session=1, cell_id=f"c{seq}", cell_index=seq - 1, execution_count=seq, status="ok",
            started_at="2026-11-29T19:00:00+00:00", ended_at="2026-11-29T19:00:01+00:00", duration_ms=3.0,
            source=source, source_sha256=source_sha256(source), reads=analysis.reads, writes=analysis.writes,
            derivations=analysis.derivations, steps=analysis.steps))
    return complete(LineageDocument(notebook="/nb/imports.ipynb", notebook_uri="file:///nb/imports.ipynb",
                                    sessions=[SessionInfo(id=1, started_at="2026-11-29T19:00:00+00:00")],
                                    executions=executions))


def test_code_bindings_name_each_kind_and_data_wins():
    assert code_bindings(CELLS[0]) == {"pd": "module", "Counter": "module"}
    assert code_bindings("import os.path\nif True:\n    import numpy as np\ndef f(): pass\nclass C: pass") == {
        "os": "module", "np": "module", "f": "function", "C": "class"}
    assert code_bindings("import pandas as pd\npd = pd.DataFrame()") == {}  # the name ends up holding data
    assert code_bindings("%matplotlib inline\nimport numpy as np") == {"np": "module"}
    assert code_bindings("def broken(:") == {}


def test_the_json_lists_code_names_and_parents_keep_them():
    doc = _doc()
    assert [e.code_names for e in doc.executions] == [
        {"pd": "module", "Counter": "module"}, {"double": "function"}, {"Box": "class"},
        {"pd": "module"}, {"double": "function"}, {"Counter": "module"}]
    assert [e.writes for e in doc.executions][0] == ["pd", "Counter"], "writes stay as analysed (fields only added)"
    assert [e.parents for e in doc.executions] == [[], [], [], [1], [2, 4], [1, 5]]


def test_the_tree_and_the_hover_show_code_apart_from_data():
    doc = _doc()
    tree = render_tree(doc)
    for hidden in ("writes pd", "writes Counter", "reads pd", "writes double", "reads double", "reads Counter", "writes Box"):
        assert hidden not in tree, hidden
    assert "imports pd, Counter" in tree and "defines double" in tree and "reads df · writes df2" in tree
    now = datetime(2026, 11, 29, 19, 0, 5, tzinfo=timezone.utc)
    hover = build_annotation(doc, "c5", now).markdown
    assert "**reads** `df`" in hover and "`double`" not in hover.split("**depends on**")[0]
    imports = build_annotation(doc, "c1", now)
    assert imports.writes == [] and "**imports** `pd`, `Counter`" in imports.markdown
    assert [c.cell_index for c in imports.downstream] == [3, 4, 5]  # still upstream of what uses pandas


def test_the_summary_never_lists_a_module_as_a_variable_or_a_source_of_data():
    markdown = builtin_summary(_doc())
    final = markdown.split("## What the final variables depend on")[1]
    assert "`pd`" not in final and "`double`" not in final and "`Box`" not in final


def test_a_cell_above_the_analysis_limit_is_not_parsed():
    # its lineage is not analysed either; parsing a 10 MB cell on every lineage request stalled the store
    from trackit_sidecar.lineage.analysis import MAX_ANALYSED_CHARS

    small = "import pandas as pd\nx = 1\n"
    assert code_bindings(small) == {"pd": "module"}
    assert code_bindings(small + "y = 2\n" * (MAX_ANALYSED_CHARS // 6 + 1)) == {}



def test_a_module_whose_attribute_a_cell_sets_stays_a_module():
    # `pd.options.display.max_columns = 45` (a real notebook, pandas_06_data_cleaning) changes `pd` without
    # rebinding it: later cells that read pandas from that cell read code, not a data variable `pd`
    doc = _completed(["import pandas as pd", "pd.options.display.max_columns = 45",
                      "df = pd.read_csv('abc.csv')", "df['d'] = pd.to_datetime(df['d'])"])
    assert [e.code_names for e in doc.executions] == [{"pd": "module"}] * 4
    tree = render_tree(doc)
    assert "reads pd" not in tree and "writes pd" not in tree and "reads df · writes df" in tree
    assert "uses pd  \u2190 #1" in tree  # the options cell's row says what it touched instead of nothing
    assert "`pd`" not in builtin_summary(doc).split("## What the final variables depend on")[1]
    # a name the mutating cell rebinds to data is data from there on
    rebound = _completed(["import pandas as pd", "pd.options.mode = 1\npd = pd.DataFrame()", "x = pd.copy()"])
    assert rebound.executions[2].code_names == {}
