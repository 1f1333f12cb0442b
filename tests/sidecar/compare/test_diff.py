"""compare/diff.py and its parts on small slices: the first divergent step, its cause, the full lists."""

from __future__ import annotations

from trackit_sidecar import protocol as p
from trackit_sidecar.compare import changes
from trackit_sidecar.compare.diff import diff
from trackit_sidecar.render.compare import label_diff

IMPORTS = ("import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
           "from sklearn.model_selection import train_test_split")


def notebook(run, measured, *, session=1, threshold=18, statistic="median", file_sha="aaa", load_rows=100,
             kept=90, imputed_fp="fp-imputed", split_seed=1, split_rows=67, constant=False, extra_cell=None,
             skip_impute=False, facts=True, seed_cell=None, C="1.0"):
    r = run(session=session, start_seq=1 + (session - 1) * 20)
    r.cell("c1", IMPORTS)
    if seed_cell is not None:
        r.cell("c9", f"np.random.seed({seed_cell})")
    r.cell("c2", 'df = pd.read_csv("data/people.csv")', [measured("df", load_rows, 4)] if facts else [],
           [p.InputFile(path="/w/data/people.csv", sha256=file_sha, size=10)])
    if constant:
        r.cell("c10", f"MIN_AGE = {threshold}")
        r.cell("c3", 'df = df[df["age"] >= MIN_AGE]', [measured("df", kept, 4)] if facts else [])
    else:
        r.cell("c3", f'df = df[df["age"] >= {threshold}]', [measured("df", kept, 4)] if facts else [])
    if not skip_impute:
        r.cell("c4", f'df["income"] = df["income"].fillna(df["income"].{statistic}())',
               [measured("df", kept, 4, fingerprint=imputed_fp)] if facts else [])
    if extra_cell is not None:
        r.cell("c11", extra_cell, [measured("df", kept, 3, removed=("income",))] if facts else [])
    split = [measured(v, n, c) for v, n, c in (("X_train", split_rows, 2), ("X_test", kept - split_rows, 2),
                                              ("y_train", split_rows, None), ("y_test", kept - split_rows, None))]
    r.cell("c5", 'X_train, X_test, y_train, y_test = train_test_split(df[["age", "income"]], df["y"], '
                 f"test_size=0.25, random_state={split_seed})", split if facts else [])
    r.cell("c6", f"model = LogisticRegression(C={C}).fit(X_train, y_train)")
    r.cell("c7", "accuracy = model.score(X_test, y_test)")
    return r


def accuracy(value, **extra):
    return [p.Metric(name="accuracy", value=value, source="kernel", direction="higher", **extra)]


def test_identical_slices_have_no_divergence(run, measured):
    a = notebook(run, measured).side("E0001", accuracy(0.8))
    b = notebook(run, measured, session=2).side("E0002", accuracy(0.8))
    result = diff(a, b)
    assert result.divergence is None
    assert result.measured and result.steps_compared >= 5
    assert result.code_changes == [] and result.feature_changes == []


def test_filter_threshold_is_the_first_divergent_step_and_a_decision_explains_it(run, measured):
    a = notebook(run, measured).side("E0001", accuracy(0.8))
    b = notebook(run, measured, session=2, threshold=21, kept=80, split_rows=60).side("E0002", accuracy(0.75))
    d = diff(a, b).divergence
    assert d is not None and d.kind == "data"
    assert (d.b.cell_id, d.b.op, d.b.variable) == ("c3", "filter_rows", "df")
    assert p.FactChange(fact="rows", a=90, b=80, variables=["df"]) in d.differences
    assert d.cause.kind == "feature" and d.cause.cell_id == "c3"
    assert any(c.path.startswith("preprocessing.filter_rows[age]") for c in d.cause.feature_changes)
    assert '-df = df[df["age"] >= 18]' in d.cause.diff and '+df = df[df["age"] >= 21]' in d.cause.diff
    assert d.matched_before == 1  # the load agreed


def test_equal_measurements_mean_equal_data_even_when_the_code_differs(run, measured):
    a = notebook(run, measured).side("E0001")
    b = notebook(run, measured, session=2)
    b.executions[2] = b.executions[2].model_copy(update={
        "source": 'df = df[df["age"] >= 18]  # adults', "source_sha256": p.source_sha256('df = df[df["age"] >= 18]  # adults')})
    result = diff(a, b.side("E0002"))
    assert result.divergence is None
    assert [c.cell_id for c in result.code_changes] == ["c3"]


