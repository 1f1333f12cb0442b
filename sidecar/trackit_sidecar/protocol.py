"""Every message between the editor and the sidecar, defined once.

The TypeScript side mirrors this file in `extension/src/sidecar/protocol.ts`;
`tests/sidecar/test_protocol_contract.py` holds the two together (method names,
field names, enum values). Change both or the contract test fails.

Field names are snake_case on the wire on purpose: the same JSON is the public
`trackit lineage --json` format, and Python users read it more than TS code does.
"""

# No `from __future__ import annotations`: the models' annotations are evaluated once, as the classes are made.
# As strings, pydantic evaluated each of them again (~620 compiles): a quarter of importing this module, which every
# `trackit` command and the sidecar do at start. A name used before its class is defined is quoted ("RunStamp").
import functools
import hashlib
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, model_serializer, model_validator

PROTOCOL_VERSION = 1
LINEAGE_FORMAT = "trackit.lineage/1"

# ---------------------------------------------------------------- method names
# client -> server notifications
CELL_EXECUTED = "trackit/cellExecuted"
SET_CONFIG = "trackit/setConfig"
NOTEBOOK_KERNEL = "trackit/notebookKernel"
NOTEBOOK_SOURCES = "trackit/notebookSources"
# client -> server requests
LINEAGE = "trackit/lineage"
CELL_ANNOTATION = "trackit/cellAnnotation"
CELL_HISTORY = "trackit/cellHistory"
SUMMARIZE = "trackit/summarize"
PREVIEW_PROMPT = "trackit/previewPrompt"
STATUS = "trackit/status"
EXPERIMENTS = "trackit/experiments"
EXPERIMENT = "trackit/experiment"
MARK_EXPERIMENT = "trackit/markExperiment"
NAME_EXPERIMENT = "trackit/nameExperiment"
REPARENT_EXPERIMENT = "trackit/reparentExperiment"
EXPORT_EXPERIMENT = "trackit/exportExperiment"
GATHER = "trackit/gather"
VERIFY = "trackit/verify"
DIFF = "trackit/diff"
HYPOTHESES = "trackit/hypotheses"
ADD_HYPOTHESIS = "trackit/addHypothesis"
LINK_HYPOTHESIS = "trackit/linkHypothesis"
SET_HYPOTHESIS_STATUS = "trackit/setHypothesisStatus"
SET_HYPOTHESIS_THRESHOLDS = "trackit/setHypothesisThresholds"
ASK = "trackit/ask"
PROVENANCE = "trackit/provenance"
# server -> client notifications
LINEAGE_CHANGED = "trackit/lineageChanged"
DATABASE_ERROR = "trackit/databaseError"

METHODS = {
    "CELL_EXECUTED": CELL_EXECUTED,
    "SET_CONFIG": SET_CONFIG,
    "NOTEBOOK_KERNEL": NOTEBOOK_KERNEL,
    "NOTEBOOK_SOURCES": NOTEBOOK_SOURCES,
    "LINEAGE": LINEAGE,
    "CELL_ANNOTATION": CELL_ANNOTATION,
    "CELL_HISTORY": CELL_HISTORY,
    "SUMMARIZE": SUMMARIZE,
    "PREVIEW_PROMPT": PREVIEW_PROMPT,
    "STATUS": STATUS,
    "EXPERIMENTS": EXPERIMENTS,
    "EXPERIMENT": EXPERIMENT,
    "MARK_EXPERIMENT": MARK_EXPERIMENT,
    "NAME_EXPERIMENT": NAME_EXPERIMENT,
    "REPARENT_EXPERIMENT": REPARENT_EXPERIMENT,
    "EXPORT_EXPERIMENT": EXPORT_EXPERIMENT,
    "GATHER": GATHER,
    "VERIFY": VERIFY,
    "DIFF": DIFF,
    "HYPOTHESES": HYPOTHESES,
    "ADD_HYPOTHESIS": ADD_HYPOTHESIS,
    "LINK_HYPOTHESIS": LINK_HYPOTHESIS,
    "SET_HYPOTHESIS_STATUS": SET_HYPOTHESIS_STATUS,
    "SET_HYPOTHESIS_THRESHOLDS": SET_HYPOTHESIS_THRESHOLDS,
    "ASK": ASK,
    "PROVENANCE": PROVENANCE,
    "LINEAGE_CHANGED": LINEAGE_CHANGED,
    "DATABASE_ERROR": DATABASE_ERROR,
}

ExecutionStatus = Literal["ok", "error", "cancelled"]
ProviderName = Literal["builtin", "bedrock", "ollama", "openai"]
StepOp = Literal[
    "load", "filter_rows", "select_columns", "drop_columns", "impute_missing",
    "drop_missing", "drop_duplicates", "rename", "type_cast", "encode_categorical",
    "scale_normalize", "derive_feature", "aggregate", "join", "concat", "reshape",
    "sort", "sample", "split", "datetime_parse", "text_clean", "outlier_remove",
    "fit_model", "predict", "evaluate", "other",
]
STEP_OPS: tuple[str, ...] = StepOp.__args__  # type: ignore[attr-defined]
CodeKind = Literal["module", "function", "class"]
# why an execution is stale: its own cell was edited since it ran, or it read a stale execution's result
StaleReason = Literal["edited", "upstream"]

# What became of an execution's runtime facts (kernel/identity.py decides which kernel is the notebook's):
#   captured               read from the notebook's own kernel (possibly no objects changed)
#   kernel_not_identified  no kernel could be tied to the notebook, so none was asked
#   kernel_unreachable     the notebook's kernel was identified but did not answer (busy, restarted, gone)
#   not_python             the cell or its kernel is not Python
#   off                    runtime capture is switched off (setting, untrusted workspace, --no-runtime)
#   editor_closed          the editor closed before the facts came (a Run All closed at once): not captured
RuntimeStatus = Literal["captured", "kernel_not_identified", "kernel_unreachable", "not_python", "off", "editor_closed"]
# Why a kernel counts as the notebook's: the editor announced it for the notebook (trackit/notebookKernel),
# it descends from the editor and names the notebook in __vsc_ipynb_file__, or `trackit run` started it.
KernelEvidence = Literal["announced", "notebook_file", "started"]
# Where a runtime fact comes from: measured in the live kernel, or read from a notebook file's saved outputs (the last
# run's answer, lineage/saved_results.py)
RuntimeSource = Literal["kernel", "saved_output"]
# How the trees word a status that leaves an execution without facts: render/tree.py (RUNTIME_STATUS_NOTES).


def source_sha256(source: str) -> str:
    """The content address of a cell source: sha256 of its UTF-8 bytes, exactly what the editor computes to
    mark a run stale. The one definition; the store, the analyser and the services all use it.
    (surrogatepass only keeps a broken string from raising; valid text encodes identically.)"""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


class Wire(BaseModel):
    """Base for every message: unknown fields are ignored so older sidecars accept newer editors."""

    # defer_build: a model's validator and serializer are built when it is first used, not at import (the 84
    # models took ~60 ms of every `trackit` command's start; a read of stored records validates few of them).
    # Forward references resolve then too, so no model needs an explicit model_rebuild().
    model_config = ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------- cell execution (editor -> sidecar)
class CellOutput(Wire):
    """One output item. Text mimes carry `text`; binary mimes carry `base64`.

    The editor may already have capped `text` (then `truncated` is true and `size`
    is the full size in bytes); the sidecar caps again with its own settings.
    """

    output_type: Literal["stream", "execute_result", "display_data", "error"] = "display_data"
    mime: str
    text: Optional[str] = None
    base64: Optional[str] = None
    size: Optional[int] = None
    sha256: Optional[str] = None
    truncated: bool = False


