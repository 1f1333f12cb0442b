"""Preprocessing that learned from rows a later split set apart (lineage/leakage.py), on small sessions classified the
way the service classifies them (the notebook's context carried from cell to cell)."""

from __future__ import annotations

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage import graph
from trackit_sidecar.lineage.analysis import analyze_source
from trackit_sidecar.lineage.leakage import learned_before_split
from trackit_sidecar.lineage.steps import classify_cell

IMPORTS = ("import pandas as pd\nfrom sklearn.model_selection import train_test_split, cross_val_score, GridSearchCV\n"
           "from sklearn.preprocessing import StandardScaler\nfrom sklearn.impute import SimpleImputer\n"
           "from sklearn.compose import ColumnTransformer\nfrom sklearn.linear_model import LogisticRegression\n"
           "df = pd.read_csv('d.csv')")


def session(*sources: str, failed: tuple[int, ...] = ()) -> list[p.ExecutionRecord]:
    """The cells after IMPORTS, run in order; those in `failed` stopped before changing any name the kernel measured
    (lineage/measured.py: what a failed run wrote is what the kernel saw change)."""
    env: dict = {}
    records = []
    for seq, source in enumerate((IMPORTS, *sources), start=1):
        analysis = analyze_source(source)
        steps, env = classify_cell(source, env)
        records.append(p.ExecutionRecord(
            seq=seq, session=1, cell_id=f"c{seq}", cell_index=seq, status="error" if seq in failed else "ok",
            started_at=f"2026-01-01T00:00:{seq:02d}+00:00", ended_at=f"2026-01-01T00:00:{seq:02d}.5+00:00",
            duration_ms=500, source=source, source_sha256=p.source_sha256(source), reads=analysis.reads,
            writes=analysis.writes, derivations=analysis.derivations, steps=steps,
            runtime=[p.RuntimeFacts(variable=name, kind="DataFrame") for name in analysis.writes] if seq in failed
            else [], applied_writes=[] if seq in failed else None))
    graph.link_parents(records)
    return records


def found(records: list[p.ExecutionRecord]) -> list[tuple[int, str, int]]:
    return [(f.learned.seq, f.step.op, f.split.seq) for f in learned_before_split(records)]


def test_a_scaler_fitted_on_every_row_before_the_split_is_found_through_later_cells():
    records = session("X = df[['a', 'b']]\ny = df['t']",
                      "X = StandardScaler().fit_transform(X)",
                      "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)")
    assert found(records) == [(3, "scale_normalize", 4)]


def test_a_group_statistic_fill_reaches_the_split_through_a_selection_and_a_name_written_by_no_step():
    records = session('df["Age"] = df["Age"].fillna(df.groupby(["Sex"])["Age"].transform("median"))',
                      "features = ['Age', 'Fare']\nX = df[features]\nZ = X\ny = df.t",
                      "train, test = train_test_split(Z, test_size=0.25)")
    assert found(records) == [(2, "impute_missing", 4)]


def test_in_one_cell_the_order_of_the_statements_decides():
    before = session("X = SimpleImputer().fit_transform(df)\nX_tr, X_te = train_test_split(X)")
    assert found(before) == [(2, "impute_missing", 2)]
    after = session("X_tr, X_te = train_test_split(df)\nX_tr = SimpleImputer().fit_transform(X_tr)")
    assert found(after) == []


def test_fitted_on_the_training_part_or_learning_nothing_is_no_leak():
    records = session("X_tr, X_te = train_test_split(df, test_size=0.2)",
                      "scaler = StandardScaler()\nX_tr = scaler.fit_transform(X_tr)\nX_te = scaler.transform(X_te)",
                      'df["a"] = df["a"].fillna(0)',  # a constant learns nothing
                      "A, B = train_test_split(df)")
    assert found(records) == []


def test_a_rebound_name_forgets_what_it_held():
    records = session("X = StandardScaler().fit_transform(df)",
                      "X = pd.read_csv('other.csv')",
                      "X_tr, X_te = train_test_split(X)")
    assert found(records) == []


def test_a_failed_cell_that_wrote_nothing_carries_nothing_and_a_rerun_is_one_finding():
    failed = session("X = StandardScaler().fit_transform(df)", "X_tr, X_te = train_test_split(X)", failed=(2,))
    assert [r.status for r in failed] == ["ok", "error", "ok"]
    assert found(failed) == []
    rerun = session("X = StandardScaler().fit_transform(df)", "X_tr, X_te = train_test_split(X)",
                    "X_tr, X_te = train_test_split(X)")
    assert found(rerun) == [(2, "scale_normalize", 3)]


def test_a_fill_with_a_statistic_of_the_data_keeps_it_and_learns_from_every_row():
    records = session('df["Age"] = df["Age"].fillna(df["Age"].median())\ndf = df.fillna(df.mean())\n'
                      'df["Port"] = df["Port"].fillna(df.Port.mode()[0])\ndf["b"] = df["b"].fillna(0)',
                      "train, test = train_test_split(df)")
    fills = [s for s in records[1].steps if s.op == "impute_missing"]
    assert [s.statistic for s in fills] == ["median", "mean", "mode", None]
    assert [(seq, op) for seq, op, _ in found(records)] == [(2, "impute_missing")] * 3


def cited(records: list[p.ExecutionRecord]) -> list[tuple]:
    """(seq of the step, seq where what it applies was computed, the data learned from, seq of the split)."""
    return [(f.learned.seq, f.computed.seq if f.computed else None, f.learned_from, f.split.seq)
            for f in learned_before_split(records)]