def test_imputation_strategy_changes_values_not_shape(run, measured):
    a = notebook(run, measured).side("E0001")
    b = notebook(run, measured, session=2, statistic="mean", imputed_fp="fp-mean").side("E0002")
    d = diff(a, b).divergence
    assert (d.b.cell_id, d.b.op) == ("c4", "impute_missing")
    assert [c.fact for c in d.differences] == ["fingerprint"]
    assert d.cause.kind == "feature"
    assert any(c.path == "preprocessing.impute_missing[income].strategy" and c.after == "mean"
               for c in d.cause.feature_changes)


def test_a_changed_file_under_the_same_code_is_a_data_revision(run, measured):
    revisions_a = [p.DatasetRevision(dataset_id="data/people.csv", revision_id="D0001", sha256="aaa", path="/w/data/people.csv")]
    revisions_b = [p.DatasetRevision(dataset_id="data/people.csv", revision_id="D0002", sha256="bbb", path="/w/data/people.csv")]
    a = notebook(run, measured).side("E0001", data=revisions_a)
    b = notebook(run, measured, session=2, file_sha="bbb", load_rows=101).side("E0002", data=revisions_b)
    result = diff(a, b)
    d = result.divergence
    assert (d.b.cell_id, d.b.op, d.b.variable) == ("c2", "load", "df")
    assert d.cause.kind == "data"
    assert [(c.dataset_id, c.a, c.b) for c in d.cause.data] == [("data/people.csv", "D0001", "D0002")]
    assert [(c.dataset_id, c.a, c.b) for c in result.data_changes] == [("data/people.csv", "D0001", "D0002")]


def test_without_measurements_a_changed_file_still_diverges_at_its_load(run, measured):
    a = notebook(run, measured, facts=False).side("E0001")
    b = notebook(run, measured, session=2, facts=False, file_sha="bbb").side("E0002")
    result = diff(a, b)
    assert not result.measured
    assert result.divergence.b.op == "load" and result.divergence.cause.kind == "data"
    assert result.divergence.differences == [p.FactChange(fact="input_file", a="aaa", b="bbb")]


def test_an_upstream_constant_explains_a_filter_whose_cell_did_not_change(run, measured):
    a = notebook(run, measured, constant=True).side("E0001")
    b = notebook(run, measured, session=2, constant=True, threshold=25, kept=70, split_rows=52).side("E0002")
    d = diff(a, b).divergence
    assert d.b.cell_id == "c3"
    assert d.cause.cell_id == "c10" and d.cause.kind in ("feature", "code")
    assert "+MIN_AGE = 25" in d.cause.diff


def test_a_global_seed_outside_the_slice_explains_a_split(run, measured):
    a = notebook(run, measured, seed_cell=0).side("E0001")
    b = notebook(run, measured, session=2, seed_cell=1)
    b.executions[-3].runtime[0] = measured("X_train", 67, 2, fingerprint="xxh3:other-rows")  # same shape, other rows
    d = diff(a, b.side("E0002")).divergence
    assert (d.b.cell_id, d.b.variable) == ("c5", "X_train")
    assert d.cause.kind == "seed"
    assert [(s.name, s.a, s.b) for s in d.cause.seeds] == [("numpy.random.seed", 0, 1)]


def test_a_seed_argument_edit_is_a_different_seed(run, measured):
    a = notebook(run, measured).side("E0001")
    b = notebook(run, measured, session=2, split_seed=7)
    b.executions[-3].runtime[0] = measured("X_train", 67, 2, fingerprint="xxh3:other-rows")
    d = diff(a, b.side("E0002")).divergence
    assert d.b.cell_id == "c5" and d.cause.kind == "seed"
    assert [c.path for c in d.cause.feature_changes] == ["split.random_state"]


def stamp(packages: dict[str, str], python: str = "3.11.7") -> p.RunStamp:
    return p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", python_version=python, packages=packages)