class CellExecution(Wire):
    """One finished execution of one cell, as the editor (or `trackit run`) saw it."""

    event_id: str = Field(description="unique per execution; the sidecar drops repeats, so re-sending is safe")
    notebook_uri: str
    notebook_path: Optional[str] = None
    cell_id: str
    cell_uri: Optional[str] = None
    cell_index: int = Field(description="0-based position among all cells, markdown included")
    language: str = "python"
    source: str  # exactly the cell text; source_sha256 is sha256 of its UTF-8 bytes (the editor's staleness check)
    execution_order: Optional[int] = None
    started_at: float = Field(description="epoch milliseconds")
    ended_at: float = Field(description="epoch milliseconds")
    status: ExecutionStatus
    outputs: list[CellOutput] = Field(default_factory=list)
    error_name: Optional[str] = None
    error_message: Optional[str] = None
    kernel_id: Optional[str] = Field(default=None, description="changes when the kernel restarts, if known")
    kernel_name: Optional[str] = Field(default=None, description="the kernelspec that ran the cell, e.g. python3")
    kernel_display_name: Optional[str] = Field(default=None, description="that kernelspec's display name")
    # Not on the wire: set when the source was redacted at ingest. The stored text then differs from
    # what ran, but the content address stays the original's so a re-run of the cell still matches it.
    _content_sha256: Optional[str] = PrivateAttr(default=None)

    def content_sha256(self) -> str:
        """The content address of the source the editor ran (source_sha256 of the original text)."""
        return self._content_sha256 or source_sha256(self.source)

    def keep_content_sha256(self, sha256: str) -> None:
        """Remember the original's address; kept only when it differs from the current text's."""
        self._content_sha256 = None if sha256 == source_sha256(self.source) else sha256


class NotebookKernel(Wire):
    """The editor ties a notebook to the kernel that runs it (a controller reported it to TrackIT).

    The sidecar attaches to a kernel only with such evidence (kernel/identity.py). `connection_file`
    names the kernel; with only `kernel_id`, the sidecar looks for `kernel-<id>.json` in Jupyter's
    runtime dir. Sent when the kernel starts (before its first cell, so the probe can be there first)
    and again after every sidecar start.
    """

    notebook_uri: str
    notebook_path: Optional[str] = None
    connection_file: Optional[str] = None
    kernel_id: Optional[str] = None
    kernel_name: Optional[str] = None
    kernel_display_name: Optional[str] = None
    language: Optional[str] = None


class NotebookSources(Wire):
    """The notebook's code cells as they are now in the editor (sha256 of each cell's text, by cell id), so
    the sidecar can tell which executions are stale. Sent when a notebook opens, after edits (debounced) and
    after every sidecar start; hashes only, never the text."""

    notebook_uri: str
    cell_shas: dict[str, str] = Field(default_factory=dict)


class SetConfigParams(Wire):
    """Editor settings the sidecar honours (sent at start and on change)."""

    max_text_output_bytes: Optional[int] = None
    runtime_capture: Optional[bool] = None
    summary_provider: Optional[ProviderName] = None
    provider_options: dict[str, Any] = Field(default_factory=dict)
    trusted: Optional[bool] = None


# ---------------------------------------------------------------- lineage (the public JSON format)
def _without_empty(data: Any, keys: frozenset[str]) -> Any:
    """`data` without those of `keys` whose value is None, False, 0, [] or {} (an empty string is a value). One pass
    over the fields serialised, each looked up in `keys` only when empty: a step's 37 keys each looked up and compared
    with four values, for every step, was a quarter of serialising a long notebook's lineage JSON."""
    if isinstance(data, dict):
        return {key: value for key, value in data.items() if value or key not in keys or value == ""}
    return data


_RUNTIME_FACTS_LEFT_OUT_WHEN_EMPTY = frozenset({"displayed", "scalar", "source"})
_STEP_FIELDS_LEFT_OUT_WHEN_EMPTY = frozenset({"method", "outputs", "derived_from", "group_keys", "statistic", "model",
                                              "estimator", "params", "conditions", "displays_result", "runtime_source",
                                              "static_op", "rerun_of", "written_to_a_copy", "gaps_left", "in_function",
                                              "learned_by", "fitted_on", "chained_into", "cross_validated", "reads_output",
                                              "assigned_columns", "names_axis", "named_as", "shown_expression",
                                              "in_place_on_pick", "thresholded", "quoted", "majority_baseline",
                                              "random_draw", "matrix_product", "row_wise", "packaged_data_set",
                                              "packaged_by", "loops", "formula_fit", "label",
                                              "inferred_from"})


class RuntimeFacts(Wire):
    """What a step did to one live object, measured in the kernel after the cell ran."""

    variable: Optional[str] = None
    kind: Optional[str] = None  # DataFrame | Series | ndarray | polars.DataFrame
    rows_before: Optional[int] = None
    rows_after: Optional[int] = None
    cols_before: Optional[int] = None
    cols_after: Optional[int] = None
    added_columns: list[str] = Field(default_factory=list)
    removed_columns: list[str] = Field(default_factory=list)
    dtype_changes: dict[str, list[str]] = Field(default_factory=dict)  # col -> [before, after]
    nulls_before: Optional[int] = None
    nulls_after: Optional[int] = None
    # of a frame: missing values by column, only the columns that have any ({}: none); None when not counted by column
    # (not a frame, more columns with gaps than the probe counts one by one, repeated labels, or an older probe)
    column_nulls_before: Optional[dict[str, int]] = None
    column_nulls_after: Optional[dict[str, int]] = None
    fingerprint: Optional[str] = None
    sampled: bool = False
    # did the variable change in this execution (rebound, reshaped, or new values)? None: not known
    # (recorded before TrackIT kept it, or not measurable); a named but untouched variable says False
    changed: Optional[bool] = None
    # the variable the *_before figures describe when it is not this one: a new or rebound variable is
    # measured against the object it was made from (`data2010 = final.query(...)` -> "final")
    before_variable: Optional[str] = None
    # the cell's displayed result (the value of its last expression) rather than a variable: kind is then also
    # "scalar" or the value's type name ("tuple", "DataFrameGroupBy"), rows_after/cols_after its shape
    displayed: bool = False
    scalar: Optional[bool] = None  # displayed: one value (number, string, bool), not a table or a collection
    # "saved_output": read from the notebook file's saved outputs (`trackit analyze`), not measured; None: the kernel's
    source: Optional[RuntimeSource] = None

    @model_serializer(mode="wrap")
    def _leave_out_what_does_not_apply(self, handler: Any) -> dict:
        data = _without_empty(handler(self), _RUNTIME_FACTS_LEFT_OUT_WHEN_EMPTY)
        for key in ("column_nulls_before", "column_nulls_after"):  # {} says "no gaps": only None is left out
            if isinstance(data, dict) and data.get(key, 0) is None:
                del data[key]
        return data


class InputFile(Wire):
    path: str
    size: Optional[int] = None
    mtime: Optional[float] = None
    sha256: Optional[str] = None
    changed_since: Optional[str] = Field(default=None, description="sha256 seen in an earlier session, if different")
    error: Optional[str] = None


class StepCondition(Wire):
    """One comparison of a filter's mask: `df[df.age > 18]` -> column "age", comparison ">", value 18."""

    column: Optional[str] = None
    comparison: str  # ==, !=, <, <=, >, >=, in, not in, between, isna, notna
    value: Optional[Any] = None  # the literal compared with (number, string, bool, list of them)
    bound: Optional[str] = None  # the compared expression as written when it is not a literal: "upper"


class StepLoop(Wire):
    """A loop a step's statement runs in: `for col in cols:` -> target "col", over "cols", as written (`for i, col in
    enumerate(cols)`: "col" over "cols", the counter is bookkeeping); a `while` loop has neither."""

    target: Optional[str] = None
    over: Optional[str] = None


