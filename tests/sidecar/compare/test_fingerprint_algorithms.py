"""Fingerprints recorded under another algorithm (the probe before version 8: "xxh3_128:<hex>", one stream; from
8 on "xxh3_128/cols:<hex>", a digest per column) are never compared as equal or unequal: a DuckDB file holding a run
recorded by the old probe keeps working, and `trackit diff` between it and a run recorded by the new probe reads
the same shape as the same data, not "values differ (fingerprint)". Under one algorithm a different fingerprint
still diverges."""

from __future__ import annotations

from trackit_sidecar import fingerprints
from trackit_sidecar import protocol as p
from trackit_sidecar.reproduce.verify import difference
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = [
    ("c0", "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
           "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split"),
    ("c1", 'df = pd.read_csv("customers.csv")'),
    ("c2", 'df["income"] = df["income"].fillna(df["income"].median())'),
    ("c3", 'X_train, X_test, y_train, y_test = train_test_split(df[["age", "income"]], df["churn"], '
           "test_size=0.25, random_state=1)"),
    ("c4", "model = LogisticRegression(C=1.0).fit(X_train, y_train)"),
    ("c5", 'acc = accuracy_score(y_test, model.predict(X_test))\nprint(f"accuracy: {acc:.3f}")'),
]
OLD, NEW = "xxh3_128:", "xxh3_128/cols:"
# run -> (algorithm tag, the imputed frame's hex, accuracy printed): run 1 by the old probe, runs 2-3 by the new;
# runs 1 and 2 the same data, run 3 other imputed values in a frame of the same shape
RUNS = [(OLD, "9f" * 16, "0.810"), (NEW, "3c" * 16, "0.800"), (NEW, "a7" * 16, "0.790")]


def _record(db: str, notebook, ingest_run) -> None:
    service = TrackitService(Store.open(db))
    t = 1_700_000_000_000.0
    for session, (tag, imputed, accuracy) in enumerate(RUNS, 1):
        hexes = {"c1": "11" * 16, "c2": imputed}

        def facts_of(cell, _event_id, tag=tag, hexes=hexes):
            if cell not in hexes:
                return None
            # the loaded frame's data is the same in every run: its hash differs by algorithm only
            return [p.RuntimeFacts(variable="df", kind="DataFrame", rows_after=100, cols_after=3, nulls_after=0,
                                   fingerprint=tag + (hexes[cell] if tag == OLD or cell == "c2" else "22" * 16))]
        first, t = ingest_run(service, notebook, session, CELLS, t, "c5", f"accuracy: {accuracy}\n", facts_of)
        service.store.experiments.save_stamp(first, p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00"))
    service.store.close()


def test_a_database_with_old_algorithm_fingerprints_is_diffed_on_shape_only_across_algorithms(tmp_path, ingest_run):
    notebook = tmp_path / "churn.ipynb"
    (tmp_path / "customers.csv").write_text("age,income,churn\n" + "30,1,0\n" * 100)
    db = str(tmp_path / "t.duckdb")
    _record(db, notebook, ingest_run)
    service = TrackitService(Store.open(db))  # the file as written, opened again
    try:
        listed = service.experiments.experiments(notebook.as_uri()).experiments
        assert [e.id for e in listed] == ["E0001", "E0002", "E0003"]
        across = service.compare.diff("E0001", "E0002")
        assert across.measured
        # Before fingerprints were compared by algorithm, the load step diverged: "values differ (fingerprint)".
        assert across.divergence is None or all(d.fact != "fingerprint" for d in across.divergence.differences)
        assert "fingerprint" not in (across.text or "")
        within = service.compare.diff("E0002", "E0003")
        assert within.divergence is not None
        assert [d.fact for d in within.divergence.differences] == ["fingerprint"]
        assert within.divergence.differences[0].a.startswith(NEW)
    finally:
        service.store.close()


def test_only_fingerprints_of_one_algorithm_are_comparable():
    assert fingerprints.comparable("xxh3_128/cols:ab", "xxh3_128/cols:cd")
    assert not fingerprints.comparable("xxh3_128:ab", "xxh3_128/cols:ab")
    assert not fingerprints.comparable("blake2b/cols:ab", "xxh3_128/cols:ab")
    assert not fingerprints.comparable(None, "xxh3_128/cols:ab")
    recorded = p.RuntimeFacts(variable="df", kind="DataFrame", rows_after=3, cols_after=2, fingerprint="xxh3_128:ab")
    replayed = recorded.model_copy(update={"fingerprint": "xxh3_128/cols:cd"})
    assert difference(recorded, replayed) is None
    assert "different values" in difference(replayed.model_copy(update={"fingerprint": "xxh3_128/cols:ef"}), replayed)
