"""ISLP (the package of "An Introduction to Statistical Learning with Python"): its data sets and its design-matrix
transformer.

- `ISLP.load_data("Boston")` returns a packaged data set: a `load` (what-is-a-step.md, "Sources are steps").
  Read through `sources.DATASET_LIBRARIES` (a top-level `load_*` function of the library).
- `ModelSpec` (imported as `MS`) follows scikit-learn's fit / transform protocol and builds a design matrix
  (intercept, dummies, interactions, polynomial terms): `.fit` alone is no step and its transform is
  `derive_feature` (CONVENTIONS 25; CONVENTIONS 13: building a design matrix is derive_feature). Without this
  table it is an unknown fittable object and its `.fit` reads as a model fit.
"""

from __future__ import annotations

TRANSFORMERS: dict[str, str] = {"ModelSpec": "derive_feature"}