def test_same_code_and_inputs_with_other_package_versions(run, measured):
    a = notebook(run, measured).side("E0001", stamp=stamp({"pandas": "2.1.0", "zipp": "1.0", "numpy": "2.0"}))
    b = notebook(run, measured, session=2, imputed_fp="fp-new-pandas").side(
        "E0002", stamp=stamp({"pandas": "2.2.0", "zipp": "2.0", "numpy": "2.0"}))
    result = diff(a, b)
    d = result.divergence
    assert d.b.cell_id == "c4" and d.cause.kind == "package"
    assert [c.name for c in d.cause.packages] == ["pandas", "zipp"]  # imported by the slice first
    assert {(c.name, c.a, c.b) for c in result.environment_changes} == {("pandas", "2.1.0", "2.2.0"),
                                                                          ("zipp", "1.0", "2.0")}


def test_nothing_recorded_differs(run, measured):
    a = notebook(run, measured).side("E0001", stamp=stamp({"pandas": "2.1.0"}))
    b = notebook(run, measured, session=2, imputed_fp="fp-?").side("E0002", stamp=stamp({"pandas": "2.1.0"}))
    assert diff(a, b).divergence.cause.kind == "unknown"


def test_python_version_is_the_environment(run, measured):
    a = notebook(run, measured).side("E0001", stamp=stamp({"pandas": "2.1.0"}))
    b = notebook(run, measured, session=2, imputed_fp="fp-?").side("E0002", stamp=stamp({"pandas": "2.1.0"}, "3.12.1"))
    cause = diff(a, b).divergence.cause
    assert cause.kind == "environment" and cause.environment[0].name == "python_version"


def test_a_cell_that_ran_only_in_b(run, measured):
    a = notebook(run, measured).side("E0001")
    b = notebook(run, measured, session=2, extra_cell='df = df.drop(columns=["income"])').side("E0002")
    d = diff(a, b).divergence
    assert d.kind == "only_b" and d.a is None and d.b.cell_id == "c11"
    assert d.cause.kind == "cell_only_b" and d.cause.diff.startswith("--- /dev/null")


def test_a_cell_that_ran_only_in_a(run, measured):
    a = notebook(run, measured).side("E0001")
    b = notebook(run, measured, session=2, skip_impute=True).side("E0002")
    d = diff(a, b).divergence
    assert d.kind == "only_a" and d.a.cell_id == "c4" and d.cause.kind == "cell_only_a"


def test_unmeasured_slices_diverge_where_the_code_differs(run, measured):
    a = notebook(run, measured, facts=False).side("E0001")
    b = notebook(run, measured, session=2, facts=False, threshold=30).side("E0002")
    result = diff(a, b)
    assert not result.measured
    assert result.divergence.kind == "decision" and result.divergence.b.cell_id == "c3"


def test_the_fitted_model_differs_when_the_data_does_not(run, measured):
    model_a = p.ModelFingerprint(class_name="LogisticRegression", variable="model", state_sha256="s1", source="kernel")
    model_b = p.ModelFingerprint(class_name="LogisticRegression", variable="model", state_sha256="s2", source="kernel")
    a = notebook(run, measured).side("E0001", model=model_a)
    b = notebook(run, measured, session=2, C="0.1").side("E0002", model=model_b)
    d = diff(a, b).divergence
    assert d.kind == "model" and d.b.cell_id == "c6" and d.b.variable == "model"
    assert d.cause.kind == "feature" and [c.path for c in d.cause.feature_changes] == ["model.params.C"]


def test_of_two_steps_writing_one_variable_the_edited_one_is_named(run, measured):
    def two(session, second):
        r = run(session=session, start_seq=1 + (session - 1) * 20)
        r.cell("c1", "import pandas as pd")
        r.cell("c2", 'df = pd.read_csv("a.csv")', [measured("df", 10)])
        r.cell("c3", f'df = df.dropna()\ndf = df[df["x"] > {second}]', [measured("df", 5 if second == 1 else 4)])
        return r.side()
    d = diff(two(1, 1), two(2, 2)).divergence
    assert d.b.cell_id == "c3" and d.b.op == "filter_rows"


