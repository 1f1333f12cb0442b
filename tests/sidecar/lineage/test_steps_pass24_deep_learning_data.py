"""Twenty-fourth pass (acc48): the data-facing API of Keras / TensorFlow, torch.utils.data and NLTK, decided from
their installed API (keras 3.15, tensorflow 2.21, nltk 3.10 in a scratch venv; `bench/kb_coverage.py --site`).

A directory of image, text or audio files read into a data set is a load (what-is-a-step.md: reading files), as is
ImageDataGenerator's `flow_from_directory`; data held already handed to a library's container
(`tf.data.Dataset.from_tensor_slices((X, y))`, `img_to_array(img)`) is a conversion (CONVENTIONS 12: `other` when it is
the whole right-hand side assigned to a new name, else no step), not a new load; Keras' `normalize` scales, its
sliding windows and padded sequences change the layout (reshape); NLTK's tokenizer functions split text (text_clean);
ImageDataGenerator's `fit` computes statistics for its own transform (CONVENTIONS 25: no step, no model fitted). The
controls: what already was a step keeps its op, batching / caching / plotting the model stay no step.
"""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import ops_after

SETUP = (
    "import pandas as pd\nimport numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
    "import nltk\nimport torch\nfrom torch.utils.data import DataLoader, TensorDataset, random_split\n"
    "df = pd.read_csv('reviews.csv')\nX = df.drop(columns='label').values\ny = df.label.values\n"
    "X_train, X_test, y_train, y_test = X[:800], X[800:], y[:800], y[800:]\n"
)


ops_of = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell, ops", [
    # a directory of files read into a data set: a load (what-is-a-step.md: reading files)
    ("train_ds = tf.keras.utils.image_dataset_from_directory('data/train', image_size=(180, 180), batch_size=32)",
     ["load"]),
    ("train_ds = keras.utils.text_dataset_from_directory('aclImdb/train', batch_size=32, seed=42)", ["load"]),
    # ... whose class names and file paths are names, no column picked (CONVENTIONS 15)
    ("train_ds = tf.keras.utils.image_dataset_from_directory('flowers', batch_size=32)\n"
     "class_names = train_ds.class_names\npaths = train_ds.file_paths", ["load"]),
    ("from keras.utils import audio_dataset_from_directory\nds = audio_dataset_from_directory('speech', batch_size=16)",
     ["load"]),
    # ImageDataGenerator's readers: the image files of a directory, the files a frame names
    ("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
     "datagen = ImageDataGenerator(rescale=1./255)\n"
     "train_gen = datagen.flow_from_directory('data/train', target_size=(150, 150), class_mode='binary')", ["load"]),
    ("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
     "train_gen = ImageDataGenerator(rescale=1./255).flow_from_dataframe(df, directory='imgs', x_col='file',"
     " y_col='label')", ["load"]),
    # ... whose labels' codes and names are the iterator's, no column of a table
    ("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
     "train_gen = ImageDataGenerator(rescale=1./255).flow_from_directory('data/train')\n"
     "labels = train_gen.classes\nindices = train_gen.class_indices", ["load"]),
    # arrays held already put in tf.data's container: a conversion (CONVENTIONS 12), not a load
    ("ds = tf.data.Dataset.from_tensor_slices((X_train, y_train))", ["other"]),
    ("train_ds = tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(1000).batch(32)", ["other"]),
    # ... and inside another call it is no step at all (CONVENTIONS 12: only the whole right-hand side)
    ("model.fit(tf.data.Dataset.from_tensor_slices((X_train, y_train)).batch(32), epochs=3)", ["fit_model"]),
    ("for xb, yb in tf.data.Dataset.from_tensor_slices((X_train, y_train)).take(1):\n    print(xb.shape)", []),
    # an image read, then converted to an array: a load and a conversion
    ("img = keras.utils.load_img('cat.jpg', target_size=(224, 224))\narr = keras.utils.img_to_array(img)",
     ["load", "other"]),
    # sliding windows cut from a series: the layout changes (CONVENTIONS 12)
    ("ds = keras.utils.timeseries_dataset_from_array(X, y, sequence_length=10)", ["reshape"]),
    # NLTK's tokenizers on data read: the text split into words or sentences (what-is-a-step.md: str.split)
    ("raw = open('book.txt').read()\nsentences = nltk.sent_tokenize(raw)", ["load", "text_clean"]),
    ("from nltk.tokenize import wordpunct_tokenize\nraw = open('book.txt').read()\nwords = wordpunct_tokenize(raw)",
     ["load", "text_clean"]),
    # ImageDataGenerator's fit computes the statistics its own transform uses (CONVENTIONS 25), no model fitted
    ("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
     "datagen = ImageDataGenerator(featurewise_center=True)\ndatagen.fit(X_train)", []),
])
def test_deep_learning_data_api_takes_its_op(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # ImageDataGenerator's flow draws training batches: part of the fit
    ("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
     "datagen = ImageDataGenerator(rotation_range=20)\nmodel.fit(datagen.flow(X_train, y_train), epochs=5)",
     ["fit_model"]),
    # a URL's file fetched to disk stays a load, as before
    ("path = keras.utils.get_file('flower_photos', origin='https://example.org/f.tgz', untar=True)", ["load"]),
])
def test_deep_learning_data_api_training_controls(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # what already was a step keeps its op
    ("(x_train, y_tr), (x_test, y_te) = keras.datasets.mnist.load_data()", ["load"]),
    ("y_cat = keras.utils.to_categorical(y_train)", ["encode_categorical"]),
    ("xn = tf.keras.utils.normalize(X_train, axis=1)", ["scale_normalize"]),
    ("train_set, val_set = random_split(dataset, [800, 200])", ["split", "split"]),
    ("ds = tf.data.Dataset.from_tensor_slices([1, 2, 3])", ["load"]),  # data made in code
    ("df['tokens'] = df.text.apply(nltk.word_tokenize)", ["text_clean"]),
    # batching, prefetching, the model's graph drawn, a seed, a word list: no step
    ("train_ds = train_ds.batch(32).cache().prefetch(tf.data.AUTOTUNE)", []),
    ("keras.utils.plot_model(model, show_shapes=True)", []),
    # padded word-id sequences: the tokenizer's output format, part of its derive_feature (pass20's TEXT_TOKENIZERS)
    ("from tensorflow.keras.preprocessing.sequence import pad_sequences\n"
     "X_pad = pad_sequences(df.tokens.values, maxlen=100)", []),
    ("keras.utils.set_random_seed(42)", []),
    # a table's column that happens to be called `classes` is still picked
    ("labels = df.classes", ["select_columns"]),
    ("from nltk.corpus import stopwords\nstop = set(stopwords.words('english'))", []),
    ("loader = DataLoader(dataset, batch_size=32, shuffle=True)", []),
])
def test_deep_learning_data_api_controls(cell: str, ops: list[str]) -> None:
    assert ops_of(cell) == ops
