"""Secrets stay off disk: what the store, the spool and the dead letter write is redacted at ingest, so
nothing derived from it (lineage, summaries, prompts) holds a secret; the content address of what ran is
kept. The database is created owner-only."""

from __future__ import annotations

import logging
import os
import random
import stat
import string
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Spool, Store

rng = random.Random(99)
ALNUM = string.ascii_letters + string.digits


def rand(n: int) -> str:
    return "".join(rng.choice(ALNUM) for _ in range(n))


PASSWORD = "Pw" + rand(12) + "9"
TOKEN = rand(32)
COLUMN_SECRET = "Hx" + rand(6) + "4"
GHP = "ghp_" + rand(36)
SECRETS = [PASSWORD, TOKEN, COLUMN_SECRET, GHP]

SOURCE = (
    "import os\n"
    f"os.environ['MY_SERVICE_PASSWORD'] = '{PASSWORD}'\n"
    f"df = pd.read_csv('https://data.example.com/x.csv?token={TOKEN}')\n"
    f"df = df.rename(columns={{'user': 'passwd_{COLUMN_SECRET}'}})\n"
    f"gh = Github('{GHP[:10]}' + '{GHP[10:]}')\n"
)


def planted_event(nb: Path, n: int, **extra) -> p.CellExecution:
    fields = dict(
        event_id=f"ev-{n}", notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{n}", cell_index=n,
        source=SOURCE, execution_order=n + 1, started_at=1_764_000_000_000.0 + n, ended_at=1_764_000_000_100.0 + n,
        status="error", error_name="ConnectionError", error_message=f"auth failed for token {GHP}",
        outputs=[p.CellOutput(output_type="stream", mime="text/plain",
                              text=f"   user  passwd_{COLUMN_SECRET}\n0  ana  x\nusing {GHP}\n")],
    )
    fields.update(extra)
    return p.CellExecution(**fields)


def every_text_in(db: Path) -> str:
    """Every VARCHAR value of every table, as SQL reads it back (DuckDB may compress what is on disk)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    texts = []
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        columns = [c for c, t in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
            if t == "VARCHAR"]
        for column in columns:
            texts += [str(v) for (v,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall()]
    con.close()
    return "\n".join(texts)


def test_no_planted_secret_reaches_the_database_the_spool_or_a_prompt(tmp_path):
    nb = tmp_path / "nb.ipynb"
    db = tmp_path / "trackit.duckdb"
    # a second process's capture, spooled while another one owned the file
    Spool(db).append([planted_event(nb, 1)], runtime_facts={"ev-1": [p.RuntimeFacts(
        variable="df", added_columns=[f"passwd_{COLUMN_SECRET}"])]})
    spooled = "".join(f.read_text() for f in (Path(f"{db}.spool")).glob("*.jsonl"))
    assert spooled and not [s for s in SECRETS if s in spooled]

    store = Store.open(db)
    service = TrackitService(store)
    event = planted_event(nb, 0)
    service.ingest([event])
    service.add_runtime_facts("ev-0", [p.RuntimeFacts(variable="df", added_columns=[f"passwd_{COLUMN_SECRET}"],
                                                      dtype_changes={f"passwd_{COLUMN_SECRET}": ["object", "str"]})])
    store.write([], {}, input_files={"ev-0": [p.InputFile(path=f"/data/token={TOKEN}/x.csv")]})
    store.merge_spool(lambda source, language, new: service_analysis(source, language))
    service.ingest([planted_event(nb, 2, cell_index=2**40)])  # dead-lettered, payload redacted too
    service.invalidate()
    summary = service.summaries.summarize(nb.as_uri())
    prompt = service.summaries.preview_prompt(nb.as_uri(), "openai")
    doc = service.lineage(nb.as_uri())
    store.close()

    assert len(doc.executions) == 2
    assert doc.executions[0].source_sha256 == p.source_sha256(SOURCE)  # the original's address: re-runs match
    assert "[REDACTED:" in doc.executions[0].source and "[REDACTED:" in doc.executions[0].outputs[0].text
    for derived in (summary.markdown, prompt, doc.model_dump_json()):
        assert not [s for s in SECRETS if s in derived]
    stored = every_text_in(db)
    assert "passwd_[REDACTED:credential_name]" in stored  # the column is still there, its secret is not
    assert not [s for s in SECRETS if s in stored]
    raw = b"".join(f.read_bytes() for f in tmp_path.rglob("*") if f.is_file() and f.name != "nb.ipynb")
    assert not [s for s in SECRETS if s.encode() in raw]


def service_analysis(source: str, language: str):
    from trackit_sidecar.lineage.analysis import analyze_source

    return analyze_source(source, language)


def test_a_new_database_is_owner_only_in_an_owner_only_folder(tmp_path):
    db = tmp_path / "new" / "deeper" / "trackit.duckdb"
    with Store.open(db) as store:
        store.ingest([planted_event(tmp_path / "nb.ipynb", 0)], {}, 1)
        wal = Path(f"{db}.wal")
        if wal.exists():
            assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.parent.parent.stat().st_mode) == 0o700


def test_an_existing_database_readable_by_others_is_used_with_a_warning(tmp_path, caplog):
    db = tmp_path / "shared.duckdb"
    Store.open(db).close()
    os.chmod(db, 0o644)
    with caplog.at_level(logging.WARNING, logger="trackit.store"):
        Store.open(db).close()
    assert any("readable by other users" in r.getMessage() and "chmod 600" in r.getMessage() for r in caplog.records)
    assert stat.S_IMODE(db.stat().st_mode) == 0o644  # the user's choice is reported, not overridden
