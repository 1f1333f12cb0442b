"""Tables and arrays a constructor builds from what it is given (`pd.DataFrame({"a": [1, 2]})`, `np.array([x, y])`,
`pd.Series(df.c.unique())`): values written in the code are a `load`, ONE existing object wrapped is a conversion,
two or more side by side a `concat`; answers, evaluations and a model's parameters put in a table stay what they
are (what-is-a-step.md "Sources are steps"; CONVENTIONS 12-13, 27; the facts are kb/sources.py)."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import sources as kb_sources
from .env_markers import ANSWER_MARKER, COLUMN_LABELS, DICT_MARKER, PIECES_MARKER, WRITTEN_VALUES_MARKER
from .results import EVALUATED
from .values import Op, Val, chain_root, library_of, str_const


class TableConstructorRules:
    """Mixin of `Cell`."""

    env: dict[str, str]

    def _labels_beside_answers(self, table: ast.Dict, value: ast.AST) -> bool:
        """`value` names column labels (a transformer's feature names) and another value of the dict is an answer."""
        return self.names_columns(value) and any(  # type: ignore[attr-defined]
            other is not value and other is not None and self.evaluated(other).answer for other in table.values)  # type: ignore[attr-defined]

    def constructed(self, lib: str, name: str, node: ast.Call, args: Val) -> Val:
        # pd.Series(...): one column, whose `s[0] = v` puts a value at a position, where `df[0] = v` makes a column
        kind = self._frame_kind(lib)  # type: ignore[attr-defined]
        if lib == "pandas" and name == "Series":
            kind = "pandas.Series()"
        # the data is the first positional argument (pl.Series("name", values): the first after a name); the others
        # are the index, columns, dtype or schema (pd.Series(data, index)), not data put side by side
        positional = [item for item in node.args if str_const(item) is None][:1]
        data_nodes = [_as_dict_literal(item) for item in
                      positional + [k.value for k in node.keywords if k.arg in kb_sources.CONSTRUCTOR_DATA_KEYWORDS]]
        if not data_nodes or all(isinstance(item, ast.Constant) and item.value is Ellipsis or _empty_literal(item)
                                 for item in data_nodes):
            # pd.DataFrame(): an empty frame to fill; game_board = np.array(...): an exercise's blank for the reader
            # to fill (course notebooks leave `...` where the answer goes), no data yet; so is
            # pd.DataFrame([], columns=[...]), the same empty frame with its columns named (CONVENTIONS 15: column-name
            # lists are no step)
            return Val(ops=args.ops, kind=kind)
        if len(data_nodes) == 1 and isinstance(data_nodes[0], (ast.ListComp, ast.GeneratorExp)) \
                and any(op.op == "derive_feature" and op.facts.get("method") == "comprehension" for op in args.ops):
            # np.array([a / b for a, b in zip(df.a, df.b)]): values computed from each item of data, put in an
            # array: the derived feature (expressions.py), no data written in the code (a load) nor a conversion
            return Val(ops=args.ops, inputs=list(args.inputs), kind=kind)
        if lib == "numpy" and len(data_nodes) == 1 and isinstance(data_nodes[0], ast.Name) \
                and self._names_labels(data_nodes[0]):  # type: ignore[attr-defined]
            # np.array(num_variables)[selector.get_support()]: the column names as an array to pick from, names still
            # (CONVENTIONS 15: column-name lists, also when computed, are no step)
            return Val(kind=COLUMN_LABELS)
        if len(data_nodes) == 1 and isinstance(data_nodes[0], ast.Name) and self.env.get(data_nodes[0].id) == COLUMN_LABELS:
            # pd.Series(feature_names).str.extract("__(.*)") after feature_names = pre.get_feature_names_out(): the
            # labels in a Series to rewrite them, labels still (CONVENTIONS 15), not data written in the code
            return Val(kind=COLUMN_LABELS)
        distinct = data_nodes[0] if len(data_nodes) == 1 else None
        if isinstance(distinct, ast.Call) and isinstance(distinct.func, ast.Attribute) and not distinct.args \
                and distinct.func.attr in kb_sources.DISTINCT_VALUES_METHODS and args.inputs:
            # pd.DataFrame(df["loser"].unique()): the distinct values made a table the analysis goes on with, not an
            # answer shown (what-is-a-step.md, Inspection: "not data that the analysis goes on with"): the rows
            # without repeats, as drop_duplicates gives them
            op = Op("drop_duplicates", list(args.inputs), [], None, facts={"method": distinct.func.attr})
            return Val(ops=[o for o in args.ops if not o.display] + [op], inputs=list(args.inputs), kind=kind)
        scored = self._results_written_in(data_nodes)
        if scored:
            # models = pd.DataFrame({"Model": ["SVC", "KNN"], "Score": [acc_svc, acc_knn]}): the evaluations copied into
            # a results table, one evaluate (CONVENTIONS 27: "assigned summary_frame() / results tables"), as the same
            # table written column by column is (collected.results_table_built_by_column)
            return Val(ops=args.ops + [Op("evaluate", scored, [], None, facts={"method": name, "result_table": True})],
                       inputs=scored, kind=kind)
        # (beside them, labels: pd.DataFrame({"token": vect.get_feature_names(), "one_star": nb.feature_count_[0, :]})
        # is a model's parameters per feature name, a table built only from parameters, CONVENTIONS 27)
        evaluated = self.evaluated  # type: ignore[attr-defined]
        if all(evaluated(item).answer for item in data_nodes if not isinstance(item, (ast.Dict, ast.List))) and all(
                evaluated(v).answer or (v is not None and self._labels_beside_answers(item, v))
                for item in data_nodes if isinstance(item, ast.Dict) for v in item.values):
            if any(isinstance(item, ast.Dict) and item.values for item in data_nodes) or any(
                    not isinstance(item, (ast.Dict, ast.List)) for item in data_nodes):
                # pd.DataFrame({"Missing Ratio": missing_share}): a table of statistics, an answer
                return Val(ops=args.ops, kind=kind, answer=True)
        if self._lists_of_answers(data_nodes):
            # pd.DataFrame([df.mean(), df.std()]), pd.Series([len(a), len(b)]), np.array([x.mean(), y.mean()]):
            # answers written side by side are an answer, as they are through pd.concat (what-is-a-step.md,
            # Inspection); a metric among them stays an evaluate step
            return Val(ops=args.ops, kind=kind, answer=True)
        if self._aggregates_of_one_grouping(data_nodes):
            # pd.DataFrame({"n": grp.size(), "total": grp["v"].sum()}) after grp = df.groupby("k"): one grouping's
            # statistics written out as a table, as grp.agg(n=..., total=...) makes it: one aggregate (what-is-a-step.md:
            # groupby(...).agg is aggregate; CONVENTIONS 24: one step per distinct op of a call), not one aggregate
            # per column and a concat of them. Other ops on the way (`.sum().astype(int)`) count once each.
            kept: list[Op] = []
            for op in args.ops:
                if not any(seen.op == op.op for seen in kept):
                    kept.append(op)
            return Val(ops=kept, inputs=list(args.inputs), kind=kind)
        parts = self.data_pieces(data_nodes)
        written = [piece.id for piece in (table_pieces(node) if isinstance(node, ast.Call) else [])
                   if isinstance(piece, ast.Name) and self.env.get(piece.id) == WRITTEN_VALUES_MARKER]
        if written and len(parts) + len(written) >= 2:
            # pd.DataFrame([data1, data2]) of lists written in the code: each list is data, put side by side (a
            # concat, CONVENTIONS 13; written_lists.py), not data made only to draw when the table is then drawn
            # (CONVENTIONS 8 names subsets of data)
            parts += [[name] for name in dict.fromkeys(written)]
        pieces = list(dict.fromkeys(name for part in parts for name in part))  # every data name, once, in order
        if not parts and any(self._around_a_model(item) for item in data_nodes):  # type: ignore[attr-defined]
            # pd.Series(rf.feature_importances_): a table of a model's parameters, not data (CONVENTIONS 27); sorted
            # or cut later it stays one
            return Val(ops=args.ops, kind=kind, answer=True)
        if not parts and any(op.facts.get("generated") for op in args.ops):
            # pd.DataFrame(np.random.standard_normal((5, 5))): drawn already, one load; what it made is the table, its
            # step's method the constructor (`made_with`: the rules go on reading the draw's `method`)
            for op in args.ops:
                if op.op == "load" and op.facts.get("generated"):
                    op.facts["made_with"] = name
            return Val(ops=args.ops, kind=kind)
        if not parts:
            op = Op("load", [], [], name, facts={"method": name, "generated": True})
        elif len(parts) == 1 and any(self._fills_a_constant(value) for item in data_nodes if isinstance(item, ast.Dict)
                                     for value in item.values):
            # pd.DataFrame({"intercept": np.ones(n), "lstat": df.lstat}): a column of ones beside the data, a design
            # matrix (CONVENTIONS 13: "Adding a column of ones ... is derive_feature"), as np.column_stack makes it
            return Val(ops=[o for o in args.ops if not (o.facts.get("generated") and o.facts.get("method") in
                                                        kb_sources.FILLED_GENERATORS)]
                       + [Op("derive_feature", pieces, [], None, facts={"method": name})], inputs=pieces, kind=kind)
        elif len(parts) == 1:
            op = Op("other", pieces, [], None, facts={"method": name}, conversion=True)
            if len(data_nodes) == 1 and not isinstance(data_nodes[0], (ast.Dict, ast.List, ast.Tuple)):
                wrapped = self.evaluated(data_nodes[0])  # type: ignore[attr-defined]
                # targets = pd.DataFrame(score["score"]), y = pd.DataFrame(train["SalePrice"]): one column of a frame
                # wrapped alone is that column as a table, as score["score"].to_frame() is; the column picked ends
                # the assigned expression (CONVENTIONS 18: select_columns; 12: the wrap is a conversion around it)
                frame_column = isinstance(data_nodes[0], ast.Subscript) and wrapped.picked_column and not wrapped.ops \
                    and library_of(self.evaluated(data_nodes[0].value).kind) in ("pandas", "polars")  # type: ignore[attr-defined]
                # y = np.array(df["label"]): one column taken out and made an array, as df["label"].values keeps it
                # the one column picked (CONVENTIONS 18: "a single column that ends the assigned expression")
                array_column = lib == "numpy" and wrapped.picked_column
                columns = list(wrapped.columns) if frame_column else list(args.columns) if array_column else []
                return Val(ops=self._columns_picked(data_nodes[0]) + args.ops + [op],  # type: ignore[attr-defined]
                           inputs=pieces, kind=kind, columns=columns, picked_column=bool(frame_column or array_column))
        else:
            op = Op("concat", pieces, [], None, facts={"method": name})
            if written and len(written) == len(parts):
                op.facts["written"] = True
            plain = {value.id for node in data_nodes if isinstance(node, ast.Dict) for value in node.values
                     if isinstance(value, ast.Name)}
            evaluated = self.evaluated  # type: ignore[attr-defined]
            computed = [value for node in data_nodes for value in (node.values if isinstance(node, ast.Dict) else [])
                        if isinstance(value, ast.BinOp) and (inputs := evaluated(value).inputs)
                        and set(inputs) <= plain]
            if computed:
                # pd.DataFrame({"n": total, "skipped": skips, "rate": skips / total * 100}): the columns put side
                # by side (concat) and a column computed from them (what-is-a-step.md: arithmetic that creates a
                # column is derive_feature); `y = 2 * x + noise` with noise drawn elsewhere is data made (28)
                return Val(ops=args.ops + [op, Op("derive_feature", pieces, [], None, facts={"method": "arithmetic"})],
                           inputs=pieces, kind=kind)
        return Val(ops=args.ops + [op], inputs=pieces, kind=kind)

    def _results_written_in(self, data_nodes: list[ast.AST]) -> list[str]:
        """The evaluations written as a list value of a dict table (`{"Score": [acc_svc, acc_knn]}`): two or more
        names, each bound to an evaluation; else the names of a results record (results_records.py); else []."""
        for item in data_nodes:
            for value in item.values if isinstance(item, ast.Dict) else []:
                if isinstance(value, (ast.List, ast.Tuple)) and len(value.elts) >= 2 \
                        and all(isinstance(e, ast.Name) for e in value.elts) \
                        and all(EVALUATED in self.roles_in(e) for e in value.elts):  # type: ignore[attr-defined]
                    return [e.id for e in value.elts]  # type: ignore[attr-defined]
        return self.results_in_records(data_nodes)  # type: ignore[attr-defined]

    def _aggregates_of_one_grouping(self, data_nodes: list[ast.AST]) -> bool:
        """The table's data is a dict of two or more columns, each a statistic of the same grouped name
        (`grp.size()`, `grp["v"].sum()`, `grp["c"].apply(",".join)`, `grp["v"].sum().astype(int)`)."""
        if len(data_nodes) != 1 or not isinstance(data_nodes[0], ast.Dict) or len(data_nodes[0].values) < 2:
            return False
        roots = {chain_root(value) for value in data_nodes[0].values}
        if len(roots) != 1:
            return False
        root = roots.pop()
        if root is None or not (self.env.get(root) or "").startswith("grouped"):  # type: ignore[attr-defined]
            return False
        return all(isinstance(value, ast.Call) and any(
            op.op == "aggregate" for op in self.evaluated(value).ops)  # type: ignore[attr-defined]
                   for value in data_nodes[0].values)

    def _lists_of_answers(self, nodes: list[ast.AST]) -> bool:
        """Every argument is a list (or a dict of lists, rows of lists, a comprehension) whose items are answers about
        data or numbers written in the code, at least one an answer, none a metric or a prediction."""
        items: list[ast.AST] = []
        for node in nodes:
            for value in node.values if isinstance(node, ast.Dict) else [node]:
                if isinstance(value, (ast.DictComp, ast.ListComp)):
                    if any(self.lines_read(gen.iter) for gen in value.generators):  # type: ignore[attr-defined]
                        return False  # pd.DataFrame([json.loads(l) for l in f]): records read from a file, data
                    # pd.Series({c: df[c].nunique() for c in df.columns}): one answer per column
                    items.append(value.value if isinstance(value, ast.DictComp) else value.elt)
                    continue
                if not isinstance(value, (ast.List, ast.Tuple)):
                    return False
                items.extend(value.elts)
        while any(isinstance(item, (ast.List, ast.Tuple)) for item in items):
            # pd.DataFrame([[a.mean(), a.std()], [b.mean(), b.std()]]): rows of answers
            items = [sub for item in items for sub in (item.elts if isinstance(item, (ast.List, ast.Tuple)) else [item])]
        answers = [item for item in items if not isinstance(item, ast.Constant) and not _written_value(item)]
        return bool(answers) and all(
            self.is_answer_piece(item) and not any(op.op in ("evaluate", "predict") for op in self.evaluated(item).ops)
            for item in answers)

    def data_pieces(self, nodes: list[ast.AST]) -> list[list[str]]:
        """The existing data a constructor is given, one entry per piece (the data names it is computed from): the
        values of a dict or the items of a list are pieces of their own, also of a dict bound to a name earlier
        (PIECES_MARKER); any other argument is one piece, however many variables it is computed from
        (`pd.DataFrame(confusion_matrix(y, p).T)`)."""
        pieces: list[list[str]] = []
        # values read by key out of two or more dicts (rf_scores["Accuracy"], lr_scores["Accuracy"]): results kept
        # per model and put side by side; out of one dict they may be its own written values (d = {"a": [1, 2]})
        by_key = len({name for item in nodes for name in self._dicts_read_by_key(item)}) >= 2
        for item in nodes:
            marker = self.env.get(item.id, "") if isinstance(item, ast.Name) else ""
            if marker.startswith(PIECES_MARKER):
                pieces += [piece.split(",") for piece in marker[len(PIECES_MARKER):].split(";")]
                continue
            parts = item.values if isinstance(item, ast.Dict) else item.elts if isinstance(item, (ast.List, ast.Tuple)) \
                else [item]
            for part in parts:
                if part is None or self.names_column_labels(part):  # type: ignore[attr-defined]
                    continue  # pd.DataFrame({"feature": X.columns, ...}): labels name the rows, they are not data
                sizes = _size_arguments(part)
                names = self.evaluated(part).inputs or [  # type: ignore[attr-defined]
                    sub.id for sub in ast.walk(part) if isinstance(sub, ast.Name) and self.env.get(sub.id) == ANSWER_MARKER
                    and sub not in sizes
                ] or (self._dicts_read_by_key(part) if by_key else [])
                if names:  # pd.DataFrame(means25): a table of statistics computed earlier, not literals
                    pieces.append(list(names))
        return pieces

    def _fills_a_constant(self, node: Optional[ast.AST]) -> bool:
        """np.ones(n), np.zeros(len(df)): an array filled with one number."""
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in kb_sources.FILLED_GENERATORS and isinstance(node.func.value, ast.Name) \
            and self.resolve_name(node.func.value.id) == "numpy"  # type: ignore[attr-defined]

    def _dicts_read_by_key(self, node: ast.AST) -> list[str]:
        """`rf_scores["Accuracy"]`, `curves["Train Score"]`: values read out of dicts the notebook made and filled, by
        key: data that exists (a piece of a table, CONVENTIONS 13), not values written in the code."""
        return list(dict.fromkeys(sub.value.id for sub in ast.walk(node) if isinstance(sub, ast.Subscript)
                                  and isinstance(sub.value, ast.Name) and str_const(sub.slice) is not None
                                  and self.env.get(sub.value.id) == DICT_MARKER))


def _as_dict_literal(node: ast.AST) -> ast.AST:
    """`dict(x=x, y=y)` as the `{"x": x, "y": y}` it builds: the same table written two ways is the same step."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args \
            and node.keywords and all(k.arg for k in node.keywords):
        return ast.copy_location(ast.Dict(keys=[ast.copy_location(ast.Constant(k.arg), k) for k in node.keywords],
                                          values=[k.value for k in node.keywords]), node)
    return node


def table_pieces(call: ast.Call) -> list[ast.AST]:
    """What a table maker is given as its data, one item per piece: the items of its first argument's list or
    tuple, or the values of its dict (`pd.DataFrame([a, b])`, `np.column_stack((a, b))`, `pd.DataFrame({"a": a})`)."""
    if not call.args:
        return []
    data = call.args[0]
    if isinstance(data, ast.Dict):
        return list(data.values)
    return list(data.elts) if isinstance(data, (ast.List, ast.Tuple)) else []


def _size_arguments(node: ast.AST) -> set[ast.AST]:
    """The names handed to `range` or to a generator of values (`range(n)`, `np.random.randint(18, 80, n)`,
    `np.zeros(n)`) under `node`: how many values to make, not values of data (what-is-a-step.md: data created in code
    is a load), whereas a statistic bound to a name and put in a table is a piece of it."""
    sized: set[ast.AST] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "range" or name in kb_sources.RANDOM_DRAWS or name in kb_sources.GRID_GENERATORS \
                or name in kb_sources.FILLED_GENERATORS:
            for arg in list(call.args) + [k.value for k in call.keywords]:
                sized.update(sub for sub in ast.walk(arg) if isinstance(sub, ast.Name))
    return sized


def _written_value(node: ast.AST) -> bool:
    """One value written in the code with a constructor (`date(2024, 1, 5)`, `pd.Timestamp("2020-01-01")`): every
    argument a constant, so it reads no data; in a table built in code it is one more literal, not an answer about
    data (what-is-a-step.md: "data created in code ... from literals")."""
    return isinstance(node, ast.Call) and bool(node.args or node.keywords) and all(
        isinstance(arg, ast.Constant) or (isinstance(arg, ast.UnaryOp) and isinstance(arg.operand, ast.Constant))
        for arg in list(node.args) + [k.value for k in node.keywords])


def _empty_literal(node: ast.AST) -> bool:
    """`[]`, `{}`, `()`: a literal container with nothing in it."""
    return isinstance(node, (ast.List, ast.Tuple)) and not node.elts or isinstance(node, ast.Dict) and not node.keys
