"""The nineteenth pass (acc31, issue 10): idioms of Kaggle kernels from OUTSIDE the blind corpus, fourth draw
(Surfing-Ninja/Kaggle_NB_EXTRACTOR notebooks of competitions no earlier pass drew from, and ey-l/Bottom-up-
Standardization-for-Data-Preparation kernels of the least drawn competitions; sources listed in
tests/corpus/blind/README.md, "Nineteenth pass (acc31)"), read against what-is-a-step.md and
tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those sources write it and the ops the
definition gives it, after set-up lines that load what it reads (the set-up's own steps are not counted). Every group
has negative controls: the same shape where the definition gives another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import os\nimport pandas as pd\nimport numpy as np\ndf = pd.read_csv('train.csv')\n"
FOLDS = PD + ("from sklearn.model_selection import KFold, StratifiedKFold\nX = df.drop('target', axis=1).values\n"
              "y = df['target'].values\nkf = KFold(n_splits=5, shuffle=True, random_state=42)\n")


# CONVENTIONS 16: "These give one `split` per output variable: ... and selecting `KFold` indices". The fold's rows
# picked by the positions a splitter hands out are split parts whether the loop numbers the folds or not: `for fold,
# (tr, va) in enumerate(kf.split(X)): X_tr, X_va = X[tr], X[va]` (16 of the 2,258 ey-l kernels number their folds
# so; the NFL and CSIRO notebooks of this draw) read select_columns per part on arrays and Series, and a split of the
# loop with no output, where the same loop without enumerate reads one split per part. Controls: enumerate over
# other pairs binds no positions; a column of fold numbers written in the loop stays derive_feature.
FOLD_PARTS = [
    (FOLDS, "for fold, (tr, va) in enumerate(kf.split(X)):\n    X_tr, X_va = X[tr], X[va]\n"
            "    y_tr, y_va = y[tr], y[va]", ["split", "split", "split", "split"]),
    (FOLDS, "for fold, (train_idx, val_idx) in enumerate(kf.split(X), 1):\n    X_train = X[train_idx]\n"
            "    X_val = X[val_idx]", ["split", "split"]),
    (PD + "from sklearn.model_selection import KFold\nX_train = df.drop('y', axis=1)\ny_train = df['y']\n"
          "cv = KFold(n_splits=5)\n",
     "for fold_id, (train_index, valid_index) in enumerate(cv.split(X_train, y_train)):\n"
     "    X_tr = X_train.loc[train_index, :]\n    y_tr = y_train[train_index]\n    y_val = y_train[valid_index]",
     ["split", "split", "split"]),
    # controls
    (FOLDS, "for (tr, va) in kf.split(X):\n    X_tr, X_va = X[tr], X[va]", ["split", "split"]),
    (PD, "for i, (a, b) in enumerate(zip(df['a'], df['b'])):\n    print(a, b)", []),
    (PD, "for i, part in enumerate('a-b'.split('-')):\n    print(part)", []),
]

# CONVENTIONS 18: "a single column that ends the assigned expression (`y = df['target']`)" is select_columns, and
# CONVENTIONS 12 makes `np.array(existing)` a conversion of what it wraps. `y = np.array(train_data['label'])` (12 of
# the 2,258 ey-l kernels; a digit-recognizer kernel of this draw) read `other`, where `df['label'].values` and
# `np.array(df[['a', 'b']])` (test_steps_pass8) are the columns picked. Controls: a whole frame converted stays other;
# a statistic of the array stays no step; the column passed to a model inside the call stays none.
ONE_COLUMN_ARRAY = [
    (PD, "y = np.array(df['label'])", ["select_columns"]),
    (PD, "y = np.asarray(df['label'])", ["select_columns"]),
    (PD, "targets = np.array(df.Transported)", ["select_columns"]),
    # controls
    (PD, "y = np.array(df)", ["other"]),
    (PD, "y = df['label'].values", ["select_columns"]),
    (PD, "m = np.array(df['a']).mean()", []),
    (PD, "from sklearn.linear_model import LinearRegression\nLinearRegression().fit(np.array(df[['a']]), "
         "np.array(df['b']))", ["fit_model"]),
]

# CONVENTIONS 1: "Helper functions defined in the notebook: label the statements in the body once, where they are
# written. Do NOT label calls of the helper". A loader named for the training part (`def load_all_train_data():`
# reading the weekly files, `prepare_train(df)`, `preprocess_train(d)`, `train_dataset(batch_size)`: ~30 Surfing-Ninja
# notebooks define one) was
# taken for a model trainer by the `train` in its name: its body was not read and its call was a fit_model. The
# name's `train` names the part of the data, as `split_train_test` already did. Controls: `train_model` and
# `build_and_train` still fit (CONVENTIONS 4a); a helper named for scoring still evaluates.
TRAINING_PART_HELPERS = [
    (PD, "def load_all_train_data():\n    a = pd.read_csv('input.csv')\n    b = pd.read_csv('output.csv')\n"
         "    return a, b\ninput_data, output_data = load_all_train_data()", ["load", "load"]),
    (PD, "def prepare_train(d):\n    d = d.dropna()\n    return d\ntr = prepare_train(df)", ["drop_missing"]),
    (PD, "def train_dataset(batch_size):\n    d = df.sample(frac=1.0)\n    return d\nds = train_dataset(32)", ["sample"]),
    # controls
    (PD, "def train_model(X, y):\n    from sklearn.linear_model import LinearRegression\n"
         "    return LinearRegression().fit(X, y)\nm = train_model(df[['a']], df['b'])", ["fit_model"]),
    (PD, "def build_and_train(X, y):\n    return X\nm = build_and_train(df[['a']], df['b'])", ["fit_model"]),
]

# what-is-a-step.md, "Sources are steps": reading a file is the `load`. The file's name computed with string methods
# (`pd.read_parquet(path.replace('train_tracking', 'train_annotation'))`, the MABe baseline copied in 45 notebooks of
# the Surfing-Ninja set, with `path` built from a function's parameter) read text_clean + load. Controls: text held in
# memory and cleaned before it is parsed (`io.StringIO(text.replace(';', ','))`) stays text_clean + load.
PATH_COMPUTED = [
    (PD, "def gen(dataset, traintest_directory=None):\n    for _, row in dataset.iterrows():\n"
         "        path = f'{traintest_directory}/{row.lab_id}/{row.video_id}.parquet'\n"
         "        annot = pd.read_parquet(path.replace('train_tracking', 'train_annotation'))\n        yield annot\n"
         "for a in gen(df):\n    print(a)", ["load"]),
    # controls
    (PD, "import io\ntext = open('a.txt').read()\nd = pd.read_csv(io.StringIO(text.replace(';', ',')))",
     ["load", "text_clean", "load"]),
    (PD, "d = pd.read_csv(os.path.join('a', 'b.csv'))", ["load"]),
]

# what-is-a-step.md, Inspection: "a loop that prints groups" is looking at data. A loop over the first items of a list
# or frame (`for img_name in sample_images[:7]:` showing each image, `for (word, count) in most[:20]: print(...)`, 
# `for i, row in df.head(5).iterrows()`; batches, `for idxs in IDXS.reshape(-1, batch_size)`) read a filter_rows (a
# reshape) with no output: no rows are kept as data of their own; the
# body's statements are the steps (as for a loop over a filter's row labels, test_steps). Controls: a loop over rows
# picked by a mask keeps its filter_rows (unchanged); a load in the body of a loop over a slice stays a load.
LOOP_OVER_FIRST_ITEMS = [
    (PD, "sample_images = os.listdir('train/1')\nfor img_name in sample_images[:7]:\n    print(img_name)", []),
    (PD, "for i, row in df.head(5).iterrows():\n    print(row)", []),
    (PD, "from collections import Counter\nmost = Counter(df.text.str.split().sum()).most_common()\n"
         "for (word, count) in most[:20]:\n    print(word, count)", []),
    (PD, "X = df.values\nfor batch in X.reshape(-1, 32, X.shape[1]):\n    print(batch.mean())", ["other"]),
    # controls
    (PD, "for i, row in df[df.a > 1].iterrows():\n    print(row)", ["filter_rows"]),
    (PD, "files = ['a.csv', 'b.csv']\nfor f in files[:1]:\n    d = pd.read_csv(f)", ["load"]),
]

# what-is-a-step.md: "A bare `groupby(...)` with no aggregation is not a step"; a loop over a grouping walks the groups
# (`for k, g in df.groupby(k)` reads no step). A progress bar wrapped around what the loop walks (`for (gid, pid),
# group in tqdm(input_df.groupby(['game_id', 'play_id']), total=n)`: 25 Surfing-Ninja notebooks; the NFL kernels of
# this draw) read an aggregate with no output; tqdm hands on what it wraps, so the loop walks the groups, and fold
# positions under `tqdm(enumerate(kf.split(X)))` are fold positions. Controls: the loop without tqdm (unchanged), rows
# picked by a mask under tqdm keep their filter_rows as without it.
PROGRESS_BARS = [
    (PD, "from tqdm import tqdm\nfor (gid, pid), group in tqdm(df.groupby(['game_id', 'play_id']), total=10):\n"
         "    last = group.tail(1)", ["filter_rows"]),
    (FOLDS, "from tqdm.auto import tqdm\nfor fold, (tr, va) in tqdm(enumerate(kf.split(X)), total=5):\n"
            "    X_tr, X_va = X[tr], X[va]", ["split", "split"]),
    # controls
    (PD, "for (gid, pid), group in df.groupby(['game_id', 'play_id']):\n    last = group.tail(1)", ["filter_rows"]),
    (PD, "from tqdm import tqdm\nfor i, row in tqdm(df[df.a > 1].iterrows()):\n    print(row)", ["filter_rows"]),
]

# what-is-a-step.md, Inspection: "`unique()` / `nunique()`" are looking at data (CONVENTIONS 10: also when assigned).
# One polars column's distinct values (`set(solution['video_id'].unique())`, `for lab in solution['lab_id'].unique():`,
# the MABe metric copied in 35 Surfing-Ninja notebooks) read drop_duplicates, where pandas' `s.unique()` reads no step.
# Controls: a polars frame's `unique(subset=...)` drops repeated rows (drop_duplicates), and so does a frame's `unique()`.
PL = "import polars as pl\nsol = pl.read_csv('solution.csv')\n"
POLARS_DISTINCT_VALUES = [
    (PL, "solution_videos = set(sol['video_id'].unique())", []),
    (PL, "for lab in sol['lab_id'].unique():\n    print(lab)", []),
    (PL, "labs = sol['lab_id'].unique()", []),
    # controls
    (PL, "d = sol.unique(subset=['video_id'])", ["drop_duplicates"]),
    (PL, "d = sol.unique()", ["drop_duplicates"]),
    (PD, "labs = df['lab_id'].unique()", []),
]

# CONVENTIONS 15: "Not steps: ... hyper-parameter grids, column-name lists ... and parameter vectors". A settings class
# the notebook defines and instantiates (`@dataclass class CFG: TRAIN_DIR: Path = ...` then `CFG = CFG()`, `cfg =
# Config()`: 88 Surfing-Ninja notebooks) made an object taken for data, so each setting read out of it (`tdir =
# CFG.TRAIN_DIR`, `lr = cfg.lr`) was a select_columns. The sweep of this pass found it once a loader's body was read.
# Controls: the class read without an instance (unchanged, no step); an object of a notebook class made from data
# keeps its attribute a column read (unchanged); a notebook model class still fits.
SETTINGS_OBJECTS = [
    (PD, "from dataclasses import dataclass\n@dataclass\nclass CFG:\n    SEED: int = 42\n    EPOCHS: int = 5\n"
         "CFG = CFG()\ndef load_weeks():\n    n = CFG.EPOCHS\n    return n\nload_weeks()", []),
    (PD, "class Config:\n    lr = 0.01\ncfg = Config()\nlr = cfg.lr", []),
    # controls
    (PD, "class CFG:\n    lr = 0.01\nlr = CFG.lr", []),
    (PD, "class Holder:\n    def __init__(self, d):\n        self.d = d\nh = Holder(df)\nx = h.d", ["select_columns"]),
    (PD, "class KNN:\n    def fit(self, X, y):\n        self.X = X\nm = KNN()\nm.fit(df[['a']], df['b'])", ["fit_model"]),
    # a class with a method of its own does work: what its method reads is a load, as before (a tuning notebook's
    # `acquire = AcquireKeplerData('kepler.csv'); kepler = acquire.get_data()`)
    (PD, "class AcquireData:\n    def __init__(self, path):\n        self.path = path\n    def get_data(self):\n"
         "        return pd.read_csv(self.path)\nacquire = AcquireData('k.csv')\nk = acquire.get_data()", ["load"]),
]


@pytest.mark.parametrize("setup, cell, ops", FOLD_PARTS)
def test_fold_parts_picked_in_a_numbered_loop_are_splits(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", ONE_COLUMN_ARRAY)
def test_one_column_made_an_array_is_selected(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", TRAINING_PART_HELPERS)
def test_helpers_named_for_the_training_part_are_helpers(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", PATH_COMPUTED)
def test_a_file_name_computed_is_no_text_cleaned(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", LOOP_OVER_FIRST_ITEMS)
def test_a_loop_over_the_first_items_keeps_no_rows(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", PROGRESS_BARS)
def test_a_progress_bar_hands_on_what_it_wraps(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", POLARS_DISTINCT_VALUES)
def test_a_polars_columns_distinct_values_are_an_answer(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", SETTINGS_OBJECTS)
def test_an_object_of_settings_holds_no_columns(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops
