"""classify_steps: one recognised data operation -> one Step, by the rules in lineage/steps.py."""

from __future__ import annotations

import pytest

from trackit_sidecar import protocol
from trackit_sidecar.render.sentences import describe_steps
from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.lineage.kb import LIBRARIES
from trackit_sidecar.lineage.steps import classify_cell, classify_steps, collect_aliases

PANDAS = "import pandas as pd\n"


def ops(source: str, aliases: dict[str, str] | None = None) -> list[str]:
    return [step.op for step in classify_steps(source, aliases)]


def only(source: str, aliases: dict[str, str] | None = None) -> protocol.Step:
    steps = classify_steps(source, aliases)
    assert len(steps) == 1, [(s.op, s.code) for s in steps]
    return steps[0]


# ---------------------------------------------------------------- loads
@pytest.mark.parametrize("source, path", [
    ('df = pd.read_csv("x.csv")', "x.csv"),
    ('df = pd.read_parquet("data/p.parquet", columns=["a"])', "data/p.parquet"),
    ('df = pd.read_json("r.jsonl", lines=True)', "r.jsonl"),
    ('df = pd.read_excel(io="book.xlsx")', "book.xlsx"),
    ('df = pd.read_sql("SELECT * FROM t", conn)', "SELECT * FROM t"),
    ('arr = np.load("w.npy")', "w.npy"),
    ('arr = np.loadtxt("m.txt", delimiter=",")', "m.txt"),
    ('df = pl.read_csv("e.csv")', "e.csv"),
    ('lf = pl.scan_csv("e_*.csv")', "e_*.csv"),
    ('df = sns.load_dataset("penguins")', "penguins"),
    ("df = pd.read_csv(DATA / 'f.csv')", "DATA / 'f.csv'"),
])
def test_loads_record_their_path_as_detail(source: str, path: str) -> None:
    step = only(source)
    assert (step.op, step.detail, step.output, step.inputs) == ("load", path, source.split(" =")[0], [])


def test_sklearn_dataset_loaders_by_prefix() -> None:
    source = "from sklearn.datasets import load_iris, fetch_openml\nX = load_iris()\nY = fetch_openml('adult')"
    assert [(s.op, s.detail) for s in classify_steps(source)] == [("load", "load_iris"), ("load", "fetch_openml")]


# ---------------------------------------------------------------- chains and rows
def test_method_chain_gives_one_step_per_call_in_order() -> None:
    steps = classify_steps(PANDAS + "df2 = df.dropna().drop_duplicates().reset_index()")
    assert [s.op for s in steps] == ["drop_missing", "drop_duplicates", "other"]
    assert {s.output for s in steps} == {"df2"} and all(s.inputs == ["df"] for s in steps)
    assert all(s.line == 2 for s in steps)


@pytest.mark.parametrize("source, op", [
    ("out = df[df.age > 0]", "filter_rows"),
    ("out = df.loc[mask]", "filter_rows"),
    ('out = df.query("age > 0")', "filter_rows"),
    ("out = df[~df.x.isin(bad)]", "filter_rows"),
    ('out = df[(df["a"] > 1) & (df["b"] < 2)]', "filter_rows"),
    ('out = df[df["x"].notna()]', "drop_missing"),
    ("out = df[~df.duplicated()]", "drop_duplicates"),
    ('out = df[df["fare"] < df["fare"].quantile(0.99)]', "outlier_remove"),
    ("out = df[(df.x >= q1 - 1.5 * iqr) & (df.x <= q3 + 1.5 * iqr)]", "outlier_remove"),
    ("out = df[np.abs(stats.zscore(df.x)) < 3]", "outlier_remove"),
    ('out = df.query("price < @upper")', "outlier_remove"),
    ('out = df[df["x"].between(lower, upper)]', "outlier_remove"),
])
def test_row_filters(source: str, op: str) -> None:
    step = only(source, {"mask": "trackit:mask"})
    assert (step.op, step.output, step.inputs) == (op, "out", ["df"])


def test_a_named_mask_or_bound_is_carried_to_the_filter() -> None:
    source = 'z = np.abs(stats.zscore(df["p"]))\nclean = df[z < 3]\nm = df.kind == "a"\nsub = df[m]'
    assert ops(source) == ["outlier_remove", "filter_rows"]


def test_column_selection_by_literal_and_by_list_variable() -> None:
    source = 'cols = ["a", "b"]\nx = df[cols]\ny = df["target"]\nz = df[["c"]]\nw = df.iloc[:, :-1]'
    steps = classify_steps(source)
    assert [(s.op, s.output, s.columns) for s in steps] == [
        ("select_columns", "x", ["a", "b"]), ("select_columns", "y", ["target"]),
        ("select_columns", "z", ["c"]), ("select_columns", "w", []),
    ]


# ---------------------------------------------------------------- column assignment
@pytest.mark.parametrize("source, op", [
    ('df["x"] = df["a"] * 2', "derive_feature"),
    ('df["x"] = df["x"].fillna(df["x"].median())', "impute_missing"),
    ('df["x"] = df["x"].astype(float)', "type_cast"),
    ('df["x"] = pd.to_datetime(df["x"])', "datetime_parse"),
    ('df["x"] = df["x"].str.strip()', "text_clean"),
    ('df["x"] = df["x"].str.replace("-", "")', "text_clean"),
    ('df["x"] = df["x"].map({"m": 0, "f": 1})', "encode_categorical"),
    ('df["x"] = df["x"].astype("category").cat.codes', "encode_categorical"),
    ('df["x"] = pd.Categorical(df["x"])', "type_cast"),  # CONVENTIONS 21
    ('df["x"] = pd.Categorical(df["x"], categories=["lo", "hi"], ordered=True)', "encode_categorical"),
    ('df["x"] = df["x"].clip(0, 100)', "outlier_remove"),
    ('df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()', "scale_normalize"),
    ('df["flag"] = (df["n"] == 1).astype(int)', "derive_feature"),
    ('df["m"] = df.groupby("k")["v"].transform("mean")', "derive_feature"),
    ('df.loc[df["x"].isna(), "x"] = 0', "impute_missing"),
    ('df.loc[df["x"] > 5, "big"] = 1', "derive_feature"),
])
def test_column_assignment(source: str, op: str) -> None:
    step = only(PANDAS + source)
    assert (step.op, step.output, step.line) == (op, "df", 2)
    target = source.split("=")[0]
    written = target.rsplit('"', 2)[-2]  # df["x"] / df.loc[..., "x"] -> x
    assert written in step.columns


def test_loop_over_literal_columns_names_them() -> None:
    step = only('for c in ["a", "b"]:\n    df[c] = df[c].fillna(0)')
    assert (step.op, step.output, step.columns, step.line) == ("impute_missing", "df", ["a", "b"], 2)


def test_inplace_makes_the_receiver_the_output() -> None:
    source = 'df.dropna(inplace=True)\ndf["s"].fillna(0, inplace=True)\ndf.drop(columns=["c"], inplace=True)\ndf.head()'
    steps = classify_steps(source)
    assert [(s.op, s.output) for s in steps] == [
        ("drop_missing", "df"), ("impute_missing", "df"), ("drop_columns", "df")]  # df.head() only shows
    assert steps[2].columns == ["c"]


@pytest.mark.parametrize("source, op", [
    ('o = df.drop(columns=["a"])', "drop_columns"),
    ('o = df.drop("a", axis=1)', "drop_columns"),
    ("o = df.drop(df[df.a > 1].index)", "filter_rows"),
    ('o = df.rename(columns={"a": "b"})', "rename"),
    ('o = df.astype({"a": "int64"})', "type_cast"),
    ('o = df.sort_values("a")', "sort"),
    ("o = df.sample(frac=0.1)", "sample"),
    ("o = df.head()", "filter_rows"),  # CONVENTIONS 30: head(n) in an assigned chain keeps the first rows
    ("o = df.value_counts()", "aggregate"),
    ('o = df.pivot_table(index="a", values="b")', "reshape"),  # what-is-a-step.md: even with an aggfunc
    ('o = df.melt(id_vars=["a"])', "reshape"),
    ("o = df.T", "reshape"),
    ("o = df.interpolate()", "impute_missing"),
    ('o = df.filter(items=["a"])', "select_columns"),
    ('o = pd.get_dummies(df, columns=["c"])', "encode_categorical"),
    ("o = arr.reshape(-1, 1)", "other"),  # the same values as a column vector: a conversion (CONVENTIONS 12)
    ("o = arr.reshape(8, 4)", "reshape"),
    ("o = np.vstack([a, b])", "concat"),
    ("o = df.drop_duplicates()", "drop_duplicates"),
])
def test_single_frame_operations(source: str, op: str) -> None:
    assert only(source, {"arr": "numpy.ndarray()"}).op == op


