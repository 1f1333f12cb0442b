"""Which pandas objects a cell names only to read them: such an object, still the same object with the same shape,
columns and dtypes after the cell, holds the data it held before (copy-on-write: a write through pandas' API gives the
object memory of its own, and a read hands out read-only numpy views), so its measurement before the cell stands for
after it too, and it is not measured again (tracking._post).

A name counts as only read when every mention of it in the code is a read (read_only_mentions, from the code alone):
the root of a chain of attribute reads, subscript reads and calls of methods that do not work in place, whose value is
used (a new object), or the object itself displayed or given to a builtin that reads it, or (alone or in a list or
tuple) to one of pandas' READING_PANDAS_FUNCTIONS (`pd.merge(a, b)`, `pd.concat([a, b])`). Anything else is taken to
write it: a store or del through it, a method of MUTATING_METHODS or a call with inplace=, the object itself given to
any other function or bound to another name, a mention in a string or a comment (a magic, `eval`, `query`), code that
does not parse. A cell that uses anything the notebook defined (a function, a class or an instance of one:
notebook_code.notebook_defined: also a module of its own, kern22), which could write any object, reads nothing only;
nor does a cell that calls a method of an object other than a pandas object, a library module or one that cannot
reach data (cannot_reach_data: a library's instance may hold a frame it was given); nor does any cell of a kernel that
ran code that may hand out a handle on memory user code can write (hands_out_memory: `.array`, `.values`,
`copy=False`, ...), which a later cell could write through without naming the object. Limit: such code in a module the
notebook imports is not seen."""

from __future__ import annotations

import ast
import re
import types
from collections import Counter

from .cell_source import MUTATING_METHODS, parsed

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_AST = ast.AST

# Attributes that hand out memory user code can write (pandas 3 gives a writable NumpyExtensionArray from `.array`; a
# numpy view's flags can be made writable, its base can be the writable block) or pass the object itself to a callable
# (`pipe`): a cell that reads one anywhere may write what it names without a store.
WRITABLE_HANDLES = frozenset({"array", "values", "to_numpy", "flags", "setflags", "ctypes", "base", "pipe",
                              "__array__", "__array_interface__", "__dict__"})
# Private attributes count too (`_mgr`, `_values`), but for IPython's display methods (`_repr_html_`), and so do special
# methods (`df.loc.__setitem__`, kern22) but for these, which read. Not `.data`: an array's memoryview is as writable
# as the array, which needs one of the above first (and `u.data` is a file's name).
READING_DUNDERS = ("name", "qualname", "module", "doc", "class", "version", "len", "repr", "str")
_DUNDER = r"__(?!(?:" + "|".join(READING_DUNDERS) + r")__\b)"
_PRIVATE = re.compile(r"_(?!repr_)[A-Za-z]|" + _DUNDER)
# Code that may leave the user a handle on a pandas object's memory: such an attribute read as code spells it (also in a
# string or a function's body), or an object built over an array the user keeps (`copy=False`). A write through that
# handle in a later cell that does not name the object is seen when a cell names it next, by measuring it again: once
# a kernel ran such code, no object counts as only read (hands_out_memory).
# `np.array(...)`, `pd.array(...)` make new arrays: the libraries' functions of those names hand out nothing. The
# look-behinds follow the dot (`\.(?<!\bnp\.)`, the same as `(?<!\bnp)\.`), so they are tried at dots only, not at
# every character of the code (~4x faster: this runs on every cell).
LIBRARY_ALIASES = ("np", "pd", "numpy", "pandas")
_HANDING_OUT = re.compile(r"\." + "".join(rf"(?<!\b{alias}\.)" for alias in LIBRARY_ALIASES)
                          + r"\s*(?:_(?!repr_)[A-Za-z]|" + _DUNDER
                          + "|(?:" + "|".join(sorted(WRITABLE_HANDLES)) + r")\b)"
                          + r"|\bcopy\s*=\s*False\b")
