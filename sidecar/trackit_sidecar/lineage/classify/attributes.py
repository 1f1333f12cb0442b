"""What `obj.attr` is (`attribute`, reached from `expr`): a module's member, a column picked by attribute
(`df.age`), an accessor (`df.name.str`), a fitted model's results (`res.rsquared`: evaluate, `res.fittedvalues`:
predict), a composite's part or a container's object (`pipe.named_steps["search"].best_params_`). Apart from
expressions.py, which dispatches every kind of expression and keeps the kinds of values, because an attribute is read
by what it is taken from, one kind of receiver at a time."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import display as kb_display
from ..kb import library_functions as kb_library_functions
from ..kb import models as kb_models
from ..kb import pandas as kb_pandas
from ..kb import polars as kb_polars
from ..kb import sources as kb_sources
from .date_parts import date_part_of_parsed
from .readers import handle_source
from .env_markers import WRITTEN_CONTAINERS
from .sklearn_rules import FITTED_MODEL
from .values import Op, Val, casts_to_category, instance_class, library_of, union


class AttributeRules:
    """Mixin of `Cell`: `attribute`."""

    env: dict[str, str]

    def attribute(self, node: ast.Attribute) -> Val:
        recv = self.expr(node.value)
        if self._is_path(recv.kind):
            return Val(kind=f"{recv.kind}.{node.attr}")
        self.mark_chained_fit(recv, node.value, node.attr)  # type: ignore[attr-defined]  # KMeans(3).fit(X).labels_
        if node.attr in kb_sources.HANDLE_PASSING_ATTRIBUTES.get(handle_source(recv.kind) or "", ()):
            return Val(kind=recv.kind)  # spark.read: the session's reader, a handle of the same source (readers.py)
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
        if node.attr in ("index", "columns") and recv.ops and recv.ops[-1].facts.get("method") == "summary":
            return Val()  # results.summary2().tables[1].index: the names of the coefficients (CONVENTIONS 15)
        if node.attr in kb_library_functions.DATA_SET_NAME_ATTRIBUTES:
            return Val()  # class_names = train_ds.class_names: a Keras data set's class names, no column
        holder = _object_holder(node.value)
        if (recv.kind is None or recv.kind.startswith(WRITTEN_CONTAINERS)) and not recv.ops and holder is not None \
                and node.attr in kb_models.FITTED_ONLY_EVALUATION_ATTRIBUTES:
            # def print_search_info(search): print(search.best_score_): only a fitted estimator has it (kb.models);
            # also one taken out of a container or a composite first (`gridcvs[name].best_score_` in a nested-CV
            # loop, `pipe.named_steps["search"].best_score_`, `wrapper.estimators_[0].best_score_`)
            return Val(ops=[Op("evaluate", [holder], [], None, facts={"method": node.attr, "model": holder})],
                       inputs=[holder], kind="numpy.ndarray()")
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
            if date_part_of_parsed(node.attr, node.value):
                op = None  # pd.to_datetime(s).dt.date: the parse already read is the step
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


def _object_holder(node: ast.AST) -> Optional[str]:
    """The name an object is read from: `search` itself, or the container or composite it is taken out of by key,
    position or attribute (`gridcvs[name]`, `pipe.named_steps["search"]`, `wrapper.estimators_[0]`)."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
