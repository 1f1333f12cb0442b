"""Steps that learn from the rows they change, and so must not see rows a later split sets apart for testing
(lineage/leakage.py). Plain data.

A fill with the median of the data, or a scaler fitted and applied in one call, computes something from every row it is
given: run before a train/test split, the test rows' values are in the training data, and the test score is no longer
one of unseen data (train/test leakage). A constant fill, a cast or a one-hot encoding learns nothing from the rows.
"""

from __future__ import annotations

# Ops whose step may learn from the rows it changes; which steps of them do is said by the two tables below.
LEARNING_OPS = frozenset({"impute_missing", "scale_normalize"})

# A fill value that is a statistic of the data (Step.statistic: `fillna(df["x"].median())`,
# `fillna(df.groupby(k)["x"].transform("median"))`).
LEARNED_STATISTICS = frozenset({"mean", "median", "mode", "std", "min", "max", "quantile"})

# Calls that fit an estimator on the rows and transform the same rows (Step.method): `StandardScaler().fit_transform(X)`,
# `SimpleImputer().fit_transform(X)`. A `transform` applies what was learned where its estimator was fitted
# (Step.learned_by), which lineage/leakage.py follows.
FITTING_METHODS = frozenset({"fit_transform"})