class FormulaFit(Wire):
    """A fit written as a formula call: `smf.ols('y ~ x', data=df).fit()` -> function "smf.ols", formula "y ~ x",
    data "df" (the variable given as `data=`)."""

    function: str
    formula: str  # as written: a literal, or an f-string with its placeholders
    data: Optional[str] = None


class Step(Wire):
    op: StepOp
    inputs: list[str] = Field(default_factory=list)
    output: Optional[str] = None
    columns: list[str] = Field(default_factory=list)
    code: Optional[str] = None
    line: Optional[int] = None
    detail: Optional[str] = None  # e.g. the loaded path, the join key, the estimator class
    runtime: Optional[RuntimeFacts] = None
    input_file: Optional[InputFile] = None
    # structured facts of the statement (lineage JSON format, README); the wording reads these, never `detail`
    method: Optional[str] = None  # the call that did it: "dropna", "read_csv", "fit_transform"
    outputs: list[str] = Field(default_factory=list)  # every name a tuple assignment binds (a split's parts)
    # derive_feature, and values encoded / filled / cast / cleaned / parsed / scaled into other columns: the columns the
    # new ones (`columns`) come from
    derived_from: list[str] = Field(default_factory=list)
    # impute_missing by group: the fill value's group-by keys; aggregate (and a per-row group step): the columns grouped
    # by, the step's other `columns` being those aggregated
    group_keys: list[str] = Field(default_factory=list)
    statistic: Optional[str] = None  # impute_missing / aggregate by group: "median", "mean", "mode", "size"
    model: Optional[str] = None  # predict / evaluate by a model's method: the variable holding the model
    estimator: Optional[str] = None  # fit_model / predict / transformer step: the estimator's class
    # a step that applies what an earlier statement learned from data: the variable holding it, the fitted transformer
    # of a `scaler.transform(X)`, the statistic of a `fillna(m)` (`m = df["Age"].median()`); lineage/leakage.py
    # follows it to the statement that computed it
    learned_by: Optional[str] = None
    # a transform of an estimator fitted in the same statement: the data it was fitted on
    # (`StandardScaler().fit(X).transform(X)` -> ["X"])
    fitted_on: list[str] = Field(default_factory=list)
    # fit_model whose fitted model is not kept: the method or attribute the same statement reads from it, whose result
    # is what the statement keeps (`p = LinearRegression().fit(X, y).predict(X)` -> "predict"); `output` is then empty
    chained_into: Optional[str] = None
    # fit_model / evaluate that fits its model on some folds of the data it is given and scores it on the others
    # (`cross_val_score(model, X, y)`, `GridSearchCV(...).fit(X, y)`, `LassoCV().fit(X, y)`: kb/sklearn.py)
    cross_validated: bool = False
    # fit_model: the estimator's literal constructor params; join: `how`, when the call says it
    params: dict[str, Any] = Field(default_factory=dict)
    conditions: list[StepCondition] = Field(default_factory=list)  # filter_rows / outlier_remove: the mask
    displays_result: bool = False  # the statement is the cell's last bare expression: its value is displayed
    decided_by: Optional[Literal["static", "runtime"]] = None  # what chose the op (runtime facts may override)
    # the op statically decided is a guess, and from what: a key of lineage/kb/guesses.py INFERRED_FROM
    # ("helper_name": `load_data()` judged by its name); absent: asserted, what a known call or the syntax does
    inferred_from: Optional[str] = None
    runtime_source: Optional[RuntimeSource] = None  # decided_by "runtime": where the deciding fact came from
    static_op: Optional[StepOp] = None  # decided_by "runtime" with another op: the op static analysis gave
    rerun_of: Optional[int] = None  # a row-removing step that kept every row because this cell's run `rerun_of`
    # (a seq) had already run it: that run's result is what this one started from
    # decided_by "runtime", op "other": the kernel warned its in-place call changed a copy, not the table
    # (pandas >= 3 ChainedAssignmentError: `df.col.replace(..., inplace=True)`; lineage/copy_writes.py)
    written_to_a_copy: bool = False
    # impute_missing (or `other` with static_op impute_missing) the kernel counted by column: the columns it was to fill
    # that kept every missing value they had, with their counts (lineage/fill_columns.py); empty when it filled them all
    # or was not counted by column
    gaps_left: dict[str, int] = Field(default_factory=dict)
    # the step is written in the body of this function (`def encode(df): ...`): it is done when the function is
    # called, not when its cell runs (what-is-a-step.md counts it once, where it is written; the wording says "defines")
    in_function: Optional[str] = None
    # what the wording needs of the statement, read from its AST (lineage/classify/wording_facts.py): the statement's
    # value names the variable it assigns, though no input was read (set only then: `x = x.astype(float)`)
    reads_output: bool = False
    # derive_feature: `columns` made as `.assign(c=...)` or written whole from no column of their own (`test["p"] = p`);
    # predict: `columns` written with the predictions (`df["y_hat"] = np.polyval(fit, df.x)` -> ["y_hat"], beside `x`
    # read)
    assigned_columns: list[str] = Field(default_factory=list)
    # rename of no column: the axis named (`df.index.name = "k"`, `rename_axis`), else the literal name the data
    # itself was given (`series.name = "Snowiness"`)
    names_axis: Optional[Literal["index", "columns"]] = None
    named_as: Optional[str] = None
    shown_expression: Optional[str] = None  # evaluate of no input written `print(TP / (TP + FN))`: "TP / (TP + FN)"
    in_place_on_pick: bool = False  # impute_missing: `df["a"].fillna(0, inplace=True)` (pandas 3 fills a copy)
    thresholded: list[str] = Field(default_factory=list)  # predict by a threshold: the inputs compared (its scores)
    # the short strings the statement writes as literals (`df[["age", "income"]]`): columns it names where no op
    # recorded them (a split's features), for `ask` and a diff's cause
    quoted: list[str] = Field(default_factory=list)
    # evaluate: the accuracy of always predicting the test target's most frequent class (`max(y_test.mean(),
    # 1 - y_test.mean())`), computed from the target alone: a baseline, no model's evaluation
    majority_baseline: bool = False
    # load of values drawn at random (`np.random.normal`): "whole" when the draw is what the statement assigns
    # (`e = np.random.normal(size=n)`: random data), "part" when it is part of it (`y = y_true + np.random.normal(...)`)
    random_draw: Optional[Literal["whole", "part"]] = None
    matrix_product: Optional[str] = None  # the product as written (`np.dot(X.T, X)`, `X @ w`): a new array
    row_wise: bool = False  # the step's call reduces each row (`df.sum(axis=1)`): one figure per row, no row merged
    # load of a data set a library packages (lineage/kb/packaged_data.py): its name and the library
    # (`iris = load_iris()`: "iris", "scikit-learn"), said instead of "created `iris` with `load_iris`"
    packaged_data_set: Optional[str] = None
    packaged_by: Optional[str] = None
    # the loops the statement runs in, outermost first (lineage/loops.py): it ran once per pass, its variable holds
    # what the last pass left; none in the body of a function it is written in (that runs when called)
    loops: list[StepLoop] = Field(default_factory=list)
    formula_fit: Optional[FormulaFit] = None  # fit_model written as one formula call (`smf.ols('y ~ x', data=df)`)
    label: Optional[str] = None  # this step in one line, as the tree and hovers say it (set by the sidecar)

    @model_serializer(mode="wrap")
    def _leave_out_what_does_not_apply(self, handler: Any) -> dict:
        """Structured fields that do not apply are left out of the JSON (README: absent = empty)."""
        return _without_empty(handler(self), _STEP_FIELDS_LEFT_OUT_WHEN_EMPTY)


