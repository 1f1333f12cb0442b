"""Expression statements (`df.head()`, `print(acc)`, `frames.append(...)`, `df.insert(...)`): which of their ops
stay steps once what is only shown is set aside."""

from __future__ import annotations

import ast
from typing import Optional

import re

from .. import kb
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from .chained_fits import with_transforms_fitted_here
from .env_markers import BUILDS_TABLE, FRAME_CLASSES, WRITTEN_CONTAINERS
from .moved_columns import moved_column_frame
from .shuffled_positions import is_shuffle_of
from .result_shapes import reexpressed_result
from .values import Op, Val, answer_source_key, chain_root, duplicates_key, instance_class, str_const

FORECAST_LIST = re.compile(kb_models.FORECAST_LIST_NAME)


def read_into_container(ops: list[Op]) -> list[Op]:
    """The reads of files and data sets (not generated draws) among `ops`, with what is done to them on the way
    (`frames.append(pd.read_csv(p).dropna())`): kept in a list or dict, they are data the analysis goes on with."""
    reads = [i for i, op in enumerate(ops) if op.op == "load" and not op.facts.get("generated")]
    return ops[reads[0]:] if reads else []


def drawn_into_container(ops: list[Op]) -> list[Op]:
    """The one draw of generated data that `ops` are (`sims.append(np.random.binomial(n, p))`, `sims.append(gen(p))`
    with `gen` a function that returns what it drew): appended in a loop to an empty list, the list holds data created
    in code, the `load` that `[gen(p) for p in priors]` is (what-is-a-step.md, Sources: "synthetic data (`np.random.*`
    arrays, ... a user function that returns generated data)"). A statistic of a draw (`boot.append(np.random.choice(x,
    n).mean())`) is more than the draw, and stays the collected statistic (collected.py); [] then."""
    if len(ops) == 1 and ops[0].op == "load" and ops[0].facts.get("generated"):
        return list(ops)
    return []


