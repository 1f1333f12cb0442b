"""Names, attributes and subscripts: which values are data, modules or fitted objects, which columns a
subscript picks, and the filters and selections subscripts make."""

from __future__ import annotations

import ast
import json
import re
from typing import Optional

from .. import kb
from ..kb import BUILTIN_NAMES, CONVENTIONAL_ALIASES
from ..kb.python import BLANK_NAME as BLANK_NAME_PATTERN
from ..kb import display as kb_display
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import sklearn as kb_sklearn
from ..kb import sources as kb_sources

BLANK_NAME = re.compile(BLANK_NAME_PATTERN)
# A year, a month or a day written as text (`"2017"`, `"2017-03"`, `"2017-03-05"`): as a row label of a time index it
# picks that period's rows (pandas' partial string indexing).
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{1,2}){0,2}$")
# kinds of a table whose `[label]` is a column (pandas' and polars' frames), not an array's row
TABLE_KINDS = frozenset({"pandas.DataFrame()", "polars.DataFrame()"})
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from .sklearn_rules import FITTED_MODEL, is_sklearn_name
from .bindings import LABEL_KEY
from .sources import ANSWER_MARKER, COLUMN_LABELS, FIGURE_MARKER, FOLD_ROWS_MARKER
from .shuffled_positions import PERMUTATION_MARKER
from .results import PREDICTED, ROLE
from .values import (MARKER, Op, Val, casts_to_category, chain_root, instance_class, kwarg, library_of, params_key, short,
                     str_const, str_list, union)



def _every_position(node: ast.AST) -> bool:
    """`:` as an index: every row or column."""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None


