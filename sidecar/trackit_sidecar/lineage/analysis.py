"""The one owner of cell analysis: a cell's source plus the context of the cells before it -> its analysis.

`analyze_cell(source, language, sha, context)` is the only call that turns a source into reads, writes,
derivations and classified steps; the service (live captures), the spool merge and the static notebook
analysis (`trackit analyze`, the corpus score) all call it, so the same code in the same context gets the
same steps everywhere. The caller passes the source's sha256 when it has it (it is hashed once, at ingest).

Context: what earlier cells bound that changes how this cell reads (import aliases, `scaler =
StandardScaler()`, a list of column names; see lineage/steps.py). `CellAnalysis.context_delta` is what this
cell changes in it (None: the name is no longer bound to anything the classifier knows); `apply_context`
carries it on.

The store keeps one analysis per (source sha256, ANALYZER_VERSION); bump the version whenever the
output for an unchanged source would change, so stored analyses are recomputed.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Optional

from ..protocol import Step, source_sha256
from .classify.values import path_key
from .defuse import analyze_defuse

# 3: structured Step fields (method, outputs, derived_from, model, params, conditions, displays_result)
# 4: the definition's step rules measured on the blind corpus (issue 10): shown / answered / plotted expressions,
#    sources built in code, one split per output, model results, ... (lineage/steps.py)
# 5: fills, rescalings, column labels, answers, random splits and hand-written fits however they are written
#    (issue 10, second pass: classify/rules.py, masks.py, walker.py)
# 6: masks kept under a name, dict(...) tables, answers side by side, df.name as a column, exports, reductions per
#    column, models fitted inline, positions of a mask, replace() with two lists, loops that print (third pass)
# 7: feature-engine transformers, masks named for a train/test part, make_scorer, summaries of scores, notebook
#    functions that draw, calls handed a figure's axes, rows picked only to pass to a model's method, folds' indices
#    under a name, one value picked by row and column label, labels set where probabilities pass a threshold
#    pd.Categorical of a numeric condition, a metric brought back to the target's scale, parts of a metric read
#    out, columns dropped only to draw, an imported helper reading a fitted model (a results table) and what is
#    read out of such a table, a group key computed inside the grouping call, an index taken from another table,
#    statsmodels' multiple-testing corrections and pairwise tests, a model's parameters kept under a name, arrays
#    made empty together and filled in a loop
#    (batch 2 tuning)
# 8: columns drawn in one statement and stacked are one load, names and text made only to draw, a dict or list
#    results were kept in wrapped in a table, a grid only looped over or computed into an accumulator,
#    parameter vectors named ..._theta, DataFrame.append, subsets made only to build a figure's data, a shaped
#    value with noise drawn in the statement, bar labels, NaN put at positions, codes
#    inside arithmetic, rows taken in a sorted index's order, parameters read through np.abs/ravel,
#    outlier rows picked only to draw, column labels stacked, literal lists joined or repeated, conversions
#    returned, the axes of a metric's table named, a dict of existing data bound to a name and tabled
#    (batch 1 tuning, fifth pass)
# 8 (acc5, batch 2 tuning, fifth pass): ISLP's data sets and ModelSpec design matrices, one model's result
#    completed from itself, the size of a result, values computed only to draw them (classify/drawn_values.py),
#    indicators of a set of category values (x in {"L", "XL"}, assign(f=lambda d: d.c.isin([...]))),
#    results collected in a loop (classify/collected.py), confusion tables, functions named for drawing,
#    notebook classes that hold data out to score a model (SBS), the normal equation by hand, bodies of functions
#    called only to compute a drawn curve, sklearn.metrics.auc and other metrics, a label replaced by a code,
#    rows picked by a callable (df.loc[lambda x: ...]), answers returned or piped to len, polars with_row_index
#    and partition_by, each row filter of a chain a step, metrics of two data sets printed together,
#    columns picked from a table read in the same chain, groups reduced by any() or a function handed the groups,
#    totals built on into a table, data changed in place by other data (X += shift), rng.shuffle(a) in place,
#    a column computed inside a table built from series, the class of highest predicted probability (argmax),
#    a grid or a statistic compared with (a threshold)
# 9 (acc6, sixth pass, tuning notebooks below 0.75): one home for "computed only to draw" (drawn_values.py, now
#    also through renames, casts, rounding, value counts and a notebook function's return), one parameter's interval
#    picked by name, a shown call of a notebook function that returns a new table, totals per column made a table,
#    a group function's table reshaped, distinct values made a table, group functions that keep rows, in-place
#    methods and functions read from kb.python (def-use: np.random.shuffle(a) writes a, not np), values put into a
#    pd.Series at positions or labels, residuals from a model's parameters applied by hand
# 10 (acc7, batch 3 tuning, sixth pass): tests of scikit-posthocs / cliffs-delta / pingouin, a pivot table or
#    crosstab only drawn, cells indented as a whole (IPython's leading_indent), each text operation of a chain,
#    data rebound before a figure of its counts, reindex by written labels (sort), values past a bound rescaled
#    in place (outliers replaced), a built table kept transposed
# 11 (words): step fields that made false sentences: a step chained onto a table a function built does not take the
#    call's key columns, a drop names only what it drops; an aggregate's group keys and statistic; a column's values
#    changed into another column (encoded, filled, cast, cleaned, parsed, scaled) name the written one in `columns`
#    and the changed one in `derived_from`; a table made around drawn values is made with its constructor;
#    (rev6) data rebound before a figure keeps every rebinding from before the cell, counted by statement position
# 12 (acc8, seventh pass, tuning notebooks below 0.75): a notebook function's locals it only counts and parameters it
#    only compares (classify/function_scope.py), lists of values written in code tabled together (loads + a concat,
#    classify/written_lists.py), random jitter sized after drawn data, a cast of what pd.crosstab tabulates
# 13 (rev7's finding): a grouped running total, shift, rank or window (a value per row of its group) derives a feature,
#    it does not aggregate (kb.pandas.GROUP_ROW_METHODS)
# 14 (acc9, eighth pass, tuning errors by kind): columns dropped inside an argument (not the target handed beside
#    them), imported helpers named for VIF / dummies, a resample within groups one aggregate, a description per group,
#    metrics side by side in a tuple, the difference of two predictions, np.maximum / np.minimum against a number,
#    polars get_column / to_series / slice, a constructor's data its first argument, masks cast to numbers or made by
#    a method, values read out of filled dicts, a lambda piped the data, a column of ones in a dict table, loops
#    over dicts, binarized probabilities, np.corrcoef / np.cov, gaps filled where a column was seen missing,
#    lifelines' per-period layouts, columns picked and converted to an array
#    (and rev8, same bump): a grouped fill or pick of rows (`groupby("k").v.ffill()`, `.head(1)`, `.nth(0)`) is that one step, not an
#    aggregate beside it (kb.pandas.GROUP_ROW_OPS); a running total or count of groups made in an earlier statement
#    (`g.v.cumsum()`, `g.cumcount()`) derives, as in one chain
# 15: ninth pass (tuning notebooks, tests/sidecar/lineage/test_steps_pass9.py): rows and columns of one
#    `.loc[mask, cols]` are one step (the row filter), polars `unnest` is other, a shown combine_first is a step; a
#    model fitted in place (`regr.fit(X, y)`) is fitted, so its parameters applied by hand predict (residuals evaluate);
#    a per-group result reindexed by the column of keys (`counts.reindex(df.k)`) derives, as transform does; values
#    divided by their own norm (`x / np.linalg.norm(x)`) are rescaled, and so is the square root of one stored variable
#    (`np.sqrt(y)`, as np.log; the root of arithmetic still derives); a metric computed inside a printed message
#    (f-string, `%`, `.format`) is printed; a polars expression `.reshape(...)` reshapes; one column over its row's
#    total (`c.iloc[:, 0] / c.sum(axis=1)`) is a proportion that derives, not a rescale; a NumPy stack of one table's
#    columns by a comprehension reshapes it long, of values written from numbers loads; a drop of more columns than
#    the target handed beside it (`split(df.drop(["Id", "y"], axis=1), df["y"])`) is a drop_columns step; values
#    written in the code stacked after one variable (`np.hstack([y, [0] * 50])`) are a concat, not a design matrix;
#    costs computed into a two-axis grid that is only drawn (`J[i, j] = cost(...)`, then plt.contour(J)) are plumbing;
#    values made in code put into a column of the data (`df["c"] = pd.Categorical([...])`, a random draw) derive
# 16: tenth pass (tuning notebooks, tests/sidecar/lineage/test_steps_pass10.py): a prediction brought back from the
#    log scale (`np.expm1(model.predict(X))`) is predict + scale_normalize; a function the cell calls only in comments
#    is never called (its body no step); one grouping's statistics written out as a table (`pd.DataFrame({"n":
#    grp.size(), "t": grp.v.sum()})`) is one aggregate; a library function piped the data (`a.pipe(pd.merge, b)`) is
#    its call; a function returning values parsed as dates parses dates; `pd.Categorical(col)` is a type_cast (with
#    categories declared, an encoding); values put through a mask in a function or class named for imputing fill gaps;
#    pandas_datareader reads tables (load); a window assigned alone is no step and a reduction over it derives; a
#    function that returns only the axes it drew on draws; a cell ending in a dangling backslash parses; best_score_
#    and the like read from an unknown object evaluate; groups reduced by a function to their distinct values
#    aggregate; numpy's norm and totals matched through the alias table
# 17: eleventh pass (batch 5's tuning notebooks, tests/sidecar/lineage/test_steps_pass11.py): a preprocessor class of
#    a package outside the knowledge base is read by its name (`...Encoder`, `...Discretiser`, `...Imputer`); a table
#    written with dates (`date(2024, 1, 5)`) is a load, sizes (`range(n)`) are not table pieces, `np.random.choice`
#    from written values draws (load), `pl.coalesce` imputes; a score joined into message text is no new evaluate;
#    every class of scikit-learn's model modules is an estimator; infinities set to NaN are outlier_remove; the root
#    of a column picked by a loop label rescales; a renamed answer stays one; a named fitting algorithm written by
#    hand is a black box; `*_init` names and degree/train_sizes grids are parameters; `X[0, :]` is a row filter; a
#    function returning what it drew is a source; `replace` only to draw is plumbing; ungrouped `agg(["min", "max"])`
#    is an answer; xgb.DMatrix / lgb.Dataset are conversions
# 18: twelfth pass, rules from the definition first (tests/sidecar/lineage/test_steps_definition.py), then batch 6's
#    tuning notebooks (test_steps_pass12.py): whole families of the kb (every class of sklearn's transformer modules,
#    sklearn.metrics' scores and losses, polars log / sqrt / shuffle / top_k, FunctionTransformer(np.log)); a query
#    with a statistical bound, where / mask past one, and missing-row masks of NumPy; np.delete / np.insert by axis;
#    apply(pd.to_numeric); index values converted in place are casts, a whole date written as text is a cast;
#    imported loaders and resamplers named so; parameters applied by hand predict and statistics of residuals
#    evaluate; a formula over one variable derives; statsmodels' deterministic terms derive; empiricaldist counts
# 19: thirteenth pass: data read through a handle (f.read(), json.load(f), r.json(), a cursor's fetchall(), duckdb's
#    .df()) is the load, opening it no step; columns dropped by a negated test of their labels; rows indexed by a
#    permutation are a shuffle (sample); np.eye(k)[y] one-hot encodes; seasonal_decompose and pl.from_epoch; helpers
#    reached through `from utils import *` named for a model step are that step; trial weights are parameters;
#    sigmoid / compute_gradient are black boxes; a function filling an array with random draws is a source
# 20: a loader given a name bound to a string (`path = "data.csv"`, this cell or an earlier one) names that string as
#    its detail, the file the sidecar hashes as the run's input (it named the variable, and no data revision was kept)
# 21: fourteenth pass, the weak ops from the definition (test_steps_pass14.py): a categorical type is a type_cast
#    (astype("category"), cast(pl.Categorical); a declared order or codes taken out still encode); casts of the values
#    a table is built from; np.array / asarray with dtype= cast; DataFrame._append concats; files read into a list or
#    dict, ExcelFile.parse / HDFStore.get / csv.reader and map(pd.read_csv, files) load; df.insert is a column
#    assignment; DatetimeIndex(..).month and two parts of one array derive; x.astype(..) / 255 casts then rescales;
#    the null accuracy of a test target and errors from a parameter named for predictions evaluate; a PCA's explained
#    variance ratio is no evaluation; a polars select of reductions is an answer; columns or rows kept by their share
#    of missing values drop missing; a function returning the rows before and after one position splits
# 22: fifteenth pass, batch 7's tuning notebooks (test_steps_pass15.py): functions of one value applied as callbacks,
#    hand-written models and a notebook's own model objects and split helpers, results computed by hand, single values
#    and answers that are no steps, an encoding in a loop, a cast chained after a recoding as its own step; and a join
#    names each side's key (an index on one side) and keeps a literal `how` in its params (rev12)
# 23: sixteenth pass (test_steps_pass16_recall.py, test_steps_pass16_precision.py): imported helpers scoring results,
#    the project's own classes loading data or fitting, fits kept in dicts, numpy.polynomial fits, Python 3.12
#    f-strings; functions handed to a fitting routine as models, tables and aliases made only to draw, counts and
#    coefficients as parameters, formulas of transformed terms as one calculation, label lists, pipeline parts
# 24: seventeenth pass (test_steps_pass17_recall.py, _ops.py, _idioms.py): casts after arithmetic, in get_dummies and
#    polars fills; conf_int of a prediction; RFE fits; column-name lists joined, sliced or kept by a dtype test; split
#    helpers and fold loops; text cleaned one document at a time; imputation and caps written by hand; dict lookups and
#    label branches as encodings; predictions on the target's scale, naive forecasts; shuffled positions as a sample
# 25: the second round (test_steps_pass17b_idioms.py, _causes.py): caps at bounds held in names and callback caps,
#    one entry of value_counts() as one count, reductions over every axis as answers, arithmetic written as pandas
#    methods, sorted evaluation results, attribute-written columns; and a step written in a function body names that
#    function (Step.in_function), so it is worded as defined, not done (rev15)
# 26: eighteenth pass (test_steps_pass18_kaggle.py, _courses.py, _causes.py): pipelines from a named list of steps,
#    one-hot columns written out by hand, literals repeated by NumPy, permutation-test p-values, naive forecasts, the
#    project's own split helpers, a training and a held-out part cut at one column's values, settings dicts, one
#    column off a just-made aggregate, rows with gaps dropped by index, xgb/lgb cv as evaluation; comparisons with a
#    category value are no bounds, columns kept by a comprehension, figures combined with + are plotting
# 27: nineteenth pass (test_steps_pass19_*.py): evaluate/predict idioms, chains on a helper's result, `.dt.date`, loader
#    helpers, fold splits, hyper-parameter grids, runtime objects; a chain of written lists judged once per side
# 28: twentieth pass (test_steps_pass20_*.py): sparse stacks and frames folded by reduce, np.c_ of column lists, keys
#    tables joined; column masks, numpy logical row masks, np.r_ positions; keyed pieces, features kept in a container,
#    file lines walked; loaded Keras models, permutation tests, information criteria, coefficient tables; encoders
#    applied column by column, tokenizers and stop words, frequency encoding; fold-column splits, update from its own
#    fill, Keras Tokenizer; polars get_column as a pick (mem12); arguments evaluated once
# 29: twenty-first pass (test_steps_pass21_*.py): a threshold chosen by evaluation applied to scores predicts, saved data
#    read back loads, a word replaced by a number encodes, helper scores kept in a container are no load, column names
#    edited are no text cleaning; rows dropped by label after the repeated rows were shown, running statistics, lowess
# 30: steps carry what the wording read from their code with regexes (lineage/classify/wording_facts.py: reads_output,
#    assigned_columns, a prediction's model, names_axis, named_as, shown_expression, in_place_on_pick); an analysis
#    stored before has none of them, so a spooled run of its source would be worded without them
# 31: twenty-second pass (test_steps_pass22_*.py, batch 9): a category value respelt is text cleaning, explainers are no
#    model, exercise blanks no load, rows picked for a formula model's constructor are its sample, NaN p-values dropped
#    inside a correction belong to it; query strings join with pandas' & / | precedence; a threshold's scores
#    (Step.thresholded)
# 32: steps carry the strings their statement quotes (Step.quoted: ask and a diff's cause read them, not the code) and
#    whether an evaluation is only a majority-class baseline (Step.majority_baseline: no experiment)
# 33: twenty-third pass: every public name of pandas, NumPy, polars, sklearn and scipy.stats decided by a table
#    (bench/kb_coverage.py; scipy.signal/interpolate/cluster/spatial and statsmodels' api too), functions of a
#    variable inside its own design matrix part of it; a shown plot is
#    inspection and an evaluation, prediction, load, fit or split shown keeps the steps it is computed from
# 34: twenty-fourth pass: the model libraries beside scikit-learn (imbalanced-learn, category_encoders, XGBoost,
#    LightGBM, CatBoost, feature-engine, missingno, geopandas) and Keras / tf.data / NLTK's data API decided by tables
# 35: twenty-fifth pass (the context grid): a callback returning a cast casts; a filter's outlier test reads its own
#    arguments; group statistics stored in another table aggregate; a loop's items of a container of predictions
#    are predictions
# 36: a join's params keep the key relation the call asks pandas / polars to check (`validate=`); a fill with a
#    statistic of the data keeps it (Step.statistic: `fillna(df["Age"].median())`)
# 37: a transformer's `transform` keeps the variable it applies (Step.learned_by), a fill by a name bound to a statistic
#    of the data keeps the statistic and the name (`m = df["Age"].median()`; `fillna(m)`), a cross-validating call or
#    search fit says so (Step.cross_validated)
# 38: twenty-sixth pass (acc51, tests/sidecar/lineage/test_steps_pass26_recall.py): metrics computed as separate items
#    of one dict or list are one evaluate each; a function of one row whose branch compares the row's labelled fields
#    is a callback; a model-named helper around cross_val_score is a helper; values drawn by Python's `random` module
#    and draws cast or rounded by int / float / round / abs are loads; an imported helper named for the kind of
#    features it adds derives them
# 39: a column assigned values computed from itself alone (`df["Age"] = df["Age"] * 2`) names itself in
#    `derived_from` (worded "recomputed ... from its own values", not "a new feature")
# 40: random_draw, matrix_product and row_wise are Step fields set as the step is made (render read them from the code)
# 41: a column named as an attribute and changed in place by arithmetic (`df.Block += 1`) is the step `df["Block"] += 1`
#    is (it was no step)
# 42: a load of a library's data set names it and the library (Step.packaged_data_set, packaged_by): "loaded
#    scikit-learn's iris data set into `iris`", not "created `iris` with `load_iris`"
# 43: loops (the loops a statement runs in) and formula_fit are Step fields set as the cell is analysed (render read
#    them from the cell's source and the step's code)
# 44: twenty-seventh pass (acc52, tests/sidecar/lineage/test_steps_pass27_recall.py): counts laid out with unstack and
#    shown are a crosstab (aggregate + reshape); a table a library ships imported by name is a load; PyFixest's API;
#    hits counted by hand and a statistic per group kept by key in a loop are evaluate / aggregate; a hand-written
#    model applied to each value predicts; tables read into a dict are frames (their columns, joins and groups are steps)
# 45: columns recomputed in a loop over their names (`for col in cols: df[col] = df[col] * 10`) name themselves in
#    `derived_from` (worded "recomputed ... from their own values", not "a new feature from")
# 46: twenty-eighth pass (acc54, test_steps_pass28_hand_evaluation.py; acc55, test_steps_pass28_unseen_code.py):
#    predictions kept beside the truth, per-row errors, hits and hand-computed p-values evaluate; constant baseline
#    predictions predict; scaling by kept statistics or zscore; helpers the notebook imports from its own package are
#    read by the verb of their name (kb/helper_verbs.py); Spark and named data-set readers load; settings files are no
#    load
# 47: twenty-ninth pass (acc56 test_steps_pass29_{results_records,array_making,polars_indicator,stacked_columns}.py,
#    acc57 test_steps_pass29_precision.py, acc58 test_steps_pass29_batch10.py): results tables written as rows evaluate; row positions drawn are a sample; trend
#    lines, drawing helpers, file and feature names and one fitted value are no steps; placeholder columns are filled,
#    not imputed; a project's helpers named import_*_data / model_<what> / stats* / *_counts load, fit, evaluate,
#    aggregate; data-making functions load; SQL texts kept in variables are read by their clauses
# 48: a step whose op is a guess says from what (acc59, Step.inferred_from, lineage/kb/guesses.py); no op changes
# 49: guesses through roles read off a name are marked too (acc61: input_name, the target's name); no op changes
# 50: the name-driven decisions left unmarked are marked (acc62: masks named for missing values, bounds named for
#    outliers, threshold-vs-metric names, roles carried from a guessed step); a helper named <verb>_test does its verb
# 51: thirty-first pass (acc63, test_steps_pass31_acc63.py): a design matrix encodes its categorical terms (a formula's
#    bare term of a column built from strings, or written C(col) in another formula; an ISLP ModelSpec given contrast())
# 52: lead's part of the pass (test_steps_pass31_lead.py): scikit-learn's configuring methods (set_output, set_params,
#    set_*_request) keep the estimator's class; a fit chained into a prediction written into a loop's array is kept
# 53: a model fitted and used in one expression (`p = LinearRegression().fit(X, y).predict(X)`) is not kept: its fit
#    step names no output (was the statement's target, `p`) and says what was read from it (Step.chained_into,
#    sel12); no op changes
# 54: acc64 (test_steps_pass32_acc64.py): data generated in code reached through a call loads (an imported function named
#    for the data it makes, handed only its parameters by name, whose parameter arrays written in the cell are part of
#    it; a list filled in a loop with one fresh draw each time; list() as []); an error or fit measure computed by hand
#    and bound to a measure's name (kb.models.HAND_METRIC_NAME) evaluates, a guess from the name
# 55: a whole column written from values of no column of its own (`test["pred"] = pred`) names it in
#    `assigned_columns`, so it is worded as made, not as what the feature was derived from; a series simulated from a
#    process (kb.sources.SIMULATED_SAMPLES) is a `random_draw`; polars' outlier replacing / capping expressions
#    (`pl.when(is_outlier).then(...)`, `pl.col("x").clip(...)`) carry their method (kb.VALUE_REPLACING_METHODS); a
#    column an expression names anew (`with_columns(wz=...)`, `.alias("wz")`, `assign(wz=...)`) has the columns it
#    reads as `derived_from`
# 56: acc65 (test_steps_pass33_acc65.py), one meaning one op: categories
#    lumped into "Other" encode in every form (where / mask / np.where / .loc with a mask / a dict / inside assign),
#    chained indexing `df.c[mask] = v` is read as `df.loc[mask, "c"] = v`, a summary of scores as the array's method
#    (`scores.mean()`) is what np.mean(scores) is, a grid walked through enumerate / zip / grid[i] or handed by a
#    configuring keyword is no load, `mask == False` negates the mask
# 57: sel13: a pipeline fitted and one of its parts kept (`Pipeline([...]).fit(X, y).named_steps["m"]`) fits, as
#    `.named_steps.m` did; a k-means model's (and LDA's) transform derives features (kb.sklearn.MODEL_TRANSFORMS), also
#    chained onto its fit and into a list or dict, as a transformer's transform fitted there is; NumPy's prediction
#    functions and a polynomial called on data (`np.poly1d(fit)(x)`, was derive_feature) name the fitted coefficients
#    as their model; a prediction's `assigned_columns` (the columns it is written into)
ANALYZER_VERSION = 57
# Longer sources are stored but not analysed: analysis costs ~10 s a megabyte, and a cell that size is data
# pasted into code, not steps. Their analysis_error says so.
MAX_ANALYSED_CHARS = 256 * 1024
PYTHON_LANGUAGES = frozenset({"python", "python3", "ipython", "ipython3", "py"})
CACHE_SIZE = 2048

log = logging.getLogger(__name__)


@dataclass
class SourceAnalysis:
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    derivations: dict[str, list[str]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    analysis_error: Optional[str] = None  # "not analysed: <reason>"
    # name -> binding this cell adds to the context of later cells (None: it unbinds the name)
    context_delta: dict[str, Optional[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Frozen:
    """What the cache holds; every caller gets fresh lists and Step copies (attach_runtime mutates steps)."""

    reads: tuple[str, ...]
    writes: tuple[str, ...]
    derivations: tuple[tuple[str, tuple[str, ...]], ...]
    steps: tuple[dict, ...]  # Step.model_dump(): rebuilding from dicts is ~10x cheaper than a deep copy
    analysis_error: Optional[str]
    context_delta: tuple[tuple[str, Optional[str]], ...] = ()

    def thaw(self) -> SourceAnalysis:
        return SourceAnalysis(
            reads=list(self.reads),
            writes=list(self.writes),
            derivations={name: list(sources) for name, sources in self.derivations},
            steps=[Step.model_validate(step) for step in self.steps],
            analysis_error=self.analysis_error,
            context_delta=dict(self.context_delta),
        )


_cache: OrderedDict[tuple, _Frozen] = OrderedDict()
_cache_lock = threading.Lock()


def analyze_cell(source: str, language: str = "python", sha: Optional[str] = None,
                 context: Optional[Mapping[str, str]] = None) -> SourceAnalysis:
    """Reads, writes, derivations, steps (classified once, in `context`) and the context delta of one cell.

    Non-Python cells get `analysis_error` instead. Never raises. Cached by (sha, language, context).
    """
    if not isinstance(source, str):
        return SourceAnalysis(analysis_error=f"not analysed: source is {type(source).__name__}, not text")
    if len(source) > MAX_ANALYSED_CHARS:
        return SourceAnalysis(analysis_error=f"not analysed: the cell is {len(source) / 1e6:.1f} MB of text, "
                                             f"above the {MAX_ANALYSED_CHARS // 1024} KB analysis limit")
    lang = (language or "").strip().lower() if isinstance(language, str) else ""
    env = dict(context or {})
    key = (sha or source_sha256(source), lang, hash(frozenset(env.items())) if env else 0)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = _analyze(source, lang, language, env)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return cached.thaw()


def analyze_source(source: str, language: str = "python") -> SourceAnalysis:
    """`analyze_cell` without a context (a cell on its own)."""
    return analyze_cell(source, language)


def apply_context(context: dict[str, str], delta: Mapping[str, Optional[str]]) -> None:
    """Carry a cell's context delta into the running context (in place)."""
    for name, binding in delta.items():
        if binding is None:
            context.pop(name, None)
        else:
            context[name] = binding


