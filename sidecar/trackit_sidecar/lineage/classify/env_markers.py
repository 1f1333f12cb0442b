"""The markers a name is bound to in `env` when what it holds is no data, or more than its kind says (a literal,
a figure, a notebook function, column labels ...): written where a statement binds the name, read by the rules of
later statements and cells."""

from __future__ import annotations

from .values import MARKER

LITERAL_MARKER = f"{MARKER}literal"
# a dict written in the code (`params = {...}`, `mapping = dict(zip(a, b))`: bindings._binding_kind)
DICT_MARKER = f"{MARKER}dict"
# a dict or list written in the code, which results or objects are kept in (`scores[name] = cross_val_score(...)`,
# `gridcvs[name] = GridSearchCV(...)`)
WRITTEN_CONTAINERS = (DICT_MARKER, LITERAL_MARKER)
# ... one that holds values (`data1 = [150, 155]`), not an empty list to fill: see written_lists.py
WRITTEN_VALUES_MARKER = f"{MARKER}literal_values"
# a dict of existing data bound to a name (`trackit:pieces:a,b;c`: one entry per value, the data names it reads)
PIECES_MARKER = f"{MARKER}pieces:"
# a loop variable over written strings (`for v in ["ford", "bmw"]`: `trackit:column:ford,bmw`,
# loop_bindings._bind_loop_var): each value is a string, a column label where it picks a column
LOOP_STRING = f"{MARKER}column:"
# a name bound to a written list of strings (`cols = ["a", "b"]`: `trackit:columns:a,b`, bindings._binding_kind)
LISTED_STRINGS = f"{MARKER}columns:"
# a boolean mask bound to a name (`m = df.a > 5`, masks.mask_kind): indexing by it picks rows
MASK_MARKER = f"{MARKER}mask"
# ... one that keeps the rows inside an outlier bound (outlier_bounds.py)
OUTLIER_MASK = f"{MARKER}outlier_mask"
# a statistical bound bound to a name (`upper = q3 + 1.5 * iqr`, bindings._binding_kind): a mask using it is an
# outlier mask
BOUND_MARKER = f"{MARKER}bound"
# `trackit:kind_from_name:<name>`: the mask or bound bound to <name> has its kind (rows with a missing value, an outlier
# bound) because a name was read as saying so (`keep = ~missing_mask`; `low, up = outlier_thresholds(df, c)`); its
# value is the marker the name would have had without reading names (masks.MaskRules.without_names). What is decided
# from it is a guess (kb/guesses.py "input_name").
KIND_FROM_NAME = f"{MARKER}kind_from_name:"
# a loop variable over positions (`for i in range(n)`): `arr[i] = ...` writes a position, not a column
POSITION_MARKER = f"{MARKER}position"
# a loop variable over a splitter's folds (`for tr, te in skf.split(X, y)`): the positions of one fold's rows, so
# `X[tr]` picks rows (a split part, CONVENTIONS 16: "selecting KFold indices"), not a column named `tr`
FOLD_ROWS_MARKER = f"{MARKER}fold_rows"
# what a plot call returns (fig, ax = plt.subplots(); g = sns.FacetGrid(df)): calling it only draws
FIGURE_MARKER = f"{MARKER}figure"
# a model formula bound to a name (`trackit:formula:y ~ x + C(g)`), read by the design matrix that uses it
FORMULA_MARKER = f"{MARKER}formula:"
# a number bound to a name (`nsample = 50`, `n = len(X)`): an answer or a setting, not data
ANSWER_MARKER = f"{MARKER}number"
# column labels taken from a frame (`cols = df.columns[1:]`): not data, and a frame indexed by them picks columns
COLUMN_LABELS = f"{MARKER}column_labels"
# a function defined in the notebook; `trackit:function:<op>` when its call is a step of that op
FUNCTION_MARKER = f"{MARKER}function"
# `trackit:op_from_name:<function>`: the op of its `trackit:function:<op>` is its name's, not its body's: a guess, and
# from what (a key of kb/guesses.py: "function_name")
OP_FROM_NAME = f"{MARKER}op_from_name:"
# `trackit:reduces:<name>`: the notebook function returns one value (a reduction), so applied to groups it aggregates
REDUCES = f"{MARKER}reduces:"
# `trackit:bins_one_value:<function>`: a notebook function of one value whose branches test that value
# (function_scope.tests_one_value: `def classify_likelihood(p): if p < 0.001: return "***"`): a binning, not a model,
# whatever its name says (applied_functions.py)
BINS_ONE_VALUE = f"{MARKER}bins_one_value:"
# `trackit:window:<name>`: the name holds a window (`roll = s.rolling(30)`): a reduction over it derives (CONVENTIONS 22)
WINDOW = f"{MARKER}window:"
# a module of the notebook's own project imported whole (`from utils import *`): names the cell does not bind may be
# its helpers
STAR_IMPORTED = f"{MARKER}star_imported"
# `trackit:read_data:<name>`: the name holds data read from a file, a table or a URL, or computed from such data (not
# data generated in code): random numbers added to it are noise put into real data (CONVENTIONS 28: derive_feature)
READ_DATA = f"{MARKER}read_data:"
# `trackit:draws:<name>`: the notebook function draws a figure and returns nothing, so calling it plots (CONVENTIONS 8)
DRAWS = f"{MARKER}draws:"
# `trackit:builds_table:<name>`: the notebook function returns a new table (an aggregation, a join, a concat, a
# reshape), so a cell that shows its call shows a new table (CONVENTIONS 6), also cells after the one defining it
BUILDS_TABLE = f"{MARKER}builds_table:"
# `trackit:settings_class:<name>`: a class the notebook defines that is neither a model nor a transformer (a `CFG`
# dataclass of settings, a helper holding paths): an instance of it holds settings, its attributes are no columns.
# Learnt per notebook from its class definitions (definitions.class_def), so no knowledge-base table: library calls
# that make such objects are kb.sources.RUNTIME_OBJECT_FUNCTIONS (another fact, library API knowledge); both make an
# instance outside the data libraries, whose attributes one reader takes for no columns (ExpressionRules.name)
SETTINGS_CLASS = f"{MARKER}settings_class:"
# ... and the kind of such an instance (`cfg = CFG()`)
SETTINGS_OBJECT = "notebook_settings.{}()"
# + name: a name bound to the label of one row (`best_idx = t["err"].idxmin()`, statement_shapes.looks_up_a_row_label),
# so `t.loc[best_idx, "hour"]` is one value, as `t.loc[t["err"].idxmin(), "hour"]` is
ROW_LABEL = f"{MARKER}row_label:"
# + name: a notebook function registered as a method of pandas frames (kb.pandas.METHOD_REGISTERING_DECORATORS), so
# `df.name(...)` calls it, not the pandas method of that name
REGISTERED_METHOD = f"{MARKER}registered_method:"

# The classes of tables (instance kinds `pandas.DataFrame()`, `polars.DataFrame()`): the frames whose columns are
# combined, and the items of a dict of tables read (classify/assignments.py).
FRAME_CLASSES = ("pandas.DataFrame", "polars.DataFrame")
