"""ISLP (the package of "An Introduction to Statistical Learning with Python"): its data sets and its design-matrix
transformer.

- `ISLP.load_data("Boston")` returns a packaged data set: a `load` (what-is-a-step.md, "Sources are steps").
  Read through `sources.DATASET_LIBRARIES` (a top-level `load_*` function of the library).
- `ModelSpec` (imported as `MS`) follows scikit-learn's fit / transform protocol and builds a design matrix
  (intercept, dummies, interactions, polynomial terms): `.fit` alone is no step and its transform is
  `derive_feature` (CONVENTIONS 25; CONVENTIONS 13: building a design matrix is derive_feature). Without this
  table it is an unknown fittable object and its `.fit` reads as a model fit.
- `contrast("hr", "sum")` names a categorical column and how to code it; a ModelSpec given such a term one-hot /
  contrast-codes that column when it transforms: its transform also encodes (CONVENTIONS 20: encoders are
  encode_categorical), beside building the design matrix.
"""

from __future__ import annotations

TRANSFORMERS: dict[str, str] = {"ModelSpec": "derive_feature"}
# ISLP.models functions whose result is a term coding a categorical column (`contrast(col, method)`)
CATEGORY_CODERS: frozenset[str] = frozenset({"contrast"})
# the op a ModelSpec adds to its transform for each kind of term among its terms
CODED_TERM_OP = "encode_categorical"