class OutputInfo(Wire):
    output_type: str
    mime: str
    size: int
    sha256: str
    truncated: bool = False
    text: Optional[str] = None  # capped; absent for binary outputs


class ErrorInfo(Wire):
    name: Optional[str] = None
    message: Optional[str] = None


class FileWritten(Wire):
    """A file a cell's code writes (`df[cols].to_csv("clean.csv")`): saving is no step, an auditor still needs to know
    which file came from what (lineage/files_written.py)."""

    path: str  # the literal path, else the expression as written (`f"{out}/clean.csv"`, `path`)
    literal: bool = False  # `path` is the string itself
    source: Optional[str] = None  # the variable the written value comes from (`df` of `df[cols].to_csv(...)`)
    whole: bool = False  # the value written is `source` itself, not something computed from it
    call: str  # `to_csv`, `joblib.dump`
    line: int  # 1-based line in the cell (magics stripped)
    in_loop: bool = False  # written in a `for`/`while` body: once per pass


class ExecutionRecord(Wire):
    seq: int = Field(description="1-based position in the notebook's actual execution order, across sessions")
    session: int
    cell_id: str
    cell_index: int
    execution_count: Optional[int] = None
    status: ExecutionStatus
    started_at: str  # ISO 8601, UTC
    ended_at: str
    duration_ms: float
    language: str = "python"
    source: str
    source_sha256: str
    reads: list[str] = Field(default_factory=list)
    writes: list[str] = Field(default_factory=list)
    derivations: dict[str, list[str]] = Field(default_factory=dict)  # written name -> names it was computed from
    parents: list[int] = Field(default_factory=list)  # seq of executions this one read from
    read_from: dict[str, int] = Field(default_factory=dict)  # name read -> seq of the execution whose value it read
    # reads and writes that are code, not data: bound by import ("module"), def ("function") or class ("class")
    code_names: dict[str, CodeKind] = Field(default_factory=dict)
    analysis_error: Optional[str] = None  # "not analysed: <reason>"
    steps: list[Step] = Field(default_factory=list)
    outputs: list[OutputInfo] = Field(default_factory=list)
    error: Optional[ErrorInfo] = None
    runtime: list[RuntimeFacts] = Field(default_factory=list)  # every object the kernel saw change
    input_files: list[InputFile] = Field(default_factory=list)
    # the files its code writes outside function bodies, in order (lineage/records.py sets them from the source); a
    # failed run's may not have been written
    files_written: list[FileWritten] = Field(default_factory=list)
    runtime_status: Optional[RuntimeStatus] = None  # None: not decided yet, or recorded before TrackIT kept it
    runtime_evidence: Optional[KernelEvidence] = None  # why the kernel asked was this notebook's
    # rendered by the sidecar (render/) so the tree, hovers and summary word things one way
    label: Optional[str] = None  # "[3] Cell 5"
    description: Optional[str] = None  # "ok · 12 ms" | "error: KeyError" | "cancelled · 3 ms"
    step_lines: list[str] = Field(default_factory=list)  # what the steps did, one line per group (as the hover)
    runtime_note: Optional[str] = None  # why this run has no runtime facts, unless its session already says so
    # failed or cancelled runs: the names the kernel saw change before the run stopped ("partially applied");
    # [] when it changed nothing or never started; None when not known (no runtime facts) or the run was ok
    applied_writes: Optional[list[str]] = None
    outcome: Optional[str] = None  # that, in words (set by the sidecar): "partially applied: `df` changed before the error"
    # the code that produced this run's result has changed since (lineage.staleness); None: not stale, or the
    # cells' current text is not known
    stale: Optional[StaleReason] = None
    stale_because: list[int] = Field(default_factory=list)  # seqs of the edited executions it comes from


def record_on_the_wire(record: ExecutionRecord, exclude: Optional[set[str]] = None) -> dict:
    """A run's record as `trackit/lineage` answers send it (the whole document, a window, a session): every field,
    nested ones too, that holds its default as declared above is left out (absent = that default: null, [], {},
    false, "python"). Those were ~a fifth of a 2,000-run document's bytes (perf14); the editor fills them in
    (normalizeLineage, RECORD_DEFAULTS in protocol.ts). `trackit lineage --json` writes every field."""
    return record.model_dump(mode="json", exclude=exclude, exclude_defaults=True)


def records_on_the_wire(records: list[ExecutionRecord], include_source: bool) -> bytes:
    """The records as a JSON array, each as record_on_the_wire says (without `source` unless asked)."""
    return _records_adapter().dump_json(records, exclude=None if include_source else {"__all__": {"source"}},
                                        exclude_defaults=True)


# A whole document read from ready rows (ready_lineage.py) sends these fields of its records once per distinct value
# set, in the document's SHARED_PARTS table, and each record that has them names its entry in SHARED_PART instead:
# they are what analysing a cell's code gives, so a notebook's 2,000 runs of a few cells repeat a few sets (perf15:
# 48 % of a bench document's bytes, 11 distinct sets among 2,000 runs). On the wire only: LineageDocument puts them
# back into each record when it reads an answer, as the editor does (normalizeLineage), so no parsed record has them.
SHARED_FIELDS = ("reads", "writes", "derivations", "code_names", "steps", "step_lines")
SHARED_PARTS = "shared_parts"  # the document's table: a list of JSON objects, each some SHARED_FIELDS of records
SHARED_PART = "shared_part"  # a record's index into that table: its fields include that object's


def with_shared_parts(document: Any) -> Any:
    """A `trackit/lineage` answer (JSON as parsed) with each record's shared part put back into it and the table
    dropped: the document as if every record carried its own fields. Raises ValueError, one line, when a record
    names an entry the table does not have."""
    if not isinstance(document, dict) or SHARED_PARTS not in document:
        return document
    document = dict(document)
    parts = document.pop(SHARED_PARTS)
    if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
        raise ValueError(f"lineage document: {SHARED_PARTS} is not a list of objects")
    records = []
    for record in document.get("executions") or []:
        if isinstance(record, dict) and SHARED_PART in record:
            record = dict(record)
            at = record.pop(SHARED_PART)
            if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at < len(parts):
                raise ValueError(f"lineage document: execution {record.get('seq')} names {SHARED_PART} {at!r}, "
                                 f"but the document has {len(parts)}")
            record = {**parts[at], **record}
        records.append(record)
    document["executions"] = records
    return document


@functools.cache
def _records_adapter() -> TypeAdapter:
    """Built when first used, as the models are (Wire.model_config: defer_build)."""
    return TypeAdapter(list[ExecutionRecord])


class SessionInfo(Wire):
    id: int
    started_at: str
    ended_at: Optional[str] = None
    kernel_name: Optional[str] = None
    kernel_display_name: Optional[str] = None
    executions: int = 0
    # the runtime_status every execution of the session that has one shares; None when they differ
    runtime_status: Optional[RuntimeStatus] = None
    stamp: Optional["RunStamp"] = None  # the run's reproducibility stamp, once taken
    # rendered by the sidecar (render/tree.py), as for executions
    kernel_label: Optional[str] = None  # the kernelspec that ran: "Python 3 (ipykernel) [python3]"
    runtime_note: Optional[str] = None  # "runtime facts unavailable (...)": true of every run of the session


class LineageDocument(Wire):
    format: str = LINEAGE_FORMAT
    notebook: str  # file path when known, else the URI
    notebook_uri: str
    sessions: list[SessionInfo] = Field(default_factory=list)
    executions: list[ExecutionRecord] = Field(default_factory=list)
    experiments: list["ExperimentSummary"] = Field(default_factory=list)
    # the notebook's newest seq when the document was made (a window's executions may end before it)
    latest_seq: Optional[int] = None

    @model_validator(mode="before")
    @classmethod
    def _each_record_with_its_shared_part(cls, data: Any) -> Any:
        return with_shared_parts(data)


