"""How a value was made: lineage/provenance.py (the graph) and render/graph.py (its words), on small notebooks
analysed by the real analyser."""

from __future__ import annotations

import hashlib

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage import provenance
from trackit_sidecar.lineage.analysis import analyze_cell, apply_context
from trackit_sidecar.lineage.records import complete
from trackit_sidecar.render import graph as words
from trackit_sidecar.render.tree import label_document


def session(cells: list[tuple[str, str]], session_id: int = 1, first_seq: int = 1, status: dict | None = None,
            runtime: dict | None = None, files: dict | None = None) -> list[p.ExecutionRecord]:
    """Executions of (cell_id, source) in order, analysed in context as the service does."""
    context: dict = {}
    out = []
    for offset, (cell_id, source) in enumerate(cells):
        seq = first_seq + offset
        analysis = analyze_cell(source, "python", None, context)
        apply_context(context, analysis.context_delta)
        rec = p.ExecutionRecord(
            seq=seq, session=session_id, cell_id=cell_id, cell_index=int(cell_id[1:]), execution_count=offset + 1,
            status=(status or {}).get(seq, "ok"), started_at="2026-11-29T10:00:00Z", ended_at="2026-11-29T10:00:01Z",
            duration_ms=5.0, source=source, source_sha256=hashlib.sha256(source.encode()).hexdigest(),
            reads=analysis.reads, writes=analysis.writes, derivations=analysis.derivations, steps=analysis.steps,
            runtime=(runtime or {}).get(seq, []), input_files=(files or {}).get(seq, []),
            error=p.ErrorInfo(name="KeyError", message="'x'") if (status or {}).get(seq) == "error" else None)
        out.append(rec)
    doc = p.LineageDocument(notebook="/nb/a.ipynb", notebook_uri="file:///nb/a.ipynb", executions=out)
    return complete(doc).executions  # as the service makes them whole


def labelled(executions: list[p.ExecutionRecord]) -> list[p.ExecutionRecord]:
    sessions = sorted({e.session for e in executions})
    doc = p.LineageDocument(notebook="/nb/a.ipynb", notebook_uri="file:///nb/a.ipynb",
                            sessions=[p.SessionInfo(id=s, started_at="2026-11-29T10:00:00Z") for s in sessions],
                            executions=executions)
    return label_document(doc).executions


TITANIC = [
    ("c0", "import pandas as pd\npassengers = pd.read_csv('passengers.csv')\ntickets = pd.read_csv('tickets.csv')"),
    ("c1", "df = passengers.drop_duplicates()"),
    ("c2", "df = df.dropna(subset=['Embarked'])"),
    ("c3", "df = df.merge(tickets, on='Ticket')"),
    ("c4", "summary = df.describe()"),
    ("c5", "X = df[['Age', 'Fare']]\ny = df['Survived']"),
]


def graph_of(executions, variable=None, seq=None):
    asked = provenance.scope(executions, variable=variable, seq=seq)
    return asked, provenance.trace(asked.executions, variable=asked.variable, seq=asked.seq, files_of=words.files_of)


def test_a_variable_traces_back_through_steps_to_its_files():
    runs = labelled(session(TITANIC))
    _, found = graph_of(runs, "df")
    edges = set(found.edges)
    assert found.target == "var:4:df"
    # the same variable carried cell to cell: step to step, no variable node in between
    assert ("step:4:0", "var:4:df") in edges
    assert ("step:3:0", "step:4:0") in edges and ("step:2:0", "step:3:0") in edges
    # a value flowing into another name gets its variable node: passengers -> drop_duplicates -> df
    assert ("var:1:passengers", "step:2:0") in edges
    assert ("var:1:tickets", "step:4:0") in edges
    # the loads, and their files as written
    loads = {k for k, n in found.nodes.items() if n.kind == "step" and n.step.op == "load"}
    assert loads == {"step:1:0", "step:1:1"}
    assert ("file:passengers.csv", "step:1:0") in edges and ("file:tickets.csv", "step:1:1") in edges
    # nothing downstream of df (summary, X) and no module
    assert not any(":summary" in k or ":X" in k or ":pd" in k for k in found.nodes)


def test_the_default_is_the_last_model_else_the_last_variable():
    cells = TITANIC + [
        ("c6", "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()"),
        ("c7", "model.fit(X, y)"),
        ("c8", "scores = [1, 2]"),
    ]
    runs = session(cells)
    asked, found = graph_of(runs)
    assert asked.variable == "model"
    steps = [n for n in found.nodes.values() if n.kind == "step"]
    assert any(n.step.op == "fit_model" for n in steps)
    # the fitted model is the model as it was before, changed: its constructor call feeds the fit, and that
    # call is a source built in code (the class it calls is code, not data)
    assert ("code:7:model", "step:8:0") in found.edges
    assert found.nodes["code:7:model"].built_in_code
    assert provenance.scope(session(TITANIC)).variable == "y"


