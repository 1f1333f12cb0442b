"""The twentieth pass (acc39, issue 10): idioms from fresh Kaggle kernels, fifth draw. Rules were found on public
Kaggle notebooks outside the corpus (Surfing-Ninja/Kaggle_NB_EXTRACTOR eea37b0, ey-l/Bottom-up-Standardization-for-
Data-Preparation 0211a8b), each written in more than one place, and decided by what-is-a-step.md and CONVENTIONS.md.
Rows are cells written the way the sources write them, after set-up lines whose own steps are not counted; every group
has negative controls.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('train_folds.csv')\n"


def steps_after(setup: str, cell: str) -> list[tuple[str, str | None]]:
    """The (op, output) of the steps of `cell` run after `setup`, without the steps of `setup` itself."""
    return [(step.op, step.output) for step in classify_steps(setup + cell)][len(classify_steps(setup)):]


# CONVENTIONS 16: "selecting `KFold` indices" gives one split per output; what-is-a-step.md: "when it creates a
# train/test pair it is a split (one per output)". A column holding each row's fold (`df.loc[va_idx, "kfold"] = fold`
# after a KFold loop, or read back from `train_folds.csv`) is the KFold written into the frame: `df[df.kfold != fold]`
# and `df[df.kfold == fold]` are that fold's training and validation parts. Both read filter_rows. The idiom of
# Abhishek Thakur's book and kernels: 12 Surfing-Ninja notebooks, 3 ey-l kernels; `find_string` finds
# `df_train = df[df.kfold != fold].reset_index(drop=True)` in 10 other public repositories. Controls: a lone cut, a cut
# at a fixed fold number into one part, and a pair cut at a column that is not a fold stay filter_rows.
FOLD_PARTS = [
    (PD, "def run(fold):\n    df_train = df[df.kfold != fold].reset_index(drop=True)\n"
         "    df_valid = df[df.kfold == fold].reset_index(drop=True)\n    return df_train, df_valid\nrun(0)",
     [("split", "df_train"), ("split", "df_valid")]),
    (PD, "for fold in range(5):\n    train_df = df[df['fold'] != fold].reset_index(drop=True)\n"
         "    valid_df = df[df['fold'] == fold].reset_index(drop=True)",
     [("split", "train_df"), ("split", "valid_df")]),
    (PD, "for fold in range(10):\n    xtrain = df[df.kfold != fold].reset_index(drop=True)\n"
         "    xvalid = df[df.kfold == fold].reset_index(drop=True)",
     [("split", "xtrain"), ("split", "xvalid")]),
    (PD + "train = df\n", "FOLD = 0\ntrn_df = train[train['fold'] != FOLD].copy()\nval_df = train[train['fold'] == FOLD].copy()",
     [("split", "trn_df"), ("split", "val_df")]),
    (PD, "for fold_number in range(5):\n    train_fold = df[df['fold'] != fold_number]\n"
         "    valid_fold = df[df['fold'] == fold_number]",
     [("split", "train_fold"), ("split", "valid_fold")]),
    # the fold's row labels taken first (Y. Nakama's baseline, copied across competitions: `find_string` finds
    # `trn_idx = folds[folds['fold'] != fold].index` in 10 public repositories), then its rows by them
    (PD, "for fold in range(5):\n    trn_idx = df[df['fold'] != fold].index\n    val_idx = df[df['fold'] == fold].index\n"
         "    train_folds = df.loc[trn_idx].reset_index(drop=True)\n    valid_folds = df.loc[val_idx].reset_index(drop=True)",
     [("split", "train_folds"), ("split", "valid_folds")]),
    # controls
    (PD, "idx = df[df['group'] != 1].index\nsub = df.loc[idx]", []),
    (PD, "for fold in range(5):\n    train_df = df[df['fold'] != fold]", [("filter_rows", "train_df")]),
    (PD, "df_train = df[df.kfold != 0]", [("filter_rows", "df_train")]),
    (PD, "for g in range(5):\n    train_df = df[df['group'] != g]\n    valid_df = df[df['group'] == g]",
     [("filter_rows", "train_df"), ("filter_rows", "valid_df")]),
]


@pytest.mark.parametrize("setup,cell,expected", FOLD_PARTS)
def test_fold_column_parts(setup: str, cell: str, expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# what-is-a-step.md: "`fillna`, `SimpleImputer`, assigning a value where a column is null: `impute_missing`";
# CONVENTIONS 19: a column assignment takes the op of its calculation; 18: a selection that is only an operand is no
# step. `features.update(features[numerics].fillna(0))` writes the filled columns back into the frame (pandas'
# DataFrame.update), as `features[numerics] = features[numerics].fillna(0)` does, and read no step. The widely copied
# house-prices "top 1%" kernel's lines (3 ey-l kernels, 4 Surfing-Ninja notebooks). Controls: a fillna in place inside
# the update stays one impute; a frame updated from another frame, and a dict updated, are no step.
UPDATED_FROM_ITSELF = [
    (PD + "cols = ['a', 'b']\n", "df.update(df[cols].fillna(0))", [("impute_missing", "df")]),
    (PD, "features = pd.concat([df, df]).reset_index(drop=True)\n"
         "objects = [c for c in features.columns if features[c].dtype == object]\n"
         "features.update(features[objects].fillna('None'))",
     [("concat", "features"), ("impute_missing", "features")]),
    # controls: a fillna in place inside the update was read so already; a frame updated from another frame, a dict
    (PD, "df.update(df['GarageCars'].fillna(value=df['GarageCars'].mean(), inplace=True))", [("impute_missing", "df")]),
    (PD + "other = pd.read_csv('more.csv')\n", "df.update(other)", []),
    (PD, "settings = {'a': 1}\nsettings.update(dict(b=2))", []),
]


@pytest.mark.parametrize("setup,cell,expected", UPDATED_FROM_ITSELF)
def test_frame_updated_from_itself(setup: str, cell: str, expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected


# CONVENTIONS 25: "Preprocessors: `.fit` alone is not a step. `.transform`/`.fit_transform` takes the transformer's op;
# PCA, vectorizers and PolynomialFeatures are `derive_feature`." Keras' text `Tokenizer` is such a vectorizer:
# `tokenizer.fit_on_texts(texts)` builds its vocabulary and read fit_model by the word `fit` (a model fitted), after
# which `texts_to_sequences(texts)` read no step and the padded sequences read evaluate. 15 Surfing-Ninja notebooks
# (nlp-getting-started and others) write the three lines. Controls: a model's fit stays fit_model; a notebook's own
# object's `fit(X, y)` stays fit_model.
TEXT_TOKENIZERS = [
    (PD + "from tensorflow.keras.preprocessing.text import Tokenizer\n"
          "from tensorflow.keras.preprocessing.sequence import pad_sequences\n",
     "tokenizer = Tokenizer(num_words=5000)\ntokenizer.fit_on_texts(df['text'])\n"
     "seq = tokenizer.texts_to_sequences(df['text'])\nX = pad_sequences(seq, maxlen=50)",
     [("derive_feature", "seq")]),
    (PD + "import tensorflow as tf\n",
     "tok = tf.keras.preprocessing.text.Tokenizer(num_words=100, oov_token='<OOV>')\ntok.fit_on_texts(df.text)\n"
     "seqs = tok.texts_to_sequences(df.text)", [("derive_feature", "seqs")]),
    (PD + "import mylib\n", "tok = mylib.make_tokenizer()\ntok.fit_on_texts(df.text)", []),
    # the object fitted on texts is a tokenizer: its vocabulary is no column (the sweep's `text.Tokenizer()`, `text`
    # also a variable's name)
    (PD, "tokenizer01.fit_on_texts(df['text'])\nwords_indexes = tokenizer01.word_index", []),
    # controls
    (PD + "from sklearn.linear_model import LogisticRegression\n",
     "model = LogisticRegression()\nmodel.fit(df[['a']], df['y'])", [("fit_model", "model")]),
    (PD + "import mylib\n", "m = mylib.Net()\nm.fit(df[['a']], df['y'])", [("fit_model", "m")]),
]


@pytest.mark.parametrize("setup,cell,expected", TEXT_TOKENIZERS)
def test_text_tokenizers(setup: str, cell: str, expected: list[tuple[str, str | None]]) -> None:
    assert steps_after(setup, cell) == expected