def test_groupby_and_its_reduction_are_one_aggregate() -> None:
    step = only('g = df.groupby("k")["v"].agg(["mean", "count"])')
    assert (step.op, step.output, step.columns) == ("aggregate", "g", ["k", "v"])
    assert ops('r = ts.resample("W").sum()') == ["aggregate"]


@pytest.mark.parametrize("source", [
    'm = df.groupby("k").v.mean()', 'df.groupby("k").v.mean()', 'g = df.groupby("k")\nm = g.v.mean()',
])
def test_a_column_picked_by_attribute_from_a_group_is_aggregated_like_one_picked_by_key(source: str) -> None:
    # what-is-a-step.md: `groupby(...).mean()` is `aggregate`; `.v` is the column aggregated, not a column whose mean
    # is an answer (df.v.mean() is)
    step = only(source)
    assert (step.op, step.columns[-1]) == ("aggregate", "v")
    assert ops('df.v.mean()') == [] and ops('df.groupby("k").groups') == ops('df.groupby("k")') == []


def test_merge_join_concat_record_inputs_and_key() -> None:
    source = (PANDAS + 'm = pd.merge(orders, customers, on="cid")\nj = m.join(ref, on="rid")\n'
              'k = m.merge(p, left_on="sku", right_on="psku")\nc = pd.concat([a, b])')
    steps = classify_steps(source)
    assert [(s.op, s.inputs, s.detail) for s in steps] == [
        ("join", ["orders", "customers"], "cid"), ("join", ["m", "ref"], "rid"),
        ("join", ["m", "p"], "sku = psku"), ("concat", ["a", "b"], None),
    ]


def test_nested_operations_inside_arguments_count() -> None:
    assert ops('both = pd.concat([a.dropna(), b])') == ["drop_missing", "concat"]


# ---------------------------------------------------------------- polars
def test_polars_frames_use_the_polars_table() -> None:
    source = ('import polars as pl\nev = pl.read_csv("e.csv")\n'
              'ev = ev.filter(pl.col("n") > 0).drop("tmp").unique().sort("ts")\n'
              'ev = ev.with_columns(pl.col("ts").str.to_datetime(), pl.col("c").str.to_lowercase(),'
              ' pl.col("a").cast(pl.Float64), pl.col("b").fill_null(0), (pl.col("a") * 2).alias("a2"))\n'
              'g = ev.group_by("c").agg(pl.col("a").sum())\nj = g.join(users, on="uid")\n'
              'al = pl.concat([ev, ev])\nd = ev.drop_nulls()')
    steps = classify_steps(source)
    assert [s.op for s in steps] == [
        "load", "filter_rows", "drop_columns", "drop_duplicates", "sort",
        "datetime_parse", "text_clean", "type_cast", "impute_missing", "derive_feature",
        "aggregate", "join", "concat", "drop_missing",
    ]
    by_op = {s.op: s for s in steps}
    assert by_op["derive_feature"].columns == ["a2"] and by_op["datetime_parse"].columns == ["ts"]
    assert by_op["join"].detail == "uid"


def test_polars_pipeline_when_receiver_is_unknown_still_classifies_polars_only_methods() -> None:
    assert ops("x = frame.with_columns(pl.col('a').fill_null(0)).drop_nulls()") == ["impute_missing", "drop_missing"]


# ---------------------------------------------------------------- scikit-learn
def test_transformer_variables_and_their_ops() -> None:
    source = ("from sklearn.preprocessing import StandardScaler, OneHotEncoder\nfrom sklearn.impute import SimpleImputer\n"
              "sc = StandardScaler()\nXs = sc.fit_transform(X)\nenc = OneHotEncoder()\nXe = enc.fit_transform(C)\n"
              "Xi = SimpleImputer().fit_transform(X)\nsc.fit(X)\nXt = sc.transform(T)")
    steps = classify_steps(source)
    assert [(s.op, s.output, s.detail) for s in steps] == [
        ("scale_normalize", "Xs", "StandardScaler"), ("encode_categorical", "Xe", "OneHotEncoder"),
        ("impute_missing", "Xi", "SimpleImputer"), ("scale_normalize", "Xt", "StandardScaler"),
    ]


def test_fit_predict_evaluate_split() -> None:
    source = ("from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n"
              "from sklearn.metrics import f1_score\nXtr, Xte, ytr, yte = train_test_split(X, y)\n"
              "m = LogisticRegression()\nm.fit(Xtr, ytr)\np = m.predict(Xte)\npp = m.predict_proba(Xte)[:, 1]\n"
              "print(f1_score(yte, p))\nm.score(Xte, yte)")
    steps = classify_steps(source)
    assert [(s.op, s.output) for s in steps] == [
        ("split", "Xtr"), ("split", "Xte"), ("split", "ytr"), ("split", "yte"), ("fit_model", "m"), ("predict", "p"),
        ("predict", "pp"), ("evaluate", None), ("evaluate", None)]
    assert steps[0].detail == "outputs: Xtr, Xte, ytr, yte"
    assert steps[0].inputs == ["X", "y"] and steps[4].inputs == ["Xtr", "ytr"]
    assert steps[4].detail == "LogisticRegression"


@pytest.mark.parametrize("source, expected", [
    # rows held out into a train / test variable by position, index or sampling: one split per output
    ("X_train = X[:1000]\nX_test = X[1000:]", [("split", "X_train"), ("split", "X_test")]),
    ("train = df.sample(frac=0.8)\ntest = df.drop(train.index)", [("split", "train"), ("split", "test")]),
    ("for tr, va in kf.split(X):\n    X_tr, y_tr = X.iloc[tr], y.iloc[tr]",
     [("split", "X_tr"), ("split", "y_tr")]),
    ('X_train = df[:"2004"][["a", "b"]]', [("split", "X_train"), ("select_columns", "X_train")]),
    # a condition on the data stays a filter; a slice into another name is a filter
    ('train = df[df.year < 2020]', [("filter_rows", "train")]),
    ("head = X[:1000]", [("filter_rows", "head")]),
    # a tuple of separate expressions is one assignment each; a column ending the expression is selected
    ("X, y = d.data, d.target", [("select_columns", "X"), ("select_columns", "y")]),
    ('y = df[df.kind == "a"].label', [("filter_rows", "y"), ("select_columns", "y")]),
])
def test_splits_one_step_per_output(source: str, expected: list) -> None:
    assert [(s.op, s.output) for s in classify_steps(PANDAS + source)] == expected


def test_pipeline_with_column_transformer_expands_on_fit() -> None:
    source = ("from sklearn.pipeline import Pipeline, make_pipeline\nfrom sklearn.compose import ColumnTransformer\n"
              "from sklearn.preprocessing import StandardScaler, OneHotEncoder\nfrom sklearn.impute import SimpleImputer\n"
              "from sklearn.ensemble import RandomForestClassifier\n"
              "num = make_pipeline(SimpleImputer(), StandardScaler())\n"
              "pre = ColumnTransformer([('n', num, ['a']), ('c', OneHotEncoder(), ['b'])])\n"
              "pipe = Pipeline([('pre', pre), ('rf', RandomForestClassifier())])\n"
              "pipe.fit(X, y)\nyp = pipe.predict(Z)\nZt = pre.fit_transform(Z)\n"
              "s = cross_val_score(pipe, X, y)")
    steps = classify_steps(source)
    # what-is-a-step.md: a pipeline's inner imputer and scaler are not separate steps of the cell that fits it;
    # a preprocessing pipeline that mixes ops is one `other` (CONVENTIONS 25)
    assert [(s.op, s.output, s.detail) for s in steps] == [
        ("fit_model", "pipe", "RandomForestClassifier"),
        ("predict", "yp", "RandomForestClassifier"),
        ("other", "Zt", "ColumnTransformer"),
        ("evaluate", "s", "cross_val_score"),
    ]
    scaled = classify_steps(source + "\nZs = num.fit_transform(Z)\nsc = make_pipeline(StandardScaler())\n"
                                     "Zz = sc.fit_transform(Z)\nsc.fit(Z)")
    assert [(s.op, s.output) for s in scaled[-2:]] == [("other", "Zs"), ("scale_normalize", "Zz")]


def test_grid_search_fits_its_estimator() -> None:
    source = "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\ngs = GridSearchCV(SVC(), {})\ngs.fit(X, y)"
    step = only(source)
    assert (step.op, step.output, step.detail) == ("fit_model", "gs", "SVC")


def test_unknown_model_library_fit_and_predict() -> None:
    source = "import xgboost as xgb\nmodel = xgb.XGBRegressor()\nmodel.fit(X, y)\np = model.predict(T)"
    assert [(s.op, s.output) for s in classify_steps(source)] == [("fit_model", "model"), ("predict", "p")]


# ---------------------------------------------------------------- aliases across cells
def test_aliases_and_fitted_objects_carry_across_cells() -> None:
    cell1 = "import pandas as pandas_lib\nfrom sklearn.preprocessing import MinMaxScaler as MMS\nmm = MMS()"
    cell2 = 'df = pandas_lib.read_csv("a.csv")\nX = mm.fit_transform(df)'
    carried = collect_aliases(cell1)
    assert carried["pandas_lib"] == "pandas"
    assert carried["mm"] == "sklearn.preprocessing.MinMaxScaler()"
    assert ops(cell2, carried) == ["load", "scale_normalize"]
    # without the first cell, neither the alias nor the scaler is known
    assert ops(cell2) == []


def test_collect_aliases_does_not_modify_its_argument() -> None:
    given = {"pd": "pandas"}
    after = collect_aliases("import numpy as xp\ncols = ['a', 'b']", given)
    assert given == {"pd": "pandas"}
    assert after["xp"] == "numpy" and after["cols"] == "trackit:columns:a,b" and after["pd"] == "pandas"


def test_reassigning_a_name_forgets_what_it_was() -> None:
    steps, env = classify_cell("scaler = StandardScaler()\nscaler = load_model()", {})
    assert "scaler" not in env


def test_conventional_aliases_without_import() -> None:
    assert ops('a = pd.read_csv("x")\nb = np.concatenate([a, a])\nc = pl.scan_parquet("p")') == [
        "load", "concat", "load"]


# ---------------------------------------------------------------- robustness
@pytest.mark.parametrize("source", [
    "", "   \n", "def broken(:\n  pass", "x = (", "\x00", "%%bash\nrm -rf /", "df.", "import",
    "a" * 10000 + " = 1", "(" * 200 + ")" * 200, "lambda: df.dropna()", "yield df", "print(*[df.dropna()])",
])
def test_never_raises(source: str) -> None:
    result = classify_steps(source)
    assert isinstance(result, list)


def test_deep_nesting_does_not_raise() -> None:
    source = "x = df" + ".dropna()" * 3000
    assert isinstance(classify_steps(source), list)


def test_magics_and_shell_lines_keep_line_numbers() -> None:
    steps = classify_steps('%matplotlib inline\n!ls\ndf = pd.read_csv("x.csv")\ndf?')
    assert [(s.op, s.line) for s in steps] == [("load", 3)]


def test_timeit_statement_is_not_a_step() -> None:
    assert ops('%timeit df.groupby("a").sum()\ndf["r"] = df.a / df.b') == ["derive_feature"]


def test_unknown_calls_on_frames_are_omitted() -> None:
    assert ops("df.plot()\nx = df.memory_usage()\ndf.isna().sum()\nlen(df)") == []


def test_every_op_in_the_knowledge_base_is_a_protocol_op() -> None:
    for name, module in LIBRARIES.items():
        for table_name in ("FUNCTIONS", "METHODS"):
            for key, op in getattr(module, table_name, {}).items():
                assert op is None or op in protocol.STEP_OPS, (name, table_name, key, op)
    from trackit_sidecar.lineage.kb import pandas as kb_pandas, polars as kb_polars, sklearn as kb_sklearn

    for accessors in (kb_pandas.ACCESSORS, kb_polars.ACCESSORS):
        for table in accessors.values():
            assert all(op is None or op in protocol.STEP_OPS for op in table.values())
    assert set(kb_sklearn.TRANSFORMERS.values()) <= set(protocol.STEP_OPS)
    assert set(kb_polars.EXPRESSION_METHODS.values()) <= set(protocol.STEP_OPS)


def test_step_code_is_the_statement_and_capped() -> None:
    long = "df = df.rename(columns={" + ", ".join(f'"c{i}": "d{i}"' for i in range(100)) + "})"
    step = only(long)
    assert step.code is not None and len(step.code) <= 300 and step.code.startswith("df = df.rename(")


# ---------------------------------------------------------------- idioms found by the blind corpus batches
@pytest.mark.parametrize("source, expected", [
    ('hot = df[df["t"] > df["t"].quantile(0.95)]', ["filter_rows"]),  # keeps the tail: a filter
    ('ok = df[df["t"] < df["t"].quantile(0.95)]', ["outlier_remove"]),  # drops the tail
    ('a = arr[~np.isnan(arr)]', ["drop_missing"]),
    ('t = tx.filter(pl.col("amount").is_not_null())', ["drop_missing"]),
    ('hr["left"] = hr["left"].apply(lambda x: 1 if x == "Yes" else 0)', ["encode_categorical"]),
    ('w["q"] = w["q"].map(lambda q: "good" if q >= 7 else "bad")', ["derive_feature"]),  # a threshold
    ("b = basket.div(basket.sum(axis=1), axis=0)", ["scale_normalize"]),
    ('df["share"] = df["x"] / df["x"].sum()', ["scale_normalize"]),
    ('t = tx.with_columns(amount=pl.col("amount").str.replace(",", ".").cast(pl.Float64))',
     ["text_clean", "type_cast"]),
    ('m = m.with_columns((pl.col("a") - pl.col("a").mean()) / pl.col("a").std())', ["scale_normalize"]),
    ("full.columns = full.columns.str.lower()", ["rename"]),
    ("for tr, va in kf.split(X):\n    pass", ["split"]),
])
def test_idioms(source: str, expected: list[str]) -> None:
    aliases = {"kf": "sklearn.model_selection.KFold()", "tx": "polars.DataFrame()", "m": "polars.DataFrame()"}
    assert ops(source, aliases) == expected


def test_magics_are_stripped_by_the_one_definition_in_magics_py() -> None:
    # steps.py had its own fallback (`_blank_magics`) that blanked `%time stmt`; magics.py keeps the statement
    # (IPython runs it in the user namespace), and the classifier now uses only magics.py
    steps = classify_steps('%time df = df.dropna()\n!ls\nz = !pwd\ndf?\n%%time\nx = 1')
    assert [(s.op, s.line) for s in steps] == [("drop_missing", 1)]
    assert classify_steps("%%bash\necho hi") == []
    assert [(s.op, s.line) for s in classify_steps('%%time\ndf = df.dropna()')] == [("drop_missing", 2)]


def test_junk_in_the_carried_aliases_is_ignored() -> None:
    junk = {"pd": 3, 5: "pandas", "sc": None, "np": "numpy"}
    assert ops('a = np.load("x.npy")\nb = sc.fit_transform(a)', junk) == ["load"]


@pytest.mark.parametrize("source, expected", [
    ('lo, hi = np.percentile(r["v"], [1, 99])\nr = r[(r["v"] > lo) & (r["v"] < hi)]', ["outlier_remove"]),
    ('X = data.select_dtypes(include="number")', ["select_columns"]),
    ('num = data.select_dtypes(include="number").columns.tolist()', []),
    ('raw["hour"] = pd.to_datetime(raw["ts"]).dt.hour', ["derive_feature"]),
    ('raw["ts"] = pd.to_datetime(raw["ts"]).dt.tz_localize("UTC")', ["datetime_parse"]),
    # CONVENTIONS 18: a selection inside another call's argument (join(w[cols])) only feeds the call
    ('d = d.join(camp.select(["id", "b"]), on="id")', ["join"]),
    ('m.fit(df[["a", "b"]], df["y"])', ["fit_model"]),  # a pick that only feeds the call
])
def test_idioms_from_blind_batch_three(source: str, expected: list[str]) -> None:
    assert ops(source, {"d": "polars.DataFrame()", "camp": "polars.DataFrame()"}) == expected


# ---------------------------------------------------------------- mistakes seen on the recorded demo run
# (examples/titanic/preprocess.ipynb in a real kernel, `bash scripts/demo.sh`); the sources are its cells.
DEMO_FILL_AGE = 'df["Age"] = df["Age"].fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))'


def test_a_grouped_fill_value_is_how_the_gaps_are_filled_not_a_step() -> None:
    steps = classify_steps(PANDAS + DEMO_FILL_AGE + '\ndf["Age"].isna().sum()')
    assert [(s.op, s.output, s.columns, s.detail) for s in steps] == [
        ("impute_missing", "df", ["Age"], "median by Sex, Pclass")]
    assert describe_steps(steps) == ["Filled missing values in `Age` of `df` with the median per `Sex` and `Pclass`"]
    # the same fill outside a column assignment, and with by=
    other = only('filled = df.fillna(df.groupby(by="k").transform("mean"))')
    assert (other.op, other.output, other.detail) == ("impute_missing", "filled", "mean by k")
    # a grouped statistic that is the new column itself is still a derived feature
    assert ops('df["m"] = df.groupby("k")["v"].transform("mean")') == ["derive_feature"]