def test_metric_deltas_direction_and_noise():
    from trackit_sidecar.compare.metrics import deltas

    a = [p.Metric(name="rmse", value=10.0, source="kernel", direction="lower"),
         p.Metric(name="cv_score", value=0.80, source="kernel", direction="higher", std=0.02, n=5),
         p.Metric(name="accuracy", value=0.70, source="kernel", direction="higher")]
    b = [p.Metric(name="rmse", value=9.0, source="kernel", direction="lower"),
         p.Metric(name="cv_score", value=0.81, source="kernel", direction="higher", std=0.02, n=5),
         p.Metric(name="accuracy", value=0.75, source="kernel", direction="higher"),
         p.Metric(name="f1", value=0.6, source="kernel", direction="higher")]
    out = {m.name: m for m in deltas(a, b, "accuracy", {"accuracy": [0.70, 0.71, 0.69]}, {"accuracy": [0.75]})}
    assert list(out)[0] == "accuracy"
    assert out["rmse"].delta == -1.0 and out["rmse"].better == "b"
    cv = out["cv_score"]
    assert cv.noise_source == "std" and abs(cv.noise - 2 * (0.02 ** 2 / 5 * 2) ** 0.5) < 1e-12
    assert cv.exceeds_noise is False  # 0.01 is inside 2 standard errors (0.0253)
    acc = out["accuracy"]
    assert acc.noise_source == "repeats" and acc.repeats == 4 and acc.exceeds_noise is True
    assert out["f1"].a is None and out["f1"].delta is None and out["f1"].better is None


