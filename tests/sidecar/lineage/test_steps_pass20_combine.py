"""The twentieth pass (acc34, issue 10): steps that combine tables, as notebooks beyond the corpus write them.

Found on fresh public material (Kaggle Home Credit / M5 / Instacart repositories, pandas cookbooks and courses) and
checked against the public code index (`find_string`) for more than one author:

- `scipy.sparse.hstack([X_tfidf, X_num])` / `sparse.vstack`: text features put beside other columns (NLP kernels)
  read no step. CONVENTIONS 13: "`np.column_stack`/`hstack`/`np.c_` that combines two or more existing arrays ...
  into an assigned or shown table is `concat`".
- `reduce(lambda left, right: pd.merge(left, right, on="id"), frames)`: a fold of a list of tables by a merge (or a
  concat) read no step. What-is-a-step.md: a merge / concat "builds a new table"; CONVENTIONS 3: the lambda's body is
  the step of the call that applies it.
- `np.c_[train[["x1", "x2"]].values, ...]`: the column lists picking the stacked columns were taken for column names
  (CONVENTIONS 15), so the stack read no step; CONVENTIONS 13 makes it a concat, and 18 makes the selection inside it
  no step of its own. One table alone (`np.c_[df[["a", "b"]]]`) is read as `np.array(df[["a", "b"]])` is.
- `pd.DataFrame({"k": df["k"].unique()}).merge(other, on="k", how="left")`: the distinct keys (an answer alone)
  joined with data read no step. What-is-a-step.md: a merge builds a new table, a join.

Each row is a cell after set-up lines (the set-up's own steps are not counted); every group has negative controls.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import ops_after

PD = ("import numpy as np\nimport pandas as pd\n"
      "train = pd.read_csv('train.csv')\ntest = pd.read_csv('test.csv')\n"
      "a = pd.read_csv('a.csv')\nb = pd.read_csv('b.csv')\nc = pd.read_csv('c.csv')\n")
TEXT = PD + ("from sklearn.feature_extraction.text import TfidfVectorizer\n"
             "tfidf = TfidfVectorizer()\nX_tfidf = tfidf.fit_transform(train['text'])\n"
             "X_num = train[['n1', 'n2']].values\n")


SPARSE_STACKS = [
    (TEXT, "from scipy.sparse import hstack\nX_all = hstack([X_tfidf, X_num]).tocsr()", ["concat"]),
    (TEXT, "from scipy import sparse\nX_all = sparse.hstack([X_tfidf, X_num])", ["concat"]),
    (TEXT, "import scipy.sparse as sp\nX_all = sp.hstack((X_tfidf, X_num), format='csr')", ["concat"]),
    (TEXT, "from scipy.sparse import vstack\nX_both = vstack([X_tfidf, X_tfidf])", ["concat"]),
    # controls: numpy's own stack unchanged; a sparse matrix made of one array is no combination; a stack that only
    # packages a model's argument stays no step of its own
    (TEXT, "X_all = np.hstack([X_num, X_num])", ["concat"]),
    (TEXT, "from scipy.sparse import csr_matrix\nX_sparse = csr_matrix(X_num)", []),
]


@pytest.mark.parametrize("setup,cell,expected", SPARSE_STACKS)
def test_sparse_matrices_stacked_are_a_concat(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FOLDED_TABLES = [
    (PD, "from functools import reduce\n"
         "df_final = reduce(lambda left, right: pd.merge(left, right, on='id', how='outer'), [a, b, c])", ["join"]),
    (PD, "from functools import reduce\ndfs = [a, b, c]\nmerged = reduce(lambda l, r: l.merge(r, on='id'), dfs)",
     ["join"]),
    (PD, "import functools as ft\nframes = [a, b]\nallf = ft.reduce(lambda x, y: pd.concat([x, y]), frames)",
     ["concat"]),
    (PD, "from functools import reduce\nreduce(lambda left, right: pd.merge(left, right, on='id'), [a, b])", ["join"]),
    (PD, "from functools import reduce\ndef combine(dfs):\n"
         "    return reduce(lambda left, right: pd.merge(left, right, on=['Date'], how='outer'), dfs)\n"
         "portfolio = combine([a, b])", ["join"]),
    # controls: a fold that makes no table of its two arguments (numbers added, frames added element-wise) stays
    # as it was
    (PD, "from functools import reduce\ntotal = reduce(lambda x, y: x + y, [1, 2, 3])", []),
    (PD, "from functools import reduce\ns = reduce(lambda x, y: x.add(y, fill_value=0), [a, b])", []),
]


@pytest.mark.parametrize("setup,cell,expected", FOLDED_TABLES)
def test_tables_folded_by_a_merge_are_joined(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


def test_a_fold_joins_every_table_of_its_list() -> None:
    steps = classify_steps(PD + "from functools import reduce\n"
                                "out = reduce(lambda left, right: pd.merge(left, right, on='id'), [a, b, c])")
    join = next(step for step in steps if step.op == "join")
    assert (join.inputs, join.output) == (["a", "b", "c"], "out")


INDEX_STACKS = [
    (PD, "X = np.c_[train[['x1', 'x2']].values, test[['x1', 'x2']].values]", ["concat"]),
    (PD, "X_num = train[['n1']].values\nX = np.c_[train[['a']], X_num]", ["select_columns", "concat"]),
    # a column of ones beside one table's columns: a design matrix (CONVENTIONS 13: derive_feature)
    (PD, "X = np.c_[train[['a', 'b']].values, np.ones(len(train))]", ["derive_feature"]),
    # one table alone made an array: a column selection, as np.array(df[cols]) is (CONVENTIONS 12, 18)
    (PD, "X = np.c_[train[['age', 'bp', 'ef']]]", ["select_columns"]),
    # ... and one range written in the code is values written there, as np.arange(10) is (what-is-a-step.md: data
    # created in code is a load), not a concat of one piece
    (PD, "idx = np.r_[0:10]", ["load"]),
    # controls: names stacked stay names (CONVENTIONS 15); two arrays side by side stay a concat
    (PD, "names = ['a', 'b']\ncols = np.r_[names, ['IsAlone']]", []),
    (PD, "x1 = train['x1'].values\nx2 = train['x2'].values\nX = np.c_[x1, x2]",
     ["select_columns", "select_columns", "concat"]),
]


@pytest.mark.parametrize("setup,cell,expected", INDEX_STACKS)
def test_columns_picked_into_np_c_are_stacked(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


KEYS_JOINED = [
    (PD, "daily = pd.DataFrame({'datetime': a.datetime.unique()}).merge(b, on='datetime', how='left')", ["join"]),
    (PD, "all_workers = pd.DataFrame({'worker_id': a['worker_id'].unique()})\n"
         "workers = all_workers.merge(b, on='worker_id', how='left')", ["join"]),
    (PD, "keys = pd.DataFrame({'id': a['id'].unique()})\nkeys.merge(b, on='id')", ["join"]),
    # controls: the distinct keys alone stay an answer; answers joined with answers stay as they were
    (PD, "keys = pd.DataFrame({'id': a['id'].unique()})", []),
    (PD, "missing = a.isnull().sum().to_frame('n')\ntypes = a.dtypes.to_frame('t')\ninfo = missing.join(types)",
     ["other", "other", "join"]),
]


@pytest.mark.parametrize("setup,cell,expected", KEYS_JOINED)
def test_distinct_keys_joined_with_data_are_a_join(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