# ---------------------------------------------------------------- requests and answers
class NotebookParams(Wire):
    notebook_uri: str


class LineageParams(NotebookParams):
    include_source: bool = True
    # experiments[] costs a derivation per experiment: the tree's frequent requests leave it out (an empty list)
    include_experiments: bool = False
    # a window of executions (every session is still described in `sessions`): one session, the latest session,
    # or the executions after a seq; all of them when none is given
    session: Optional[int] = None
    latest_session: bool = False
    after_seq: Optional[int] = None


class CellAnnotationParams(NotebookParams):
    cell_id: str


class CellRef(Wire):
    seq: int
    cell_id: str
    cell_index: int
    execution_count: Optional[int] = None


class CellAnnotation(Wire):
    cell_id: str
    run_count: int = 0
    last_run_at: Optional[str] = None
    last_status: Optional[ExecutionStatus] = None
    last_duration_ms: Optional[float] = None
    last_execution_count: Optional[int] = None
    last_seq: Optional[int] = None  # the latest run: what "as of this cell" means (the graph's ProvenanceParams.seq)
    reads: list[str] = Field(default_factory=list)
    writes: list[str] = Field(default_factory=list)
    upstream: list[CellRef] = Field(default_factory=list)
    downstream: list[CellRef] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    stale: Optional[StaleReason] = None  # the latest run's (see ExecutionRecord.stale)
    # the session's problems about the latest run (the summary's Problems, summarize/finding.py), each a sentence that
    # names the other cells it involves; also in `markdown`. Those the rest of the annotation says (a failure, re-runs,
    # code not analysed) are left out
    problems: list[str] = Field(default_factory=list)
    markdown: str = ""  # ready-to-show hover text


class CellHistoryParams(NotebookParams):
    cell_id: Optional[str] = None


class CellVersion(Wire):
    cell_id: str
    source_sha256: str
    source: str
    first_run_at: str
    last_run_at: str
    runs: int
    statuses: dict[str, int] = Field(default_factory=dict)
    cell_index: Optional[int] = None  # where the cell was at this version's latest run
    diff: Optional[str] = None  # unified diff against the cell's version before it (None for its first)
    facts: list[str] = Field(default_factory=list)  # rendered: what its latest run wrote, "`df`: 889 rows × 12 columns"


class CellHistory(Wire):
    notebook_uri: str
    versions: list[CellVersion] = Field(default_factory=list)


class SummarizeParams(NotebookParams):
    provider: Optional[ProviderName] = None
    regenerate: bool = False


class SummaryCitation(Wire):
    """A citation as the summary wrote it ("[cells 2, 5]") and the recorded cells it names."""

    text: str
    cells: list[CellRef] = Field(default_factory=list)


class SummaryResult(Wire):
    notebook_uri: str
    markdown: str
    provider: str
    model: Optional[str] = None
    created_at: str
    prompt_sha256: Optional[str] = None
    cached: bool = False
    warnings: list[str] = Field(default_factory=list)
    citations: list[SummaryCitation] = Field(default_factory=list)  # where each "[cell 3]" points (not stored)


class PreviewPromptParams(NotebookParams):
    provider: Optional[ProviderName] = None


class PromptPreview(Wire):
    notebook_uri: str
    provider: str
    prompt: str


class StatusResult(Wire):
    version: str
    protocol_version: int = PROTOCOL_VERSION
    db_path: str
    db_mode: Literal["owner", "spool", "memory"]
    lock_holder: Optional[str] = None
    executions_stored: int = 0


class LineageChanged(Wire):
    notebook_uri: str
    seq: int  # latest seq stored for this notebook
    cell_id: Optional[str] = None
    # events made durable by this flush: the editor drops them from its re-send buffer only now,
    # so a sidecar killed between receiving and committing loses nothing
    event_ids: list[str] = Field(default_factory=list)
    # What changed, to apply instead of reloading: every execution after `after_seq` up to `seq` (new ones) and
    # any earlier one whose record changed (runtime facts, status, staleness, wording), as the lineage document
    # has them (without source), and the sessions whose description changed. `after_seq` None: no delta, read
    # the notebook again if it is shown. An editor holding less than every execution up to `after_seq` reloads.
    after_seq: Optional[int] = None
    executions: list[ExecutionRecord] = Field(default_factory=list)
    sessions: list[SessionInfo] = Field(default_factory=list)


# ---------------------------------------------------------------- experiments (every result is an experiment)
EXPERIMENT_FORMAT = "trackit.experiment/1"
MetricDirection = Literal["higher", "lower", "unknown"]
ExperimentStatus = Literal["ok", "failed"]
ExperimentOrigin = Literal["auto", "manual"]
FeatureChangeKind = Literal["added", "removed", "changed"]
ExportFormat = Literal["mtrack", "json"]


class Metric(Wire):
    """A number a cell produced, with where it came from ("kernel", "execute_result", "output line 3",
    "classification_report"). `name` is normalised (metric_names.normalize_name); `raw_name` is as written."""

    name: str
    value: float
    source: str
    direction: MetricDirection = "unknown"
    raw_name: Optional[str] = None
    std: Optional[float] = None  # cross_val_score arrays: value is the mean
    n: Optional[int] = None
    unit: Optional[str] = None  # "%" when the cell printed a percentage


class SeedRecord(Wire):
    """A seed the code set (or PYTHONHASHSEED from the kernel's environment)."""

    kind: str  # random.seed | numpy.random.seed | numpy.random.default_rng | torch.manual_seed | random_state | ...
    value: Any = None  # the literal value, else the expression's source text
    call: Optional[str] = None  # the call a random_state= argument is in ("train_test_split")
    seq: Optional[int] = None
    cell_id: Optional[str] = None
    line: Optional[int] = None


class SliceEntry(Wire):
    """One execution an experiment's result depends on, with the source version that ran."""

    seq: int
    cell_id: str
    cell_index: int
    execution_count: Optional[int] = None
    source_sha256: str
    status: ExecutionStatus = "ok"


class DatasetRevision(Wire):
    """An input file's bytes as a revision: `D####` numbered per dataset, new only when the sha256 changes."""

    dataset_id: str  # "<folder>/<file name>"
    revision_id: str  # "D0001"
    sha256: str
    size: Optional[int] = None
    path: str
    first_seen_at: Optional[str] = None
    previous_revision_id: Optional[str] = None  # set when the parent experiment used another revision


FrameRole = Literal["load", "split", "fit", "metric"]


class FrameFingerprint(Wire):
    """A frame as the kernel measured it when it was written: loaded from a dataset, an output of the
    split, an input of the fit, or an input of the metric."""

    role: FrameRole
    variable: str
    dataset_id: Optional[str] = None  # for role "load": the dataset it was read from
    seq: Optional[int] = None
    rows: Optional[int] = None
    cols: Optional[int] = None
    fingerprint: Optional[str] = None


class InputsWrittenAgain(Wire):
    """The data a model was last fitted on, written again after that fit by an execution the experiment's result
    depends on (a split re-run): the model is not a model of what those names hold when it is scored."""

    variables: list[str]  # the fit's inputs written again ("X_train", "y_train")
    fit_seq: int  # the execution that fitted the model last
    seq: int  # the first execution after it that wrote them again
    by_split: bool = False  # that execution split the data again


class ModelFingerprint(Wire):
    """Class, parameters and a hash of the fitted state, so "same model" differs from "same code"."""

    class_name: str
    library: Optional[str] = None
    variable: Optional[str] = None
    params: dict[str, Any] = Field(default_factory=dict)
    state_sha256: Optional[str] = None  # fitted state (coefficients, tree structure), from the kernel
    best_params: Optional[dict[str, Any]] = None
    source: Literal["kernel", "static"] = "static"
    # the cell that fitted it last did so inside a loop: the model is the last pass's fit, one of the loop's
    last_pass_of_loop: bool = False
    fitted_before: Optional[InputsWrittenAgain] = None  # its training data was written again after the fit


