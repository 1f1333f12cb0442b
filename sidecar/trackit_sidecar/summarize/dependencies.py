"""The summary's "What the final variables depend on" section: each final data object or model, what
it is, where it was last set and which earlier cells it was built from."""

from __future__ import annotations

from typing import Optional

from ..lineage.measured import written_names
from ..protocol import ExecutionRecord
from ..render.formula_fits import fitted_estimator
from ..render.model_phrases import predict_model_and_data
from ..render.words import code, names
from .session_view import SessionView, cell_number, cite, upstream_seqs

MAX_DEPENDENCY_GROUPS = 15


# rank of a final variable in "What the final variables depend on": the model and what it was fitted
# on come first, then the held-out data, predictions and metrics, then other data, then the rest
RANK_MODEL, RANK_FIT_DATA, RANK_TEST_DATA, RANK_PREDICTIONS, RANK_METRIC, RANK_DATA, RANK_OTHER = range(7)


def _variable_roles(view: SessionView) -> tuple[dict[str, int], dict[str, str]]:
    """(name -> rank, model name -> estimator class).

    What a variable *is* comes from the latest step that wrote it (a `df` once fitted on is not a
    model); what it is *for* from every step that read it (the lowest rank wins: `X_train` is the
    model's training data even though a split made it).
    """
    made: dict[str, int] = {}
    used: dict[str, int] = {}
    estimators: dict[str, str] = {}

    def read(name: Optional[str], rank: int) -> None:
        if name and rank < used.get(name, RANK_OTHER):
            used[name] = rank

    def wrote(name: Optional[str], rank: int) -> None:
        if name:
            made[name] = rank
            estimators.pop(name, None)

    for rec in view.executions:
        for fact in rec.runtime:
            if fact.variable and fact.kind:
                read(fact.variable, RANK_DATA)  # the kernel measured it: a data object
        for step in rec.steps:
            if step.in_function:
                continue  # names the function's locals (islr chapter 4's `KNN` fitting its own `clf`), not the notebook's
            if step.op == "fit_model":
                wrote(step.output, RANK_MODEL)
                if step.output and fitted_estimator(step):
                    estimators[step.output] = fitted_estimator(step)
                for name in step.inputs:
                    read(name, RANK_FIT_DATA)
            elif step.op == "predict":
                wrote(step.output, RANK_PREDICTIONS)
                for name in predict_model_and_data(step)[1]:
                    read(name, RANK_TEST_DATA)
            elif step.op == "evaluate":
                wrote(step.output, RANK_METRIC)
                for name in step.inputs:
                    read(name, RANK_TEST_DATA)
            elif step.op != "other":
                wrote(step.output, RANK_DATA)
                for name in step.inputs:
                    read(name, RANK_DATA)
        # a model a fit wrote, bound again by a statement no step describes, is no fitted model any more (07
        # cross-validation, cell 30: `knn = KNeighborsClassifier(n_neighbors=13)` scored by `cross_val_score`, which
        # fits clones, read "`knn` (fitted `KNeighborsClassifier`): last set in [cell 30]")
        described = {name for step in rec.steps if not step.in_function for name in (*step.outputs, step.output)}
        for name in rec.writes:
            if made.get(name) == RANK_MODEL and name not in described:
                wrote(name, RANK_OTHER)
    ranks = {name: min(made.get(name, RANK_OTHER), used.get(name, RANK_OTHER)) for name in set(made) | set(used)}
    return ranks, estimators


def _what_it_is(name: str, rank: int, estimators: dict[str, str], writer: ExecutionRecord) -> str:
    """"fitted `LogisticRegression`" / "DataFrame, 666 rows × 9 columns": only what was recorded."""
    if rank == RANK_MODEL:
        return f"fitted {code(estimators[name])}" if name in estimators else "fitted model"
    # only the last writer's measurement describes the final value (later cells may merely read it)
    measured = [f for f in writer.runtime if f.variable == name]
    measured += [s.runtime for s in writer.steps if s.runtime is not None and s.runtime.variable == name]
    if not measured:
        return ""
    fact = measured[-1]
    # the shape as pandas users write it (rows × columns); a 1-D object has a length
    kind = fact.kind or ""
    if fact.rows_after is not None and fact.cols_after is not None:
        return f"{kind} {fact.rows_after:,} \u00d7 {fact.cols_after:,}".strip()
    if fact.rows_after is not None:
        return f"{kind} of length {fact.rows_after:,}" if kind else f"{fact.rows_after:,} rows"
    return kind


