"""Static classification of a cell's data operations (a Vamsa-style knowledge base).

`classify_steps(source, aliases)` reads a cell with `ast` and emits one `protocol.Step` per
recognised data operation; what each library call means lives in `lineage/kb/` as data (methods
whose op depends on the call, like `map` or `drop`, as kb CONTESTED_METHODS with a named rule). The
classifier itself is `lineage/classify/`, split by job; this module is its public face.

Rules (the corpus expectations in tests/corpus follow them; tests/corpus/blind/CONVENTIONS.md settles what
what-is-a-step.md leaves open, and its rule numbers are cited in classify/):

- A method chain gives one step per recognised call, innermost first:
  `df.dropna().drop_duplicates().reset_index()` -> drop_missing, drop_duplicates, other.
  `reset_index` / `set_index` are `other`, `reset_index(drop=True)` (renumbering only) no step; `head(n)` /
  `nlargest` in an assigned chain are filter_rows; exports (`to_csv`, `joblib.dump`) are no step; calls the
  knowledge base does not know are omitted (no step).
- Inspection is not a transformation (classify/display.py, kb/display.py): a bare expression is a step only
  when it is shown (the cell's last statement, or printed) and builds a new table (join, concat, reshape,
  aggregate); then every transforming call in it counts except a trailing head/tail. Inspection calls
  (`head`, `describe`, `value_counts`, ... kb.INSPECTION_METHODS) and what is chained after them only show.
  A chain that ends in a number or a small answer (`df[m].y.sum()`, `df.shape[0]`, `len(df)`, `unique()`)
  is no step, assigned or not. Metrics, predictions and in-place calls count wherever they are written.
  Plot calls, and whatever is chained into them or computed in their arguments, give no step.
- Sources built in code (classify/sources.py, kb/sources.py): a constructor given literals, a NumPy grid or
  filled array made from numbers, a random draw, a packaged data set are `load`; a constructor of two or more
  existing objects is `concat`. Copies and container conversions (`.copy()`, `.values`, `np.asarray(x)`,
  `reshape(-1, 1)`, an alias `X = X4`) are `other` only as the whole right-hand side assigned to a new name.
- A statement is one step for the ops of kb.ONE_STEP_PER_STATEMENT_OPS (`.astype("category").cat.codes` is one
  encode_categorical, `np.sqrt(mean_squared_error(y, p))` one evaluate); any other op gives one step per call
  (`.rename(a).rename(b)` is two renames, `.str.strip().str.lower()` two text_clean).
- A split gives one step per output variable (`X_tr, X_te, y_tr, y_te = train_test_split(X, y)`: four splits,
  rendered as one group).
- `groupby(...)` / `resample(...)` / `group_by(...)` plus the reduction after it is ONE aggregate.
- Column assignment `df["x"] = rhs`: the ops found in rhs (fillna -> impute_missing, astype ->
  type_cast, ...) with output `df` and column `x`; an aggregate in rhs (`groupby().transform`) counts
  as derive_feature; rhs with no op is derive_feature. `df.loc[df.x.isna(), "x"] = v` is impute_missing.
- derive_feature of a column assignment: `columns` are only the NEW column(s) written; the columns they
  were computed from are the detail ("from SibSp, Parch"; mask columns of `df.loc[mask, "x"] = v` too).
- A fill value is how, not a step: `fillna(df.groupby(["Sex", "Pclass"])["Age"].transform("median"))`
  is one impute_missing (columns [Age], detail "median by Sex, Pclass"), no aggregate / derive_feature.
- `y = df["target"]` and `X = df[cols]` are select_columns; `df[mask]`, `df.loc[mask]`, `.query()`,
  `.filter()` are filter_rows, or outlier_remove when the mask uses a quantile / std / z-score / IQR
  bound (by call or by a name such as `q1`, `upper`, `iqr`, `z`). `.clip` is outlier_remove.
- scikit-learn: `fit_transform` / `transform` of a transformer give that transformer's op (scaler ->
  scale_normalize, encoder -> encode_categorical, imputer -> impute_missing); `.fit` of a lone
  transformer is not a step (the transform is). `.fit` of a Pipeline / search that ends in a model is one
  fit_model (its inner imputer and scaler are not steps of that cell); a preprocessing pipeline mixing ops is one
  `other`. `.fit` of anything else that is not a frame is fit_model. `cross_val_score(pipe, ...)` is only
  evaluate.
- Kinds of filter: a mask of only `notna()` / `~isna()` / `is_not_null()` is drop_missing,
  `~df.duplicated()` drop_duplicates; `x > x.quantile(0.95)` keeps a tail, so it stays filter_rows.
- `map({...})`, `map(dict_var)` and `apply(lambda x: 1 if x == "Yes" else 0)` encode; other
  map/apply functions derive. `astype("category")` / `cast(pl.Categorical)` encode; a cast of a
  computed value (`(df.n == 1).astype(int)`) is part of deriving it. `(x - x.mean()) / x.std()`,
  min-max and `x / x.sum()` / `df.div(df.sum(axis=1), axis=0)` are scale_normalize.
- polars `with_columns(...)` / pandas `assign(...)`: one step per distinct op among the expressions.
- Operations nested in another call's arguments count (`pd.concat([a.dropna(), b])`), except column
  picks and casts that only feed the call (`model.fit(df[cols], y)`, `le.fit_transform(s.astype(str))`).
- `df.columns = ...` is rename; `for a, b in kf.split(X)` is split; `%timeit` lines are not steps.
- `inplace=True` makes the receiver the output; `model.fit(...)` outputs `model`.
- `model.predict(X)` / `model.score(X, y)`: inputs are the model variable first, then the data; the
  detail is the estimator class (a Pipeline's / search's final estimator), also when `model` was bound
  in an earlier cell (carried in `aliases`).
- encode_categorical's detail names the method: "get_dummies", "OneHotEncoder", "map", "apply",
  "cat.codes", "astype('category')", "cast(pl.Categorical)", "to_dummies", "factorize", ...
- `output` is the assigned name (for a tuple target the first name; `detail` then lists them all),
  `inputs` the data names read (modules, classes, fitted objects and literals excluded, except the
  model of a predict / score),
  `columns` the literal column names involved.

The `aliases` dict carries what earlier cells bound. Values are strings:
  "pandas", "sklearn.preprocessing.StandardScaler"      import aliases (module / class / function)
  "sklearn.preprocessing.StandardScaler()"               a variable holding an instance of that class
  "sklearn.pipeline.Pipeline(a.B,c.D)"                   a composite with its flattened components
  "polars.DataFrame()" / "pandas.DataFrame()"            a variable known to hold a frame of that library
  "pandas.Series()"                                      ... a series built with pd.Series (one column)
  "trackit:columns:a,b" / "trackit:column:a,b"          a list of column names / a loop variable over them
  "trackit:mask" / "trackit:outlier_mask" / "trackit:bound" / "trackit:dict"
`collect_aliases(source, aliases)` returns the dict after the cell so a caller can carry it on.
"""

from __future__ import annotations

from typing import Optional

from .. import protocol
from .classify.cell import classify_cell

__all__ = ["classify_steps", "collect_aliases", "classify_cell"]


def classify_steps(source: str, aliases: Optional[dict[str, str]] = None) -> list[protocol.Step]:
    """Steps of one cell. `aliases` (not modified) is what earlier cells bound; never raises."""
    return classify_cell(source, aliases)[0]


def collect_aliases(source: str, aliases: Optional[dict[str, str]] = None) -> dict[str, str]:
    """`aliases` updated with this cell's imports and variable bindings (a new dict)."""
    return classify_cell(source, aliases)[1]
