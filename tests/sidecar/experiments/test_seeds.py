"""seeds.py: every seed the code sets, read statically."""

from __future__ import annotations

from trackit_sidecar.experiments.seeds import hash_seed_from_env, seeds_in_executions, seeds_in_source


def _kinds(seeds):
    return [(s.kind, s.value, s.call) for s in seeds]


def test_three_ways_and_random_state_with_the_call_they_are_in():
    source = (
        "import random\nimport numpy as np\nimport torch\nimport tensorflow as tf\n"
        "random.seed(1)\nnp.random.seed(2)\nrng = np.random.default_rng(3)\ntorch.manual_seed(4)\n"
        "tf.random.set_seed(5)\n"
        "X_tr, X_te = train_test_split(X, test_size=0.2, random_state=42)\n"
        "rf = RandomForestClassifier(n_estimators=10, random_state=7)\n"
    )
    assert _kinds(seeds_in_source(source)) == [
        ("random.seed", 1, None), ("numpy.random.seed", 2, None), ("numpy.random.default_rng", 3, None),
        ("torch.manual_seed", 4, None), ("tensorflow.random.set_seed", 5, None),
        ("random_state", 42, "train_test_split"), ("random_state", 7, "RandomForestClassifier"),
    ]


def test_imports_and_constants_carry_across_cells_and_name_the_cell():
    class E:  # the few ExecutionRecord fields seeds_in_executions reads
        def __init__(self, seq, cell_id, source):
            self.seq, self.cell_id, self.source, self.language = seq, cell_id, source, "python"

    runs = [E(1, "a", "from numpy.random import default_rng\nSEED = 11"), E(2, "b", "rng = default_rng(SEED)"),
            E(3, "c", "sample = df.sample(frac=0.5, random_state=SEED + 1)")]
    found = seeds_in_executions(runs)
    assert [(s.kind, s.value, s.seq, s.cell_id) for s in found] == [
        ("numpy.random.default_rng", 11, 2, "b"), ("random_state", "SEED + 1", 3, "c")]


def test_unseeded_generator_is_recorded_and_lookalikes_are_not_seeds():
    found = seeds_in_source("import numpy as np\ng = np.random.default_rng()\nx = g.random(3)\n"
                            "def seed(v):\n    return v\nseed(3)\ndf.sample(n=5)\n")
    assert _kinds(found) == [("numpy.random.default_rng", None, None)]


def test_a_cell_that_does_not_parse_has_no_seeds():
    assert seeds_in_source("random.seed(1\n") == []


def test_pythonhashseed_comes_from_the_kernel_environment_only():
    assert _kinds(hash_seed_from_env({"PYTHONHASHSEED": "0"})) == [("PYTHONHASHSEED", "0", None)]
    assert hash_seed_from_env({}) == []
