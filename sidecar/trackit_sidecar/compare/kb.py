"""What compare knows, as data (one home per fact). Metric directions are experiments/kb.METRICS."""

from __future__ import annotations

from ..experiments.kb import SEED_KEYWORDS

# distribution name (PEP 503 normalised, as stamps list them) -> the module a notebook imports, where they differ;
# any other distribution imports as its name with "-" read as "_"
IMPORT_NAMES: dict[str, str] = {
    "scikit-learn": "sklearn", "scikit-image": "skimage", "pillow": "PIL", "python-dateutil": "dateutil",
    "pyyaml": "yaml", "beautifulsoup4": "bs4", "opencv-python": "cv2", "opencv-python-headless": "cv2",
    "tensorflow-cpu": "tensorflow", "pytorch-lightning": "pytorch_lightning", "typing-extensions": "typing_extensions",
}

# feature-tree leaves that restate a step's statement rather than name a decision (a chain's every step carries the
# whole chain as its `expr`)
RESTATED_LEAVES = ("expr", "detail")

# feature-tree leaves that are seeds: a change of only these is "a different seed"
SEED_FEATURE_KEYS = frozenset(SEED_KEYWORDS)

# where a step's decisions sit in the features tree (experiments/features.py): op -> top-level section
FEATURE_SECTIONS: dict[str, tuple[str, ...]] = {
    "load": ("data",),
    "split": ("split",),
    "fit_model": ("model", "training"),
    "predict": ("model", "prediction"),
    "evaluate": ("evaluation",),
}

# the feature-tree sections that are one model's decisions: a run-level diff compares them model by model (a run's own
# tree holds only the last fitted model's)
MODEL_SECTIONS = ("model", "training")

# an evaluation that fits the model it is handed (`cross_val_score(pipe, X, y)`, lineage/kb/sklearn.py's
# ESTIMATOR_FIRST_FUNCTIONS) decides the model too: a PCA's n_components edited in the pipeline it cross-validates
# read "the code of cell 3 changed (no recorded decision names it)"
FITTING_EVALUATION_SECTIONS = FEATURE_SECTIONS["evaluate"] + MODEL_SECTIONS

# the fit's `training` leaves a split decides when the split is given selected columns (`train_test_split(df[["x1"]],
# df.y)`, experiments/features.py): a change of them is a decision of the split step whose code names the columns
SPLIT_DECIDED_TRAINING = ("features", "target")

# a metric difference counts when it exceeds this many standard errors (about 95% for a normal spread)
NOISE_STANDARD_ERRORS = 2.0

# measured facts of a step compared by the walk, in the order a difference is reported
FACTS_COMPARED = ("rows_after", "cols_after", "added_columns", "removed_columns", "dtype_changes", "nulls_after",
                  "kind", "fingerprint")

# stamp fields compared as the environment (python, OS) and git
# the kernel's interpreter (`executable`) too: another venv with the same packages is another environment
ENVIRONMENT_FIELDS = ("python_version", "python_implementation", "executable", "os", "machine")
GIT_FIELDS = ("commit", "branch", "dirty_worktree", "diff_sha256")
