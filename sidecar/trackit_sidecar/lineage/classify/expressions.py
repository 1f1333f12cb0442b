"""What an expression is (`expr`): names, and the arithmetic, comparisons and comprehensions made of them; which
values are data, modules or fitted objects. Attributes are read in attributes.py, subscripts in subscripts.py, the
column labels a key names in column_labels.py."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from typing import Optional

from .. import kb
from ..kb import BUILTIN_NAMES, CONVENTIONAL_ALIASES
from ..kb.python import BLANK_NAME as BLANK_NAME_PATTERN
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sources as kb_sources
from .design_powers import as_powers, powers_of_data
from .env_markers import ANSWER_MARKER, DICT_MARKER, FIGURE_MARKER, FRAME_CLASSES, READ_DATA
from .sklearn_rules import is_sklearn_name
from .readers import handle_source
from .values import MARKER, Op, Val, copied, dict_items_key, instance_class, params_key, str_const, union

# the fact an evaluate op carries when it is one item of several written side by side (see metrics_side_by_side)
METRIC_ITEM = "metric_item"


def metrics_side_by_side(nodes: list[ast.expr], items: list[Val]) -> list[Val]:
    """`{"accuracy": accuracy_score(y, p), "f1": f1_score(y, p)}`, `[mse(y, p), r2(y, p)]`: metrics computed as separate
    items of one dict or list are separate evaluations (CONVENTIONS 7: evaluate counts wherever it appears; the tuning
    labels count each item of such a dict or list kept under one name), where the metrics of one expression
    (`np.sqrt(mean_squared_error(y, p))`) stay one. Each such item's evaluate ops are marked with the item's position,
    which step_emitter.emit does not merge across. A tuple kept under one name (`both = (mse(y, a), mse(z, b))`) stays
    one result (test_steps_pass5_b2), and so do scores only read out of fitted searches and collected in a list or
    dict (`[rf.best_score_, svm.best_score_]`): collected, not computed."""
    computed = [i for i, (node, item) in enumerate(zip(nodes, items))
                if any(op.op == "evaluate" for op in item.ops) and any(isinstance(sub, ast.Call) for sub in ast.walk(node))]
    if len(computed) < 2:
        return items
    for position in computed:
        items[position].ops = [replace(op, facts={**op.facts, METRIC_ITEM: position}) if op.op == "evaluate" else op
                               for op in items[position].ops]
    return items

BLANK_NAME = re.compile(BLANK_NAME_PATTERN)
# expressions whose value a rule may look at again (`evaluated`); a name or a constant is cheap to evaluate again
LOOKED_AT_AGAIN = (ast.Call, ast.Subscript, ast.Attribute, ast.Dict, ast.List, ast.Tuple, ast.BinOp)


def _chain_head(node: ast.AST) -> ast.AST:
    """`f` of `f.read().splitlines()`: the object a chain of method calls starts from."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node


