"""Method calls on a value (`df.dropna()`, `df.pipe(f)`, `con.execute(q)`): plots set aside, readers, SQL, piped
functions, totals made a table, and shown results marked; the method itself is looked up in library_methods.py."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Optional

from .. import kb
from ..kb import LIBRARIES
from ..kb import display as kb_display
from ..kb import pandas as kb_pandas
from ..kb import sources as kb_sources
from .env_markers import COLUMN_LABELS, FIGURE_MARKER
from .readers import sql_clause_ops
from .values import Op, Val, str_const, str_list, union

# The name the data piped into a library's function is bound to while that call is read (`_piped_library_call`).
PIPED = "trackit_piped"
# methods that turn what they are called on into a table to go on with
TABLE_BUILDING_METHODS = frozenset({"to_frame", "assign"})
# the short names of the known libraries' functions (`read_csv`): called on a name the classifier does not know
# (`pandas_lib.read_csv(...)` without its import), it is that library's function under an unknown alias, not a method
# of the project's own object
LIBRARY_FUNCTION_NAMES = frozenset(name.rsplit(".", 1)[-1] for module in set(LIBRARIES.values())
                                   for name in getattr(module, "FUNCTIONS", {}))


class MethodCallRules:
    """Mixin of `Cell` (through `CallRules`): method calls, around the look-up of the method."""

    env: dict[str, str]

    def method_call(self, recv: Val, method: str, node: ast.Call) -> Val:
        if recv.plot or recv.kind == FIGURE_MARKER or method in kb_display.PLOT_METHODS:
            # df.groupby("k").mean().plot(): what feeds a figure is plotting; naf.fit(T, E).plot() still fitted naf;
            # what the call returns is the figure still (alt.Chart(df).mark_line().encode(...), layered later)
            return Val(ops=[op for op in recv.ops if op.output is not None and op.op == "fit_model"],
                       kind=FIGURE_MARKER, plot=True)
        handled = self.handle_method(recv, method, node)
        if handled is not None:
            return handled  # f.read(), r.json(), con.execute(q).fetchall(): readers.py
        if method in kb_pandas.COLUMN_LABEL_METHODS and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and self.env.get(node.func.value.id) == COLUMN_LABELS:
            # num_cols = num_cols.drop(["Id"]) after num_cols = df.select_dtypes("number").columns: labels still
            # (CONVENTIONS 15: column-name lists, also when computed, are no step), no rows dropped
            return Val()
        query = str_const(node.args[0]) if method in kb_sources.SQL_METHODS and node.args else None
        if query is not None and re.match(r"\s*(select|with)\b", query, re.IGNORECASE):
            # ctx.execute("SELECT ... GROUP BY ..."): the query's clauses are the steps
            return Val(ops=list(recv.ops) + sql_clause_ops(query), kind="polars.DataFrame()")
        if method == "pipe" and node.args and isinstance(node.args[0], ast.Lambda) and node.args[0].args.args \
                and recv.inputs and not (recv.kind or "").startswith("grouped"):
            return self._piped_lambda(recv, node.args[0])
        if method == "pipe" and node.args and self._is_library_function(node.args[0]):
            return self._piped_library_call(recv, node)
        out = self._method_call(recv, method, node)
        # df.loc[mask].pipe(len): the builtin called through pipe, an answer as len(df.loc[mask]) is (CONVENTIONS 9)
        piped_answer = method == "pipe" and bool(node.args) and isinstance(node.args[0], ast.Name) \
            and node.args[0].id in kb_display.ANSWER_FUNCTIONS
        # counts.sum().to_frame("count").assign(pct=...): a table built on from per-column totals is no longer an
        # answer (CONVENTIONS 9: a chain that ENDS in a number is one)
        builds_on = recv.answer and method in TABLE_BUILDING_METHODS and bool(recv.inputs) and not recv.shown
        builds_on = builds_on or self._answer_joined_with_data(recv, len(recv.ops), out, node)
        out.answer = (out.answer or recv.answer or piped_answer) and not builds_on
        totals = self._totals_of_a_table(node.func) if builds_on and method == "to_frame" else None
        if totals:
            # df[["a", "b"]].sum().to_frame("total"), flags_by_home.sum().to_frame("count"): one total per column of
            # a table, made a table to go on with, aggregates its rows (CONVENTIONS 22); not one column's number (9)
            at = len(recv.ops)
            if totals == "picked":
                # the columns picked to be totalled are part of the aggregation, as projections around a groupby
                # are (CONVENTIONS 18)
                picks = [i for i, op in enumerate(out.ops[:at]) if op.op == "select_columns"]
                if picks:
                    del out.ops[picks[-1]]
                    at -= 1
            out.ops.insert(at, Op("aggregate", list(recv.inputs), [], None, facts={"method": "totals"}))
        if (recv.kind or "").startswith("grouped") and method in kb_pandas.GROUP_TABLE_INSPECTIONS \
                and not recv.shown:
            return out  # print(df.groupby("k")["v"].describe()): a table of statistics per group, an aggregate
        if recv.shown and method in kb_pandas.COUNT_TABLE_LAYOUTS and recv.ops and recv.ops[-1].op == "aggregate":
            # df.groupby("k")["v"].value_counts().unstack(): the counts laid out as a two-way table, a crosstab built and
            # shown; the count and the layout are its steps (kb.pandas.COUNT_TABLE_LAYOUTS)
            counted = next(i for i, op in enumerate(out.ops) if op.display)
            out.ops = out.ops[:counted] + [replace(op, display=False) for op in out.ops[counted:]]
            out.shown = False
            return out
        if recv.shown or method in kb.INSPECTION_METHODS:
            # df.describe().T / df["x"].value_counts().sort_index(): showing data, step by step
            start = len(recv.ops)
            if method in kb.INSPECTION_METHODS and (recv.kind or "").startswith("grouped") and recv.ops \
                    and recv.ops[-1].op == "aggregate":
                start -= 1  # df.groupby("k")["v"].describe(): the groupby is part of the display
            for op in out.ops[max(start, 0):]:
                op.display = True
            out.shown = True
        return out

    def _answer_joined_with_data(self, recv: Val, start: int, out: Val, node: ast.Call) -> bool:
        """`pd.DataFrame({"user_id": df["user_id"].unique()}).merge(orders, on="user_id", how="left")`: the distinct
        keys (an answer on their own) joined with data make a new table the analysis goes on with, a join
        (what-is-a-step.md: "a merge ... builds a new table"), as `pd.merge(keys, orders, on=...)` already is. Only
        when the partner is data: two answers joined (`missing.to_frame().join(dtypes)`) stay an answer."""
        if not recv.answer or recv.shown or not any(op.op == "join" for op in out.ops[start:]):
            return False
        partner = node.args[0] if node.args else next(
            (kw.value for kw in node.keywords if kw.arg in ("right", "other")), None)
        if partner is None:
            return False
        value = self.expr(partner)  # type: ignore[attr-defined]
        return bool(value.inputs) and not value.answer and not value.shown

    def _is_library_function(self, ref: ast.AST) -> bool:
        """`ref` names a function of a library in the knowledge base that has an op (`pd.merge`, `np.log`)."""
        library, _, function = (self.module_path(ref) or "").partition(".")  # type: ignore[attr-defined]
        module = LIBRARIES.get(library)
        return module is not None and getattr(module, "FUNCTIONS", {}).get(function) is not None

    def _piped_library_call(self, recv: Val, node: ast.Call) -> Val:
        """`a[cols].pipe(pd.merge, b, on="k")` is `pd.merge(a[cols], b, on="k")`: a library's function piped the data is
        an ordinary call of it (CONVENTIONS 3: "`df.pipe(f)` is an ordinary call"), with that function's op, after the
        steps of the chain that piped the data in (one step per transforming call, what-is-a-step.md)."""
        call = ast.copy_location(ast.Call(func=node.args[0], args=[ast.Name(PIPED, ast.Load()), *node.args[1:]],
                                          keywords=node.keywords), node)
        called, inputs = self._read_with_piped(recv, PIPED, call)
        return Val(ops=list(recv.ops) + called.ops, inputs=inputs, kind=called.kind or recv.kind, base=recv.base,
                   columns=union(recv.columns, called.columns), answer=called.answer)

    def _piped_lambda(self, recv: Val, function: ast.Lambda) -> Val:
        """df.pipe(lambda d: d.select(...).explode(...).group_by(...).agg(...)): the lambda's body is written here and
        works on the data piped in, one step per transforming call (what-is-a-step.md, Granularity; CONVENTIONS 3:
        `df.pipe(f)` is an ordinary call, and a lambda's body is where it is written)."""
        body, inputs = self._read_with_piped(recv, function.args.args[0].arg, function.body)
        return Val(ops=list(recv.ops) + body.ops, inputs=inputs, kind=body.kind or recv.kind, base=recv.base,
                   columns=list(body.columns), answer=body.answer, shown=body.shown)

    def _read_with_piped(self, recv: Val, name: str, expr: ast.expr) -> tuple[Val, list]:
        """Read `expr` with `name` standing for the data piped in (bound to its kind while read, restored after), and
        name that data's own inputs wherever the read's steps and inputs name `name`."""
        before = self.env.get(name)
        if recv.kind:
            self.env[name] = recv.kind
        else:
            self.env.pop(name, None)
        try:
            read = self.expr(expr)  # type: ignore[attr-defined]
        finally:
            if before is None:
                self.env.pop(name, None)
            else:
                self.env[name] = before
        for op in read.ops:
            op.inputs = union(*[recv.inputs if used == name else [used] for used in op.inputs])
        return read, union(*[recv.inputs if used == name else [used] for used in read.inputs])

    def _totals_of_a_table(self, func: ast.AST) -> Optional[str]:
        """`func` is `<table>.sum().to_frame`: a reduction (kb.pandas.TABLE_TOTALS) of several columns picked by name
        ("picked") or of a table aggregated by groups ("grouped"); None for one column, or `df.isnull().sum()`, which
        the definition lists as inspection."""
        reduction = func.value if isinstance(func, ast.Attribute) else None
        if not (isinstance(reduction, ast.Call) and isinstance(reduction.func, ast.Attribute)
                and reduction.func.attr in kb_pandas.TABLE_TOTALS and not reduction.args):
            return None
        table = reduction.func.value
        if any(isinstance(sub, ast.Attribute) and sub.attr in kb.MISSING_TESTS | kb.PRESENT_TESTS
               for sub in ast.walk(table)):
            return None
        columns = str_list(table.slice) if isinstance(table, ast.Subscript) else None
        if columns is not None:
            return "picked" if len(columns) > 1 else None
        ops = self.expr(table).ops
        return "grouped" if ops and ops[-1].op == "aggregate" else None