def test_fitted_in_one_statement_and_applied_in_another_is_followed_to_the_fit():
    records = session("X = df[['a', 'b']]\ny = df['t']",
                      "scaler = StandardScaler()\nscaler.fit(X)",
                      "X2 = scaler.transform(X)",
                      "X_train, X_test, y_train, y_test = train_test_split(X2, y, test_size=0.2)")
    assert cited(records) == [(4, 3, ("X",), 5)]
    # fitted with the object made in the same statement, fit and transform in one cell; a ColumnTransformer too
    one_cell = session("sc = SimpleImputer().fit(df)\nfilled = sc.transform(df)\nA, B = train_test_split(filled)",
                       "ct = ColumnTransformer([('s', StandardScaler(), ['a'])])\nct.fit(df)",
                       "Z = ct.transform(df)", "C, D = train_test_split(Z)")
    assert cited(one_cell) == [(2, 2, ("df",), 2), (4, 3, ("df",), 5)]
    # fitted and applied in one chained call: to the same rows, or fitted on the training part and applied to the test
    chained = session("X = StandardScaler().fit(df).transform(df)\nA, B = train_test_split(X)",
                      "X_tr, X_te = train_test_split(df)\nX_te = StandardScaler().fit(X_tr).transform(X_te)\n"
                      "C, D = train_test_split(X_te)")
    assert found(chained) == [(2, "scale_normalize", 2)]


def test_fitted_on_the_training_part_other_data_or_data_bound_anew_is_no_leak():
    records = session("X_tr, X_te = train_test_split(df, test_size=0.2)",
                      "scaler = StandardScaler().fit(X_tr)",
                      "X_te = scaler.transform(X_te)\nX_tr = scaler.transform(X_tr)",
                      "other = pd.read_csv('o.csv')\nimp = SimpleImputer().fit(other)\nfilled = imp.transform(df)",
                      "sc = StandardScaler().fit(df)",
                      "df = pd.read_csv('new.csv')",  # df now holds other rows than `sc` learned from
                      "Z = sc.transform(df)",
                      "A, B = train_test_split(filled)\nC, D = train_test_split(Z)\nE, F = train_test_split(X_te)")
    assert cited(records) == []


def test_a_statistic_computed_in_an_earlier_statement_is_followed_by_its_name():
    records = session('m = df["Age"].median()\nport = df.Port.mode()[0]',
                      'df["Age"] = df["Age"].fillna(m)\ndf["Port"] = df["Port"].fillna(port)',
                      "train, test = train_test_split(df)")
    assert [s.statistic for s in records[2].steps] == ["median", "mode"]
    assert cited(records) == [(3, 2, ("df",), 4), (3, 2, ("df",), 4)]


def test_a_constant_or_a_statistic_of_other_data_is_no_leak():
    records = session('m = df["Age"].median()',
                      'm = 0  # bound anew: a constant',
                      'df["Age"] = df["Age"].fillna(m)',
                      'ref = pd.read_csv("ref.csv")\nmed = ref["Age"].median()',
                      'df["Fare"] = df["Fare"].fillna(med)',
                      "train, test = train_test_split(df)")
    assert [s.statistic for s in records[3].steps] == [None]
    assert [s.statistic for s in records[5].steps] == ["median"]  # a median, of `ref`, which is not split
    assert cited(records) == []


def test_cross_validation_over_data_scaled_on_every_row_is_leakage_across_folds():
    records = session("X = df[['a', 'b']]\ny = df['t']",
                      "X_s = StandardScaler().fit_transform(X)",
                      "scores = cross_val_score(LogisticRegression(), X_s, y, cv=5)",
                      "X_i = SimpleImputer().fit_transform(X)",
                      "grid = GridSearchCV(LogisticRegression(), {'C': [1, 10]}, cv=5).fit(X_i, y)")
    assert found(records) == [(3, "scale_normalize", 4), (5, "impute_missing", 6)]
    assert all(f.split_step.cross_validated for f in learned_before_split(records))
    # raw data to cross-validation, scaled inside each fold by a pipeline: nothing learned before the folds
    assert found(session("scores = cross_val_score(LogisticRegression(), df, df.t, cv=5)")) == []


def test_a_fit_and_its_transform_re_run_are_one_finding():
    cells = ("scaler = StandardScaler().fit(df)", "X2 = scaler.transform(df)", "A, B = train_test_split(X2)")
    records = session(*cells, *cells)
    for rerun in records[4:]:  # runs 5-7 are cells 2-4 run again
        rerun.cell_index, rerun.cell_id = rerun.seq - 3, f"c{rerun.seq - 3}"
    assert cited(records) == [(3, 2, ("df",), 4)]


def test_the_later_runs_of_a_re_run_are_the_findings_repeats():
    cells = ("scaler = StandardScaler().fit(df)", "X2 = scaler.transform(df)", "A, B = train_test_split(X2)")
    records = session(*cells, *cells)
    for rerun in records[4:]:  # runs 5-7 are cells 2-4 run again
        rerun.cell_index, rerun.cell_id = rerun.seq - 3, f"c{rerun.seq - 3}"
    (finding,) = learned_before_split(records)
    assert (finding.learned.seq, finding.split.seq, finding.computed.seq) == (3, 4, 2)
    assert sorted(r.seq for r in finding.repeats) == [5, 6, 7]  # so a hover of the latest runs says it too