def _counts_positions(node: ast.AST) -> bool:
    """`range(1, 11)`, `range(n)`: positions counted, no data read."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
        and all(isinstance(arg, (ast.Constant, ast.Name)) for arg in node.args)


class ExpressionRules:
    """Mixin of `Cell`: what an expression is (`expr`)."""

    env: dict[str, str]
    values_seen: dict[int, tuple[ast.AST, Val]]

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
        """`d["k"]`, `d["k"]["m"]` where `d` is bound to a dict written in the code (`DICT_MARKER`)."""
        if str_const(node.slice) is None:
            return False
        inner = node.value
        if isinstance(inner, ast.Subscript):
            return self._entry_of_written_dict(inner)
        return isinstance(inner, ast.Name) and self.env.get(inner.id) == DICT_MARKER

    def _is_data(self, name: str) -> bool:
        kind = self.resolve_name(name)
        if kind is None:
            return name not in BUILTIN_NAMES and not BLANK_NAME.match(name)
        if kind == DICT_MARKER and (instance_class(self.env.get(dict_items_key(name), "")) or "").startswith(FRAME_CLASSES):
            return True  # data = {}; data[f] = pd.read_csv(f): a dict of the tables read holds data (assignments.py)
        if kind.startswith(MARKER):
            return False
        cls = instance_class(kind)
        return bool(cls) and cls.split(".", 1)[0] in kb.DATA_LIBRARIES

    def expr(self, node: Optional[ast.AST]) -> Val:
        val = self._value(node)
        if isinstance(node, LOOKED_AT_AGAIN):
            self.values_seen[id(node)] = (node, copied(val))  # its caller may change `val`: the value as it was made
        return val

    def evaluated(self, node: Optional[ast.AST]) -> Val:
        """What `node` was when it was last evaluated (`expr`), for a rule that decides a call by looking at its
        arguments again after `_args` evaluated them: evaluating them again would double the cost per nesting level
        (np.asarray(np.asarray(...)), pd.DataFrame(pd.DataFrame(...))); evaluated now if it was not yet."""
        seen = self.values_seen.get(id(node))
        if seen is not None and seen[0] is node:
            return copied(seen[1])
        return self.expr(node)

    def _value(self, node: Optional[ast.AST]) -> Val:
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
        if isinstance(node, ast.List):
            return self._merge(metrics_side_by_side(node.elts, [self.expr(e) for e in node.elts]))
        if isinstance(node, (ast.Tuple, ast.Set)):
            return self._merge([self.expr(e) for e in node.elts])
        if isinstance(node, ast.Starred):
            return self.expr(node.value)
        if isinstance(node, ast.Dict):
            return self._merge(metrics_side_by_side(node.values, [self.expr(v) for v in node.values]))
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
            if powers_of_data(node, sides[0], sides[1]):
                as_powers(merged, sides[0])  # x_train ** np.arange(1, d + 1): polynomial features (design_powers.py)
            if all(side.inputs for side in sides):
                # df.a.astype(str) + "_" + df.b.astype(str): the casts only feed the combination, which derives;
                # so do codes of a category (df.area * df.quality.map({"Po": 1, "Gd": 2})): a column assignment
                # takes the op of its calculation only, and `a * b` derives (CONVENTIONS 19)
                merged.ops = [op for op in merged.ops if op.op not in ("type_cast", "encode_categorical")]
            drawn = any(op.op == "load" and op.facts.get("method") in kb_sources.RANDOM_DRAWS
                        for side in sides for op in side.ops)
            if drawn and any(self.env.get(READ_DATA + name) for side in sides for name in side.inputs):
                # X_noisy = X + np.random.normal(0, 0.1, X.shape) with X read from a file: noise put into real data
                # derives (CONVENTIONS 28: "Noise added to real data is derive_feature"), no data generated
                merged.ops = [op for op in merged.ops if not (op.op == "load" and op.facts.get("generated"))]
                if not any(op.op == "derive_feature" for op in merged.ops):
                    merged.ops.append(Op("derive_feature", list(merged.inputs), [], None, facts={"method": "noise"}))
            elif drawn:
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
            if all(self.names_columns(gen.iter) and not isinstance(gen.iter, (ast.List, ast.Tuple))  # type: ignore[attr-defined]
                   for gen in node.generators):
                # [n.replace("cat__", "") for n in pre.get_feature_names_out()], [c.replace("_", " ") for c in
                # df.columns]: column names edited into a list of names, no step (CONVENTIONS 15: "column-name lists
                # (also when computed)"); what reads data in the element (`[df[c].mean() for c in cols]`) stays
                ops = [op for op in ops if op.op != "text_clean"
                       or op.inputs and not all(self._is_comprehension_var(node, i) for i in op.inputs)]
            for gen in node.generators:
                # [json.loads(l) for l in f], [l.strip() for l in f.readlines()] with `f = open(path)`: the lines of a
                # file read, each parsed (what-is-a-step.md, Sources: `open(...).read()` into data is a `load`)
                ops = self.lines_read(gen.iter) + ops
            source = node.generators[0].iter
            effect = self.body_effect(node.elt) if not self.names_columns(source) else None  # type: ignore[attr-defined]
            made = kb_pandas.CONTESTED_METHODS["map"][1].get(effect or "")
            if made:
                # [s.lower() for s in df["t"]]: the values of data, each cleaned (cast, filled) as map(f) would
                source_val = self.expr(source)
                if source_val.inputs:
                    ops.append(Op(made, source_val.inputs, source_val.columns, facts={"method": "comprehension"}))
            elif not ops and len(node.generators) == 1 and self._computed_per_item(node):
                # [len(t) for t in df["text"]], np.array([a / b for a, b in zip(df.a, df.b)]): a value computed
                # from each item of data, a feature derived as df["text"].map(len) / df.a / df.b would be
                # (what-is-a-step.md: "`apply`/`map` with a function: derive_feature"), not data written in the code
                source_val = self.expr(source)
                ops.append(Op("derive_feature", list(source_val.inputs), source_val.columns,
                              facts={"method": "comprehension"}))
                return Val(ops=ops, inputs=union(list(source_val.inputs),
                                                 [i for i in elt.inputs if not self._is_comprehension_var(node, i)]))
            return Val(ops=ops, inputs=[i for i in elt.inputs if not self._is_comprehension_var(node, i)])
        if isinstance(node, (ast.Lambda, ast.DictComp)):
            return Val()  # bodies run per element; their names are loop locals
        if isinstance(node, ast.Await):
            return self.expr(node.value)
        if isinstance(node, ast.JoinedStr):  # f"{search.best_score_:.2f}": what is formatted is computed
            return self._merge([self.expr(v.value) for v in node.values if isinstance(v, ast.FormattedValue)])
        return Val()

    def lines_read(self, iterable: ast.AST) -> list[Op]:
        """The load of a file whose lines a comprehension walks: a handle of a file opened for reading (`for l in f`,
        `for l in open(path)`) or what a handle's read gives (`f.readlines()`, `f.read().splitlines()`); else []."""
        walked = self.expr(iterable)
        if handle_source(walked.kind) == "file":
            return [Op("load", [], [], "lines", facts={"method": "lines"})]
        reads = [i for i, op in enumerate(walked.ops) if op.op == "load" and not op.facts.get("generated")]
        return walked.ops[reads[0]:] if reads and handle_source(self.expr(_chain_head(iterable)).kind) == "file" else []

    def _computed_per_item(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> bool:
        """One generator over data (a column, an array, `zip` of columns; not column names, not a range), no filter,
        and an element computed from the item (not the item itself, not a constant, no call of the notebook's own)."""
        generator = node.generators[0]
        if generator.ifs or _counts_positions(generator.iter) or self.names_columns(generator.iter):  # type: ignore[attr-defined]
            return False
        iterated = generator.iter
        if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name) and iterated.func.id == "zip":
            pieces = iterated.args
        else:
            pieces = [iterated]
        if not pieces or not all(isinstance(p, (ast.Name, ast.Attribute, ast.Subscript)) for p in pieces):
            return False
        values = [self.expr(p) for p in pieces]
        # (data read from a source: a grid made in code looped over, `[fit_at(q) for q in quantiles]`, is no feature)
        if not all(v.inputs and not v.answer and all(self.env.get(READ_DATA + name) for name in v.inputs)
                   and (v.picked_column or (v.kind or "").startswith(("numpy.", "pandas.Series"))) for v in values):
            return False
        element = node.elt
        if isinstance(element, (ast.Name, ast.Constant, ast.Tuple)):
            return False
        uses_item = any(isinstance(sub, ast.Name) and self._is_comprehension_var(node, sub.id)
                        for sub in ast.walk(element))
        # (a function of the notebook's or of an unknown module called per item is that function's step, or none)
        other_call = any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
                         and sub.func.id not in BUILTIN_NAMES for sub in ast.walk(element))
        return uses_item and not other_call

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