class FeatureChange(Wire):
    path: str  # "model.params.C", "preprocessing.impute_missing[Age].strategy"
    change: FeatureChangeKind
    before: Any = None
    after: Any = None
    # what the side a model parameter is missing from means (experiments.feature_diff.model_decisions): "default",
    # the class's default (the user wrote none; its value in before/after when the kernel read it off the fitted
    # model of the same class), or "another_class": the parameter is set on a new class, the old class's not compared
    unset_means: Optional[Literal["default", "another_class"]] = None
    # a run-level diff compares each model's decisions with the same cell's experiment on the same model in the other
    # run (a run's own feature tree holds only the last fitted model: islr's KNN n_neighbors 5 -> 7 was missing while
    # the logistic regression's C was listed): those experiments' ids, the model's class and the cell (0-based) that
    # scored it; unset for a change of the runs' shared decisions (data, preprocessing, split)
    a_experiment: Optional[str] = None
    b_experiment: Optional[str] = None
    model: Optional[str] = None
    cell_index: Optional[int] = None


class GitState(Wire):
    """The notebook's repository at stamp time. Never a remote URL."""

    commit: Optional[str] = None
    branch: Optional[str] = None  # None when HEAD is detached
    dirty_worktree: Optional[bool] = None
    changed_files: list[str] = Field(default_factory=list)  # "M path", "?? path" (porcelain status, repo-relative)
    diff_sha256: Optional[str] = None  # sha256 of `git diff HEAD` (tracked changes)
    error: Optional[str] = None


class RunStamp(Wire):
    """Taken once per run (session) at its first execution, off the kernel's thread."""

    stamped_at: str
    python_version: Optional[str] = None
    python_implementation: Optional[str] = None
    executable: Optional[str] = None  # the KERNEL's interpreter
    packages: dict[str, str] = Field(default_factory=dict)  # name -> version, from the kernel's environment
    packages_sha256: Optional[str] = None
    # top-level modules whose distribution is named otherwise (`sklearn` -> ["scikit-learn"]): what an import
    # pins (`trackit env`) and which package a divergence can blame (`trackit replay --verify`)
    modules: dict[str, list[str]] = Field(default_factory=dict)
    os: Optional[str] = None
    machine: Optional[str] = None
    cpu_count: Optional[int] = None
    memory_bytes: Optional[int] = None
    git: Optional[GitState] = None
    env: dict[str, str] = Field(default_factory=dict)  # only PYTHONHASHSEED, CUDA_VISIBLE_DEVICES, OMP_NUM_THREADS
    seeds: list[SeedRecord] = Field(default_factory=list)  # every seed the run's code set (derived on read)
    errors: list[str] = Field(default_factory=list)  # what could not be collected, one line each


class SecondLook(Wire):
    """A later cell of the experiment's run that only showed a table of what it scored (`confusion_matrix(y_test,
    pred)` after `accuracy_score(y_test, pred)`): a second look at its result, no experiment of its own."""

    seq: int
    cell_id: str
    cell_index: int
    functions: list[str] = Field(default_factory=list)  # what it showed: ["confusion_matrix"]


class ExperimentSummary(Wire):
    """One row of `trackit experiments`; also `experiments[]` in the lineage JSON."""

    id: str  # "E0007"
    notebook_uri: str
    seq: int
    session: int
    cell_id: str
    cell_index: int
    created_at: str  # when the experiment's execution ended (ISO 8601, UTC)
    status: ExperimentStatus = "ok"
    origin: ExperimentOrigin = "auto"
    name: Optional[str] = None
    parent: Optional[str] = None
    parent_set_by_user: bool = False
    primary_metric: Optional[Metric] = None
    changed: list[str] = Field(default_factory=list)  # feature paths that differ from the parent
    datasets: list[str] = Field(default_factory=list)  # "titanic/passengers.csv@D0002"
    # data a library's loader gave (no file, no revision): "iris (scikit-learn)", "moons (generated by scikit-learn)"
    packaged_data_sets: list[str] = Field(default_factory=list)
    also_looked_at: list[SecondLook] = Field(default_factory=list)  # later cells that showed a table of its result
    data_changed: bool = False  # a dataset revision differs from the parent's
    dirty_worktree: Optional[bool] = None
    config_sha256: Optional[str] = None


class Experiment(ExperimentSummary):
    """Everything recorded about one experiment (`trackit show --json`, `export --format json`)."""

    format: str = EXPERIMENT_FORMAT
    notes: Optional[str] = None
    metrics: list[Metric] = Field(default_factory=list)
    slice: list[SliceEntry] = Field(default_factory=list)
    features: dict[str, Any] = Field(default_factory=dict)
    feature_changes: list[FeatureChange] = Field(default_factory=list)
    data: list[DatasetRevision] = Field(default_factory=list)
    frames: list[FrameFingerprint] = Field(default_factory=list)
    model: Optional[ModelFingerprint] = None
    seeds: list[SeedRecord] = Field(default_factory=list)
    # the calls that draw random numbers no seed fixes ([]: nothing it ran draws any); None when unknown (a model
    # class the knowledge base does not know)
    unseeded_draws: Optional[list[str]] = None
    stamp: Optional[RunStamp] = None
    intent: Optional[str] = None  # the markdown above the experiment's cells, when the user wrote none


class ExperimentsParams(NotebookParams):
    pass


class ExperimentList(Wire):
    notebook_uri: str
    experiments: list[ExperimentSummary] = Field(default_factory=list)


class ExperimentParams(Wire):
    experiment_id: str


class MarkExperimentParams(NotebookParams):
    cell_id: Optional[str] = None  # the cell's latest execution
    seq: Optional[int] = None
    name: Optional[str] = None


class NameExperimentParams(ExperimentParams):
    name: Optional[str] = None
    notes: Optional[str] = None


class ReparentExperimentParams(ExperimentParams):
    parent_id: Optional[str] = None  # None: make it a root


class ExportExperimentParams(ExperimentParams):
    format: ExportFormat = "mtrack"
    out_dir: str
    all: bool = False  # every experiment of the same notebook


class ExportResult(Wire):
    written: list[str] = Field(default_factory=list)  # folders / files created
    unchanged: list[str] = Field(default_factory=list)  # already there with the same bytes
    kept: list[str] = Field(default_factory=list)  # already there with other bytes: never overwritten


# ---------------------------------------------------------------- compare: diff, hypotheses, ask (issue 12)
DIFF_FORMAT = "trackit.diff/1"
DiffSideKind = Literal["experiment", "run"]
# What the walk found at the first divergent step: measured data differ ("data"), no measurements but the code or
# parameters differ ("decision"), the fitted model differs ("model"), or a step ran in one slice only.
DivergenceKind = Literal["data", "decision", "model", "only_a", "only_b"]
# The upstream change that explains it. "feature": a decision in the features tree (with the cell's diff);
# "code": an edit the features tree does not name; "cell_only_a" / "cell_only_b": a cell ran in one slice only.
CauseKind = Literal["feature", "code", "cell_only_a", "cell_only_b", "data", "seed", "package", "environment",
                    "unknown"]
CodeChangeKind = Literal["changed", "only_a", "only_b"]
Better = Literal["a", "b", "same"]