def test_runs_of_another_session_are_not_mixed_in():
    first = session(TITANIC[:3], session_id=1)
    second = session([("c0", TITANIC[0][1]), ("c1", "df = passengers.sample(10)")], session_id=2, first_seq=10)
    asked, found = graph_of(first + second, "df")
    assert asked.session == 2  # the latest run that wrote df
    assert {n.execution.session for n in found.nodes.values() if n.execution is not None} == {2}
    asked, found = graph_of(first + second, "df", seq=3)
    assert asked.session == 1 and found.target == "var:3:df"


def test_an_experiment_slice_traces_what_its_evaluation_read():
    cells = TITANIC + [("c6", "score = len(X) + len(y)")]
    runs = session(cells)
    asked = provenance.scope(runs, seq=7, slice_seqs=[1, 2, 3, 4, 6])
    found = provenance.trace(asked.executions, variable=None, seq=asked.seq)
    assert found.target == "run:7"
    assert {("var:6:X", "run:7"), ("var:6:y", "run:7")} <= set(found.edges)
    assert "step:5:0" not in found.nodes  # summary's cell is not in the slice


def test_a_read_nothing_produced_is_said_to_be_unknown():
    runs = session([("c0", "df = raw.dropna()")])
    _, found = graph_of(runs, "df")
    assert found.nodes["unknown:raw"].unknown
    assert ("unknown:raw", "step:1:0") in found.edges


def test_a_long_chain_is_walked_without_recursion_and_a_huge_one_is_cut():
    cells = [("c0", "import pandas as pd\ndf = pd.read_csv('a.csv')")]
    cells += [(f"c{i}", f"df = df[df.a > {i}]") for i in range(1, 1050)]
    runs = session(cells)
    _, found = graph_of(runs, "df")
    assert not found.truncated and len(found.nodes) == 1050 + 2  # 1,050 steps, the file, the variable
    many = [("c0", "import pandas as pd\nbase = pd.read_csv('a.csv')")]
    many += [(f"c{i}", f"v{i} = base.dropna()\nbase = base.merge(v{i})") for i in range(1, 600)]
    _, cut = graph_of(session(many), "base")
    assert cut.truncated and len(cut.nodes) == provenance.MAX_NODES


def test_words_files_marks_and_shapes():
    passengers = p.InputFile(path="/data/titanic/passengers.csv", size=50_176, sha256="5efb7e27" + "0" * 56)
    facts = {3: [p.RuntimeFacts(variable="df", rows_before=891, rows_after=889, cols_before=12, cols_after=12)]}
    cells = TITANIC[:3] + [("c2", "df = df.dropna(subset=['Embarked'])")]
    runs = labelled(session(cells, status={4: "error"}, runtime=facts, files={1: [passengers]}))
    asked, found = graph_of(runs, "df", seq=3)
    graph = p.ProvenanceGraph(notebook_uri="file:///nb/a.ipynb", variable="df", session=1)
    words.fill(graph, found, asked.executions, {passengers.sha256: "D0002 of titanic/passengers.csv"}, 10)
    nodes = {n.id: n for n in graph.nodes}
    file = nodes[f"file:{passengers.path}@{passengers.sha256}"]
    assert (file.kind, file.label, file.detail) == ("source", "passengers.csv",
                                                     "49.0 KB \u00b7 sha256 5efb7e27 \u00b7 revision D0002 of titanic/passengers.csv")
    assert file.cell_id == "c0" and file.code == "passengers = pd.read_csv('passengers.csv')"
    dropna = nodes["step:3:0"]
    assert dropna.label == "Dropped rows with missing values in `Embarked` from `df`: 891 \u2192 889 rows (\u22122)"
    assert dropna.detail == "[3] Cell 3" and dropna.op == "drop_missing"
    # cell c2 ran twice in the session (the second run failed): both say so
    assert dropna.marks == ["rerun"] and dropna.note == "run 1 of 2 of this cell in its session"
    target = nodes[graph.target]
    assert (target.label, target.detail) == ("`df`", "after [3] Cell 3 \u00b7 889 rows \u00d7 12 columns")
    assert (target.variable, target.seq, dropna.variable) == ("df", 3, "df")
    asked, found = graph_of(runs, "df")
    failed = words.fill(p.ProvenanceGraph(notebook_uri="u"), found, asked.executions, {}, 10)
    last = {n.id: n for n in failed.nodes}["step:4:0"]
    assert last.marks == ["failed", "rerun"]
    assert last.note == "failed with KeyError; run 2 of 2 of this cell in its session"


def test_an_empty_answer_says_why():
    runs = session(TITANIC)
    asked, found = graph_of(runs, "nope")
    graph = words.fill(p.ProvenanceGraph(notebook_uri="u", variable="nope", session=asked.session), found,
                       asked.executions, {}, 10)
    assert graph.nodes == [] and graph.target is None
    assert graph.message == "`nope` was not written in this run."