def variable_upstream(view: SessionView, name: str, rec: ExecutionRecord) -> Optional[list[int]]:
    """Seqs of the executions the value of `name` set by `rec` was computed from, via `derivations`.

    Finer than the cell-level parents (`fares = pd.read_csv(...)` in a cell that also reads `df`
    does not depend on `df`). None when `rec` recorded no derivation for the name: the caller then
    falls back to the cell's parents.
    """
    if name not in rec.derivations:
        return None
    position = {r.seq: i for i, r in enumerate(view.executions)}
    found: set[int] = set()
    seen: set[tuple[str, int]] = set()

    def previous_writer(source: str, before: ExecutionRecord) -> Optional[ExecutionRecord]:
        for earlier in reversed(view.executions[:position[before.seq]]):
            if source in written_names(earlier):
                return earlier
        return None

    def visit(variable: str, writer: ExecutionRecord) -> None:
        if (variable, writer.seq) in seen:
            return
        seen.add((variable, writer.seq))
        sources = writer.derivations.get(variable)
        if sources is None:  # no finer record: everything the writing cell depended on
            found.update(upstream_seqs(view, writer.seq))
            return
        for source in sources:
            if source in writer.writes:
                if source != variable:
                    visit(source, writer)  # set earlier in the same cell
                # the value before this cell counts only when the cell read it before binding it: a derivation
                # joins a cell's statements, so `X = load(); X = add_constant(X)` lists `X` among its own sources
                # (statsmodels ols, cell 37, read "`X`: built from [cells 13, 21]", the `X` it replaced)
                if source not in writer.reads:
                    continue
            earlier = previous_writer(source, writer)
            # a module is not data; a function the cell called is code the value was made with (case1 bike count's
            # `df2023 = process_bike_count_data(df_raw)` "depends on no earlier cell" beside the tree's "<- cell 28")
            if earlier is not None and earlier.code_names.get(source) != "module":
                found.add(earlier.seq)
                visit(source, earlier)

    visit(name, rec)
    return sorted(found)


def dependencies(view: SessionView) -> list[str]:
    """One line per final data object or model, most important first; imports and functions left out."""
    last_writer: dict[str, ExecutionRecord] = {}
    order: dict[str, int] = {}
    for rec in view.executions:
        for name in written_names(rec):
            last_writer[name] = rec
            order[name] = len(order) if name not in order else order[name]
    variables = [n for n, rec in last_writer.items() if n not in rec.code_names]
    ranks, estimators = _variable_roles(view)

    def importance(name: str) -> tuple:
        rank = ranks.get(name, RANK_OTHER)
        if rank == RANK_DATA or rank == RANK_OTHER:
            return (rank, -last_writer[name].seq, order[name])  # the latest-built data first
        return (rank, order[name])

    variables.sort(key=importance)
    main = [n for n in variables if ranks.get(n, RANK_OTHER) < RANK_OTHER]
    rest = [n for n in variables if ranks.get(n, RANK_OTHER) == RANK_OTHER]
    lines = []
    for name in main[:MAX_DEPENDENCY_GROUPS]:
        rec = last_writer[name]
        seqs = variable_upstream(view, name, rec)
        if seqs is None:
            seqs = upstream_seqs(view, rec.seq)
        ups = [view.by_seq[s] for s in seqs if s in view.by_seq]
        up_cells = sorted({cell_number(r) for r in ups} - {cell_number(rec)})
        built = f"built from {cite(up_cells)}" if up_cells else "depends on no earlier cell"
        what = _what_it_is(name, ranks.get(name, RANK_OTHER), estimators, rec)
        label = f"{code(name)} ({what})" if what else code(name)
        lines.append(f"{label}: last set in {cite([rec])}, {built}.")
    if len(main) > MAX_DEPENDENCY_GROUPS:
        lines.append(f"Further data objects set earlier are omitted here {cite([last_writer[n] for n in main[MAX_DEPENDENCY_GROUPS:]])}.")
    if rest:
        lines.append(f"Other variables: {names(rest, count_total=False)} {cite([last_writer[n] for n in rest])}.")
    return lines