def _counts_positions(node: ast.AST) -> bool:
    """`range(1, 11)`, `range(n)`: positions counted, no data read."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
        and all(isinstance(arg, (ast.Constant, ast.Name)) for arg in node.args)

class ExpressionRules:
    """Mixin of `Cell`: what an expression is (`expr`)."""

    env: dict[str, str]

    # ---------------------------------------------------------- expressions
    def resolve_name(self, name: str) -> Optional[str]:
        if name in self.env:
            return self.env[name]
        if name in CONVENTIONAL_ALIASES:
            return CONVENTIONAL_ALIASES[name]
        if is_sklearn_name(name):
            return f"sklearn.{name}"
        return None

    def module_path(self, node: ast.AST) -> Optional[str]:
        """The dotted path of a module's function or class named in the code, its root resolved through the imports
        and the conventional aliases (`xp.linalg.norm` after `import numpy as xp` -> numpy.linalg.norm,
        `Categorical` after `from pandas import Categorical` -> pandas.Categorical); None for anything else."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = self.resolve_name(node.id)
        if not self._is_path(root):
            return None
        return ".".join([root or "", *reversed(parts)])

    def _entry_of_written_dict(self, node: ast.Subscript) -> bool:
        """`d["k"]`, `d["k"]["m"]` where `d` is bound to a dict written in the code (`{MARKER}dict`)."""
        if str_const(node.slice) is None:
            return False
        inner = node.value
        if isinstance(inner, ast.Subscript):
            return self._entry_of_written_dict(inner)
        return isinstance(inner, ast.Name) and self.env.get(inner.id) == f"{MARKER}dict"

    def _is_data(self, name: str) -> bool:
        kind = self.resolve_name(name)
        if kind is None:
            return name not in BUILTIN_NAMES and not BLANK_NAME.match(name)
        if kind.startswith(MARKER):
            return False
        cls = instance_class(kind)
        return bool(cls) and cls.split(".", 1)[0] in kb.DATA_LIBRARIES

    def expr(self, node: Optional[ast.AST]) -> Val:
        if node is None:
            return Val()
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self._merge([self.expr(e) for e in node.elts])
        if isinstance(node, ast.Starred):
            return self.expr(node.value)
        if isinstance(node, ast.Dict):
            return self._merge([self.expr(v) for v in node.values])
        if isinstance(node, ast.BinOp):
            sides = [self.expr(node.left), self.expr(node.right)]
            if any(side.plot or side.kind == FIGURE_MARKER for side in sides):
                # points + line (altair layers), ggplot(df, aes(...)) + geom_point(): figures put together, plotting
                # (what-is-a-step.md: "Plotting, even when the plot call computes something internally")
                return Val(kind=FIGURE_MARKER, plot=True)
            if any(not side.answer and side.inputs for side in sides):
                # counts / len(df[df.churn == "Y"]): a count or statistic dividing data is a parameter of that
                # arithmetic, not rows filtered (CONVENTIONS 9: "A statistic used as a parameter of another step is
                # part of that step"; what-is-a-step.md, Inspection: "`len(...)`, `df[mask].shape[0]`")
                for side in sides:
                    if side.answer and side.inputs:  # (not `sig * np.random.normal(size=n)`: a draw is data made)
                        side.ops = self.kept_anywhere(side.ops)  # type: ignore[attr-defined]
            merged = self._merge(sides)
            # (X - X.mean(axis=0)) / X.std(axis=0), df[cols] * 2: statistics and picks are operands (CONVENTIONS 9, 18)
            merged.ops = [op for op in merged.ops if not op.pick]
            if all(side.inputs for side in sides):
                # df.a.astype(str) + "_" + df.b.astype(str): the casts only feed the combination, which derives;
                # so do codes of a category (df.area * df.quality.map({"Po": 1, "Gd": 2})): a column assignment
                # takes the op of its calculation only, and `a * b` derives (CONVENTIONS 19)
                merged.ops = [op for op in merged.ops if op.op not in ("type_cast", "encode_categorical")]
            if any(op.op == "load" and op.facts.get("method") in kb_sources.RANDOM_DRAWS
                   for side in sides for op in side.ops):
                # y = np.exp(-0.03 * x) + 0.001 * np.random.rand(n): a statement that draws random numbers for
                # generated data is one `load`, whatever function shapes it (CONVENTIONS 28: "including
                # y = 2*x + noise"), as plain arithmetic already was
                merged.ops = [op for op in merged.ops if op.op not in ("derive_feature", "scale_normalize")]
            if sum(1 for op in merged.ops if op.op in ("derive_feature", "scale_normalize") and op.output is None
                   and not op.pick) >= 2:
                # np.log(w) - 2 * np.log(h), a formula of roots, logs and angles: one calculation, whose NumPy
                # functions are its parts (what-is-a-step.md: "one data-transforming statement"; "arithmetic that
                # creates a column: derive_feature", which the assignment gives it); returned from a function of
                # numbers it is no step, as plain arithmetic returned is none
                merged.ops = [op for op in merged.ops if not (op.op in ("derive_feature", "scale_normalize")
                                                              and op.output is None and not op.pick)]
            merged.kind = None
            merged.computed = True
            merged.picked_column = False
            # total / len(df): arithmetic on answers and literals is an answer too
            merged.answer = any(v.answer for v in sides) and all(v.answer or not v.inputs for v in sides)
            return merged
        if isinstance(node, (ast.BoolOp, ast.Compare, ast.UnaryOp, ast.IfExp)):
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
            vals = [self.expr(c) for c in children]
            if isinstance(node, ast.Compare):
                for val in vals:
                    if val.answer:
                        # p < s[idx].max(): a statistic compared with is the threshold, part of the test (CONVENTIONS
                        # 9: "a statistic used as a parameter of another step is part of that step")
                        val.ops = self.kept_anywhere(val.ops)  # type: ignore[attr-defined]
                    val.ops = [op for op in val.ops if not (op.facts.get("generated")
                                                            and op.facts.get("method") in kb_sources.GRID_GENERATORS)]
                    # s < q * np.linspace(1, m, m) / m: a grid of thresholds compared with, not data made
            merged = self._merge(vals)
            merged.kind = None
            merged.computed = True
            merged.picked_column = False
            return merged
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            # [pd.read_csv(p) for p in paths]: the element's operations happen once per item
            elt = self.expr(node.elt)
            ops = list(elt.ops)
            if all(_counts_positions(gen.iter) for gen in node.generators):
                # [date(2024, 1, i) for i in range(1, 11)]: values made from the positions of a range are written in
                # the code (what-is-a-step.md: data created in code is a load), not dates parsed from data
                ops = [op for op in ops if op.inputs and not all(self._is_comprehension_var(node, i) for i in op.inputs)
                       or op.op == "load"]
            source = node.generators[0].iter
            effect = self.body_effect(node.elt) if not self.names_column_labels(source) else None  # type: ignore[attr-defined]
            made = kb_pandas.CONTESTED_METHODS["map"][1].get(effect or "")
            if made:
                # [s.lower() for s in df["t"]]: the values of data, each cleaned (cast, filled) as map(f) would
                source_val = self.expr(source)
                if source_val.inputs:
                    ops.append(Op(made, source_val.inputs, source_val.columns, facts={"method": "comprehension"}))
            return Val(ops=ops, inputs=[i for i in elt.inputs if not self._is_comprehension_var(node, i)])
        if isinstance(node, (ast.Lambda, ast.DictComp)):
            return Val()  # bodies run per element; their names are loop locals
        if isinstance(node, ast.Await):
            return self.expr(node.value)
        if isinstance(node, ast.JoinedStr):  # f"{search.best_score_:.2f}": what is formatted is computed
            return self._merge([self.expr(v.value) for v in node.values if isinstance(v, ast.FormattedValue)])
        return Val()

    @staticmethod
    def _is_comprehension_var(node: ast.AST, name: str) -> bool:
        return any(isinstance(t, ast.Name) and t.id == name
                   for gen in getattr(node, "generators", []) for t in ast.walk(gen.target))

    def _merge(self, vals: list[Val]) -> Val:
        out = Val()
        for val in vals:
            out.ops.extend(val.ops)
            out.inputs = union(out.inputs, val.inputs)
            out.columns = union(out.columns, val.columns)
            if out.base is None:
                out.base = val.base
        if len(vals) == 1:
            out.kind = vals[0].kind
            out.picked_column = vals[0].picked_column
            out.computed = vals[0].computed
        elif vals and all(val.answer for val in vals) \
                and not any(op.op in ("evaluate", "predict") for val in vals for op in val.ops):
            # [len(df[df.a == 0]), len(df[df.a == 1])]: answers side by side are an answer (what-is-a-step.md,
            # Inspection: "`len(...)`, `df[mask].shape[0]` ... produce an answer to a question")
            out.answer = True
        return out

    def name(self, node: ast.Name) -> Val:
        kind = self.resolve_name(node.id)
        if kind is None:
            if node.id in BUILTIN_NAMES or BLANK_NAME.match(node.id):
                return Val()  # len, print; `____`, an exercise's blank: no data
            return Val(inputs=[node.id], base=node.id)
        if kind.startswith(MARKER):
            # n = len(X) or missing_share = df.isna().mean() earlier: a number or a table of statistics, an answer
            return Val(kind=kind, answer=kind == ANSWER_MARKER)
        if kind.startswith("grouped"):
            return Val(inputs=[node.id], base=node.id, kind=kind)  # grouped = df.groupby("k"), reduced later
        cls = instance_class(kind)
        if cls is not None:
            if self._is_data(node.id):
                return Val(inputs=[node.id], base=node.id, kind=kind)
            return Val(kind=kind, base=node.id, params=self._carried_params(node.id))  # a fitted object: not data
        return Val(kind=kind)  # an import path

    def _carried_params(self, name: str) -> dict:
        try:
            params = json.loads(self.env.get(params_key(name), "{}"))
        except ValueError:
            return {}
        return params if isinstance(params, dict) else {}

    def attribute(self, node: ast.Attribute) -> Val:
        recv = self.expr(node.value)
        if self._is_path(recv.kind):
            return Val(kind=f"{recv.kind}.{node.attr}")
        if node.attr == "plot" and recv.inputs:
            return Val(plot=True)  # df.plot.bar(): drawing
        model_cls = instance_class(recv.kind)
        # smf.ols(...).fit().resid: a model fitted in this very expression is read as a fitted model variable is
        fitted_here = bool(recv.ops) and recv.ops[-1].op == "fit_model" and not recv.base
        if model_cls and ((recv.base and not recv.inputs) or fitted_here) \
                and model_cls.split(".", 1)[0] not in ("pandas", "polars", "numpy"):
            # res.rsquared, search.best_score_: how well a fitted model fits; res.fittedvalues: its predictions
            op = "evaluate" if node.attr in kb_models.EVALUATION_ATTRIBUTES else \
                "predict" if node.attr in kb_models.PREDICTION_ATTRIBUTES else None
            model = [recv.base] if recv.base else list(recv.inputs)
            if op:
                return Val(ops=list(recv.ops) + [Op(op, model, [], None,
                                                    facts={"method": node.attr, "model": recv.base})],
                           inputs=model, kind="numpy.ndarray()")
            if model_cls == FITTED_MODEL[:-2] or fitted_here:
                return Val(ops=list(recv.ops))  # res.x, res.params: a fitted model's parameters, not data
        if recv.kind is None and not recv.ops and isinstance(node.value, ast.Name) \
                and node.attr in kb_models.FITTED_ONLY_EVALUATION_ATTRIBUTES:
            # def print_search_info(search): print(search.best_score_): only a fitted estimator has it (kb.models)
            return Val(ops=[Op("evaluate", [node.value.id], [], None, facts={"method": node.attr,
                                                                            "model": node.value.id})],
                       inputs=[node.value.id], kind="numpy.ndarray()")
        out = Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, columns=list(recv.columns),
                   shown=recv.shown, answer=recv.answer or (node.attr in kb_display.ANSWER_ATTRIBUTES
                                                            and bool(recv.inputs)))
        if node.attr == "columns" and out.ops and out.ops[-1].op == "select_columns":
            out.ops.pop()  # df.select_dtypes("number").columns: choosing names, not data
        if (recv.kind or "").startswith("grouped") and recv.inputs and not node.attr.startswith("_") \
                and node.attr not in kb_pandas.GROUPBY_ATTRIBUTES:
            # df.groupby("k").v.mean(): a column picked by attribute belongs to the groupby step, as with ["v"]
            # (what-is-a-step.md: `groupby(...).mean()` is `aggregate`, not a statistic of one column)
            if out.ops:
                out.ops[-1].columns = union(out.ops[-1].columns, [node.attr])
            out.columns = union(out.columns, [node.attr])
            out.kind = recv.kind
            return out
        if (recv.kind or "").startswith("grouped") and node.attr in kb_pandas.GROUPBY_ATTRIBUTES:
            out.answer = True  # df.groupby("k").groups: how the rows fall into groups, an answer (a bare groupby)
        accessor = self._accessor(recv.kind)
        if accessor is not None:
            lib, acc = accessor
            op = self._accessor_table(lib, acc).get(node.attr)  # .cat.codes is an attribute
            if op:
                detail = f"{acc}.{node.attr}" if op == "encode_categorical" else None
                cast = node.value.value if isinstance(node.value, ast.Attribute) else None
                if op == "encode_categorical" and out.ops and out.ops[-1].op == "type_cast" \
                        and isinstance(cast, ast.Call) and isinstance(cast.func, ast.Attribute) \
                        and cast.func.attr in kb.CAST_METHODS and casts_to_category(cast) and cast.args:
                    # s.astype("category").cat.codes: the category type is how the codes are made, one encoding
                    out.ops.pop()
                    detail = f"{cast.func.attr}({ast.unparse(cast.args[0])}), {detail}"
                out.ops.append(Op(op, recv.inputs, recv.columns, detail, display=recv.shown))
            out.kind = self._frame_kind(lib)
            return out
        lib = library_of(recv.kind) or "pandas"
        polars_namespace = node.attr in kb_polars.EXPRESSION_NAMESPACES
        if polars_namespace and lib == "pandas" and recv.picked_column:
            out.answer = True  # s.name of one pandas column: that Series' label, an answer
            return out
        if recv.inputs and (node.attr in kb_pandas.ACCESSOR_NAMES or (polars_namespace and lib != "pandas")):
            # df.name of a pandas frame is its column "name", not polars' `.name` namespace of an expression
            out.kind = f"accessor:{lib}:{node.attr}"
            return out
        if node.attr in kb_sources.CONVERSION_ATTRIBUTES and recv.inputs:
            # df.values: the same data as an array
            out.ops.append(Op("other", recv.inputs, [], None, facts={"method": node.attr}, conversion=True))
        attr_op = kb_pandas.ATTRIBUTES.get(node.attr)
        if attr_op and recv.inputs:
            out.ops.append(Op(attr_op, recv.inputs, recv.columns, display=recv.shown, facts={"method": node.attr},
                              conversion=node.attr in kb_sources.TRANSPOSES))
        out.kind = recv.kind if library_of(recv.kind) in ("pandas", "polars", "numpy") else None
        if node.attr in kb_sources.CONVERSION_ATTRIBUTES:
            out.picked_column = recv.picked_column  # df.TV.values: still the one column
        elif node.attr not in kb_pandas.FRAME_ATTRIBUTES and node.attr not in kb_display.ANSWER_ATTRIBUTES:
            # df.age inside an expression: a column by attribute access
            if recv.inputs and not node.attr.startswith("_"):
                out.columns = union(out.columns, [node.attr])
                out.picked_column = True
        return out

    @staticmethod
    def _is_path(kind: Optional[str]) -> bool:
        return bool(kind) and not kind.startswith((MARKER, "accessor:", "grouped")) and instance_class(kind) is None

    @staticmethod
    def _accessor(kind: Optional[str]) -> Optional[tuple[str, str]]:
        if kind and kind.startswith("accessor:"):
            _, lib, acc = kind.split(":", 2)
            return lib, acc
        return None

    @staticmethod
    def _accessor_table(lib: str, acc: str) -> dict[str, Optional[str]]:
        primary = kb_polars.ACCESSORS if lib == "polars" else kb_pandas.ACCESSORS
        secondary = kb_pandas.ACCESSORS if lib == "polars" else kb_polars.ACCESSORS
        table = dict(secondary.get(acc, {}))
        table.update(primary.get(acc, {}))
        return table

    @staticmethod
    def _frame_kind(lib: Optional[str]) -> Optional[str]:
        if lib == "polars":
            return "polars.DataFrame()"
        if lib == "numpy":
            return "numpy.ndarray()"
        if lib == "pandas":
            return "pandas.DataFrame()"
        return None

    # ---------------------------------------------------------- subscripts
    def subscript(self, node: ast.Subscript) -> Val:
        if isinstance(node.value, ast.Attribute) and node.value.attr in kb_sklearn.PART_ATTRIBUTES:
            # pre.named_transformers_["cat"], pipe.named_steps["model"]: a part of a pipeline, an estimator
            return Val()
        if self._entry_of_written_dict(node):
            # model = models["XGBRegressor"]["model"] after models = {"XGBRegressor": {"model": XGBRegressor()}}: an
            # entry of a dict the notebook wrote, looked up by key, not a column of data (CONVENTIONS 18 is about
            # tables' columns)
            return Val()
        indexer: Optional[str] = None
        if isinstance(node.value, ast.Attribute) and node.value.attr in ("loc", "iloc", "at", "iat"):
            recv = self.expr(node.value.value)
            indexer = node.value.attr
        else:
            recv = self.expr(node.value)
        if self._is_path(recv.kind):  # np.r_[a, b], typing generics
            path = recv.kind or ""
            if short(path) in ("c_", "r_"):
                if any(str_list(item) is not None for item in ast.walk(node.slice)):
                    return Val()  # np.r_[names, ["IsAlone"]]: column names, not data (CONVENTIONS 15)
                items = self.expr(node.slice)
                pieces = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                stacked = self.stacks_one_variable(pieces)  # type: ignore[attr-defined]
                if stacked == "names":
                    return Val()  # np.r_[enc.feature_names_in_, ["IsAlone"]]: column names (CONVENTIONS 15)
                if stacked == "generated":
                    return Val(ops=items.ops, inputs=items.inputs, kind="numpy.ndarray()")  # drawn here: one load
                if stacked == "one_variable":
                    # np.c_[np.ones((m, 1)), X]: a column of ones added to one variable (CONVENTIONS 13: derive)
                    kept = [o for o in items.ops if not (o.facts.get("generated")
                                                          and o.facts.get("method") in kb_sources.FILLED_GENERATORS)]
                    return Val(ops=kept + [Op("derive_feature", items.inputs, facts={"method": short(path)})],
                               inputs=items.inputs, kind="numpy.ndarray()")
                return Val(ops=items.ops + [Op("concat", items.inputs, facts={"method": short(path)})],
                           inputs=items.inputs, kind="numpy.ndarray()")
            return Val()
        if indexer is None and recv.kind == COLUMN_LABELS:
            return Val(kind=COLUMN_LABELS)  # np.array(cols)[mask]: some of the names
        if indexer is None and isinstance(node.value, ast.Name) \
                and (self.env.get(node.value.id) == COLUMN_LABELS
                     or (isinstance(node.slice, ast.Slice)
                         and self.env.get(node.value.id, "").startswith(MARKER + "columns:"))):
            # cols1 = cols[:len(cols) // 2], s[s] with s = (X.dtypes == "object"): part of a list of column names
            # (or of a test indexed by them), names still (CONVENTIONS 15)
            return Val()
        if indexer is None and isinstance(node.value, ast.Call) \
                and short(self.module_path(node.value.func) or "") in kb_numpy.IDENTITY_MATRICES:
            labels = self.expr(node.slice)
            if labels.inputs:
                # np.eye(10)[y]: the identity matrix's rows picked by the labels, one indicator column per class, a
                # one-hot encoding (CONVENTIONS 20), not an identity matrix made in code (a load)
                # (np.eye(10)[y.astype(int)]: the cast only feeds the encoding, as a cast inside an argument does)
                return Val(ops=[op for op in labels.ops if op.op != "type_cast"] + [Op("encode_categorical", list(labels.inputs), [], "one-hot",
                                                facts={"method": "eye"})],
                           inputs=list(labels.inputs), kind="numpy.ndarray()")
        if indexer is None and self.holds_fitted_models(node.value):  # type: ignore[attr-defined]
            # GBC_models[104].make_predictions(X): one of the fitted models the dict was filled with
            return Val(kind=FITTED_MODEL, base=node.value.id)  # type: ignore[attr-defined]
        out = Val(ops=list(recv.ops), inputs=list(recv.inputs), base=recv.base, kind=recv.kind,
                   columns=list(recv.columns), shown=recv.shown, answer=recv.answer)
        if indexer in (None, "loc") and out.ops and str_const(node.slice) is not None \
                and out.ops[-1].facts.get("method") in kb_models.PER_PARAMETER_TABLE_METHODS:
            # res.conf_int().loc["income"]: one parameter's interval, read as res.params["income"] is (CONVENTIONS 27)
            out.ops.pop()
            out.answer = True
        if indexer in (None, "iloc", "iat") and out.ops and out.ops[-1].op == "aggregate" \
                and out.ops[-1].facts.get("method") in kb_numpy.PAIRWISE_MATRICES and _one_cell(node):
            # r = np.corrcoef(x, y)[0][1], np.cov(a, b)[0, 1]: one coefficient of the pairwise matrix, a single number
            # (CONVENTIONS 9: "A single number ... is not a step, even when assigned"), not the matrix (an aggregate)
            out.ops = self.kept_anywhere(out.ops[:-1])  # type: ignore[attr-defined]
            out.answer = True
            return out
        counts = len(out.ops) - 1
        if counts > 0 and out.ops[counts].op == "other" \
                and out.ops[counts].facts.get("method") in kb_pandas.COUNT_TABLE_CONVERSIONS:
            counts -= 1  # value_counts().values[0]: the counts as an array, indexed the same way
        if indexer in (None, "loc", "iloc", "at", "iat") and counts >= 0 and out.ops[counts].op == "aggregate" \
                and out.ops[counts].facts.get("method") in kb_pandas.COUNT_TABLES and _is_scalar_label(node.slice):
            # neg = df.Outcome.value_counts()[0], df.A.value_counts().values[1] / len(df): one value's count, a single
            # number (CONVENTIONS 9: "A single number ... is not a step, even when assigned"), not the counts table
            out.ops = self.kept_anywhere(out.ops[:counts])  # type: ignore[attr-defined]
            out.answer = True
            return out
        accessor = self._accessor(recv.kind)
        if accessor is not None and accessor[1] == "str":
            # s.str[0:2]: part of each string, as str.slice
            out.ops.append(Op("text_clean", recv.inputs, recv.columns, facts={"method": "str.slice"}))
            out.kind = self._frame_kind(accessor[0])
            return out
        if not recv.inputs and recv.kind and not recv.kind.startswith(MARKER) \
                and not any(op.op == "load" for op in recv.ops):
            # subscript of a fitted object / module attribute: nothing to say; a table read in the same chain
            # (`pd.read_csv(p)[cols]`) is data, its columns picked as anywhere else (CONVENTIONS 18)
            return out
        if isinstance(node.value, ast.Attribute) and node.value.attr in kb_models.PARAMETER_ATTRIBUTES \
                and self._around_a_model(node.value.value):  # type: ignore[attr-defined]
            # lr.coef_[0, :], nb.feature_count_[1, :]: part of a fitted model's parameters, not rows of data
            # (CONVENTIONS 27: reading coef_ ... and tables built only from them are no steps)
            return out
        if recv.ops and recv.ops[-1].op in ("predict", "evaluate", "split", "fit_model"):
            # model.predict_proba(X)[:, 1], smf.ols(...).fit().params["t"]: picking from a result, not data columns
            return out
        if not recv.ops and isinstance(node.slice, ast.Slice) and indexer in (None, "iloc") \
                and chain_root(node.value) is not None \
                and self.env.get(ROLE + (chain_root(node.value) or "")) == PREDICTED:
            # predictions.predicted_mean.iloc[-window:] after predictions = res.get_prediction(...): the last
            # predictions by position, part of the prediction (CONVENTIONS 26), not rows of data filtered
            return out
        rows: Optional[ast.AST]
        cols: Optional[ast.AST]
        slice_node = node.slice
        if isinstance(slice_node, ast.Lambda) and len(slice_node.args.args) == 1 and self._is_mask(slice_node.body):
            # df.loc[lambda x: x["cycle"] == "1"], df[lambda d: d.age > 3]: the rows a condition on the frame keeps,
            # as df.loc[df["cycle"] == "1"] (pandas' callable indexing, common in method chains)
            slice_node = slice_node.body
        if indexer is not None:
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2 \
                    and all(_is_scalar_label(e) for e in slice_node.elts):
                out.answer = True  # C.loc["Yes", "Yes"], df.loc["Ariana Grande", "SkipRate"]: one value (CONVENTIONS 9)
                return out
            if isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2:
                rows, cols = slice_node.elts
            else:
                rows, cols = slice_node, None
        elif _reverses(slice_node):
            out.ops.append(Op("sort", recv.inputs, [], None, facts={"method": "[::-1]"}))  # CONVENTIONS 30
            return out
        elif isinstance(slice_node, ast.Name) and self.env.get(slice_node.id) == FOLD_ROWS_MARKER:
            rows, cols, indexer = slice_node, None, "iloc"  # X[train_index] in a loop over skf.split(X, y): rows
        elif self._is_mask(slice_node) or isinstance(slice_node, ast.Slice):
            rows, cols = slice_node, None  # df[df.x > 0], df[:100], arr[5:8], df[:"2004"]: rows
        elif isinstance(slice_node, ast.Tuple) and len(slice_node.elts) == 2 and str_list(slice_node) is None:
            if all(isinstance(e, (ast.Constant, ast.UnaryOp)) for e in slice_node.elts):
                out.answer = True  # confusion[1, 1]: one element
                return out
            (rows, cols), indexer = slice_node.elts, "iloc"  # arr[1000:, :], X[:, 1:]: NumPy positions
        else:
            rows, cols = None, slice_node
        order = next((key for key in (rows, cols) if key is not None and _is_an_ordering(key)), None)
        if order is not None:
            # df.loc[df.mean(axis=1).sort_values().index], df[s.sort_values().index]: every row (or column), in
            # another order: a sort (CONVENTIONS 30), not rows or columns picked
            out.ops.append(Op("sort", recv.inputs, [], None, display=recv.shown, facts={"method": "ordered_index"}))
            rows = None if order is rows else rows
            cols = None if order is cols else cols
        if rows is not None and (_is_a_permutation(rows) or (
                isinstance(rows, ast.Name) and self.env.get(rows.id) == PERMUTATION_MARKER)):
            # df.iloc[np.random.permutation(len(df))]: every row in a random order, a shuffle (CONVENTIONS 30:
            # "permutation ... resampling [is] `sample`"), not rows picked
            out.ops.append(Op("sample", recv.inputs, [], None, display=recv.shown, facts={"method": "permutation"}))
            rows = None
        rows_filtered = False  # a condition on the rows picked them in this same .loc (see below)
        if rows is not None and not (isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None):
            if self._is_mask(rows):
                mask_val = self.expr(rows)
                op = self._mask_op(rows)
                facts = {"method": "sample"} if op == "sample" else {"conditions": self._mask_conditions(rows)}
                if op == "filter_rows" and _names_a_part(rows):
                    facts["method"] = "part_mask"  # X.loc[train], X.loc[~train]: rows of the part the mask names
                out.ops.append(Op(op, recv.inputs, union(mask_val.columns), display=recv.shown, facts=facts))
                # df.loc[df.x.notna(), "x"], X.loc[mask, [c]]: the rows a condition keeps and their columns, picked by
                # one indexing; that indexing is one step, the row filter (what-is-a-step.md, Granularity: one step
                # per transforming call), not a filter and a selection (CONVENTIONS 18's single column ends a chain
                # of its own: `df.query(...)["v"]`)
                rows_filtered = indexer == "loc"
            elif isinstance(rows, ast.Slice) or (indexer in ("iloc", "loc") and self._names_rows(rows)) \
                    or (indexer == "iloc" and (cols is None or _every_position(cols)) and _is_int(rows)) \
                    or (indexer == "loc" and cols is None and PARTIAL_DATE.match(str_const(rows) or "")):
                # (df.loc["2017"], .loc["2017-03"]: pandas' partial string indexing, the rows of that period)
                # positions or labels of rows: X.iloc[train_idx], df.loc[["a", "b"]], arr[:-20], dta.iloc[1000],
                # X[0, :] (one row, every column, as dta.iloc[0]);
                # rows picked by an index array inside another call's arguments (`fit(X.iloc[tr], ...)`) only feed
                # the call, rows held out by a fixed slice (`sm.OLS(y.iloc[:14], ...)`) are a filter of their own
                # (X[tr] / X.iloc[tr] with `tr` a fold's positions from skf.split: that fold's part, a split whatever
                # it is named, CONVENTIONS 16: "selecting KFold indices" gives one split per output)
                fold = isinstance(rows, ast.Name) and self.env.get(rows.id) == FOLD_ROWS_MARKER
                out.ops.append(Op("split" if fold else "filter_rows", recv.inputs,
                                  pick=not (isinstance(rows, ast.Slice) and indexer == "iloc"),
                                  display=recv.shown, facts={"method": "slice"}))
        if isinstance(cols, ast.Slice) and cols.lower is None and cols.upper is None and cols.step is None:
            cols = None  # X[1000:, :]: every column
        if (recv.kind or "").startswith("grouped") and cols is not None:
            # df.groupby("k")["v"].mean(), grouped[["a", "b"]].agg(...): the aggregated columns belong to the groupby
            if out.ops:
                out.ops[-1].columns = union(out.ops[-1].columns, self._slice_columns(cols))
            out.columns = union(out.columns, self._slice_columns(cols))
            return out
        label_mask = _column_label_mask(cols) if indexer == "loc" and cols is not None else None
        if label_mask is not None:
            # df.loc[:, ~df.columns.str.contains("^Unnamed")]: columns dropped by a test of their labels; without the
            # negation, columns picked by it (CONVENTIONS 18: `.loc[:, cols]` selects; `drop(columns=...)` drops)
            out.ops.append(Op(label_mask, recv.inputs, [], None, display=recv.shown, facts={"method": "label_mask"}))
        elif cols is not None and indexer in ("iloc", "loc") and self._positional_columns_slice(cols):
            out.ops.append(Op("select_columns", recv.inputs, self._slice_columns(cols), pick=True,
                               display=recv.shown))
        elif cols is not None:
            single = str_const(cols)
            col_list = self._slice_columns(cols)
            if (recv.kind or "").startswith("grouped") and out.ops:
                # df.groupby("k")["v"].mean(): the aggregated column belongs to the groupby step
                out.ops[-1].columns = union(out.ops[-1].columns, col_list)
                return out
            if single is not None or self._is_single_column_name(cols, recv.kind):
                out.columns = union(out.columns, col_list)
                out.picked_column = not rows_filtered
            elif rows_filtered:
                out.columns = union(out.columns, col_list)
            elif col_list or self._names_column_list(cols):
                out.ops.append(Op("select_columns", recv.inputs, col_list, pick=True, display=recv.shown))
        return out

    def _names_rows(self, node: ast.AST) -> bool:
        """X.iloc[train_idx] / df.loc[[1, 5]] / df.iloc[idx[:800]]: an index array (or part of one) or a list of
        row labels."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Slice):
            node = node.value  # idx[:800]: the first positions of a (shuffled) index array
        if isinstance(node, ast.Name):
            # (idx[:800] of shuffled positions: rows too, the first 800 of a random order)
            marker = self.env.get(node.id, "")
            return marker in (FOLD_ROWS_MARKER, PERMUTATION_MARKER) or not marker.startswith(MARKER)
        return isinstance(node, (ast.List, ast.Call, ast.Attribute))

    @staticmethod
    def _positional_columns_slice(node: ast.AST) -> bool:
        """df.iloc[:, :-1] / df.iloc[:, 3] / df.loc[:, "a":"c"]: columns by position or range."""
        if isinstance(node, ast.Slice):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            return True
        return isinstance(node, (ast.List, ast.Tuple)) and bool(node.elts) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts)

    def _is_single_column_name(self, node: ast.AST, kind: Optional[str] = None) -> bool:
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            if marker == ANSWER_MARKER and self.env.get(LABEL_KEY + node.id) and kind in TABLE_KINDS:
                # y = df[target] after target = "SalePrice": a table indexed by one label written in the code is that
                # column (CONVENTIONS 18: "a single column that ends the assigned expression (`y = df['target']`)"),
                # as with the label written in place; not an index computed (`df[s.sort_values().index]`), nor an
                # array's row (`X[i]`)
                return True
            return marker.startswith(MARKER + "column:") or (not marker and node.id not in self.env)
        return False

    def names_column_labels(self, node: ast.AST) -> bool:
        """Labels taken from a frame's own columns: `df.columns[1:]`, `df.columns.drop("y")`,
        `df.select_dtypes("number").columns`, or a name bound to such labels (COLUMN_LABELS)."""
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == COLUMN_LABELS
        while True:
            if isinstance(node, ast.Subscript):
                node = node.value  # df.columns[1:], df.columns[mask]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in kb_pandas.COLUMN_LABEL_METHODS:
                node = node.func.value  # df.columns.drop("y")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" \
                    and len(node.args) == 1:
                node = node.args[0]
            else:
                break
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "") == COLUMN_LABELS  # cols.drop("y") with cols = df.columns: labels
        return isinstance(node, ast.Attribute) and node.attr == "columns" and bool(self.expr(node.value).inputs)

    def _names_column_list(self, node: ast.AST) -> bool:
        if self.names_column_labels(node):
            return True  # df[df.columns[1:]], df[num_cols] with num_cols = df.select_dtypes("number").columns
        if isinstance(node, ast.Compare) and self.names_column_labels(node.left):
            return True  # df.loc[:, df.columns != "y"]: the columns picked by a condition on their labels
        if isinstance(node, ast.Name):  # cols = ["a", "b"], or a list written in code used to pick columns
            # (or cols = meta.name.unique().tolist(): values of data made labels, bindings.VALUE_LABELS)
            return self.env.get(node.id, "").startswith((MARKER + "columns:", MARKER + "literal",
                                                         MARKER + "value_labels"))
        if isinstance(node, (ast.List, ast.Tuple)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list":
            return True
        if isinstance(node, ast.BinOp):  # num_cols + cat_cols
            return self._names_column_list(node.left) or self._names_column_list(node.right)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return self._names_column_list(node.value)  # X[num_cols[:10]]: part of a list of names
        if isinstance(node, ast.ListComp) and node.generators \
                and all(self.names_column_labels(gen.iter) or self._names_column_list(gen.iter)
                        for gen in node.generators):
            return True  # df[[c for c in df.columns if c != "geoid"]]: the labels a test keeps, columns picked
        return False

    def adds_name_lists(self, value: ast.BinOp) -> bool:
        """`num_attribs + extra_attribs + cat_attribs`, `list(df) + ["y"]`: lists joined with `+` where one is a list of
        column names (written in the code, bound to names, or a frame's own labels): a longer list of names
        (CONVENTIONS 15: "column-name lists (also when computed)" are no step), not arithmetic on data."""
        terms: list[ast.AST] = []
        pending: list[ast.AST] = [value]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                pending.extend((node.left, node.right))
            else:
                terms.append(node)
        return len(terms) >= 2 and any(self._names_labels(term) for term in terms)

    def _names_labels(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" \
                and len(node.args) == 1 and str_list(node.args[0]):
            node = node.args[0]  # list(["a", "b"])
        if isinstance(node, ast.Name):
            return self.env.get(node.id, "").startswith(MARKER + "columns:")
        return bool(str_list(node)) or self.names_column_labels(node)

    def _slice_columns(self, node: Optional[ast.AST]) -> list[str]:
        if node is None:
            return []
        single = str_const(node)
        if single is not None:
            return [single]
        many = str_list(node)
        if many is not None:
            return many
        if isinstance(node, ast.Name):
            marker = self.env.get(node.id, "")
            if marker.startswith((MARKER + "columns:", MARKER + "column:")):
                return marker.split(":", 2)[2].split(",")
        if isinstance(node, ast.BinOp):
            return union(self._slice_columns(node.left), self._slice_columns(node.right))
        return []



def _is_int(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _reverses(node: ast.AST) -> bool:
    """[::-1]: the rows in reverse order."""
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is not None \
        and isinstance(node.step, ast.UnaryOp) and isinstance(node.step.operand, ast.Constant) \
        and node.step.operand.value == 1


def _is_an_ordering(key: ast.AST) -> bool:
    """`s.sort_values().index`, `s.sort_values(ascending=False).index[::-1]`, `np.argsort(x)`, `x.argsort()`: every
    label or position of the data, in an order (a slice of it, `.index[:10]`, picks some: not an ordering)."""
    if isinstance(key, ast.Subscript) and _reverses(key.slice):
        key = key.value
    if isinstance(key, ast.Attribute) and key.attr == "index":
        key = key.value
        return isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) \
            and key.func.attr in ("sort_values", "sort_index")
    return isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) and key.func.attr == "argsort"


def _one_cell(node: ast.Subscript) -> bool:
    """`m[0, 1]`, `m[0][1]`: one element of a two-axis matrix picked by two numbers written in the code."""
    def number(item: ast.AST) -> bool:
        return isinstance(item, ast.Constant) and isinstance(item.value, int)
    if isinstance(node.slice, ast.Tuple):
        return len(node.slice.elts) == 2 and all(number(item) for item in node.slice.elts)
    return number(node.slice) and isinstance(node.value, ast.Subscript) and number(node.value.slice)


def _is_a_permutation(node: ast.AST) -> bool:
    """`np.random.permutation(len(df))`, `rng.permutation(df.index)`: every position, in a random order."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "permutation"


def _columns_by_missing_share(node: ast.AST) -> bool:
    """`df.isnull().mean() < 0.5`, `df.isna().sum() <= 100`, `df.notna().mean() > 0.8`: a test of each column's share
    (or count) of missing values, a mask over the columns."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return False
    for side in (node.left, node.comparators[0]):
        if isinstance(side, ast.Call) and isinstance(side.func, ast.Attribute) and side.func.attr in ("mean", "sum") \
                and kwarg(side, "axis") is None and isinstance(side.func.value, ast.Call) \
                and isinstance(side.func.value.func, ast.Attribute) \
                and side.func.value.func.attr in kb.MISSING_TESTS | kb.PRESENT_TESTS:
            return True
    return False


def _column_label_mask(node: ast.AST) -> Optional[str]:
    """The op of a test of a frame's column labels (`df.columns.str.startswith("x")`: select_columns; negated,
    `~df.columns.str.contains("^Unnamed")`, `~df.columns.isin(junk)`: drop_columns), else None. (`df.columns !=
    "target"` stays a selection of the features: test_steps_column_labels.py.)"""
    if _columns_by_missing_share(node):
        # df.loc[:, df.isnull().mean() < 0.5]: the columns missing too many values dropped, as dropna(axis=1,
        # thresh=...) drops them (drop_missing)
        return "drop_missing"
    negated = isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not))
    test = node.operand if negated else node
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
        accessor = test.func.value
        if not (isinstance(accessor, ast.Attribute) and accessor.attr == "str") and test.func.attr != "isin":
            return None
        test = accessor.value if test.func.attr != "isin" else test.func.value
    else:
        return None
    if not (isinstance(test, ast.Attribute) and test.attr == "columns"):
        return None
    return "drop_columns" if negated else "select_columns"


def _names_a_part(mask: ast.AST) -> bool:
    """A mask that is a name for a training / test part, or its negation (`train`, `~train`, `is_test`)."""
    if isinstance(mask, ast.UnaryOp) and isinstance(mask.op, (ast.Invert, ast.Not)):
        mask = mask.operand
    return isinstance(mask, ast.Name) and re.search(kb.TRAIN_TEST_NAME, mask.id, re.IGNORECASE) is not None


def _is_scalar_label(node: ast.AST) -> bool:
    """One row or column label or position written as a literal (`"Yes"`, `3`, `-1`)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool)