# A named object smaller than this many values (rows x columns) is measured again rather than the cell's code read for
# it, but while cells come back to back (a Run All: Probe._in_burst): parsing and reading a short cell costs ~0.1-0.2
# ms in a kernel, in the cell's hooks, while measuring such a frame costs about that after the cell's reply; in a burst
# that measuring is in the next cell's hooks (with the snapshot's), and the tree is kept for when the facts are built
# (cell_source.PARSED_CODES), which parses it anyway for a cell that binds a name. Measured (bench_runtime_capture): in
# a Run All, read for at any size, pandas_merge 17.0 vs 19.0 ms in-kernel CPU, 03.07-Merge-and-Join 26.3 vs 26.2 (4
# rounds); cell by cell, the synthetic notebook's hooks per heavy cell p95 1.21 vs 0.95 ms (3 rounds).
READ_CODE_MIN_VALUES = 10_000
# Indexers hold the object they index: bound to a name, a later subscript store through it writes the object.
INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
# Builtins that run code from a string or reach the namespace by name (`exec(code)` of a string made in another cell):
# a cell that uses one reads nothing only.
CODE_RUNNERS = frozenset({"exec", "eval", "compile", "globals", "locals", "vars", "get_ipython", "__import__"})
# Bindings that are neither an ast.Name nor an import's ast.alias: their `name` (None: binds nothing, `except E:`).
_BINDER_CLASSES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
                             ast.MatchStar})
# Builtins the object itself may be given to, which only read it.
READING_BUILTINS = frozenset({"len", "print", "repr", "str", "type", "id", "isinstance", "display"})
# Functions of the pandas module the object itself (or a list or tuple of objects) may be given to, which only read it
# and give back a new object (pandas 3: anything a result shares with its inputs is copied when written): the notebooks
# that merge or concatenate big frames hand them to these, mostly (`pd.merge(movies, ratings)`). Not `to_numeric`
# and the like, whose result may be the input's memory under another wrapper.
READING_PANDAS_FUNCTIONS = frozenset({"merge", "merge_asof", "merge_ordered", "concat", "crosstab", "pivot_table",
                                      "melt", "get_dummies", "isna", "isnull", "notna", "notnull"})


def read_only_mentions(source: str, pandas_names: frozenset[str] = frozenset()) -> \
        tuple[frozenset[str], frozenset[str]] | None:
    """(names the code mentions only to read what they hold, names it may change what they hold through: a mention that
    is neither a read nor a plain rebinding), or None when it reads a writable handle (WRITABLE_HANDLES), uses one of
    CODE_RUNNERS or does not parse: then no name counts as only read. `pandas_names`: the names that hold the pandas
    module (an object given to one of its READING_PANDAS_FUNCTIONS is read). Pure."""
    mentions = cell_mentions(source, pandas_names)
    return None if mentions is None else mentions[:2]