@pytest.mark.parametrize("source", [
    "df.head()", "df.tail(3)", "df.describe()", 'df.describe(include="all")', "df.info()",
    'df["x"].describe()', "df.shape", "df.dtypes", 'df["x"].value_counts()', "df.value_counts(normalize=True)",
    "print(df.describe())", 'display(df.head(10))', "df.describe().T", 'df.describe()["Age"]',
    'df["x"].value_counts().sort_index()', "lf.head().collect()",
    'for c in ["a", "b"]:\n    print(df[c].value_counts())',
    # answers, also assigned (what-is-a-step.md: unique(), df[mask].shape[0], a sum shown as an answer)
    'u = df["x"].unique()', "o = np.unique(a)", "n = df[df.a > 1].shape[0]", 'total = df[df.k == "a"].v.sum()',
    # a shown filter, sort or fill only looks at data; a bare groupby applies nothing
    "df[df.a > 1]", 'df.sort_values("a")', "df.fillna(0)", 'df.groupby("k")', "df.corr()",
    # plotting, even when the plot call computes something
    'df.groupby("k").mean().plot()', "sns.histplot(df[df.x > 0].y)", 'ax = df.groupby("k").size().plot.bar()',
    'plt.scatter(df[df.a > 1].x, df[df.a > 1].y)',
])
def test_inspection_used_only_for_display_is_no_step(source: str) -> None:
    assert classify_steps(PANDAS + source, {"lf": "polars.DataFrame()"}) == []


@pytest.mark.parametrize("source, expected", [
    ("top = df.head()", [("filter_rows", "top")]),  # assigned: kept
    ("counts = df.x.value_counts()", [("aggregate", "counts")]),
    ("df = df.reset_index()", [("other", "df")]),  # a real transformation the KB does not name
    ("df.reset_index(drop=True, inplace=True)", []),  # CONVENTIONS 14: only renumbers the rows
    ("df.reset_index(inplace=True)", [("other", "df")]),
    ('df.groupby("k").size().head()', [("aggregate", None)]),  # what runs before the inspection counts
    ("df.dropna().describe()", []),  # a shown filter and its description: looking at data
    ('df.to_csv("out.csv")', []),  # an export transforms no data (CONVENTIONS 15)
    ("pd.merge(a, b).head()", [("join", None)]),  # a shown new table is the analysis' result
    ("x = pd.merge(a, b)\nprint(x.shape)\nx.sort_values('k')", [("join", "x")]),  # a shown sort only looks
])
def test_inspection_rule_keeps_assigned_and_real_operations(source: str, expected: list) -> None:
    assert [(s.op, s.output) for s in classify_steps(PANDAS + source)] == expected


def test_predict_inputs_name_the_model_and_its_class_from_an_earlier_cell() -> None:
    cells = [
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n"
        "from sklearn.metrics import accuracy_score",
        "model = LogisticRegression(max_iter=1000)\nmodel.fit(X_train, y_train)",
        "predictions = model.predict(X_test)\naccuracy = accuracy_score(y_test, predictions)\n"
        "print(model.score(X_test, y_test))",
    ]
    aliases = collect_aliases(cells[0])
    aliases = collect_aliases(cells[1], aliases)
    assert aliases["model"] == "sklearn.linear_model.LogisticRegression()"
    steps = classify_steps(cells[2], aliases)
    assert [(s.op, s.inputs, s.output, s.detail) for s in steps] == [
        ("predict", ["model", "X_test"], "predictions", "LogisticRegression"),
        ("evaluate", ["y_test", "predictions"], "accuracy", "accuracy_score"),
        ("evaluate", ["model", "X_test", "y_test"], None, "LogisticRegression"),
    ]
    # a model this notebook never showed being built: still an input, no class to name
    unknown = only("p = clf.predict_proba(X)[:, 1]")
    assert (unknown.op, unknown.inputs, unknown.detail) == ("predict", ["clf", "X"], None)


def test_predict_of_a_pipeline_from_an_earlier_cell_names_its_final_estimator() -> None:
    aliases = collect_aliases("from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import "
                              "StandardScaler\nfrom sklearn.ensemble import RandomForestClassifier\n"
                              "pipe = make_pipeline(StandardScaler(), RandomForestClassifier())")
    step = only("yp = pipe.predict(X_te)", aliases)
    assert (step.inputs, step.detail) == (["pipe", "X_te"], "RandomForestClassifier")


@pytest.mark.parametrize("source, detail", [
    ('df = pd.get_dummies(df, columns=["Sex", "Embarked"], drop_first=True, dtype=int)', "get_dummies"),
    ('d = pd.get_dummies(df["c"])', "get_dummies"),
    ('df["c"] = pd.Categorical(df["c"], ordered=True)', "Categorical"),
    ('df["c"], uniques = pd.factorize(df["c"])', "factorize"),
    ('df["c"] = df["c"].map({"a": 0, "b": 1})', "map"),
    ('df["c"] = df["c"].apply(lambda x: 1 if x == "Yes" else 0)', "apply"),
    ('df["c"] = df["c"].astype(pd.CategoricalDtype(["lo", "hi"], ordered=True))',
     "astype(pd.CategoricalDtype(['lo', 'hi'], ordered=True))"),
    ('df["c"] = df["c"].astype("category").cat.codes', "astype('category'), cat.codes"),
    ('d = df["tags"].str.get_dummies(sep="|")', "str.get_dummies"),
    ("from sklearn.preprocessing import OneHotEncoder\nX = OneHotEncoder().fit_transform(df[['c']])", "OneHotEncoder"),
    ("from sklearn.preprocessing import label_binarize\nY = label_binarize(y, classes=[0, 1, 2])", "label_binarize"),
    ('import polars as pl\nd = d.with_columns(pl.col("c").cast(pl.Enum(["lo", "hi"])))', "cast(pl.Enum(['lo', 'hi']))"),
    ('import polars as pl\nd = d.to_dummies(columns=["c"])', "to_dummies"),
])
def test_encode_steps_name_their_method(source: str, detail: str) -> None:
    step = only(PANDAS + source, {"d": "polars.DataFrame()"})
    assert (step.op, step.detail) == ("encode_categorical", detail)


def test_encode_detail_reads_right_in_the_tree() -> None:
    one_hot = classify_steps(PANDAS + 'df = pd.get_dummies(df, columns=["Sex", "Embarked"], drop_first=True)')
    assert describe_steps(one_hot) == ["One-hot encoded `Sex` and `Embarked` of `df`"]
    polars_one_hot = classify_steps('import polars as pl\nd = d.to_dummies(columns=["c"])', {"d": "polars.DataFrame()"})
    assert describe_steps(polars_one_hot) == ["One-hot encoded `c` of `d`"]
    recoded = classify_steps(PANDAS + 'df["c"] = df["c"].map({"a": 0, "b": 1})')
    assert describe_steps(recoded) == ["Encoded `c` of `df` (map)"]


@pytest.mark.parametrize("source, columns, detail", [
    ('df["FamilySize"] = df["SibSp"] + df["Parch"] + 1', ["FamilySize"], "from SibSp, Parch"),
    ('df.loc[df["Age"] < 12, "is_child"] = 1', ["is_child"], "from Age"),
    ('df["m"] = df.groupby("k")["v"].transform("mean")', ["m"], "from k, v"),
    ('df["ma"] = df["x"].rolling(7).mean()', ["ma"], "from x"),
    ('df["x2"] = np.exp(df["x"])', ["x2"], "from x"),  # (np.sqrt of one column rescales since the ninth pass)
    ('df["x"] = df["x"] * 2', ["x"], None),  # rewritten from itself: nothing else to name
    ('df[name] = df["a"] / df["b"]', [], "from a, b"),  # the new column's name is not literal
])
def test_derived_feature_columns_are_the_new_columns_and_sources_are_the_detail(
        source: str, columns: list[str], detail: str | None) -> None:
    step = only(PANDAS + source)
    assert (step.op, step.output, step.columns, step.detail) == ("derive_feature", "df", columns, detail)


