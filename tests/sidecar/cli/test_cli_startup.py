"""`trackit lineage` loads only what it reads and prints (issue 15): checked by the modules a real `trackit` process
has imported when it exits, never by timing. And the printed tree, which words only what it prints, says exactly
what the tree of a fully worded document says."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.cli.tree import render_tree
from trackit_sidecar.render.tree import word_printed
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = [
    "import pandas as pd",
    "df = pd.read_csv('data/train.csv')",
    "df = df.dropna()\ndf['age'] = df['age'].fillna(0)",
    "df = df[df['fare'] > 0]",
    "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression().fit(df[['age']], df['y'])",
    "print(model.score(df[['age']], df['y']))",
]

# What a read command has no use for: the server, kernels, providers, experiments, file watching.
NOT_FOR_LINEAGE = ("pygls", "lsprotocol", "boto3", "botocore", "watchfiles", "jupyter_client", "ipykernel",
                   "trackit_sidecar.server", "trackit_sidecar.kernel", "trackit_sidecar.summarize",
                   "trackit_sidecar.compare", "trackit_sidecar.experiments", "trackit_sidecar.reproduce",
                   "urllib.request", "http", "ssl",  # (file URIs are read as paths: no network code)
                   # nor static analysis: the records carry their stored analyses, and staleness reads the saved
                   # notebook's cells only (lineage/saved_cells.py), not the classifier static_notebook brings
                   "trackit_sidecar.lineage.static_notebook", "trackit_sidecar.lineage.steps",
                   "trackit_sidecar.lineage.classify.cell",
                   # nor the classifier's fields for stored analyses of an older analyzer (these are current), nor
                   # the writer and its admission of new captures
                   "trackit_sidecar.lineage.classify.wording_facts", "trackit_sidecar.store.writer",
                   "trackit_sidecar.store.spool")  # (whether captures wait to be merged: store.spool_files)


@pytest.fixture
def recorded(tmp_path) -> tuple[str, str]:
    """A database with two sessions of one notebook (one cell fails), stored through the service."""
    nb, db = tmp_path / "nb.ipynb", str(tmp_path / "t.duckdb")
    service = TrackitService(Store.open(db))
    t = 1e12
    events = []
    for session, kernel in enumerate(("k1", "k2")):
        for i, source in enumerate(CELLS):
            failed = session == 1 and i == 3
            events.append(p.CellExecution(
                event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{i}",
                cell_uri=f"vscode-notebook-cell:{nb}#c{i}", cell_index=i, source=source, execution_order=i + 1,
                started_at=t, ended_at=t + 5, status="error" if failed else "ok", kernel_id=kernel,
                error_name="KeyError" if failed else None, error_message="'fare'" if failed else None))
            t += 100
    service.ingest(events)
    service.store.close()
    return str(nb), db


def modules_after(*argv: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run `trackit ARGV` in a fresh interpreter; what it printed and every module it had imported at the end."""
    program = ("import json, sys\nfrom trackit_sidecar.cli import main\ntry:\n    sys.exit(main(sys.argv[1:]))\n"
               "finally:\n    sys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n')")
    done = subprocess.run([sys.executable, "-c", program, *argv], capture_output=True, text=True, timeout=120)
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("MODULES "))
    return done, json.loads(line[len("MODULES "):])


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_the_tree_loads_no_server_kernel_provider_or_experiments_code(recorded):
    nb, db = recorded
    done, modules = modules_after("lineage", nb, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "Filtered rows of `df` on `fare`" in done.stdout  # it did read and word the records
    assert loaded(modules, NOT_FOR_LINEAGE) == []


def test_the_json_loads_no_server_kernel_or_provider_code(recorded):
    nb, db = recorded
    done, modules = modules_after("lineage", nb, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["executions"]) == 2 * len(CELLS)
    # experiments[] is part of the JSON: its derivation loads; nothing that talks to a kernel, editor or network
    assert loaded(modules, ("pygls", "lsprotocol", "boto3", "botocore", "watchfiles", "jupyter_client",
                            "trackit_sidecar.server", "trackit_sidecar.kernel", "trackit_sidecar.summarize")) == []


def test_help_loads_neither_the_protocol_models_nor_the_database():
    done, modules = modules_after("--help")
    assert "lineage" in done.stdout
    assert loaded(modules, ("pydantic", "duckdb", "trackit_sidecar.protocol", "trackit_sidecar.store")) == []


def test_the_printed_tree_words_only_what_it_prints_and_says_what_the_fully_worded_tree_says(recorded):
    nb, db = recorded
    worded = TrackitService(Store.open(db, read_only=True))
    bare = TrackitService(Store.open(db, read_only=True))
    try:
        full = worded.lineage(nb)
        printed = bare.lineage(nb, words=False)
        assert all(e.label is None and e.description is None for e in printed.executions)  # not worded: not printed
        word_printed(printed.executions, {s.id: s.runtime_note for s in printed.sessions})
        assert render_tree(printed) == render_tree(full)
        assert any(e.step_lines for e in printed.executions)
        # a later reader that wants the editor's words gets them for the same held runs
        again = bare.lineage(nb)
        assert [e.model_dump(mode="json") for e in again.executions] == [
            e.model_dump(mode="json") for e in full.executions]
    finally:
        worded.store.close()
        bare.store.close()


def test_importing_the_protocol_builds_no_model_until_one_is_used():
    """The protocol's models are built when first used (defer_build): a command pays for the ones it validates or
    serialises, not for all of them at start. Forward references still resolve when a model is first used."""
    program = (
        "import json\n"
        "import trackit_sidecar.protocol as p\n"
        "models = [m for m in vars(p).values() if isinstance(m, type) and issubclass(m, p.Wire) and m is not p.Wire]\n"
        "built = [m.__name__ for m in models if m.__pydantic_complete__]\n"
        "doc = p.LineageDocument.model_validate({'notebook': 'n', 'notebook_uri': 'u', 'sessions': [\n"
        "    {'id': 1, 'started_at': 'a', 'ended_at': 'b', 'executions': 0}]})\n"
        "print(json.dumps([len(models), built, json.loads(doc.model_dump_json())['sessions'][0]['id']]))\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, built, session = json.loads(done.stdout)
    assert count > 50 and built == [] and session == 1


def test_the_tree_leaves_its_objects_to_the_exit_uncollected(recorded):
    """The interpreter's last collection, at exit, would walk every object the imports made to free nothing the exit
    does not free: `trackit lineage` freezes them first (what is left at exit, not before: an in-process caller's
    objects stay collectable). Checked by what the collector holds frozen when the process ends, not by timing."""
    nb, db = recorded
    program = ("import atexit, gc, sys\nfrom trackit_sidecar.cli import main\n"
               "atexit.register(lambda: sys.stderr.write(f'FROZEN {gc.get_freeze_count()}\\n'))\n"  # runs last
               "code = main(sys.argv[1:])\nsys.stderr.write(f'FROZEN BEFORE EXIT {gc.get_freeze_count()}\\n')\n"
               "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", program, "lineage", nb, "--db", db], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "FROZEN BEFORE EXIT 0" in done.stderr  # nothing frozen while the caller could still use it
    frozen = int(next(ln for ln in done.stderr.splitlines() if ln.startswith("FROZEN ") and "BEFORE" not in ln)[7:])
    assert frozen > 10_000  # the protocol's models, DuckDB, the store: everything alive at exit
