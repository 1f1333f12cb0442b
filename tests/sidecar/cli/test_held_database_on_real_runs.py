"""A database another process holds (rev12's review, bad input): `trackit run` records to the spool for the owner to
merge, and nothing of the run may be lost on the way, its input files' hashes included (real ipykernel, real DuckDB
file, a real second process holding a DuckDB write connection)."""

from __future__ import annotations

import subprocess
import sys
import time

from .test_claims_on_real_runs import IMPORTS, experiments, run_notebook, trackit

HOLD = "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\ntime.sleep(120)\n"


def test_a_run_recorded_while_another_process_holds_the_database_keeps_its_data_revision(tmp_path):
    """`trackit run` while a python held a DuckDB connection to the file: after the merge the tree said
    "Loaded `data.csv` into `df`" (no size, no sha256) and the experiments' data was "-" (a run recorded directly:
    "data.csv@D0001")."""
    db = tmp_path / "t.duckdb"
    cells = [IMPORTS, "df = pd.read_csv('data.csv')\nX_train, X_test, y_train, y_test = train_test_split("
             "df[['x1', 'x2']], df.y, random_state=0)",
             "model = LogisticRegression().fit(X_train, y_train)\nprint(metrics.accuracy_score(y_test, "
             "model.predict(X_test)))"]
    notebook = run_notebook(tmp_path, cells, db)  # the file exists and has a first run
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        held = trackit("experiments", str(notebook), "--db", str(db), cwd=tmp_path)
        assert held.returncode != 0 and held.stderr.startswith("trackit: database is held by PID"), held.stderr
        assert len(held.stderr.strip().splitlines()) == 1, held.stderr  # one clear line
        spooled = trackit("run", str(notebook), "--db", str(db), cwd=tmp_path)
        assert spooled.returncode == 0 and "for the owner of" in spooled.stdout, spooled.stdout + spooled.stderr
    finally:
        holder.kill()
        holder.wait(timeout=30)
    time.sleep(0.5)
    listed = experiments(notebook, db)  # merges the spool: the owner has gone
    assert [[d.rsplit("/", 1)[-1] for d in e["datasets"]] for e in listed] == [["data.csv@D0001"]] * 2, listed
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=tmp_path).stdout
    assert tree.count("Loaded `data.csv` (3.5 KB, sha256") == 2, tree