def test_derived_feature_reads_right_in_the_demo_tree() -> None:
    steps = classify_steps('df["FamilySize"] = df["SibSp"] + df["Parch"] + 1\ndf["FamilySize"].describe()')
    attach_runtime(steps, [protocol.RuntimeFacts(variable="df", rows_before=889, rows_after=889, cols_before=11,
                                                 cols_after=12, added_columns=["FamilySize"])])
    assert describe_steps(steps) == [
        "Derived `FamilySize` from `SibSp` and `Parch` in `df`: 889 rows (unchanged); 11 \u2192 12 columns (+1); "
        "added `FamilySize`"]


# ---------------------------------------------------------------- runtime facts reach only the step that changed them
def test_a_step_with_no_output_never_gets_the_facts_of_a_variable_it_only_reads() -> None:
    aliases = collect_aliases("from sklearn.metrics import accuracy_score, classification_report\n"
                              "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()")
    steps = classify_steps("predictions = model.predict(X_test)\naccuracy = accuracy_score(y_test, predictions)\n"
                           "print(classification_report(y_test, predictions))", aliases)
    unchanged_y_test = protocol.RuntimeFacts(variable="y_test", kind="Series", rows_before=223, rows_after=223)
    predictions = protocol.RuntimeFacts(variable="predictions", kind="ndarray", rows_after=223)
    attach_runtime(steps, [unchanged_y_test, predictions])
    assert [(s.op, s.runtime) for s in steps] == [
        ("predict", predictions), ("evaluate", None), ("evaluate", None)]


@pytest.mark.parametrize("code, credited", [
    ('df.insert(0, "id", ids)', True),
    ('df["x"].update(other)', True),
    ("np.random.shuffle(df)", True),
    ("df.fillna(0, inplace = True)", True),
    ("df.x.fillna(df.x.mean(), inplace=True)", True),
    ('df.loc[:, "x"].update(other)', True),
    ("other.fillna(df, inplace=True)", False),  # df is only the fill value
    ("print(f1_score(df, p))", False),  # read only
    ('mydf.insert(0, "id", ids)', False),  # another variable whose name contains it
    ("self.df.insert(0, 'id', ids)", False),  # an attribute named df, not the variable
    ("summary = df.describe()", False),
])
def test_a_step_with_no_output_gets_facts_only_for_a_variable_it_mutates(code: str, credited: bool) -> None:
    step = protocol.Step(op="other", inputs=["df", "p", "mydf", "ids", "other"], code=code)
    fact = protocol.RuntimeFacts(variable="df", rows_before=3, rows_after=3, cols_before=2, cols_after=3)
    attach_runtime([step], [fact])
    assert (step.runtime is fact) is credited


def test_a_classified_in_place_shuffle_gets_the_array_facts() -> None:
    steps = classify_steps("import numpy as np\nnp.random.shuffle(arr)")
    fact = protocol.RuntimeFacts(variable="arr", kind="ndarray", rows_before=10, rows_after=10)
    attach_runtime(steps, [fact])
    assert [(s.op, s.output, s.runtime) for s in steps] == [("sample", "arr", fact)]


@pytest.mark.parametrize("source, expected", [
    # data built in code is a source (what-is-a-step.md: literals, synthetic data, packaged data sets)
    ('df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})', [("load", "df")]),
    ("data = [[1, 2], [3, 4]]\narr = np.array(data)", [("load", "arr")]),
    ("x = np.random.normal(size=100)", [("load", "x")]),
    ("rng = np.random.default_rng(0)\nd = rng.standard_normal((2, 3))", [("load", "d")]),
    ("y = 2 * x + np.random.normal(size=100)", [("load", "y")]),
    ("dta = sm.datasets.fair.load_pandas().data", [("load", "dta")]),
    ("from lifelines.datasets import load_rossi\nrossi = load_rossi()", [("load", "rossi")]),
    # a grid over the data fed to predict is data; a grid only drawn is not (CONVENTIONS 28, 8)
    ("X_test = np.arange(df.x.min(), df.x.max()).reshape(-1, 1)\np = m.predict(X_test)",
     [("load", "X_test"), ("predict", "p")]),
    ("income = np.linspace(0, 150)\nplt.plot(income, 2 * income)", []),
    ("xx, yy = np.meshgrid(a, b)\nplt.contour(xx, yy, z)", []),
    ("x = np.linspace(0, 10, 100)\nX = np.column_stack((x, x ** 2))", [("load", "x"), ("derive_feature", "X")]),
    # two existing objects side by side are a concat; one is only repackaged (CONVENTIONS 12-13)
    ('both = pd.DataFrame({"y": y_test, "pred": pred})', [("concat", "both")]),
    ("arr = np.array(existing)", [("other", "arr")]),
    ("X = df.values", [("other", "X")]),
    ('X = df[["a", "b"]].values', [("select_columns", "X")]),
    ("df2 = df.copy()", [("other", "df2")]),
    ("df = df.copy()", []),
    ("X = X4", [("other", "X")]),
    # parameters, accumulators and loop ranges are not data (CONVENTIONS 15)
    ("theta = np.zeros(3)", []),
    ("oof = np.zeros(len(X))", []),
    ("from sklearn.linear_model import LinearRegression\nm = LinearRegression()\n"
     "b = np.linspace(m.coef_[0] - 1, m.coef_[0] + 1, 50)", []),
    ("for i in np.arange(1, 20):\n    pass", []),
    ("imp = pd.Series(rf.feature_importances_)", []),
])
def test_sources_built_in_code_and_conversions(source: str, expected: list) -> None:
    env = {"rf": "sklearn.ensemble.RandomForestClassifier()", "m": "sklearn.linear_model.LinearRegression()"}
    source = "import numpy as np\nimport matplotlib.pyplot as plt\n" + PANDAS + source
    assert [(s.op, s.output) for s in classify_steps(source, env)] == expected


@pytest.mark.parametrize("source, expected", [
    ('s.name = "Temperature"', [("rename", "s")]),
    ('counts.index = ["Mon", "Tue"]', [("rename", "counts")]),
    ('cm.index.name = "Predicted"', [("rename", "cm")]),
    ("df.index = pd.to_datetime(df.index)", [("datetime_parse", "df")]),
])
def test_naming_data_is_a_rename(source: str, expected: list) -> None:
    assert [(s.op, s.output) for s in classify_steps(PANDAS + source)] == expected


@pytest.mark.parametrize("source, expected", [
    # a helper's body is classified where it is written; its call is not a step (CONVENTIONS 1)
    ("def clean(d):\n    return d.dropna()\nx = clean(df)", [("drop_missing", None)]),
    ("def f(z):\n    return z\ndf['a'] = f(df['a'])", []),
    # a function passed to apply is part of that call (CONVENTIONS 3), which takes the op of what it does
    ("def fix(v):\n    return v.strip()\ndf['a'] = df['a'].apply(fix)", [("text_clean", "df")]),
    ("def ratio(v):\n    return v / 2\ndf['a'] = df['a'].apply(ratio)", [("derive_feature", "df")]),
    ("df['t'] = df['t'].apply(lambda s: re.sub(r'\\W', ' ', s).lower())", [("text_clean", "df")]),
    ("df['c'] = df['c'].apply(str)", [("type_cast", "df")]),
    ("df['f'] = df.groupby('n')['f'].transform(lambda x: x.fillna(x.median()))", [("impute_missing", "df")]),
    # a function that returns generated data is a source; its call is the load (CONVENTIONS 4c)
    ("def noise(n):\n    return np.random.normal(size=n)\neps = noise(100)", [("load", "eps")]),
    # a hand-written model is a black box: its call is the step (CONVENTIONS 4a)
    ("def computeCost(X, y, theta):\n    return ((X @ theta - y) ** 2).sum()\nJ = computeCost(X, y, theta)",
     [("evaluate", "J")]),
    ("def gradientDescent(X, y, theta, alpha, n):\n    return theta\ntheta = gradientDescent(X, y, theta, 0.1, 10)",
     [("fit_model", "theta")]),
    ("def featureNormalize(X):\n    return (X - X.mean()) / X.std()\nX_norm = featureNormalize(X)",
     [("scale_normalize", "X_norm")]),
])
def test_notebook_functions(source: str, expected: list) -> None:
    assert [(s.op, s.output) for s in classify_steps("import numpy as np\n" + PANDAS + source)] == expected


