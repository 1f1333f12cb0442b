"""Runs inside the notebook's kernel (exec'd once before the first cell); not imported by the project.

It registers an IPython AST transformer that wraps the top-level statements whose row effect only a kernel can
tell (a filter that rebinds or makes a new name, dropna / drop_duplicates, query) with two calls that record the
rows and columns of the input just before the statement and of the result just after it. The cell's own code
and its displayed result are left as they were: the probes are separate statements that return None.
"""
import ast as _rtf_ast

_RTF = {"cell": None, "records": [], "last_expr": None}
_RTF_ROW_OPS = {"query", "dropna", "drop_duplicates", "filter"}
# Calls after the candidate op that keep every row, so the target's rows are the op's rows.
_RTF_ROW_KEEPING = {"reset_index", "copy", "sort_values", "sort_index", "rename", "astype"}
_RTF_INSPECTION = {"head", "tail", "info", "describe", "sample", "plot", "hist", "boxplot", "to_string"}


def _rtf_shape(value):
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and shape:
        described = {"type": type(value).__name__, "rows": int(shape[0]),
                     "cols": int(shape[1]) if len(shape) > 1 else None}
        columns = getattr(value, "columns", None)
        if columns is not None:  # tells a column pick or reorder from a filter that kept every row
            described["columns_hash"] = hash(tuple(str(c) for c in columns))
        return described
    if isinstance(shape, tuple):  # numpy scalar
        return {"type": type(value).__name__, "rows": None, "cols": None, "scalar": True}
    if isinstance(value, (int, float, complex, bool, str, bytes)) or value is None:
        return {"type": type(value).__name__, "rows": None, "cols": None, "scalar": True}
    try:
        return {"type": type(value).__name__, "rows": len(value), "cols": None}
    except Exception:
        return {"type": type(value).__name__, "rows": None, "cols": None}


def _rtf_before(key, thunk):
    try:
        _RTF["pending"] = (key, _rtf_shape(thunk()))
    except Exception as error:  # the statement itself will fail or the input is not there yet
        _RTF["pending"] = (key, {"error": type(error).__name__})


def _rtf_after(key, thunk):
    pending_key, before = _RTF.pop("pending", (None, None))
    try:
        after = _rtf_shape(thunk())
    except Exception as error:
        after = {"error": type(error).__name__}
    cell, line, form, op = key
    _RTF["records"].append({"cell": cell, "line": line, "form": form, "op": op,
                            "before": before if pending_key == key else None, "after": after})


def _rtf_simple(node):
    """An input expression that can be evaluated twice without side effects: names, attributes, constant keys."""
    return all(not isinstance(n, (_rtf_ast.Call, _rtf_ast.NamedExpr, _rtf_ast.Await, _rtf_ast.Yield))
               for n in _rtf_ast.walk(node))


def _rtf_is_column_pick(index):
    if isinstance(index, _rtf_ast.Constant) and isinstance(index.value, str):
        return True
    return isinstance(index, _rtf_ast.List) and all(isinstance(e, _rtf_ast.Constant) for e in index.elts)


def _rtf_row_op(value):
    """(op, input expression) of a row-selecting expression, looking through row-keeping trailing calls."""
    node = value
    while (isinstance(node, _rtf_ast.Call) and isinstance(node.func, _rtf_ast.Attribute)
           and node.func.attr in _RTF_ROW_KEEPING):
        node = node.func.value
    if isinstance(node, _rtf_ast.Call) and isinstance(node.func, _rtf_ast.Attribute):
        if node.func.attr in _RTF_ROW_OPS and _rtf_simple(node.func.value):
            return node.func.attr, node.func.value
        return None
    if isinstance(node, _rtf_ast.Subscript):
        base = node.value
        if isinstance(base, _rtf_ast.Attribute) and base.attr in ("loc", "iloc") and _rtf_simple(base.value):
            index = node.slice
            every_row = (isinstance(index, _rtf_ast.Tuple) and index.elts and isinstance(index.elts[0], _rtf_ast.Slice)
                         and index.elts[0].lower is None and index.elts[0].upper is None)
            return (base.attr + "-columns" if every_row else base.attr), base.value
        if _rtf_simple(base) and not _rtf_is_column_pick(node.slice):
            return "getitem", base
    return None


