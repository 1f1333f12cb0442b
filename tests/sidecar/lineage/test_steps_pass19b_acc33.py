"""The nineteenth pass, second round (acc33, issue 10): an item of the "Not fixed" lists of tests/corpus/blind/README.md
seen in more than one source and decided by what-is-a-step.md and CONVENTIONS.md: the attributes of a runtime object
read as columns. Rows are cells written the way the sources write them (Kaggle's TPU set-up cell), after set-up lines
whose own steps are not counted; the group has negative controls.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport tensorflow as tf\ndf = pd.read_csv('train.csv')\n"


# what-is-a-step.md: a step changes data the analysis goes on with; CONVENTIONS 15: settings are no steps. Kaggle's TPU
# set-up cell falls back to `strategy = tf.distribute.get_strategy()` (117 of the Surfing-Ninja notebooks; the
# nineteenth pass's acc31 "Not fixed": 11 TPU notebooks) and then reads `REPLICAS = strategy.num_replicas_in_sync`,
# which read select_columns as if `strategy` were a frame, while the same line after `tf.distribute.MirroredStrategy()`
# read no step. Controls: the class-built strategies stay no step; a column of a frame, or an attribute of what an
# unknown library function hands back (`somelib.get_table()`), stays select_columns.
RUNTIME_OBJECTS = [
    (PD, "strategy = tf.distribute.get_strategy()\nREPLICAS = strategy.num_replicas_in_sync", []),
    (PD, "try:\n    tpu = tf.distribute.cluster_resolver.TPUClusterResolver()\n"
         "    tf.config.experimental_connect_to_cluster(tpu)\n    tf.tpu.experimental.initialize_tpu_system(tpu)\n"
         "    strategy = tf.distribute.experimental.TPUStrategy(tpu)\nexcept ValueError:\n"
         "    strategy = tf.distribute.get_strategy()\nREPLICAS = strategy.num_replicas_in_sync\nprint(REPLICAS)", []),
    (PD, "try:\n    tpu = tf.distribute.cluster_resolver.TPUClusterResolver()\nexcept ValueError:\n    tpu = None\n"
         "if tpu:\n    strategy = tf.distribute.TPUStrategy(tpu)\nelse:\n    strategy = tf.distribute.get_strategy()\n"
         "N_REPLICAS = strategy.num_replicas_in_sync\nBATCH_SIZE = 16 * N_REPLICAS", []),
    # controls
    (PD, "strategy = tf.distribute.MirroredStrategy()\nnum_replicas = strategy.num_replicas_in_sync", []),
    (PD, "strategy = tf.distribute.get_strategy()\nprice = df['price']", ["select_columns"]),
    (PD + "import somelib\n", "data = somelib.get_table()\nprice = data.price", ["load", "select_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", RUNTIME_OBJECTS)
def test_runtime_objects(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