@pytest.mark.parametrize("source, op", [
    ('df["t"] = df["t"].str.split(",")', "text_clean"),  # what-is-a-step.md: str.split, regex extraction
    ('df["t"] = df["t"].str.extract(r"(\\d+)")', "text_clean"),
    ('df["fips"] = df["code"].str[0:2]', "text_clean"),
    ('df["n"] = df["t"].str.split().str.len()', "derive_feature"),  # a count of words: the split only counts
    ('df = df.replace({0: "No", 1: "Yes"})', "encode_categorical"),  # a dict of category codes
    ('df = df.replace("?", np.nan)', "text_clean"),
    ('df["y"] = np.log1p(df["price"])', "scale_normalize"),  # what-is-a-step.md: np.log on a target
    ('df = df.reindex(columns=["a", "b"])', "select_columns"),
    ('df.index = periods.to_timestamp("D")', "datetime_parse"),
    ('mat = X.T @ X', None),  # turned around to compute with
    ("flipped = summary.T", "reshape"),
])
def test_contested_text_and_shape_calls(source: str, op) -> None:
    found = [s.op for s in classify_steps("import numpy as np\n" + PANDAS + source)]
    assert found == ([op] if op else [])


@pytest.mark.parametrize("source, expected", [
    # reading how well a fitted model fits is an evaluation; its fitted values are predictions (CONVENTIONS 26-27)
    ('res = smf.ols("y ~ x", df).fit()\nr2 = res.rsquared', [("fit_model", "res"), ("evaluate", "r2")]),
    ("search.fit(X, y)\nprint(search.best_score_)", [("fit_model", "search"), ("evaluate", None)]),
    ('res = sm.OLS(y, X).fit()\nci = res.conf_int()\nfit = res.fittedvalues',
     [("fit_model", "res"), ("evaluate", "ci"), ("predict", "fit")]),
    ("labels = km.fit_predict(X)", [("fit_model", "km"), ("predict", "labels")]),
    ('print("Parameters:", res.params)', []),  # reading coefficients is not a step
    # metrics computed by hand from predictions, residuals, thresholds (what-is-a-step.md: RMSE from predictions)
    ("p = model.predict(X)\nerr = np.sqrt(np.mean((y - p) ** 2))", [("predict", "p"), ("evaluate", "err")]),
    ("p = model.predict(X)\nprint((p == y).mean())", [("predict", "p"), ("evaluate", None)]),
    ('df["pred"] = model.predict(X)\ndf["resid"] = df.y - df.pred', [("predict", "df"), ("evaluate", "df")]),
    ("proba = model.predict_proba(X)[:, 1]\nlabels = proba > 0.3", [("predict", "proba"), ("predict", "labels")]),
    ("scores = cross_val_score(m, X, y)\nrmse = np.sqrt(-scores)", [("evaluate", "scores"), ("evaluate", "rmse")]),
    ("p = model.predict(X)\nplt.plot(X, p - y)", [("predict", "p")]),  # a plotted residual only draws
])
def test_model_results(source: str, expected: list) -> None:
    env = {"search": "sklearn.model_selection.GridSearchCV()", "model": "sklearn.linear_model.LinearRegression()",
           "m": "sklearn.linear_model.LinearRegression()", "km": "sklearn.cluster.KMeans()",
           "res": "fitted.Model()", "cross_val_score": "sklearn.model_selection.cross_val_score"}
    steps = classify_steps("import numpy as np\nimport matplotlib.pyplot as plt\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # values put into part of data (kb.VALUE_ASSIGNMENT, rule assigned_values)
    ('df.loc[df.zip == "00000", "zip"] = np.nan', [("text_clean", "df")]),  # a text placeholder cleared
    ('df.loc[df.age > 120, "age"] = np.nan', [("outlier_remove", "df")]),  # a numeric anomaly cleared
    ("data[data < 0] = 0", [("outlier_remove", "data")]),  # capped at a bound
    ("arr[5:8] = 12", [("other", "arr")]),  # values put at positions
    ("for i in range(8):\n    arr[i] = i", [("other", "arr")]),
    ('df.loc[df.x > 5, "big"] = 1', [("derive_feature", "df")]),  # a new column from a condition
    ('plt.rcParams["figure.figsize"] = (15, 5)', []),  # a setting, not data
    # design matrices: one variable and its powers is derived; a formula's terms name their ops
    ("X = np.column_stack((x, x ** 2))", [("derive_feature", "X")]),
    ("X = np.column_stack((x, dummies))", [("concat", "X")]),
    ("X = sm.add_constant(X)", [("derive_feature", "X")]),
    ('y, X = patsy.dmatrices("y ~ C(g) + np.log(x)", data)', [("encode_categorical", "y"), ("scale_normalize", "y")]),
    ('y, X = patsy.dmatrices("y ~ x0 + x1", data)', [("select_columns", "y")]),
    ("y_true = np.dot(X, beta)", [("derive_feature", "y_true")]),
])
def test_assignments_into_data_and_design_matrices(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\nimport patsy\nimport matplotlib.pyplot as plt\n" + PANDAS + source)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # an indicator of a category encodes it; of a numeric condition, it is a feature (CONVENTIONS 20)
    ('df["is_female"] = (df["sex"] == "female").astype(int)', [("encode_categorical", "df")]),
    ('y = np.where(target == "spam", 1, 0)', [("encode_categorical", "y")]),
    ("y = (df.wage > 250).map({False: 0, True: 1}).values", [("derive_feature", "y")]),
    ('is_spam = df.label == "spam"', []),  # a mask, not a step (CONVENTIONS 15)
    # a projection feeding a groupby belongs to the aggregation (CONVENTIONS 18)
    ('m = df[["a", "k"]].groupby("k").mean()', [("aggregate", "m")]),
    ('g = df.groupby("k")\nr = g[["a", "b"]].agg("mean")', [("aggregate", "r")]),
    # a table of statistics per column; inside another call it only feeds that step
    ("means = X.mean(axis=0)", [("aggregate", "means")]),
    ("shares = basket.div(basket.sum(axis=1), axis=0)", [("scale_normalize", "shares")]),
    # polars select: one step per kind of expression (CONVENTIONS 24)
    ('d = lf.select(pl.col("year").alias("y"), pl.col("n").cast(pl.Int64))', [("rename", "d"), ("type_cast", "d")]),
    ('d = lf.select("a", pl.col("b").sum().over("a").alias("s"))', [("select_columns", "d"), ("derive_feature", "d")]),
    ('d = lf.with_columns(pl.col("v").rank().over("k").cast(pl.Int64).alias("r"))', [("derive_feature", "d")]),
    ('d = lf.with_columns(pl.when(is_outlier).then(pl.col("v").median()).otherwise(pl.col("v")).alias("v"))',
     [("outlier_remove", "d")]),
    # optimisers fit; statistical tests evaluate (kb/scipy.py)
    ("import scipy.optimize as opt\nres = opt.minimize(cost, theta0)\nJ = res.fun\ntheta = res.x",
     [("fit_model", "res"), ("evaluate", "J")]),
    ("from scipy import stats\nt, p = stats.ttest_ind(a, b)", [("evaluate", "t")]),
])
def test_indicators_projections_and_expressions(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\nimport polars as pl\n" + PANDAS + source, {"lf": "polars.DataFrame()"})
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # hand-written models: parameters fitted by a notebook function are applied to new data (a prediction)
    ("def gradientDescent(X, y, theta):\n    return theta\ntheta = gradientDescent(X, y, t0)\n"
     "p = np.dot([1, 3.5], theta)", [("fit_model", "theta"), ("predict", "p")]),
    ("def computeCost(X, y, theta):\n    return 0\nJ = computeCost(X, y, theta=np.array([0.0, 0.0]))",
     [("evaluate", "J")]),  # a parameter vector passed in is not data
    ("X = np.concatenate([np.ones((m, 1)), X], axis=1)", [("derive_feature", "X")]),  # an intercept column
    ("from scipy.io import loadmat\ndata = loadmat('ex7data2.mat')", [("load", "data")]),
    ("import utils\nX_norm, mu, sigma = utils.featureNormalize(X)", [("scale_normalize", "X_norm")]),
    ("A = plt.imread('bird.png')\nA /= 255", [("load", "A"), ("scale_normalize", "A")]),
])
def test_hand_written_models_and_helpers(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\nimport matplotlib.pyplot as plt\n" + PANDAS + source)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # a notebook transformer's methods hold the steps; its own state (self.x = ...) is not data work
    ("class Fill(TransformerMixin):\n    def fit(self, X, y=None):\n        self.cols_ = np.array(X.columns)\n"
     "        return self\n    def transform(self, X):\n        return X.fillna(0)", [("impute_missing", None)]),
    # a notebook model is a black box: its instances fit and predict (CONVENTIONS 4a)
    ("class KNN:\n    def fit(self, X, y):\n        self.X = X.dropna()\n    def predict(self, X):\n        return X\n"
     "knn = KNN()\nknn.fit(X, y)\np = knn.predict(T)", [("fit_model", "knn"), ("predict", "p")]),
    # masks bound earlier keep what they test
    ("keep = df.x.notna()\nd = df[keep]", [("drop_missing", "d")]),
    ("gone = df.x.isna()\ndf.loc[gone, 'x'] = np.expm1(pred)", [("impute_missing", "df")]),
    # (the rows and their column picked by one .loc are one step since the ninth pass: test_steps_pass9.py)
    ("d = df.loc[~imputer.missing_mask_, 'a']", [("drop_missing", "d")]),
    ('m = df.shape_.isin(["IR1", "IR2"])\ndf.loc[m, "shape_"] = "IR"', [("encode_categorical", "df")]),
])
def test_classes_and_bound_masks(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\n" + PANDAS + source)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # values written into an accumulator shaped after data are plumbing; predictions stored there stay
    ("Z = np.zeros((B0.size, B1.size))\nfor i in range(3):\n    Z[i, 0] = ((y - B0[i]) ** 2).sum()", []),
    ("oof = np.zeros(len(X))\nfor tr, va in kf.split(X):\n    oof[va] = model.predict(X.iloc[va])",
     [("split", None), ("predict", "oof")]),
    # the parts of a fold are the splits, not the loop over folds (CONVENTIONS 16)
    ("for tr, va in kf.split(X):\n    X_tr, X_va = X.iloc[tr], X.iloc[va]", [("split", "X_tr"), ("split", "X_va")]),
    # categories lumped into one label (CONVENTIONS 20); a conversion of a computed value is not an alias
    ('df["t"] = df["t"].replace(rare, "Other")', [("encode_categorical", "df")]),
    ("u = np.setdiff1d(a, b).tolist()", []),
    ('df["alone"] = df.eval("SibSp + Parch == 0").astype(int)', [("derive_feature", "df")]),
])
def test_accumulators_folds_and_lumping(source: str, expected: list) -> None:
    env = {"kf": "sklearn.model_selection.KFold()", "model": "sklearn.linear_model.LinearRegression()"}
    steps = classify_steps("import numpy as np\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # a value per row from groups is a feature (CONVENTIONS 22); shown, it is looked at
    ('df["m"] = df.groupby("k")["v"].transform("mean")', [("derive_feature", "df")]),
    ('g = df.groupby("k")\ng.transform("mean")', []),
    ("def top(d):\n    return d.head(2)\ntips.groupby('s').apply(top)", []),
    ("def stats(d):\n    return d.mean()\nr = tips.groupby('s').apply(stats)", [("aggregate", "r")]),
    ('z = (df["v"] - g.transform("mean")) / g.transform("std")', [("scale_normalize", "z")]),
    # a statistic per column shown is an answer; generated values passed by keyword configure the call
    ("arr.sum(axis=0)", []),
    ("sizes, tr, va = learning_curve(m, X, y, train_sizes=np.linspace(0.1, 1, 5))", [("evaluate", "sizes")]),
])
def test_group_results_and_configuring_values(source: str, expected: list) -> None:
    env = {"g": "grouped", "learning_curve": "sklearn.model_selection.learning_curve",
           "m": "sklearn.linear_model.LinearRegression()"}
    steps = classify_steps("import numpy as np\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # a number bound to a name is not data: np.zeros(nsample) is data built in code, not an accumulator
    ("nsample = 50\ngroups = np.zeros(nsample, int)", [("load", "groups")]),
    ("n = len(X)\nscore = cross_val_score(m, np.ones((n, 1)), y)", [("load", "score"), ("evaluate", "score")]),
    # a threshold on predicted probabilities predicts; the table built with it stays a table
    ("p = m.predict_proba(X)\ncut = 0.2\nd = pd.DataFrame({'y': y, 'p': p[:, 1] > cut})",
     [("predict", "p"), ("concat", "d"), ("predict", "d")]),
    ("p = m.predict_proba(X)\nnp.unique(p[:, 1] > 0.5, return_counts=True)", [("predict", "p")]),
    # rows held out by a fixed slice inside a call are a filter; one row by position is a row filter
    ("r = sm.OLS(y.iloc[:14], X.iloc[:14]).fit()", [("filter_rows", "r"), ("filter_rows", "r"), ("fit_model", "r")]),
    ("p = res.predict(data[:5])", [("predict", "p")]),  # a few rows to look at predictions
    ("one = dta.iloc[1000]", [("filter_rows", "one")]),
    # a standardised residual is data; |z| is the distance of an outlier filter
    ("from scipy import stats\nresid_std = stats.zscore(resid)", [("scale_normalize", "resid_std")]),
    ("from scipy import stats\nz = np.abs(stats.zscore(x))", []),
])
def test_numbers_thresholds_and_row_positions(source: str, expected: list) -> None:
    env = {"m": "sklearn.linear_model.LogisticRegression()", "cross_val_score": "sklearn.model_selection.cross_val_score"}
    steps = classify_steps("import numpy as np\nimport statsmodels.api as sm\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # a cast chained after the recoding is a step of its own (what-is-a-step.md: "Method chains give one step per
    # transforming call"; CONVENTIONS 20 absorbs a trailing cast only into an indicator of a condition)
    ('df["Sex"] = df["Sex"].map({"female": 1, "male": 0}).astype(int)', [("encode_categorical", "df"),
                                                                         ("type_cast", "df")]),
    ('df.loc[(df["Age"] > 16) & (df["Age"] <= 32), "Age"] = 1', [("derive_feature", "df")]),  # a band, not a cap
    ('df.loc[df["Age"] > 100, "Age"] = 100', [("outlier_remove", "df")]),  # capped at its bound
    ("all_data[f] = boxcox1p(all_data[f], 0.15)", [("scale_normalize", "all_data")]),
    ("p1 = m.predict(X)\np2 = m2.predict(X)\nblend = 0.7 * p1 + 0.3 * p2",
     [("predict", "p1"), ("predict", "p2"), ("predict", "blend")]),
])
def test_kaggle_feature_idioms(source: str, expected: list) -> None:
    env = {"m": "sklearn.linear_model.Lasso()", "m2": "xgboost.XGBRegressor()",
           "boxcox1p": "scipy.special.boxcox1p"}
    steps = classify_steps("import numpy as np\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # what-is-a-step.md: "Method chains give one step per transforming call"
    ("s = data.unstack().stack()", [("reshape", "s"), ("reshape", "s")]),
    ('d = df.sort_values("a").reset_index()', [("sort", "d"), ("other", "d")]),
    ('df["x"] = df["x"].str.strip().str.lower()', [("text_clean", "df"), ("text_clean", "df")]),  # strip, then lower
    # ... except a run that reads one source, computes one metric, or encodes / casts the same values
    ("d = data2.drop(data2[data2.Salary > 100000].index)", [("filter_rows", "d")]),
    # what is done to predictions counts
    ('fc = fit.forecast(3).rename("alpha 0.2")', [("predict", "fc"), ("rename", "fc")]),
])
def test_chains_are_one_step_per_transforming_call(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\n" + PANDAS + source, {"fit": "fitted.Model()"})
    assert [(s.op, s.output) for s in steps] == expected


def test_a_sample_and_the_rest_are_a_split_whatever_their_names() -> None:
    # CONVENTIONS 16: sample + drop is a split, one per output
    steps = classify_steps(PANDAS + "part = movies.sample(frac=0.75, random_state=1)\nrest = movies.drop(part.index)")
    assert [(s.op, s.output) for s in steps] == [("split", "part"), ("split", "rest")]
    alone = classify_steps(PANDAS + "some = movies.sample(5)")
    assert [(s.op, s.output) for s in alone] == [("sample", "some")]


@pytest.mark.parametrize("source, expected", [
    # a numeric anomaly code or a text placeholder set to NaN (CONVENTIONS 29)
    ('df["d"] = df["d"].replace({365243: np.nan})', [("outlier_remove", "df")]),
    ('df = df.replace("?", np.nan)', [("text_clean", "df")]),
    # what a plot call returns only draws
    ('g = sns.FacetGrid(df, col="Survived")\ng.map(plt.hist, "Age", bins=20)', []),
    ("fig, ax = plt.subplots()\nax.hist(df[df.a > 1].b)", []),
    # a statistic passed in is part of the step; the mode is one value
    ('df["F"].fillna(df["F"].dropna().median(), inplace=True)', [("impute_missing", "df")]),
    ("port = df.Embarked.dropna().mode()[0]", []),
    # a helper around a library metric is a helper: its body holds the step, its calls are not steps
    ("def rmsle(y, p):\n    return np.sqrt(mean_squared_error(y, p))\nscore = rmsle(y, pred)", [("evaluate", None)]),
    # imported text functions applied to values clean text
    ("from nltk import word_tokenize\ndf['tokens'] = df['text'].apply(word_tokenize)", [("text_clean", "df")]),
])
def test_anomalies_figures_statistics_helpers(source: str, expected: list) -> None:
    env = {"mean_squared_error": "sklearn.metrics.mean_squared_error"}
    steps = classify_steps("import numpy as np\nimport seaborn as sns\nimport matplotlib.pyplot as plt\n" + PANDAS
                           + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # polars: a selection by a list of names or by selectors; a cast of selected columns; head keeps rows
    ('cols = ["a", "b"]\nd = df.select(cols).head()', [("select_columns", "d"), ("filter_rows", "d")]),
    ("import polars.selectors as cs\nd = df.select(pl.col('y').alias('year'), cs.numeric().cast(pl.Int64))",
     [("rename", "d"), ("type_cast", "d")]),
    # a packaged data set from a plotting library is data
    ("import plotly\nd = pl.from_pandas(plotly.data.iris())", [("load", "d")]),
    # SQL run on registered frames: its GROUP BY aggregates, its JOIN joins (CONVENTIONS 22)
    ('r = ctx.execute("SELECT k, SUM(v) AS t FROM tx GROUP BY k ORDER BY t DESC").collect()', [("aggregate", "r")]),
    # a bound computed from other bounds; dates made from their parts
    ("q = np.percentile(b, [25, 50, 75])\nmu = q[1]\nsig = 0.74 * (q[2] - q[0])\n"
     "b = b.query('(x > @mu - 5 * @sig) & (x < @mu + 5 * @sig)')", [("outlier_remove", "b")]),
    ("from datetime import datetime\nd.index = [datetime(2012, m, day) for (m, day) in d.index]",
     [("datetime_parse", "d")]),
])
def test_polars_sql_bounds_and_dates(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\nimport polars as pl\n" + PANDAS + source,
                           {"df": "polars.DataFrame()", "ctx": "polars.SQLContext()"})
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    ('df["s"] = pd.cut(df["age"], np.arange(0, 80, 5))', [("derive_feature", "df")]),  # the bins are parameters
    ("from datetime import date\nstart = {'Obama': date(2009, 1, 20)}", []),  # dates written in the code
    ('df["year"] = df["start"].apply(lambda d: int(d.year))', [("derive_feature", "df")]),  # a part taken out
    ("naf.fit(T, E).plot()", [("fit_model", "naf")]),  # the fit happened, whatever is drawn after
    ("df = pd.DataFrame([[1, 2]])\ndf[3] = np.nan", [("load", "df"), ("derive_feature", "df")]),  # a frame's column
    ("merged.loc[merged['region'] == 'PR', 'state'] = 'Puerto Rico'", [("derive_feature", "merged")]),
    ("density = d['population'] / d['area']", [("derive_feature", "density")]),
    ("def hours(day):\n    return np.clip(day, 0, 2)\nd['h'] = list(map(hours, d.index))", [("derive_feature", "d")]),
    ("headers = ['a', 1]\nd2 = d[headers].copy()", [("select_columns", "d2")]),
])
def test_bins_constants_parts_frames_and_callbacks(source: str, expected: list) -> None:
    steps = classify_steps("import numpy as np\n" + PANDAS + source, {"naf": "lifelines.NelsonAalenFitter()"})
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    # value counts made only to draw are plumbing (CONVENTIONS 8: "value-counting")
    ("female = df.Survived[df.Sex == 'female'].value_counts()\nfemale.plot(kind='bar')", []),
    ("counts = df.Survived.value_counts()", [("aggregate", "counts")]),  # assigned and not only drawn: a step
    # a formula bound to a name is read where the design matrix uses it
    ("formula = 'Survived ~ C(Pclass) + Age'\ny, x = dmatrices(formula, data=df, return_type='dataframe')",
     [("encode_categorical", "y")]),
])
def test_plumbing_counts_and_formula_names(source: str, expected: list) -> None:
    steps = classify_steps("from patsy import dmatrices\n" + PANDAS + source)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    ('df["c"] = df["x"] - df["x"].mean()', [("scale_normalize", "df")]),  # centring (CONVENTIONS 23)
    ("rev = df[::-1]", [("sort", "rev")]),  # CONVENTIONS 30
    ("def remove_outliers(d):\n    return d[d.price < 1000]", [("outlier_remove", None)]),  # CONVENTIONS 29
])
def test_centring_reversal_and_outlier_helpers(source: str, expected: list) -> None:
    assert [(s.op, s.output) for s in classify_steps(PANDAS + source)] == expected