def analysed_in_order(cells: Iterable[tuple[str, str, Optional[str]]], context: dict[str, str]
                      ) -> Iterator[SourceAnalysis]:
    """Each (source, language, sha256) analysed in the context the cells before it built, carried on in `context` (in
    place): the one loop for a notebook's cells in order (a live capture, a spooled one, a saved notebook, a run read
    back from the store after the sidecar restarted)."""
    for source, language, sha in cells:
        analysis = analyze_cell(source, language, sha, context)
        apply_context(context, analysis.context_delta)
        yield analysis


def is_bound_path(context: Mapping[str, str], detail: str) -> bool:
    """Whether a load step's `detail` is a string the notebook bound to a name (`path = "data.csv"` in this cell or an
    earlier one, then `pd.read_csv(path)`): a path the code wrote, not the text of code that computes one."""
    prefix = path_key("")
    return any(key.startswith(prefix) and value == detail for key, value in context.items())


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _analyze(source: str, lang: str, language: object, context: dict[str, str]) -> _Frozen:
    if lang not in PYTHON_LANGUAGES:
        shown = lang or repr(language)
        return _Frozen((), (), (), (), f"not analysed: {shown} cell")
    defuse = analyze_defuse(source)
    if defuse.error is not None:
        return _Frozen((), (), (), (), defuse.error)
    steps, after = _classify(source, context)
    delta = {name: binding for name, binding in after.items() if context.get(name) != binding}
    delta.update({name: None for name in context if name not in after})
    return _Frozen(
        tuple(defuse.reads),
        tuple(defuse.writes),
        tuple((name, tuple(sources)) for name, sources in defuse.derivations.items()),
        tuple(step.model_dump(exclude_unset=True) for step in steps),
        None,
        tuple(delta.items()),
    )


def _classify(source: str, context: dict[str, str]) -> tuple[list[Step], dict[str, str]]:
    try:
        from .classify.wording_facts import add_loops
        from .steps import classify_cell
    except ImportError:  # a broken classifier install must not lose def-use
        return [], dict(context)
    try:
        steps, after = classify_cell(source, context)
        add_loops(steps, source)
        return list(steps), after
    except Exception:  # a classifier bug must not lose the cell's reads/writes
        log.exception("classify_cell failed; storing the cell without steps")
        return [], dict(context)