def cell_mentions(source: str, pandas_names: frozenset[str] = frozenset()) -> \
        tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]], frozenset[str]] | None:
    """read_only_mentions' two sets and, third, the names the code changes only by whole-column stores
    (`df["label"] = ...`, column_store) and otherwise only reads, each with the labels it stores: every other column of
    the frame such a name holds keeps its data (copy-on-write: a column store replaces that column's array and writes
    none of the others), if no other name changed it. Those names are also in the second set. Fourth, the names a
    method is called through (`x.run()`, `x.a.b(...)`, `x[0].m()`): a pandas object's methods are judged here
    (MUTATING_METHODS), any other object's may write what it holds (tracking._only_read). Pure."""

    try:
        tree = parsed(source)
    except (SyntaxError, ValueError):
        return None
    parents: dict = {}
    names: list = []
    binders: list = []  # (name, node) of each binding that is no ast.Name (import, def, class, except ... as)
    todo = [tree]
    while todo:  # every node once (ast.walk would list each node's children a second time, for `parents`)
        node = todo.pop()
        # ast.iter_child_nodes inlined (the same children in the same order, but a load/store/del context: no node
        # below it, and no check here reads one): its two generators cost as much as the rest
        for field in node._fields:
            if field == "ctx":
                continue
            value = getattr(node, field, None)
            if isinstance(value, _AST):
                parents[value] = node
                todo.append(value)
            elif isinstance(value, list):
                for child in value:
                    if isinstance(child, _AST):
                        parents[child] = node
                        todo.append(child)
        # ast.parse makes nodes of these very classes (no subclass): a type test stands for isinstance
        kind = type(node)
        if kind is ast.Attribute:
            if (node.attr in WRITABLE_HANDLES or _PRIVATE.match(node.attr)) \
                    and not (isinstance(node.value, ast.Name) and node.value.id in LIBRARY_ALIASES):
                return None
        elif kind is ast.Name:
            if node.id in CODE_RUNNERS:
                return None
            names.append(node)
        elif kind is ast.alias:  # `import a.b` binds a
            binders.append((node.asname or node.name.partition(".")[0], node))
        elif kind in _BINDER_CLASSES and node.name:
            binders.append((node.name, node))
    mentions = Counter(_IDENTIFIER.findall(source))
    as_names = Counter(node.id for node in names)
    not_read = [node for node in names if not _reads_only(node, parents, pandas_names)]
    written = {node.id for node in not_read}
    only_read = frozenset(name for name, count in as_names.items() if name not in written and mentions[name] == count)
    # a rebinding (`x = ...`, `for x in ...`, `del x`) changes no object; `x += ...` may (a list's +=)
    changed_through = frozenset(node.id for node in not_read if isinstance(node.ctx, ast.Load)
                                or isinstance(parents.get(node), ast.AugAssign))
    if _bound_again(not_read, changed_through, names, binders, parents):
        return None
    stores: dict[str, set] = {}
    for node in not_read:
        stores.setdefault(node.id, set()).add(column_store(node, parents))
    column_stores = {name: frozenset(labels) for name, labels in stores.items()
                     if None not in labels and mentions[name] == as_names[name]}
    called_through = frozenset(node.id for node in names
                               if isinstance(node.ctx, ast.Load) and _calls_through(node, parents))
    return only_read, changed_through, column_stores, called_through


def _calls_through(name, parents: dict) -> bool:
    """Whether this mention of a name (an ast.Name) is the root of a chain of attribute reads, subscripts and calls
    that calls a method (an attribute of what came before)."""
    node, parent = name, parents.get(name)
    while True:
        if isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node:
            pass
        elif isinstance(parent, ast.Call) and parent.func is node:
            if isinstance(node, ast.Attribute):
                return True
        else:
            return False
        node, parent = parent, parents.get(parent)


def _bound_again(not_read: list, changed_through: frozenset, names: list, binders: list, parents: dict) -> bool:
    """Whether a name the code may change an object through is bound at the cell's level after such a mention, or
    anywhere in the cell while that mention is in a loop or comprehension (run again after a binding): then the value it
    has after the cell, which tracking._only_read judges, need not be the one changed through (`frames[0].loc[0, "a"]
    = -1` then `frames = None`). A comprehension's or a function's own names are not the cell's (a function the cell
    defines and calls is notebook_defined)."""

    mentions: dict = {}  # name -> (its first mention changed through, whether one such mention repeats)
    for node in not_read:
        if node.id in changed_through and (isinstance(node.ctx, ast.Load) or isinstance(parents.get(node), ast.AugAssign)):
            first, repeats = mentions.get(node.id, ((node.lineno, node.col_offset), False))
            mentions[node.id] = (min(first, (node.lineno, node.col_offset)), repeats or _repeated(node, parents))
    if not mentions:
        return False
    bindings = [(node.id, node) for node in names if not isinstance(node.ctx, ast.Load)] + binders
    for name, node in bindings:
        if name in mentions and _binds_at_cell_level(node, parents):
            first, repeats = mentions[name]
            if repeats or (node.lineno, node.col_offset) > first:
                return True
    return False


