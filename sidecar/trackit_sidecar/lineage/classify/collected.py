"""Results collected into a list in a loop (`scores = []`, then `scores.append(acc)` per fold or per setting).

An empty list is values written in the code (`LITERAL_MARKER`: wrapped in a table it is data built in code, a
`load`). Once a model's results are appended to it, it holds those results instead:

- a list filled with evaluations (`accuracies.append(acc)`) holds evaluations, so the mean kept of it is the metric
  reported (CONVENTIONS 7, 27: "CV results"), as `np.mean(cross_val_score(...))` is;
- a list filled with rows that carry results (`results.append((C, avg_acc))`) is no longer data written in the
  code: wrapping it in a table is a conversion of an existing object (CONVENTIONS 12: `other`), not a `load`.

And results written into an empty table column by column (`res = pd.DataFrame()`, `res["Model"] = ["a", "b"]`,
`res["R2"] = [r2_a, r2_b]`): the table is one results table, an evaluate (CONVENTIONS 27: "assigned summary_frame() /
results tables"), not one derived column per list (`results_table_built_by_column`).
"""

from __future__ import annotations

import ast

from ..kb import models as kb_models
from ..kb import sources as kb_sources
from .loop_bindings import LABEL_LOOP_KEY
from .env_markers import ANSWER_MARKER, COLUMN_LABELS, DICT_MARKER, LITERAL_MARKER, WRITTEN_VALUES_MARKER
from .results_records import RESULTS_RECORD
from .results import EVALUATED, PREDICTED, ROLE, SIMULATED  # SIMULATED: statistics of draws collected in a loop
from .sources import is_literal_data, parameters_read
from .values import MARKER, answer_source_key, str_const, str_list

COLLECTING_METHODS = frozenset({"append", "extend", "insert"})
ROW_ROLES = f"{MARKER}row_roles:"  # + name: places of the collected rows that hold evaluations ("1,2,3,4")