class DiffSide(Wire):
    """One side of a diff: an experiment, or a whole run (session) of a notebook."""

    ref: str  # "E0003" | "run 2"
    kind: DiffSideKind = "experiment"
    notebook_uri: str
    session: int
    seq: Optional[int] = None  # the experiment's execution
    cell_id: Optional[str] = None
    cell_index: Optional[int] = None
    status: ExperimentStatus = "ok"
    created_at: Optional[str] = None
    primary_metric: Optional[Metric] = None
    config_sha256: Optional[str] = None
    # the side's model was fitted before its training data was written again (ModelFingerprint.fitted_before): its
    # metric is a stale model's, so a change upstream does not explain the metric alone
    model_fitted_before: Optional[InputsWrittenAgain] = None
    # a run that ended at an error (its last execution failed): that cell's index (0-based); the cells after it were
    # not reached, so what only they do is no difference between the runs
    stopped_at_cell_index: Optional[int] = None


class MetricDelta(Wire):
    """A metric of both sides: values, b - a, which is better by the direction, and the noise when known."""

    name: str
    a: Optional[float] = None
    b: Optional[float] = None
    delta: Optional[float] = None  # b - a
    direction: MetricDirection = "unknown"
    better: Optional[Better] = None  # None: a value is missing or the direction is unknown
    noise: Optional[float] = None  # a difference must exceed this to count (two standard errors)
    noise_source: Optional[Literal["std", "repeats"]] = None  # cross-validation spread, or repeated evaluations
    repeats: Optional[int] = None  # evaluations of the same decisions the noise was measured on
    exceeds_noise: Optional[bool] = None  # None: noise unknown
    # a run-level diff compares each metric of an experiment with the same cell's experiment on the same model in the
    # other run (rev21: "accuracy: 0.93 -> 0.93 equal" took one accuracy per run across models while LDA's moved):
    # those experiments' ids, the model's class (None: no model recorded) and the cell (0-based) that scored it
    a_experiment: Optional[str] = None
    b_experiment: Optional[str] = None
    model: Optional[str] = None
    cell_index: Optional[int] = None


class StepRef(Wire):
    """A step of one slice, as the walk saw it."""

    seq: int
    cell_id: str
    cell_index: int
    execution_count: Optional[int] = None
    op: Optional[StepOp] = None  # None: a variable the cell wrote that no step names
    variable: Optional[str] = None
    step: Optional[Step] = None  # the step as recorded (with its measured facts)
    label: Optional[str] = None  # the step in one line (render/)


class FactChange(Wire):
    """One measured or recorded fact of a step that differs: rows, cols, nulls, columns_added,
    columns_removed, dtypes, fingerprint, input_file, code, params, model_state."""

    fact: str
    a: Any = None
    b: Any = None
    # the variables of the step it was measured on (a split's four parts differ each in their own rows), [] when
    # it is not a variable's
    variables: list[str] = Field(default_factory=list)


class ValueChange(Wire):
    """A named value that differs between the sides (environment, git, seeds): `a` / `b` None = absent."""

    name: str  # "python", "numpy", "git.commit", "PYTHONHASHSEED", "random_state in train_test_split"
    a: Any = None
    b: Any = None


class DataChange(Wire):
    dataset_id: str
    a: Optional[str] = None  # revision id ("D0001"); None: not read by this side
    b: Optional[str] = None
    sha256_a: Optional[str] = None
    sha256_b: Optional[str] = None
    path_a: Optional[str] = None
    path_b: Optional[str] = None


class CellCodeChange(Wire):
    """A cell of the slices whose code differs (the last version each side ran), matched by cell id."""

    cell_id: str
    change: CodeChangeKind
    cell_index_a: Optional[int] = None
    cell_index_b: Optional[int] = None
    sha256_a: Optional[str] = None
    sha256_b: Optional[str] = None
    diff: str = ""  # unified diff, a -> b


class Cause(Wire):
    """The upstream change that explains a divergence."""

    kind: CauseKind
    cell_id: Optional[str] = None  # the cell whose change it is (feature, code, cell_only_*)
    cell_index: Optional[int] = None
    feature_changes: list[FeatureChange] = Field(default_factory=list)
    diff: Optional[str] = None  # that cell's unified diff
    data: list[DataChange] = Field(default_factory=list)
    seeds: list[ValueChange] = Field(default_factory=list)
    packages: list[ValueChange] = Field(default_factory=list)
    environment: list[ValueChange] = Field(default_factory=list)
    # cell_only_*: the other side is a run that stopped at the error in this cell (0-based) before reaching the cell
    stopped_at_cell_index: Optional[int] = None
    label: Optional[str] = None  # in one line (render/)


class Divergence(Wire):
    """The first step, walking both slices in order, whose data (or, unmeasured, code) differ."""

    kind: DivergenceKind
    a: Optional[StepRef] = None
    b: Optional[StepRef] = None
    differences: list[FactChange] = Field(default_factory=list)
    cause: Cause
    matched_before: int = 0  # steps walked that agreed before it
    label: Optional[str] = None  # in one line (render/)


class ExperimentDiff(Wire):
    """`trackit diff A B --json`: metrics, the first divergent step and its cause, then every difference."""

    format: str = DIFF_FORMAT
    a: DiffSide
    b: DiffSide
    metrics: list[MetricDelta] = Field(default_factory=list)
    divergence: Optional[Divergence] = None  # None: every step walked agreed
    steps_compared: int = 0
    measured: bool = False  # runtime facts were compared (else only code and recorded files)
    feature_changes: list[FeatureChange] = Field(default_factory=list)
    feature_tree: dict[str, Any] = Field(default_factory=dict)  # the same, only differences, as a tree
    # features only cells a stopped run never reached set (DiffSide.stopped_at_cell_index): no decision changed
    features_not_reached: list[FeatureChange] = Field(default_factory=list)
    code_changes: list[CellCodeChange] = Field(default_factory=list)
    data_changes: list[DataChange] = Field(default_factory=list)
    seed_changes: list[ValueChange] = Field(default_factory=list)
    environment_changes: list[ValueChange] = Field(default_factory=list)
    git_changes: list[ValueChange] = Field(default_factory=list)
    text: Optional[str] = None  # the whole diff as `trackit diff` prints it (render/)
    model_note: Optional[str] = None  # a side's model scored without refitting after its data changed (render/)
    # the decisions that changed besides the cause's, which the records cannot split the metrics' move between (render/)
    other_decisions: Optional[str] = None


class DiffParams(Wire):
    a: str  # "E0003", or "run 2" (then notebook_uri)
    b: str
    notebook_uri: Optional[str] = None


HypothesisStatus = Literal["proposed", "testing", "supported", "refuted", "inconclusive"]
Confidence = Literal["high", "medium", "low"]
Verdict = Literal["supports", "refutes", "neutral"]
# why a piece of evidence is less than certain (worded in render/hypotheses.py)
ConfidenceReason = Literal["failed_run", "dirty_worktree", "seeds_differ", "no_seed", "within_noise",
                           "beyond_noise", "repeated", "single_evaluation", "several_changes"]
NoEvidence = Literal["metric_missing", "baseline_metric_missing", "no_baseline", "experiment_missing"]


class HypothesisThresholds(Wire):
    """When evidence supports or refutes, and when a hypothesis has enough of it (the user can set each)."""

    min_effect: float = 0.01  # |normalised delta| from which a difference counts (0.01: 1% of the baseline)
    min_abs_effect: Optional[float] = None  # or an absolute difference in the metric's units, when set
    min_confidence: Confidence = "medium"  # evidence below it is listed but decides nothing
    min_evidence: int = 1  # deciding pieces needed before Supported / Refuted / Inconclusive