def _repeated(node, parents: dict) -> bool:
    """Whether this node may run more than once: in a loop's body or test, or in a comprehension."""

    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)) or (
                isinstance(parent, (ast.For, ast.AsyncFor)) and child is not parent.iter):
            return True
        child, parent = parent, parents.get(parent)
    return False


def _binds_at_cell_level(node, parents: dict) -> bool:
    """Whether this binding binds a name of the cell's namespace: not inside a function, lambda or class body, nor a
    comprehension's target (its own scope); an assignment expression (`:=`) binds the enclosing scope's name."""

    child, parent = node, parents.get(node)
    walrus = isinstance(parent, ast.NamedExpr)
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) and child is not node:
            return False
        if isinstance(parent, ast.comprehension) and child is parent.target and not walrus:
            return False
        child, parent = parent, parents.get(parent)
    return True


def hands_out_memory(source: str) -> bool:
    """Whether the code may leave the user a handle on a pandas object's memory (_HANDING_OUT). Pure."""
    return _HANDING_OUT.search(source) is not None


def _reads_only(name, parents: dict, pandas_names: frozenset[str] = frozenset()) -> bool:
    """Whether this mention of a name (an ast.Name) only reads the object it holds."""

    if not isinstance(name.ctx, ast.Load):
        return False
    node, parent = name, parents.get(name)
    if isinstance(parent, ast.Tuple) and isinstance(parents.get(parent), ast.Subscript):  # `df.loc[rows, col]`
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Subscript) and parent.slice is node:  # a key (`df[col]`, `df[mask]`): looked up, read
        return True
    node, parent = name, parents.get(name)
    while True:
        if isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node:
            if not isinstance(parent.ctx, ast.Load):
                return False
        elif isinstance(parent, ast.Call) and parent.func is node and isinstance(node, ast.Attribute):
            if node.attr in MUTATING_METHODS or any(
                    keyword.arg is None or (keyword.arg == "inplace" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False))
                    for keyword in parent.keywords):
                return False
        else:
            break
        node, parent = parent, parents.get(parent)
    if node is not name:  # a value made from the object (a new object), or an indexer of it
        return not (isinstance(node, ast.Attribute) and node.attr in INDEXERS)
    if isinstance(parent, ast.Expr):  # displayed, or nothing
        return True
    if isinstance(parent, ast.Call) and name in parent.args and isinstance(parent.func, ast.Name) \
            and parent.func.id in READING_BUILTINS:
        return True
    if isinstance(parent, (ast.List, ast.Tuple)) and isinstance(parent.ctx, ast.Load):  # `pd.concat([a, b])`
        node, parent = parent, parents.get(parent)
    return isinstance(parent, ast.Call) and node in parent.args and _reading_pandas_call(parent, pandas_names)


def column_store(name, parents: dict) -> str | None:
    """The label of a whole-column store this mention of a name (an ast.Name) is the frame of, `name["label"] = ...`
    (a plain assignment's target, the label a string), else None. Not `+=` (the object the name holds may define it),
    nor a target unpacked from a tuple."""

    subscript = parents.get(name)
    if not (isinstance(subscript, ast.Subscript) and subscript.value is name and isinstance(subscript.ctx, ast.Store)
            and isinstance(subscript.slice, ast.Constant) and type(subscript.slice.value) is str):
        return None
    statement = parents.get(subscript)
    return subscript.slice.value if isinstance(statement, ast.Assign) and subscript in statement.targets else None


def _reading_pandas_call(call, pandas_names: frozenset[str]) -> bool:
    """`pd.merge(...)`: one of READING_PANDAS_FUNCTIONS called on a name that holds the pandas module, with no `**`
    arguments (they could say anything)."""

    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in READING_PANDAS_FUNCTIONS \
        and isinstance(func.value, ast.Name) and func.value.id in pandas_names \
        and all(keyword.arg is not None for keyword in call.keywords)


