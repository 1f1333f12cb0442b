"""What a notebook function's own scope tells about its names, read from its body alone (pure functions over `ast`).

A function's locals are seen whole in its body: nothing outside it reads them, so how the body uses a local says
what the local is for. The walker reads the body with these names marked (definitions.function_body):

- `keys_among_parameters`: a parameter the body compares with values (`df[df["loser"] == name]`) is a key, a
  value looked up, not data: put beside counts (`pd.Series([name, len(sub)])`) it is part of an answer.
- `locals_only_counted`: a local the body only counts (`len(sub)`, `len(sub[sub.x == name])`, `sub.shape[0]`) is
  made only to answer a question; what-is-a-step.md, Inspection: "`len(...)`, `df[mask].shape[0]` ... produce an
  answer to a question, not data that the analysis goes on with"; CONVENTIONS 9: "neither is a chain that ends in
  one". At the top of a cell a name stays data, since later cells may read it.

- `tests_one_value`: a function of one parameter whose body tests that parameter by a comparison in an `if` / `elif`
  / `while` / conditional expression (`if pm >= lo:`) works on one value at a time: a column there would raise
  "truth value of a Series is ambiguous"; so does one whose branch compares a labelled field of it (`if row["tag"] ==
  1`, or a local taken from one: `tag = row["tag"]; if tag == 1`), which works on one row at a time. So the function
  is applied to each value (CONVENTIONS 3: "the apply/agg call is the step, and the callback's body is not labelled")
  or computes single numbers (CONVENTIONS 9): its body is no step, wherever it is called from.

And what the cell around a function tells about it:

- `functions_switched_off`: a function the cell defines whose every call in the cell is commented out
  (`#df = create_age_features(df)`) and that no code of the cell reads: the author switched it off, so it is never
  called (CONVENTIONS 1: "Functions that are never called are not labelled"). A comment is not code
  (what-is-a-step.md: "Code inside strings ... is not a step"); the commented call is the evidence that the function
  was meant to be called here, and is not.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from ..kb import display as kb_display
from .values import chain_root

# What counts a table's rows: len(x), x.shape, x.size (kb.display's answers about data, by size).
COUNTING_FUNCTIONS: frozenset[str] = frozenset({"len"})
COUNTING_ATTRIBUTES: frozenset[str] = frozenset({"shape", "size"}) & kb_display.ANSWER_ATTRIBUTES


def _parameters(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = stmt.args
    return [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]


def _body_nodes(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    return [node for part in stmt.body for node in ast.walk(part)]


def keys_among_parameters(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Parameters the body compares by equality or membership with a column or another value (`col == name`,
    `name in values`) and never indexes, calls or reads an attribute of: values, not tables."""
    params = set(_parameters(stmt))
    compared: set[str] = set()
    used_as_table: set[str] = set()
    for node in _body_nodes(stmt):
        if isinstance(node, ast.Compare) and all(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn))
                                                 for op in node.ops):
            sides = [node.left, *node.comparators]
            compared.update(side.id for side in sides if isinstance(side, ast.Name) and side.id in params)
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.value, ast.Name):
            used_as_table.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            used_as_table.add(node.func.id)
    return frozenset(compared - used_as_table)


def locals_only_counted(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Names the body assigns (not parameters, not declared global) whose every read in the body is inside a count
    of themselves: `len(sub)`, `len(sub[sub.loser == name])`, `sub.shape[0]`. A name returned or read any other way
    is data the function goes on with."""
    nodes = _body_nodes(stmt)
    shared = {name for node in nodes if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names}
    assigned = {node.id for node in nodes if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    candidates = assigned - shared - set(_parameters(stmt))
    counted: set[int] = set()  # id() of the Name nodes read inside a count of their own name
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}  # `.size()` of groups aggregates
    for node in nodes:
        counted_expr = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in COUNTING_FUNCTIONS \
                and len(node.args) == 1 and not node.keywords:
            counted_expr = node.args[0]
        elif isinstance(node, ast.Attribute) and node.attr in COUNTING_ATTRIBUTES and id(node) not in called:
            counted_expr = node.value
        root = chain_root(counted_expr) if counted_expr is not None else None
        if root in candidates:
            counted.update(id(sub) for sub in ast.walk(counted_expr) if isinstance(sub, ast.Name) and sub.id == root)
    reads: dict[str, list[int]] = {}
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in candidates:
            reads.setdefault(node.id, []).append(id(node))
    return frozenset(name for name, ids in reads.items() if all(i in counted for i in ids))


_ONE_VALUE_TESTS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)


def tests_one_value(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function has exactly one parameter, and a branch condition of its body compares that bare parameter
    (`if x >= 10`, `elif x == 'yes'`, `a if x < 0 else b`); `in` / `is` tests and `len(x) > 0` do not count."""
    params = _parameters(stmt)
    if len(params) != 1 or stmt.args.vararg or stmt.args.kwarg:
        return False
    nodes = _body_nodes(stmt)
    # def make_order(row): tag = row["tag"]; if tag == 1: ...: a field of one row, compared in a branch, is one value
    # too (a column there would raise the same error), so the function works on one row at a time (apply(f, axis=1))
    fields = {target.id for node in nodes if isinstance(node, ast.Assign) and _field_of(node.value, params[0])
              for target in node.targets if isinstance(target, ast.Name)}
    tests = [node.test for node in nodes if isinstance(node, (ast.If, ast.While, ast.IfExp))]
    for test in tests:
        for node in ast.walk(test):
            if isinstance(node, ast.Compare) and all(isinstance(op, _ONE_VALUE_TESTS) for op in node.ops) \
                    and any((isinstance(side, ast.Name) and side.id in {params[0], *fields})
                            or _field_of(side, params[0]) for side in [node.left, *node.comparators]):
                return True
    return False


def _field_of(node: ast.AST, param: str) -> bool:
    """`row["tag"]`: one labelled field of the parameter."""
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == param \
        and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)


def functions_switched_off(tree: ast.Module, text: str) -> frozenset[str]:
    """Top-level functions of the cell called only in its comments: no code of the cell outside the function's own
    body names it, and a comment calls it (`# df = f(df)`)."""
    defined = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not defined:
        return frozenset()
    try:
        comments = [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline)
                    if token.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return frozenset()
    if not comments:
        return frozenset()
    switched_off: set[str] = set()
    for name, stmt in defined.items():
        own = {id(node) for node in ast.walk(stmt)}
        read = any(id(node) not in own and (isinstance(node, ast.Name) and node.id == name
                                            or isinstance(node, ast.Attribute) and node.attr == name)
                   for node in ast.walk(tree))
        if not read and any(re.search(rf"\b{re.escape(name)}\s*\(", comment) for comment in comments):
            switched_off.add(name)
    return frozenset(switched_off)
