"""Sources that are not files, and calls that only repackage data (what-is-a-step.md "Sources are steps";
CONVENTIONS 11-13, 15, 28; the facts are kb/sources.py):

- a constructor given only literals (`pd.DataFrame({"a": [1, 2]})`, `np.array([1, 2])`, a name bound to a literal)
  is a `load`; wrapping ONE existing object is a conversion; two or more existing objects side by side a `concat`;
- a NumPy grid or filled array made from numbers is a `load`, unless it is a parameter (by its name, or built
  around a fitted model) or an accumulator shaped after other data;
- a random draw (`np.random.normal`, `rng.integers`) is a `load`; so is a packaged data set's loader;
- conversions (`.copy()`, `.values`, `np.asarray(x)`, `reshape(-1, 1)`) carry `conversion=True`: the walker keeps
  one `other` only when the conversion is the whole right-hand side assigned to a new name.

Tables built from pieces by a constructor: table_constructors.py; the markers a name is bound to in `env`:
env_markers.py; what a function's or a variable's name says it does: named_ops.py.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import scipy as kb_scipy
from ..kb import sources as kb_sources
from .drawn_positions import position_draw_of
from .env_markers import WRITTEN_VALUES_MARKER
from .readers import handle_source
from .values import Op, Val, instance_class, short

RANDOM_GENERATOR = "random.Generator"
# an array filled to a shape taken from data (`Z = np.zeros((n, m))`): values written into it are plumbing (a grid to
# plot, CV folds), except predictions and metrics stored in it (`oof[va] = model.predict(...)`)
ACCUMULATOR = "numpy.accumulator()"


class SourceRules:
    """Mixin of `Cell`."""

    env: dict[str, str]

    def source_function(self, lib: str, rel: str, node: ast.Call, args: Val) -> Optional[Val]:
        """A constructor, generator, random draw or conversion function of pandas / polars / NumPy, or a scipy.stats
        distribution's draw or a scipy.sparse container; None if not one."""
        name = short(rel)
        made = self._source_function(lib, rel, name, node, args)
        if made is not None and name in kb_sources.DTYPE_CONVERSIONS.get(lib, ()) and made.ops \
                and made.ops[-1].conversion and any(k.arg == "dtype" for k in node.keywords):
            converted = made.ops[-1]
            made.ops[-1] = Op("type_cast", converted.inputs, converted.columns, None, facts={"method": name})
        return made

    def _source_function(self, lib: str, rel: str, name: str, node: ast.Call, args: Val) -> Optional[Val]:
        if lib == "numpy" and rel.startswith("random."):
            if name in kb_sources.RANDOM_GENERATOR_FACTORIES:
                return Val(kind=f"{RANDOM_GENERATOR}()")
            positions = self.row_positions_drawn(name, node, args)
            if positions is not None:
                return positions
            if name in kb_sources.RANDOM_DRAWS or (name == "choice" and node.args and _written_population(node.args[0])):
                return self.generated(args, name)
            return None
        if lib == "scipy" and rel.startswith("stats.") and rel.count(".") == 2 \
                and name in kb_scipy.DISTRIBUTION_DRAW_METHODS:
            return self.generated(args, name)  # stats.norm.rvs(size=100): a distribution's random variates (kb/scipy.py)
        if lib == "random":
            if name in kb_sources.STDLIB_RANDOM_DRAWS or (name == "choice" and node.args
                                                         and _written_population(node.args[0])):
                return self.generated(args, name)  # random.gauss(0, 1), random.choice(["a", "b"])
            return None
        if name in kb_sources.CONSTRUCTORS.get(lib, ()):
            return self.constructed(lib, name, node, args)  # type: ignore[attr-defined]
        if name in kb_sources.ARRAY_MAKING_CONVERSIONS.get(lib, ()) and node.args \
                and self._built_in_the_call(node.args[0]):
            return self.constructed(lib, name, node, args)  # type: ignore[attr-defined]
        if name in kb_sources.CONVERSION_FUNCTIONS.get(lib, ()) and (lib != "scipy" or _one_array_handed(node, args)):
            if len(node.args) == 1:
                args = Val(ops=self._columns_picked(node.args[0]) + args.ops, inputs=list(args.inputs),
                           columns=list(args.columns))
            made = self.converted(args, name, lib)
            if lib == "numpy" and name in kb_sources.DTYPE_CONVERSIONS["numpy"] and len(node.args) == 1 \
                    and self.evaluated(node.args[0]).picked_column:  # type: ignore[attr-defined]
                made.columns, made.picked_column = list(args.columns), True  # np.asarray(df["y"]): as np.array (below)
            return made
        if lib == "numpy" and name in kb_sources.REPEATING_FUNCTIONS and node.args \
                and (is_literal_data(node.args[0]) or isinstance(node.args[0], ast.Constant)):
            return self.generated(args, name)  # np.repeat(False, len(y_val)): values written in the code, repeated
        if lib == "numpy" and name in kb_sources.GRID_GENERATORS | kb_sources.FILLED_GENERATORS:
            if self._around_a_model(node):
                return Val(ops=args.ops, kind="numpy.ndarray()")  # a grid of a fitted model's parameters
            if args.inputs and name in kb_sources.FILLED_GENERATORS:
                return Val(ops=args.ops, kind=ACCUMULATOR)  # np.zeros(X.shape): an accumulator
            generated = self.generated(args, name)
            if name in kb_sources.GRID_GENERATORS:
                # evenly spaced points: data only if used as data; over the data's range (np.arange(df.x.min(),
                # df.x.max())) they are data unless the cell only draws them
                generated.ops[-1].facts["grid"] = "over_data" if args.inputs else "literal"
            return generated
        return None

    def _built_in_the_call(self, data: ast.AST) -> bool:
        """What `np.asarray` is handed is not one existing object: a list or tuple written in the call (of literals,
        or of arrays put side by side) or a name bound to values written in the code (kb ARRAY_MAKING_CONVERSIONS)."""
        if isinstance(data, (ast.List, ast.Tuple)):
            return bool(data.elts)
        env = self.env  # type: ignore[attr-defined]
        return isinstance(data, ast.Name) and env.get(data.id) == WRITTEN_VALUES_MARKER

    def generated(self, args: Val, method: str) -> Val:
        """Data generated in code: a `load` with no data inputs (what it was computed from stays in `args`)."""
        return Val(ops=args.ops + [Op("load", [], [], method, facts={"method": method, "generated": True})],
                   kind="numpy.ndarray()")

    def row_positions_drawn(self, method: str, node: ast.Call, args: Val) -> Optional[Val]:
        """`np.random.randint(0, len(neg), size=10000)`: positions of the rows of `neg` drawn to resample it, a
        `sample` of that data (drawn_positions.py); None when the draw is not bounded by the size of data."""
        data = position_draw_of(method, node)
        if data is None or not self._is_data(data):  # type: ignore[attr-defined]
            return None
        return Val(ops=args.ops + [Op("sample", [data], [], None, facts={"method": method})], inputs=[data],
                   kind="numpy.ndarray()")

    def converted(self, args: Val, method: str, lib: str) -> Val:
        op = Op("other", list(args.inputs), [], None, facts={"method": method}, conversion=True)
        return Val(ops=args.ops + [op], inputs=list(args.inputs), kind=self._frame_kind(lib))  # type: ignore[attr-defined]

    def _columns_picked(self, node: ast.AST) -> list[Op]:
        """np.asarray(df[["a", "b"]]), np.array(df[cols]): the columns picked are converted, not handed to a consumer;
        the pick stays a step, as in df[["a", "b"]].values (CONVENTIONS 12, 18)."""
        return [op for op in self.evaluated(node).ops if op.pick and op.op == "select_columns"]  # type: ignore[attr-defined]

    def _around_a_model(self, node: ast.AST) -> bool:
        """np.linspace(regr.coef_ - 3, regr.coef_ + 3): values around a fitted model's parameters."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and handle_source(self.env.get(sub.id)) is None:  # a file's lines are data
                cls = instance_class(self.env.get(sub.id, ""))
                if cls and cls.split(".", 1)[0] not in ("pandas", "polars", "numpy"):
                    return True
        return False

    def random_method(self, method: str, args: Val, node: ast.Call) -> Val:
        """A draw of a random generator bound earlier (`rng.standard_normal((2, 3))`, `rng.choice(["a", "b"], 9)`)."""
        positions = self.row_positions_drawn(method, node, args)
        if positions is not None:
            return positions
        if method in kb_sources.RANDOM_DRAWS or (method == "choice" and node.args and _written_population(node.args[0])):
            return self.generated(args, method)
        if method in ("choice", "permutation", "shuffle"):
            # rng.shuffle(a) reorders `a` in place, as np.random.shuffle(a) does: a step on `a` wherever it is written
            changed = args.inputs[0] if method == "shuffle" and len(args.inputs) == 1 else None
            return Val(ops=args.ops + [Op("sample", list(args.inputs), [], None, changed, facts={"method": method})],
                       inputs=list(args.inputs), kind="numpy.ndarray()")
        return Val(ops=args.ops)



def _one_array_handed(node: ast.Call, args: Val) -> bool:
    """`csr_matrix(X)`: one array held already, put in a sparse container. Not a tuple: a shape (`csr_matrix((3, 4))`, an
    empty matrix) or `(data, (row, col))` triplets laid out by their indices, values placed as a pivot places them
    (contested between a reshape and no step: left no step)."""
    return bool(args.inputs) and bool(node.args) and not isinstance(node.args[0], ast.Tuple)


def parameters_read(value: ast.AST) -> ast.AST:
    """What `value` reads once unwrapped from reshaping and element-wise NumPy work that keep it the same values:
    `np.abs(lda.scalings_.ravel())`, `model.coef_.T`, `np.round(m.coef_[0], 3)` -> the `m.coef_` read."""
    while True:
        if isinstance(value, ast.Subscript):
            value = value.value  # coef_[0]: part of the parameters
        elif isinstance(value, ast.Attribute) and value.attr == "T":
            value = value.value
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in kb_sources.SAME_VALUES_METHODS and not value.args:
            value = value.func.value
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.args \
                and value.func.attr in kb_sources.SAME_VALUES_FUNCTIONS and isinstance(value.func.value, ast.Name):
            value = value.args[0]
        else:
            return value


def is_literal_data(node: ast.AST) -> bool:
    """[1, 2.5, 3], [[1, 2], [3, 4]], (), []: values written in the code; also such lists joined or repeated
    (`(list(range(1, 11)) + [10] * 3) * 4`: what-is-a-step.md, "data created in code ... from literals, lists")."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        sides = (node.left, node.right)
        # each side judged once: judging it again in `all` made a long chain `a + b + c + ...` cost 2^length
        # (a 33 KB Kaggle notebook's cell took minutes)
        lists = [_is_literal_list(side) for side in sides]
        return any(lists) and all(is_list or _is_int(side) for is_list, side in zip(lists, sides))
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return False
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _written_population(node: ast.AST) -> bool:
    """What `np.random.choice` draws from, written in the code (`["a", "b", "c"]`, `range(1, 901)`): the draw makes
    values, generated data (a `load`, CONVENTIONS 28), where a choice among rows or positions of data samples them."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        return bool(node.args) and all(_is_int(arg) for arg in node.args)
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool) \
            and node.value > 1:
        return True  # np.random.choice(2, n, p=(0.9, 0.1)): draws from range(2) written as its size, as range(2) is
    return is_literal_data(node) and isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) > 1


def _is_literal_list(node: ast.AST) -> bool:
    """A list written in the code, `list(range(1, 11))`, or such lists joined or repeated."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list" and len(node.args) == 1:
        arg = node.args[0]
        return isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "range" \
            and all(_is_int(a) for a in arg.args)
    return isinstance(node, (ast.List, ast.BinOp)) and is_literal_data(node)


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)