class Evidence(Wire):
    """One (hypothesis, experiment, metric): the baseline's value and the experiment's, signed by direction."""

    experiment_id: str
    metric: str
    baseline_id: Optional[str] = None
    baseline_value: Optional[float] = None
    value: Optional[float] = None
    delta: Optional[float] = None  # signed by direction: > 0 is better
    normalized_delta: Optional[float] = None  # delta / |baseline value|
    confidence: Confidence = "high"
    reasons: list[ConfidenceReason] = Field(default_factory=list)
    verdict: Optional[Verdict] = None  # None: no evidence (see missing)
    missing: Optional[NoEvidence] = None
    decides: bool = False  # counts towards the status (confidence >= the threshold)
    label: Optional[str] = None  # in one line (render/)


class Hypothesis(Wire):
    id: str  # "H0002"
    statement: str
    metric: str
    direction: MetricDirection = "unknown"
    baseline: str = "parent"  # parent | root | best | an experiment id
    thresholds: HypothesisThresholds = Field(default_factory=HypothesisThresholds)
    created_at: str
    experiments: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    computed_status: HypothesisStatus = "proposed"  # what the evidence says
    status: HypothesisStatus = "proposed"  # the user's override when set, else computed_status
    status_set_by_user: bool = False
    status_note: Optional[str] = None
    status_set_at: Optional[str] = None


class HypothesesParams(Wire):
    notebook_uri: Optional[str] = None  # only hypotheses linked to this notebook's experiments (None: all)


class HypothesisList(Wire):
    hypotheses: list[Hypothesis] = Field(default_factory=list)


class AddHypothesisParams(Wire):
    statement: str
    metric: str
    direction: Optional[MetricDirection] = None  # None: from the metric's name
    baseline: str = "parent"
    thresholds: Optional[HypothesisThresholds] = None


class HypothesisParams(Wire):
    hypothesis_id: str


class LinkHypothesisParams(HypothesisParams):
    experiment_ids: list[str]
    unlink: bool = False


class SetHypothesisStatusParams(HypothesisParams):
    status: Optional[HypothesisStatus] = None  # None: clear the override (the evidence decides again)
    note: Optional[str] = None


class SetHypothesisThresholdsParams(HypothesisParams):
    thresholds: HypothesisThresholds


AskIntent = Literal["diff", "why_metric", "experiments_using_data", "experiments_using_column", "variable_origin",
                    "column_steps", "dirty_runs", "best_experiment", "list_experiments", "hypotheses", "unknown"]
CitationKind = Literal["experiment", "cell", "step", "dataset", "run"]


class Citation(Wire):
    kind: CitationKind
    experiment_id: Optional[str] = None
    seq: Optional[int] = None
    cell_id: Optional[str] = None
    cell_index: Optional[int] = None
    op: Optional[StepOp] = None
    dataset: Optional[str] = None  # "titanic/passengers.csv@D0002"
    session: Optional[int] = None
    label: Optional[str] = None  # how the answer cites it: "[E0003]", "[cell 11]", "[#24 impute_missing]"


class AskParams(NotebookParams):
    question: str
    provider: Optional[ProviderName] = None  # None: the configured one
    dry_run: bool = False  # with a provider: return what would be sent, send nothing


class AskAnswer(Wire):
    notebook_uri: str
    question: str
    intent: AskIntent
    answer: str  # Markdown, citing experiments, cells and steps
    citations: list[Citation] = Field(default_factory=list)
    provider: str = "builtin"
    model: Optional[str] = None
    records: str = ""  # the retrieved records (redacted) an LLM gets
    prompt: Optional[str] = None  # dry run: exactly what would be sent
    sent: bool = False
    faithfulness: list[str] = Field(default_factory=list)  # problems the check found in an LLM's answer
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- provenance (the editor's data lineage graph)
GraphNodeKind = Literal["source", "step", "variable", "code", "run"]
# failed: its run ended in an error or was interrupted; stale: its cell was edited since (or it used such a
# result); rerun: its cell ran more than once in the session; unknown: read, but never produced in this scope
GraphMark = Literal["failed", "stale", "rerun", "unknown"]


class ProvenanceParams(NotebookParams):
    """How a value was made. No variable and no seq: the last fitted model (else the last variable written)."""

    variable: Optional[str] = None
    session: Optional[int] = None  # the run to answer for; None: the latest one that wrote the variable
    experiment_id: Optional[str] = None  # answer within this experiment's slice (its evaluation by default)
    seq: Optional[int] = None  # the value as it was after this execution; with no variable: this execution


class GraphNode(Wire):
    id: str
    kind: GraphNodeKind
    label: str  # rendered: the variable, the step in words with its effect, the file
    detail: Optional[str] = None  # rendered: "[3] Cell 5", "56.6 KB · sha256 24f24c2b · revision D0002"
    note: Optional[str] = None  # rendered: what the marks mean here ("failed: KeyError", "re-run: run 2 of 3")
    code: Optional[str] = None  # the statement (steps, sources) or the cell's code (variables, code)
    op: Optional[StepOp] = None
    marks: list[GraphMark] = Field(default_factory=list)
    variable: Optional[str] = None  # the value this node is or made (what "Gather code" would recompute)
    seq: Optional[int] = None
    cell_id: Optional[str] = None
    cell_index: Optional[int] = None


class GraphEdge(Wire):
    source: str
    target: str


class ProvenanceGraph(Wire):
    notebook_uri: str
    variable: Optional[str] = None  # what was answered (the default resolved)
    session: Optional[int] = None
    experiment_id: Optional[str] = None
    seq: Optional[int] = None
    target: Optional[str] = None  # the id of the node asked about
    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)
    variables: list[str] = Field(default_factory=list)  # data variables of the scope, for a picker
    truncated: bool = False
    message: Optional[str] = None  # rendered: why the graph is empty or cut


# ---------------------------------------------------------------- reproduce (gather / replay / verify)
class GatherParams(NotebookParams):
    """What to gather: a variable (its value after run `seq`, default its last successful writer), a whole run
    (`seq` alone: everything that run computed), or an experiment's metric run (`experiment_id`, E####)."""

    variable: Optional[str] = None
    seq: Optional[int] = None
    experiment_id: Optional[str] = None


class GatherAnswer(Wire):
    notebook_uri: str
    target: str  # "`model` after run #12"
    notebook: dict[str, Any]  # the gathered notebook (nbformat 4 JSON); code cells carry trackit.origin metadata
    cells: int
    cells_in_session: int
    statements: int
    statements_in_session: int
    notes: list[str] = Field(default_factory=list)


class VerifyParams(GatherParams):
    kernel_name: Optional[str] = None  # default: the recorded kernelspec when installed, else python3
    gathered: Optional[dict[str, Any]] = None  # replay this gathered notebook as is (else gather the target first)


class VerifyCause(Wire):
    kind: str  # input_changed | input_missing | package | missing_package | python | seed_removed | seed_changed |
    #            unseeded | unordered | code_changed | not_gathered | unknown
    text: str


class VerifyDivergence(Wire):
    gathered_cell: int  # 1-based among the gathered notebook's code cells
    cell_id: str  # where the code came from in the recorded notebook
    cell_index: int
    seq: int
    step: Optional[int] = None  # 1-based among the compared steps; None when the cell failed
    variable: Optional[str] = None
    code: Optional[str] = None
    difference: Optional[str] = None
    error: Optional[str] = None
    causes: list[VerifyCause] = Field(default_factory=list)


class VerifyResult(Wire):
    notebook_uri: str
    reproduced: bool
    message: str  # "reproduced ✓ (12 of 12 steps match)" or the first divergence and its likely cause
    steps: int = 0
    matched: int = 0
    divergence: Optional[VerifyDivergence] = None
    unverified: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    kernel_name: Optional[str] = None
    seconds: float = 0.0


class DatabaseError(Wire):
    """The database stopped taking captures (damaged, read-only, a failing disk). Sent once; captures are
    kept on disk meanwhile. The editor offers "Repair database" (`trackit doctor --repair`)."""

    message: str
    db_path: str