@pytest.mark.parametrize("source, expected", [
    ('d["agecell"] -= 21', [("derive_feature", "d")]),  # a column changed by arithmetic
    # statistics bound to names stay answers; a table of them is an answer too
    ("share = df.isnull().sum() / len(df)\nshare = share.drop(share[share == 0].index).sort_values()[:30]\n"
     "missing = pd.DataFrame({'ratio': share})", []),
    # a function named for a model step whose own statements call a library's step is a helper (CONVENTIONS 1)
    ("def rmsle_cv(m):\n    r = np.sqrt(-cross_val_score(m, X, y))\n    return r\ns1 = rmsle_cv(lasso)\ns2 = rmsle_cv(gb)",
     [("evaluate", "r")]),
    ("if ok:\n    t = a.join(b, on='k')\nelse:\n    t = None\nu = t.group_by('k').agg(pl.col('v').sum())",
     [("join", "t"), ("aggregate", "u")]),  # x = None in a branch says nothing about x
])
def test_augmented_columns_statistics_and_helpers(source: str, expected: list) -> None:
    env = {"cross_val_score": "sklearn.model_selection.cross_val_score", "a": "polars.DataFrame()"}
    steps = classify_steps("import numpy as np\nimport polars as pl\n" + PANDAS + source, env)
    assert [(s.op, s.output) for s in steps] == expected