def _rtf_call(name, key, expr):
    thunk = _rtf_ast.Lambda(args=_rtf_ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                                    defaults=[]), body=expr)
    call = _rtf_ast.Call(func=_rtf_ast.Name(id=name, ctx=_rtf_ast.Load()),
                         args=[_rtf_ast.Constant(value=key), thunk], keywords=[])
    return _rtf_ast.Expr(value=call)


def _rtf_load(expr):
    return _rtf_ast.parse(_rtf_ast.unparse(expr), mode="eval").body


class _RtfWrap(_rtf_ast.NodeTransformer):
    def visit_Module(self, module):
        body, cell = [], _RTF["cell"]
        last = len(module.body) - 1
        _RTF["last_expr"] = None
        for position, stmt in enumerate(module.body):
            probe = self._probe(stmt, cell, position == last)
            if probe is None:
                body.append(stmt)
                continue
            key, source, target = probe
            body.append(_rtf_call("_rtf_before", key, _rtf_load(source)))
            body.append(stmt)
            if target is not None:
                body.append(_rtf_call("_rtf_after", key, _rtf_load(target)))
        if module.body and isinstance(module.body[-1], _rtf_ast.Expr):
            _RTF["last_expr"] = (cell, module.body[-1].lineno, _rtf_ast.unparse(module.body[-1].value))
        module.body = body
        return _rtf_ast.fix_missing_locations(module)

    def _probe(self, stmt, cell, is_last):
        if (isinstance(stmt, _rtf_ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], _rtf_ast.Name)):
            found = _rtf_row_op(stmt.value)
            if found:
                op, source = found
                target = stmt.targets[0]
                form = "rebind" if _rtf_ast.unparse(source) == target.id else "new-name"
                return (cell, stmt.lineno, form, op), source, target
        if isinstance(stmt, _rtf_ast.Expr) and isinstance(stmt.value, _rtf_ast.Call):
            call = stmt.value
            inplace = any(k.arg == "inplace" and isinstance(k.value, _rtf_ast.Constant) and k.value.value is True
                          for k in call.keywords)
            if (inplace and isinstance(call.func, _rtf_ast.Attribute) and call.func.attr in _RTF_ROW_OPS
                    and _rtf_simple(call.func.value)):
                return (cell, stmt.lineno, "inplace", call.func.attr), call.func.value, call.func.value
        if is_last and isinstance(stmt, _rtf_ast.Expr):
            found = _rtf_row_op(stmt.value)
            if found:  # the result is read from Out after the cell
                op, source = found
                _RTF["displayed_key"] = (cell, stmt.lineno, "displayed", op)
                return (cell, stmt.lineno, "displayed", op), source, None
        return None


def _rtf_flush(execution_count):
    """Records of the cell that just ran plus what it displayed, as JSON text."""
    import json
    out = get_ipython().user_ns.get("Out", {})
    pending = _RTF.pop("pending", None)
    displayed_key = _RTF.pop("displayed_key", None)
    records = _RTF["records"]
    if pending and displayed_key and pending[0] == displayed_key:
        cell, line, form, op = displayed_key
        after = _rtf_shape(out[execution_count]) if execution_count in out else None
        records.append({"cell": cell, "line": line, "form": form, "op": op, "before": pending[1], "after": after})
    shown = None
    last = _RTF.get("last_expr")
    if last and execution_count in out:
        shown = {"cell": last[0], "line": last[1], "expr": last[2], "value": _rtf_shape(out[execution_count])}
    _RTF["records"] = []
    return json.dumps({"records": records, "shown": shown}, default=str)


get_ipython().ast_transformers.append(_RtfWrap())