class ExpressionStatementRules:
    """Mixin of `Cell` (through `StatementWalker`): bare expressions, shown or not."""

    env: dict[str, str]

    def derived_into_container(self, value: ast.AST, val: Val) -> list[Op]:
        """A feature computed from data (`s.shift(L)`, `df[c].rolling(7).mean().rename(n)`, `df.a / df.b`; not an
        answer, not values drawn or written in the code) kept in a list or dict the notebook fills (`feats[f"{c}_lag{L}"]
        = s.shift(L)`, `lags.append(df.v.shift(L))`) to put side by side later: the feature is derived where it is
        written, as in `df[f"lag{L}"] = s.shift(L)` (CONVENTIONS 22: shift, rolling are derive_feature; 19: arithmetic
        derives; what-is-a-step.md, Granularity: a statement inside a loop counts once, where it is written). Its ops,
        else []."""
        ops = list(val.ops)
        if val.answer or any(op.facts.get("generated") or op.facts.get("method") in kb_numpy.PRODUCT_FUNCTIONS
                             for op in ops):
            return []
        if not ops and isinstance(value, ast.BinOp) and not self.assigns_a_mask(value) \
                and len(val.columns) >= 2 and val.inputs and all(  # type: ignore[attr-defined]
                    (instance_class(self.resolve_name(name)) or "").startswith(FRAME_CLASSES)  # type: ignore[attr-defined]
                    for name in val.inputs):
            # two columns of frames combined (`df["a"] / df["b"]`); tallies kept by key in dicts of counts
            # (`tps[action] / (tps[action] + fps[action])`, a metric computed by hand) are no columns of data
            return [Op("derive_feature", list(val.inputs), list(val.columns), facts={"method": "arithmetic"})]
        derived = any(op.op == "derive_feature" and op.inputs for op in ops)
        return ops if derived and all(op.op in kb.FEATURE_CHAIN_OPS for op in ops) else []

    def note_duplicates_looked_at(self, node: ast.AST) -> None:
        """`df2[df2.duplicated(["user_id"], keep=False)]`, `df2[df2.user_id.duplicated()]` (a bare expression): the
        notebook showed the repeated rows of `df2` themselves, so `df2.drop(2893)` after it removes one of them
        (library_methods). A count of them (`df.duplicated().sum()`, often 0) and repeated column labels
        (`df.columns.duplicated()`) show no row to drop."""
        for sub in ast.walk(node):
            if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name)):
                continue
            for test in ast.walk(sub.slice):
                if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) \
                        and test.func.attr == "duplicated" and chain_root(test.func.value) == sub.value.id \
                        and not (isinstance(test.func.value, ast.Attribute)
                                 and test.func.value.attr in ("columns", "index")):
                    self.env[duplicates_key(sub.value.id)] = "1"

    def bare(self, node: ast.AST, stmt: ast.stmt) -> None:
        moved = moved_column_frame(node)
        if moved is not None:
            # df.insert(0, "year", df.pop("year")): the column moved, the frame's columns reordered (moved_columns.py)
            self.emit([Op("other", [moved], [], None, facts={"method": "insert"})], stmt, output=moved)  # type: ignore[attr-defined]
            return
        inserted = self._inserted_column(node)
        if inserted is not None:
            # df.insert(0, "c", df.a * 2): a column put into the frame, as df["c"] = df.a * 2 (CONVENTIONS 19)
            self.column_assign(inserted[0], inserted[1], self.expr(inserted[1]), stmt)
            return
        updated = self._updated_from_itself(node)
        if updated is not None:
            # features.update(features[numerics].fillna(0)): the frame's own columns, changed, written back into it; the
            # change is the step and the frame its output, as features[numerics] = features[numerics].fillna(0) is
            # (CONVENTIONS 19: a column assignment takes the op of its calculation; 18: the selection is only its operand)
            self.emit([op for op in self.expr(updated).ops if op.op != "select_columns"], stmt,
                      output=node.func.value.id)  # type: ignore[attr-defined]
            return
        if isinstance(node, ast.Tuple) and len(node.elts) > 1 and all(self._evaluates(e) for e in node.elts):
            # np.mean(pred == y), np.mean(pred != y) shown: metrics in a tuple of separate expressions, one step per
            # expression (CONVENTIONS 17, 7), not one metric of the same data (emit merges those within one expression)
            for element in node.elts:
                self.bare(element, stmt)
            return
        if is_shuffle_of(node, self.env):
            return  # np.random.shuffle(idx) of positions made to be shuffled: the order, no step yet (shuffled_positions.py)
        val = self.expr(node)
        # df.head() / df["x"].describe() / print(df.value_counts()) only show data; an inplace call
        # (its op has an output) still changes its receiver and stays a step
        ops = [op for op in val.ops if not ((op.display or op.conversion or op.facts.get("result_table"))
                                             and op.output is None)]  # print(res.summary_frame()) only shows
        ops = self._without_unapplied_group(ops, val)
        shown = node.args[0] if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("print", "display") and len(node.args) == 1 else node
        if isinstance(shown, ast.Call) and isinstance(shown.func, ast.Attribute) \
                and shown.func.attr in kb.INSPECTION_METHODS and shown.func.attr not in ("head", "tail") \
                and not self._describes_groups(shown.func):
            # pd.concat([df.a, df.b], axis=1).corr(), df.merge(o).describe(): the table is made to be looked at, the
            # answer shown is the inspection's (CONVENTIONS 6: shown describe / value_counts / corr are inspection)
            ops = self.kept_anywhere(ops)
        # print(...) shows its arguments; scores.append((acc - acc_shuffled) / acc) keeps what it computes
        shows = list(node.args) if isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Name) and node.func.id in ("print", "display"))
            or (isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend"))) else [node]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "display"):
            # print(f"accuracy {hits / total:.1%}"), print(templ.format(k, hits / total)): a message shows the values
            # put into it, so a metric computed there is printed (CONVENTIONS 7)
            shows = [value for shown_value in shows for value in self._message_values(shown_value)]
        for shown_value in shows:
            if reexpressed_result(shown_value):
                # print(100 * acc), mse.append(-score): a metric kept earlier, shown in percent or its sign undone
                # (scikit-learn's `neg_` scorers), is the same evaluation shown or collected again, as `print(acc)`
                # is, no new one (CONVENTIONS 7: the evaluation counts where it is computed; 27: arithmetic on literal
                # numbers is no step). Kept under a name of its own (`mse_scores = -scores`) it stays an evaluate
                continue
            shown_val = self.expr(shown_value)
            ops = self._with_result_op(ops, shown_value, Val(inputs=shown_val.inputs, answer=shown_val.answer))
        kept = self.bare_ops(ops, self.is_shown(stmt, node), val.answer, self._calls_a_table_builder(shown))
        forecast_of = self._statistic_forecast(node) if not kept else None
        if forecast_of is not None:
            self.emit([Op("predict", forecast_of, [], None,
                          facts={"method": "naive_forecast", "inferred_from": "variable_name"})], stmt,
                      output=node.func.value.id)  # type: ignore[attr-defined]
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend"):
            kept = with_transforms_fitted_here(kept, ops)  # res.append(KMeans(k).fit(X).transform(X))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and not kept:
            # frames.append(pd.read_csv(path)) in a loop: each file read is kept in the list the analysis goes on with
            # (what-is-a-step.md: reading a file is a load, counted once where it is written)
            kept = read_into_container(ops)
            if not kept and isinstance(node.func.value, ast.Name) \
                    and self.env.get(node.func.value.id, "").startswith(WRITTEN_CONTAINERS) and len(node.args) == 1:
                appended = self.expr(node.args[0])
                kept = self.derived_into_container(node.args[0], appended) \
                    or drawn_into_container(appended.ops)  # lags.append(s.shift(L)); sims.append(gen(p))
                window_of = self._window_statistic(node) if not kept else None
                if window_of is not None:
                    # mean_func.append(np.mean(process[:i])) in a loop: the running mean built by hand, a derived
                    # series (CONVENTIONS 22: rolling, cumsum are derive_feature), not one number (CONVENTIONS 9)
                    kept = [Op("derive_feature", [window_of], [], None, facts={"method": "window_statistic"})]
                if kept:
                    self.env.pop(node.func.value.id)  # it holds data now, not values written in the code
            if kept and isinstance(node.func.value, ast.Name):
                self.emit(kept, stmt, output=node.func.value.id)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and isinstance(node.func.value, ast.Name):
            self.keeps_results_in(node.func.value.id, [op.op for op in kept], stmt)  # accs.append(accuracy_score(...))
        self.emit(kept, stmt)

    def _window_statistic(self, node: ast.Call) -> Optional[str]:
        """`means.append(np.mean(data[:i]))`, `res.append(np.var(x[i - w:i]))`, `out.append(s[:i + 1].mean())`: one
        statistic of a window of the series whose bound moves with a name (the loop's position), put into a list
        that is not named for a forecast (those are `_statistic_forecast`'s). The series' name, else None."""
        if FORECAST_LIST.match(node.func.value.id):  # type: ignore[attr-defined]
            return None
        value = node.args[0]
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr in kb_numpy.WINDOW_STATISTICS):
            return None
        if len(value.args) == 1 and not value.keywords and isinstance(value.func.value, ast.Name) \
                and self.env.get(value.func.value.id) == "numpy":
            window = value.args[0]  # np.mean(data[:i])
        elif not value.args and not value.keywords:
            window = value.func.value  # data[:i].mean()
        else:
            return None
        if not (isinstance(window, ast.Subscript) and isinstance(window.slice, ast.Slice)
                and isinstance(window.value, ast.Name)):
            return None
        bounds = [b for b in (window.slice.lower, window.slice.upper) if b is not None]
        moving = bounds and all(any(isinstance(sub, ast.Name) for sub in ast.walk(b)) for b in bounds)
        return window.value.id if moving else None

    def _statistic_forecast(self, node: ast.AST) -> Optional[list[str]]:
        """`pred_mean.extend(mean for _ in range(window))`, `pred_last.append(last_value)` after `mean =
        np.mean(df[:i].values)`: a statistic of the data put into a list named for a forecast (kb.models
        FORECAST_LIST_NAME), the same value for each step of the window, is a naive forecast (CONVENTIONS 26); the data
        names it was computed from, else None."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("append", "extend") and isinstance(node.func.value, ast.Name)
                and FORECAST_LIST.match(node.func.value.id) and len(node.args) == 1):
            return None
        value = node.args[0]
        if node.func.attr == "extend":
            if isinstance(value, (ast.GeneratorExp, ast.ListComp)):
                value = value.elt
            elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult) and isinstance(value.left, ast.List) \
                    and len(value.left.elts) == 1:
                value = value.left.elts[0]  # [mean] * window
            else:
                return None
        if not isinstance(value, ast.Name):
            return None
        source = self.env.get(answer_source_key(value.id))
        return source.split(",") if source else None

    @staticmethod
    def _updated_from_itself(node: ast.AST) -> Optional[ast.AST]:
        """The value of `df.update(df[cols].fillna(0))`: a frame updated with what is computed from its own columns
        (pandas' DataFrame.update writes the argument's non-missing values into the frame), else None. A dict's
        `d.update(other)` is not computed from `d` itself."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                and isinstance(node.func.value, ast.Name) and len(node.args) == 1 and not node.keywords):
            return None
        value = node.args[0]
        return value if isinstance(value, ast.Call) and chain_root(value) == node.func.value.id else None

    def _inserted_column(self, node: ast.AST) -> Optional[tuple[ast.Subscript, ast.AST]]:
        """`df.insert(loc, column, value)` on a pandas frame: the target `df[column]` and the value, else None."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "insert"
                and isinstance(node.func.value, ast.Name)):
            return None
        if not (instance_class(self.resolve_name(node.func.value.id)) or "").startswith("pandas.DataFrame"):
            return None
        given = dict(zip(("loc", "column", "value"), node.args)) | {k.arg: k.value for k in node.keywords if k.arg}
        if "column" not in given or "value" not in given:
            return None
        target = ast.copy_location(ast.Subscript(value=node.func.value, slice=given["column"], ctx=ast.Store()), node)
        return target, given["value"]

    def _message_values(self, node: ast.AST) -> list[ast.AST]:
        """The values a formatted message shows (`f"{v:.2f}"`, `"%.2f" % v`, `"{}".format(v)`, `templ.format(v)`), else
        the node itself."""
        if isinstance(node, ast.JoinedStr):
            return [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and str_const(node.left) is not None:
            return list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and (str_const(node.func.value) is not None
                     or (isinstance(node.func.value, ast.Name) and not self._holds_a_table(node.func.value.id))):
            return list(node.args) + [keyword.value for keyword in node.keywords]
        return [node]

    def _holds_a_table(self, name: str) -> bool:
        """The name is known to hold a frame or an array (a message template is not bound to anything we track)."""
        cls = instance_class(self.resolve_name(name))
        return bool(cls) and cls.split(".", 1)[0] in kb.DATA_LIBRARIES

    def _evaluates(self, node: ast.AST) -> bool:
        """The expression computes a metric: a metric call, or one computed by hand from a model's results."""
        return self.result_op(node) == "evaluate" or any(op.op == "evaluate" for op in self.expr(node).ops)

    def _describes_groups(self, func: ast.Attribute) -> bool:
        """`grouped.describe` / `df.groupby("k")["v"].describe`: a table of statistics per group, an aggregate
        (kb.pandas.GROUP_TABLE_INSPECTIONS)."""
        return func.attr in kb_pandas.GROUP_TABLE_INSPECTIONS \
            and (self.expr(func.value).kind or "").startswith("grouped")

    def _calls_a_table_builder(self, node: ast.AST) -> bool:
        """count_cycles(df.loc[...].loc[...]) where `def count_cycles(df): return df.groupby(...)...sum()`: what is
        shown is the new table the notebook's function builds (CONVENTIONS 6), not the argument looked at; the
        function's call itself is no step, its body is (CONVENTIONS 1)."""
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and bool(self.env.get(BUILDS_TABLE + node.func.id))