# What a change through another name cannot bring to a pandas object's data: an immutable scalar, code (calling it is
# judged by notebook_code.notebook_defined), a module of these libraries (by the name of its top package), which hold
# no frame of the user's and are changed through for their settings (`pd.options.display.max_columns = 45`,
# `plt.rcParams["figure.figsize"] = ...`). Not any module (kern22): a notebook's own module can hold the frame a cell
# reads under another name (`mymod.df.loc[0, "a"] = -1`), and `sys`, `builtins`, `gc`, `inspect`, `IPython`,
# `__main__` reach the notebook's namespace.
SETTINGS_LIBRARIES = frozenset({"pandas", "numpy", "matplotlib", "seaborn", "plotly", "sklearn", "scipy", "statsmodels",
                                "warnings"})
_SCALAR_TYPES = frozenset({int, float, bool, complex, str, bytes, type(None)})
MAX_SCANNED_ITEMS = 10_000  # items of a list, tuple, set or dict looked at for such a change (more: taken as a change)


# Classes (by their module, or the package it is in) whose instances' methods a cell may call without writing a frame:
# pandas' and numpy's arrays, whose methods that work in place the code's reading judges (MUTATING_METHODS), and
# objects that hold no frame of the user's (a random generator, a figure: its artists' data are copies or read-only
# views, and no method writes them; a file, a pattern, a date, a path).
JUDGED_OR_FRAMELESS_CLASSES = ("pandas", "numpy", "numpy.random", "matplotlib", "_io", "re", "datetime", "pathlib")


_CLASS_MODULE = type.__dict__["__module__"]  # type's own getter: a metaclass's `__module__` property is not run


def method_writes_no_frame(obj) -> bool:
    """Whether a method of obj may be called without writing a frame's data (JUDGED_OR_FRAMELESS_CLASSES)."""
    try:
        module = _CLASS_MODULE.__get__(type(obj), type)
    except Exception:
        return False
    if type(module) is not str:
        return False
    root, _, rest = module.partition(".")
    return root in JUDGED_OR_FRAMELESS_CLASSES or (
        f"{root}.{rest.partition('.')[0]}" in JUDGED_OR_FRAMELESS_CLASSES)


def pandas_own(obj) -> bool:
    """Whether obj is an instance of one of pandas' classes (a frame, a GroupBy, an Index, ...). Reads the class's own
    __dict__ only."""
    module = vars(type(obj)).get("__module__")
    return type(module) is str and module.partition(".")[0] == "pandas"


def cannot_reach_data(obj) -> bool:
    """Whether a change made through obj (a name the cell may change what it holds through, other than a pandas object)
    cannot change any pandas object's data: a scalar, a function or class, a module of SETTINGS_LIBRARIES, or a list,
    tuple, set or dict of scalars. A numpy array can be the memory a frame was built over; a container can hold a
    frame; a library's instance, a frame it was given."""
    kind = type(obj)
    if kind in _SCALAR_TYPES or isinstance(obj, (types.FunctionType, type)):
        return True
    if isinstance(obj, (types.MethodType, types.BuiltinFunctionType)):  # a bound method writes what it is bound to
        bound_to = obj.__self__  # `setter = df.update`; a builtin function's module (`len`), a classmethod's class
        return bound_to is None or isinstance(bound_to, (types.ModuleType, type)) or cannot_reach_data(bound_to)
    if isinstance(obj, types.ModuleType):
        name = vars(obj).get("__name__")
        return type(name) is str and name.partition(".")[0] in SETTINGS_LIBRARIES
    if kind in (list, tuple, set, frozenset, dict):
        items = list(obj.items()) if kind is dict else obj
        if len(items) > MAX_SCANNED_ITEMS:
            return False
        flat = [part for item in items for part in item] if kind is dict else items
        return all(type(item) in _SCALAR_TYPES for item in flat)
    return False