def test_seed_changes_pair_seeds_by_cell_and_call():
    seeds_a = [p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c5"),
               p.SeedRecord(kind="numpy.random.seed", value=0, cell_id="c9")]
    seeds_b = [p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c5")]
    assert [(c.name, c.a, c.b) for c in changes.seed_changes(seeds_a, seeds_b)] == [("numpy.random.seed", 0, None)]


def test_feature_tree_of_the_differences():
    tree = changes.feature_tree([p.FeatureChange(path="model.params.C", change="changed", before=1.0, after=0.1),
                                 p.FeatureChange(path="preprocessing.impute_missing[a.b].strategy", change="added",
                                                 after="mean")])
    assert tree == {"model": {"params": {"C": {"change": "changed", "a": 1.0, "b": 0.1}}},
                    "preprocessing": {"impute_missing[a.b]": {"strategy": {"change": "added", "a": None, "b": "mean"}}}}


def test_the_rendered_diff_says_it_in_the_issue_order(run, measured):
    a = notebook(run, measured).side("E0001", accuracy(0.8), stamp=stamp({"pandas": "2.1.0"}))
    b = notebook(run, measured, session=2, threshold=21, kept=80, split_rows=60).side(
        "E0002", accuracy(0.75), stamp=stamp({"pandas": "2.1.0"}))
    text = label_diff(diff(a, b)).text
    headings = ["metrics:", "first divergent step", "features changed", "code changed", "data revisions", "seeds",
                "environment", "git"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "accuracy: 0.8 → 0.75 (\u22120.05), E0001 better" in text
    assert "rows 90 → 80" in text
    assert "a decision changed in cell 4" in text  # cell "c3" is the fourth cell


def test_a_load_that_read_other_data_from_an_unrecorded_file(run, measured):
    def load(session, rows):
        r = run(session=session, start_seq=1 + (session - 1) * 20)
        r.cell("c1", 'import pandas as pd\npath = "data/x.csv"')
        r.cell("c2", "df = pd.read_csv(path)", [measured("df", rows)])  # a computed path: no input file recorded
        return r.side()
    cause = diff(load(1, 10), load(2, 11)).divergence.cause
    assert cause.kind == "data" and cause.data == [] and cause.cell_id == "c2"


def test_repeated_evaluations_share_decisions_data_and_packages():
    from trackit_sidecar.compare.metrics import repeats

    def experiment(number, value, config="c1", data=("d@D0001",), packages="p1"):
        return p.Experiment(id=f"E{number:04d}", notebook_uri="u", seq=number, session=number, cell_id="c",
                            cell_index=0, created_at="t", config_sha256=config, datasets=list(data),
                            metrics=[p.Metric(name="accuracy", value=value, source="kernel")],
                            stamp=p.RunStamp(stamped_at="t", packages_sha256=packages))
    family = [experiment(1, 0.80), experiment(2, 0.81), experiment(3, 0.70, config="c2"),
              experiment(4, 0.60, data=("d@D0002",)), experiment(5, 0.50, packages="p2")]
    assert repeats(family[0], family) == {"accuracy": [0.80, 0.81]}


def test_a_metric_computed_again_on_one_fitted_model_in_one_run_is_no_repeat():
    """rev11 on a real run: cells 5 and 6 scored the same fitted model on the same test set, and `ask` said
    "beyond the noise (±0, from 3 repeated evaluations)". One run's evaluations of one fitted state are one value;
    a refit in the same run (another state) and other runs are repeats."""
    from trackit_sidecar.compare.metrics import repeats

    def experiment(number, session, value, state=None, metric="accuracy"):
        model = p.ModelFingerprint(class_name="LogisticRegression", state_sha256=state) if state else None
        return p.Experiment(id=f"E{number:04d}", notebook_uri="u", seq=number, session=session, cell_id="c",
                            cell_index=0, created_at="t", config_sha256="c1", model=model,
                            metrics=[p.Metric(name=metric, value=value, source="kernel")])
    same_run = [experiment(1, 1, 0.80, "s1"), experiment(2, 1, 0.80, "s1"), experiment(3, 1, 0.70, "s1", "roc_auc")]
    assert repeats(same_run[1], same_run) == {"accuracy": [0.80], "roc_auc": [0.70]}
    refit = [*same_run, experiment(4, 1, 0.78, "s2"), experiment(5, 2, 0.80, "s1"), experiment(6, 2, 0.80, "s1")]
    assert repeats(refit[0], refit) == {"accuracy": [0.80, 0.78, 0.80], "roc_auc": [0.70]}
    unmeasured = [experiment(1, 1, 0.80), experiment(2, 1, 0.82), experiment(3, 2, 0.79)]
    assert repeats(unmeasured[1], unmeasured) == {"accuracy": [0.82, 0.79]}


def test_a_seed_set_by_the_same_call_in_another_cell_is_the_same_seed_changed_only_by_its_value():
    # rev12, sklearn-videos 06: E0005's split is re-written in cell 49 with random_state=1, as E0004's in cell 20;
    # diff said "random_state in train_test_split: (none) -> 1", which reads as E0004 unseeded
    seeds_a = [p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c20")]
    moved = [p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c49")]
    assert changes.seed_changes(seeds_a, moved) == []
    other_value = [p.SeedRecord(kind="random_state", value=7, call="train_test_split", cell_id="c49")]
    assert [(c.name, c.a, c.b) for c in changes.seed_changes(seeds_a, other_value)] == [
        ("random_state in train_test_split", 1, 7)]
    other_call = [p.SeedRecord(kind="random_state", value=1, call="KFold", cell_id="c49")]
    assert [(c.name, c.a, c.b) for c in changes.seed_changes(seeds_a, other_call)] == [
        ("random_state in train_test_split", 1, None), ("random_state in KFold", None, 1)]


def test_a_seed_one_side_set_again_is_no_change_and_a_seed_set_on_one_side_only_names_its_cell():
    # rev12, sklearn-videos 06: E0005's run split again in cell 49 with random_state=1 after cell 20's split, which
    # E0004 holds too; diff said "random_state in train_test_split: (none) → 1", as if E0004 were unseeded
    from trackit_sidecar.render.diff_values import seed_change_line

    first = p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c20")
    again = p.SeedRecord(kind="random_state", value=1, call="train_test_split", cell_id="c49")
    assert changes.seed_changes([first], [first, again], {"c20": 20, "c49": 49}) == []
    assert changes.seed_changes([first, again], [first], {"c20": 20, "c49": 49}) == []
    folds = p.SeedRecord(kind="random_state", value=1, call="KFold", cell_id="c49")
    (only_b,) = changes.seed_changes([first], [first, folds], {"c20": 20, "c49": 49})
    assert (only_b.name, only_b.a, only_b.b) == ("random_state in KFold (cell 49)", None, 1)
    assert seed_change_line(only_b, "E0004", "E0005") == "random_state in KFold (cell 49): set only in E0005 (1)"
    other_value = p.SeedRecord(kind="random_state", value=7, call="train_test_split", cell_id="c49")
    (changed,) = changes.seed_changes([first], [first, other_value], {"c20": 20, "c49": 49})
    assert seed_change_line(changed, "E0004", "E0005") == \
        "random_state in train_test_split (cell 49): set only in E0005 (7)"


def test_a_few_equal_metrics_are_named_with_their_values(run, measured):
    """"1 other metric equal" (and, in a run diff of two experiments each, "all 2 metrics equal") named none."""
    metrics = accuracy(0.8) + [p.Metric(name="cv_score", value=0.85, source="kernel", direction="higher")]
    a = notebook(run, measured).side("E0001", metrics)
    b = notebook(run, measured, session=2).side("E0002", metrics)
    text = label_diff(diff(a, b)).text
    assert "  cv_score equal: 0.85 in both\n" in text, text
    assert "metrics equal" not in text, text