class CollectedResultRules:
    """Mixin of `Cell`."""

    env: dict[str, str]
    roles_bound: bool

    def collect_results(self, call: ast.AST) -> None:
        """After `name.append(value)` as a statement: what `name` holds now (see the module's doc)."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in COLLECTING_METHODS and call.args):
            return
        if self._collects_into_dict_entry(call.func.value, call.args[-1]):
            return
        if not isinstance(call.func.value, ast.Name):
            return
        name, value = call.func.value.id, call.args[-1]
        if isinstance(value, ast.Name) and self.env.get(LABEL_LOOP_KEY + value.id) \
                and self.env.get(name) in (LITERAL_MARKER, COLUMN_LABELS):
            # for col in X.columns: if X[col].isnull().sum() > 0: cols.append(col): the list holds column labels
            # (CONVENTIONS 15: column-name lists, also when computed, are no step)
            self.env[name] = COLUMN_LABELS
            return
        roles = self.roles_in(value)  # type: ignore[attr-defined]
        if not roles & {EVALUATED, PREDICTED}:
            read = parameters_read(value)
            if self.env.get(name) in (LITERAL_MARKER, WRITTEN_VALUES_MARKER) and isinstance(read, ast.Attribute) \
                    and read.attr in kb_models.PARAMETER_ATTRIBUTES and self._around_a_model(read.value):  # type: ignore[attr-defined]
                # coeffs.append(ff_model.params) per rolling window: the list holds a model's parameters, and a table
                # built only from them is no step (CONVENTIONS 27), as importances = forest.feature_importances_ is
                self.env[name] = ANSWER_MARKER
                return
            if self.env.get(name) in (LITERAL_MARKER, WRITTEN_VALUES_MARKER) and (
                    self._computed_from_data(value) or self._row_read_from_data(value)):
                # p_diffs.append(new_draw.mean() - old_draw.mean()) in a loop: the list holds values computed each
                # time, no longer values written in the code, so np.array(p_diffs) converts it (CONVENTIONS 12)
                del self.env[name]
                if self._from_draws(value):
                    # ... a statistic of random draws each time: the statistic simulated (under a null hypothesis),
                    # so the share of it beyond the observed value is a p-value (results.py)
                    self.env[SIMULATED + name] = "1"
            return
        if self.env.get(name) in (LITERAL_MARKER, WRITTEN_VALUES_MARKER):
            del self.env[name]  # results.append((C, avg_acc)): results collected, not values written in the code
        if isinstance(value, ast.Tuple):
            # scores.append((t, tp, fp, fn, tn)): which places of each row hold evaluations (the confusion counts);
            # the columns named there later hold them too (name_row_columns), so tp / (tp + fn) evaluates
            places = [str(i) for i, item in enumerate(value.elts)
                      if isinstance(item, ast.Name) and self.env.get(ROLE + item.id) == EVALUATED]
            if places:
                self.env[ROW_ROLES + name] = ",".join(places)
        if isinstance(value, ast.Name) and self.env.get(RESULTS_RECORD + value.id):
            # rows.append(result), a results row kept under a name: as the row written in the call (results_records)
            return
        evaluation = self.env.get(ROLE + value.id) == EVALUATED if isinstance(value, ast.Name) else \
            [op.op for op in self.expr(value).ops][-1:] == ["evaluate"]  # type: ignore[attr-defined]
        if evaluation and self.env.get(ROLE + name, EVALUATED) == EVALUATED:
            # accuracies.append(acc), accs.append(accuracy_score(y, y_pred)): the list holds evaluations (read off a
            # name if `acc` was)
            self.set_role(name, EVALUATED, from_name=self.role_from_name_in(value))  # type: ignore[attr-defined]

    def _collects_into_dict_entry(self, holder: ast.AST, value: ast.AST) -> bool:
        """`results["accuracy"].append(accuracy_score(y_te, pred))` into `results = {"model": [], "accuracy": []}`:
        the dict written in the code now holds a model's results, so a table made of it (`pd.DataFrame(results)`)
        converts it (CONVENTIONS 12: `other`), as a list of collected rows is, not data built in code (`load`). Other
        values collected so (`wiki_dict["text"].append(text)` after a page is read) leave it the table's source. True
        when `holder` is such an entry (whatever it collects)."""
        if not (isinstance(holder, ast.Subscript) and isinstance(holder.value, ast.Name)
                and self.env.get(holder.value.id) == DICT_MARKER):
            return False
        if self.roles_in(value) & {EVALUATED, PREDICTED}:  # type: ignore[attr-defined]
            del self.env[holder.value.id]
        return True

    def _from_draws(self, value: ast.AST) -> bool:
        """The value reads a name this cell bound to a random draw or a resample (`np.random.choice`, `df.sample`), or
        to a test statistic computed from one (`ttest_ = ttest_ind(D_null[:n], D_null[n:])` after
        `rng.shuffle(D_null)`; `Tnull[b] = ttest_.statistic`)."""
        read = {sub.id for sub in ast.walk(value) if isinstance(sub, ast.Name)}
        steps = self.steps  # type: ignore[attr-defined]
        drawn = {step.output for step in steps if step.op == "sample" or (
            step.op == "load" and step.method in kb_sources.RANDOM_DRAWS | kb_sources.DRAWS_FROM_VALUES)}
        # perm_rate1 = pooled[:n1].mean() after rng.shuffle(pooled): a number computed from the draw
        sources = {source for name in read for source in self.env.get(answer_source_key(name), "").split(",") if source}
        return bool((read | sources) & drawn) or any(
            step.output in read and step.op == "evaluate" and set(step.inputs) & drawn for step in steps)

    def collect_by_position(self, target: ast.AST, value: ast.AST) -> None:
        """`Tnull[b] = ttest_.statistic` in a loop, into `Tnull = np.empty(B)`: an array filled by position with a
        statistic of a random draw or resample each time holds the statistic simulated (under a null hypothesis), as
        a list appended to does (collect_results), so the share of it beyond the observed value is a p-value."""
        if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                and target.value.id in self.filled_by_position):  # type: ignore[attr-defined]
            return
        if isinstance(value, (ast.BinOp, ast.Call, ast.UnaryOp, ast.Attribute)) and not is_literal_data(value) \
                and self._from_draws(value):
            self.env[SIMULATED + target.value.id] = "1"

    def carry_simulated(self, name: str, value: ast.AST) -> None:
        """p_diffs = np.array(p_diffs): the simulated statistics converted are still them; bound to anything else,
        the name no longer holds them."""
        wrapped = value.args[0] if isinstance(value, ast.Call) and len(value.args) == 1 else None
        if not (isinstance(wrapped, ast.Name) and self.env.get(SIMULATED + wrapped.id)):
            self.env.pop(SIMULATED + name, None)
        else:
            self.env[SIMULATED + name] = "1"

    def carry_row_roles(self, name: str, value: ast.AST) -> None:
        """`df_scores = pd.DataFrame(scores)` (or with `columns=[...]`): the table of the collected rows keeps which
        places hold evaluations; named by `columns=`, those columns hold them now."""
        self.env.pop(ROW_ROLES + name, None)
        if not (isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Name)):
            return
        places = self.env.get(ROW_ROLES + value.args[0].id)
        if not places:
            return
        self.env[ROW_ROLES + name] = places
        columns = next((k.value for k in value.keywords if k.arg == "columns"), None)
        if columns is not None:
            self.name_row_columns(name, columns)

    def name_row_columns(self, name: str, labels: ast.AST) -> None:
        """`df_scores.columns = ["threshold", "tp", "fp", "fn", "tn"]`: the columns at the places that hold
        evaluations hold them (CONVENTIONS 27: confusion counts are evaluations; what is computed from them too)."""
        places = self.env.get(ROW_ROLES + name)
        names = str_list(labels)
        if not places or names is None:
            return
        for place in places.split(","):
            if int(place) < len(names):
                self.env[f"{ROLE}col:{names[int(place)]}"] = EVALUATED
                self.roles_bound = True

    def _computed_from_data(self, value: ast.AST) -> bool:
        """`a.mean() - b.mean()`, `np.std(sample)`: one value computed from data (or a draw), not a literal, a plain
        name appended as it is, nor a row of values (`{"scenario": s, "impact": shock * value}`, `(year, month)`: rows
        of a table written in the code, wrapped later they are data built in code, a load)."""
        if not isinstance(value, (ast.BinOp, ast.Call, ast.UnaryOp)) or is_literal_data(value):
            return False
        return any(isinstance(sub, ast.Name) and self._is_data(sub.id)  # type: ignore[attr-defined]
                   for sub in ast.walk(value))

    def _row_read_from_data(self, value: ast.AST) -> bool:
        """`{"id": p["workerId"], "n": len(p["data"])}` per participant of data read before, `(r["a"], r["b"] * 2)`
        per row of a frame: a row whose values are read out of the data, so the list holds existing data and a table
        made of it converts it (CONVENTIONS 12: `other`), where a row of values written in the code (`{"scenario": s,
        "impact": shock * 1000}`) stays data built in code (a load)."""
        if isinstance(value, ast.Dict):
            items = value.values
        elif isinstance(value, (ast.Tuple, ast.List)):
            items = value.elts
        else:
            return False
        return any(self._reads_known_data(sub) for item in items if item is not None for sub in ast.walk(item))

    def _reads_known_data(self, node: ast.AST) -> bool:
        """`p["workerId"]`: a field read out of a record by its name; `subdata.shape[0]`, `np.nanmean(d.rt)`: a name
        known to hold a frame or an array. (A name of unknown kind, a loop variable over values written in the code,
        is not enough.)"""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and str_const(node.slice) is not None:
            return True
        if not isinstance(node, ast.Name):
            return False
        kind = self.resolve_name(node.id)  # type: ignore[attr-defined]
        return kind is not None and self._is_data(node.id)  # type: ignore[attr-defined]

    def results_table_built_by_column(self, tree: ast.Module) -> None:
        """res = pd.DataFrame(); res["Model"] = [...]; res["R2"] = [r2_a, r2_b]: when a column written into a table
        the cell made empty holds evaluations, the table is one results table: one evaluate where the first
        evaluations are written, and the other columns (names, sizes, more metrics) are part of it."""
        steps = self.steps  # type: ignore[attr-defined]
        for stmt in tree.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and isinstance(stmt.value, ast.Call) and not stmt.value.args and not stmt.value.keywords
                    and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr in EMPTY_TABLES):
                continue
            name = stmt.targets[0].id
            writes = [node for node in tree.body if isinstance(node, ast.Assign) and len(node.targets) == 1
                      and isinstance(node.targets[0], ast.Subscript) and isinstance(node.targets[0].value, ast.Name)
                      and node.targets[0].value.id == name and isinstance(node.value, (ast.List, ast.Tuple))
                      and node.lineno > stmt.lineno]
            holding = [node for node in writes if EVALUATED in self.roles_in(node.value)]  # type: ignore[attr-defined]
            if not holding:
                continue
            lines = {line for node in writes for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
            first = holding[0].lineno
            kept: list = []
            for step in steps:
                if step.output == name and step.line in lines:
                    if step.line == first and not any(s.output == name and s.op == "evaluate" for s in kept):
                        step.op = "evaluate"
                        kept.append(step)
                    continue
                kept.append(step)
            steps[:] = kept
            self.set_role(name, EVALUATED)  # type: ignore[attr-defined]


# constructors of an empty table to fill column by column
EMPTY_TABLES = frozenset({"DataFrame"})