@pytest.mark.parametrize("source, expected", [
    ("%timeit -r1 forest.fit(df.drop('Class', axis=1), df['Class'])", [("fit_model", "forest")]),  # fitted in place
    ("%timeit y = df.dropna()", []),  # assignments inside %timeit never reach the namespace
    ("m.fit(df.drop('y', axis=1), df['y'])", [("fit_model", "m")]),  # the columns dropped only feed the call
    ("X = df.drop('y', axis=1)", [("drop_columns", "X")]),
    ("import utils\ncentroids, idx = utils.runkMeans(X, init, 10)", [("fit_model", "centroids")]),
])
def test_timeit_and_columns_dropped_for_a_call(source: str, expected: list) -> None:
    env = {"forest": "sklearn.ensemble.RandomForestClassifier()", "m": "sklearn.linear_model.LinearRegression()"}
    assert [(s.op, s.output) for s in classify_steps(PANDAS + source, env)] == expected


@pytest.mark.parametrize("source, expected", [
    # metrics and predictions count wherever they are written (CONVENTIONS 7), a dict of scores included
    ("scores = {}\nscores['lr'] = cross_val_score(m, X, y)", [("evaluate", "scores")]),
    ("print(f'{accuracy_score(y, m.predict(X)):.2f}')", [("predict", None), ("evaluate", None)]),  # f-strings compute
    ("scores = []\nacc = m.score(X, y)\nscores.append((acc - base) / acc)", [("evaluate", "acc"), ("evaluate", None)]),
    # dividing by a total normalises to shares, however the total is written
    ("cm = confusion_matrix(y, pred)\ncmn = cm / np.sum(cm)", [("evaluate", "cm"), ("scale_normalize", "cmn")]),
    # a dict's keys are labels: slicing one is not filtering rows
    ("n = 4\nfor key, value in search.best_params_.items():\n    key = key[n:]\n    print(key, value)", []),
    # one value computed from two metrics is one evaluation, whichever data each metric reads
    ("gain = accuracy_score(y, pred) - accuracy_score(y2, base)", [("evaluate", "gain")]),
    ("res = df.merge(a, on='k').merge(b, on='j')", [("join", "res"), ("join", "res")]),  # a chain's joins stay two
])
def test_scores_written_anywhere_shares_and_dict_keys(source: str, expected: list) -> None:
    env = {"cross_val_score": "sklearn.model_selection.cross_val_score", "accuracy_score": "sklearn.metrics.accuracy_score",
           "confusion_matrix": "sklearn.metrics.confusion_matrix", "m": "sklearn.linear_model.LinearRegression()", "search": "sklearn.model_selection.GridSearchCV()",
           "df": "pandas.DataFrame()"}
    assert [(s.op, s.output) for s in classify_steps("import numpy as np\n" + PANDAS + source, env)] == expected
