"""Values a cell computes only to draw them (CONVENTIONS 8: "data made only to draw a figure"; what-is-a-step.md:
"Plotting, even when the plot call computes something internally"). The one home of "computed only to draw": which
names are (`names_only_drawn`, before the cell is walked), what "inside a plot call" is (`draws_in`), and curves over
a drawn grid (`DrawnValueRules`); the walker drops the plumbing ops (kb.display.PLOT_PLUMBING_OPS) of such a name.

`names_used_as_data` (data_uses.py) finds names read only inside plot calls. A figure is often computed in a few
statements first: `z = np.arange(-7, 7, 0.1)`, `phi_z = sigmoid(z)`, `plt.plot(z, phi_z)`. Here `z` is read outside
a plot call, but only to compute `phi_z`, which is only drawn: both are made only to draw. `names_only_drawn` follows
such chains: a name is only drawn when every read of it outside a plot call computes names (an assignment's targets,
a loop's targets) that are themselves only drawn.

Only values computed point by point follow (see `_elementwise`): a statement that calls a library's method uses
its inputs as data (`Z = clf.predict(grid)`: a grid fed to predict is data, CONVENTIONS 28; a table grouped and only
drawn is still an aggregate, and what feeds it data, CONVENTIONS 8).
"""

from __future__ import annotations

import ast
from typing import Callable, Optional

from ..kb import display as kb_display
from ..kb import sources as kb_sources
from .values import MARKER, called_name


def names_only_drawn(tree: ast.Module, draws: Callable[[ast.AST], bool],
                     resolve: Callable[[str], Optional[str]]) -> frozenset[str]:
    """Names read in the cell whose every read outside a plot call computes, value by value, only names that are
    only drawn. `resolve` gives the library path a name stands for (None for the cell's own names and builtins)."""

    def into_if_elementwise(targets: list[ast.AST], value: ast.AST) -> Optional[frozenset[str]]:
        return _targets(targets) if _elementwise(value, resolve) else None

    read: set[str] = set()
    as_data: set[str] = set()
    feeds: dict[str, list[frozenset[str]]] = {}

    def visit(node: ast.AST, drawn: bool, into: Optional[frozenset[str]], local: frozenset[str] = frozenset(),
              function: Optional[str] = None) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # def sigmoid(z): return 1 / (1 + np.exp(-z)): the parameter `z` is not the cell's `z`
            local = local | {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
            inside = node.name if not isinstance(node, ast.Lambda) else None
            for child in node.body if isinstance(node.body, list) else [node.body]:
                visit(child, drawn, into, local, inside)
            return
        if isinstance(node, ast.Return) and node.value is not None and function is not None:
            # def get_y(a, b): return a + b * x: what the function returns is computed from the cell's `x` as an
            # assignment `get_y = a + b * x` would be; a call of it computes its result from it in turn
            returned = into_if_elementwise([ast.Name(function, ast.Store())], node.value)
            visit(node.value, drawn, returned, local, function)
            return
        if not drawn and isinstance(node, ast.Call):
            drawn = draws_in(node, draws)
        collector = _collector(node)
        if collector is not None and not drawn:
            # totals.append(np.dot(t[c], t.n)): the list is computed from what is appended to it, as by an assignment
            for arg in node.value.args:  # type: ignore[attr-defined]
                visit(arg, drawn, into_if_elementwise([ast.Name(collector, ast.Store())], arg), local, function)
            return
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                visit(target, drawn, into, local, function)
            visit(node.value, drawn, into_if_elementwise(targets, node.value), local, function)
            return
        if isinstance(node, (ast.For, ast.AsyncFor)):
            visit(node.target, drawn, into, local, function)
            visit(node.iter, drawn, into_if_elementwise([node.target], node.iter), local, function)
            for child in node.body + node.orelse:
                visit(child, drawn, into, local, function)
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            read.add(node.id)
            if not drawn:
                if into:
                    feeds.setdefault(node.id, []).append(into)
                else:
                    as_data.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, drawn, into, local, function)

    visit(tree, False, None)
    only_drawn = read - as_data
    changed = True
    while changed:  # the largest set closed under "feeds only names in the set"
        changed = False
        for name in list(only_drawn):
            if any(not targets <= only_drawn for targets in feeds.get(name, [])):
                only_drawn.discard(name)
                changed = True
    return frozenset(only_drawn)


def tables_made_to_draw(tree: ast.Module, draws: Callable[[ast.AST], bool]) -> frozenset[str]:
    """Names the cell makes by a plain assignment (`tmp = df[["a", "y"]].sort_values("a")`, `plot_df = t.copy()`),
    then only writes columns into (`tmp["share"] = tmp.y.cumsum() / tmp.y.sum()`, computed from itself or from any
    data) and reads only inside plot calls or in loops whose values are only drawn (`for i, v in
    enumerate(tmp.share): ax.text(i, v, ...)`): the figure's own table (CONVENTIONS 8: "data made only to draw a
    figure"; what-is-a-step.md: "Plotting, even when the plot call computes something internally" -- computed in a
    few statements first, it is still computed for the plot). A name read anywhere else (a model fitted on it, a
    value printed, an export) is data, and so is one the cell also rebinds."""
    made: dict[str, int] = {}  # name -> how many plain assignments bind it
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            made[stmt.targets[0].id] = made.get(stmt.targets[0].id, 0) + 1
    candidates = {name for name, count in made.items() if count == 1}
    if not candidates:
        return frozenset()
    allowed: dict[str, set[int]] = {name: set() for name in candidates}  # id() of the reads that only draw
    written: set[str] = set()

    def figure(call: ast.Call) -> bool:  # display(t) shows the table (IPython.display draws images, not this)
        return draws_in(call, draws) and not (isinstance(call.func, ast.Name)
                                              and call.func.id in kb_display.DISPLAY_FUNCTIONS)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and figure(node):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and sub.id in allowed:
                    allowed[sub.id].add(id(sub))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], (ast.Subscript, ast.Attribute)) \
                and (isinstance(node.targets[0], ast.Subscript) or node.targets[0].attr == "index") \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id in allowed:
            # tmp["share"] = ...: a column of the figure's table; tmp.index = tmp["date"]: its rows labelled to draw
            base = node.targets[0].value.id
            written.add(base)
            allowed[base].add(id(node.targets[0].value))
            allowed[base].update(id(sub) for sub in ast.walk(node.value)
                                 if isinstance(sub, ast.Name) and sub.id == base)
        elif isinstance(node, ast.For):
            loop_names = {sub.id for sub in ast.walk(node.target) if isinstance(sub, ast.Name)}
            drawn_reads = {id(sub) for call in ast.walk(node) if isinstance(call, ast.Call) and figure(call)
                           for sub in ast.walk(call)}
            reads = [sub for child in node.body for sub in ast.walk(child)
                     if isinstance(sub, ast.Name) and sub.id in loop_names and isinstance(sub.ctx, ast.Load)]
            if loop_names and reads and all(id(sub) in drawn_reads for sub in reads):
                for sub in ast.walk(node.iter):  # for i, v in enumerate(tmp.share): the values are only drawn
                    if isinstance(sub, ast.Name) and sub.id in allowed:
                        allowed[sub.id].add(id(sub))
    found = set()
    for name in written:
        reads = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == name
                 and isinstance(node.ctx, ast.Load)]
        if reads and all(id(read) in allowed[name] for read in reads) \
                and any(id(read) in allowed[name] for read in reads if not _in_column_write(tree, read)):
            found.add(name)
    return frozenset(found)


def _in_column_write(tree: ast.Module, read: ast.Name) -> bool:
    """The read is part of a statement writing a column of the same name (target or value)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == read.id:
            if any(sub is read for sub in ast.walk(node)):
                return True
    return False


def draws_in(node: ast.Call, draws: Callable[[ast.AST], bool]) -> bool:
    """The call draws: a plot method (`df.plot`, `ax.scatter`), a call handed the axes to draw into (`ax=ax`), or a
    function `draws` names (a plotting module's, a notebook function that only draws). The one test of "inside a plot
    call" for what is made only to draw (here and data_uses.names_used_as_data)."""
    func = node.func
    name = called_name(func)
    return name in kb_display.PLOT_METHODS or any(
        k.arg in kb_display.AXES_KEYWORDS or (k.arg in kb_display.FIGURE_KEYWORDS and not isinstance(k.value, ast.Constant))
        for k in node.keywords) \
        or draws(func)


def _collector(node: ast.AST) -> Optional[str]:
    """The list a statement appends to (`totals.append(x)`, `totals.extend(xs)`), None for any other statement."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute) \
            and node.value.func.attr in kb_display.COLLECTING_METHODS and isinstance(node.value.func.value, ast.Name) \
            and not node.value.keywords:
        return node.value.func.value.id
    return None


def _targets(targets: list[ast.AST]) -> Optional[frozenset[str]]:
    """The plain names a statement binds; None when it also writes into something (`df["c"] = ...`, `a[i] = ...`)."""
    names: set[str] = set()
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, (ast.Subscript, ast.Attribute)):
                return None
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return frozenset(names) or None


def _elementwise(value: ast.AST, resolve: Callable[[str], Optional[str]]) -> bool:
    """The value is computed point by point (arithmetic, comprehensions, NumPy functions, the cell's own functions,
    builtins) or is plot plumbing (kb.display.PLOT_PLUMBING_CALLS, subsets picked by a mask). Any other library's
    method or function (a group-by, a constructor of a table, a model's fit or predict, an imported helper) makes
    what it reads data (CONVENTIONS 8: an aggregate, a join, a prediction or a fit only drawn still counts, and so
    does what feeds it)."""
    for sub in ast.walk(value):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        if isinstance(func, ast.Name):
            path = resolve(func.id)
            if path is not None and not path.startswith(MARKER):
                return False  # pd.DataFrame imported by name, summarize(results)
        elif isinstance(func, ast.Attribute):
            if func.attr in kb_display.PLOT_PLUMBING_CALLS:
                continue  # Z.reshape(xx.shape), df[df.y == 0].sample(frac=0.15), no.append(yes), pd.concat([a, b])
            receiver = func.value
            while isinstance(receiver, ast.Attribute):
                receiver = receiver.value  # np.random.normal, np.linalg.norm
            path = resolve(receiver.id) if isinstance(receiver, ast.Name) else None
            if not (path and path.split(".", 1)[0] in ("numpy", "math")):
                return False
        else:
            return False
    return True


class DrawnValueRules:
    """Mixin of `Cell`: curves computed over a grid only to draw them."""

    drawn_grids: set[str]
    curve_values: list[ast.AST]  # the values of statements that computed such a curve

    def drawn_curve(self, ops: list, names: list[str], value: ast.AST, drawn_only: bool, grid: bool) -> list:
        """z = np.arange(-7, 7, 0.1); phi_z = sigmoid(z); c1 = [cost(x) for x in z]; plt.plot(z, phi_z): values
        computed only from a grid that is only drawn are the figure's curve, not data (CONVENTIONS 8, 28), whatever
        the function computing them is called. A model's prediction over the grid stays a prediction (26, 28)."""
        if not drawn_only or not names:
            return ops
        if grid:
            self.drawn_grids.update(names)
            return ops
        bound = {n.id for comp in ast.walk(value) if isinstance(comp, ast.comprehension)
                 for n in ast.walk(comp.target) if isinstance(n, ast.Name)}
        read = {n.id for n in ast.walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound
        is_data = self._is_data  # type: ignore[attr-defined]
        variables = {name for name in read if name in self.drawn_grids or is_data(name)}
        if variables and variables <= self.drawn_grids:
            self.drawn_grids.update(names)
            self.curve_values.append(value)
            return [op for op in ops if op.op == "predict"]
        return ops

    def jitter(self, ops: list, value: ast.AST, drawn_only: bool) -> list:
        """x = np.random.normal(i, 0.04, size=len(y)), then only plt.plot(x, y, "r."): random numbers drawn to the size
        of data already there and only drawn beside it spread its points apart (jitter): data made only to draw
        (CONVENTIONS 8), not data generated (28: "noise added to real data" is not a load either). A draw sized by
        numbers (`normals = np.random.normal(size=10)`, then drawn) is generated data, a load."""
        if not (drawn_only and ops and isinstance(value, ast.Call)) or not all(
                op.op == "load" and op.facts.get("generated") and op.facts.get("method") in kb_sources.RANDOM_DRAWS
                for op in ops):
            return ops
        sizes = [k.value for k in value.keywords if k.arg == "size"] or value.args[-1:]
        expr = self.expr  # type: ignore[attr-defined]
        sized_after_data = any(isinstance(size, ast.Call) and isinstance(size.func, ast.Name)
                               and size.func.id == "len" and expr(size).inputs for size in sizes)
        return [] if sized_after_data else ops

    def drop_columns_written_to_draw(self, tree: ast.Module, tables: frozenset[str]) -> None:
        """tmp = df[["a", "y"]].sort_values("a"); tmp["share"] = tmp.y.cumsum() / tmp.y.sum(); plt.plot(tmp.a,
        tmp.share): the columns written into the figure's own table (tables_made_to_draw) are made only to draw
        (CONVENTIONS 8). When making the table was itself a step that stays (a group-by only drawn still counts), its
        columns stay too; so do predictions and evaluations written into it (CONVENTIONS 7: they count wherever they
        appear; s[i] = mean_squared_error(...) for a validation curve)."""
        steps = self.steps  # type: ignore[attr-defined]
        for name in tables:
            making = [stmt for stmt in tree.body if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                      and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name]
            if not making or any(step.output == name and step.line is not None
                                 and making[0].lineno <= step.line <= (making[0].end_lineno or making[0].lineno)
                                 for step in steps):
                continue
            writes = [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
                      if isinstance(node, ast.Assign) and len(node.targets) == 1
                      and isinstance(node.targets[0], (ast.Subscript, ast.Attribute))
                      and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == name]
            steps[:] = [step for step in steps if not (
                step.output == name and step.line is not None
                and (step.op in kb_display.DRAWN_COLUMN_OPS or step.op == "rename")  # tmp.index = tmp["date"]
                and any(first <= step.line <= last for first, last in writes))]

    def drop_functions_only_drawn(self, tree: ast.Module) -> None:
        """def sigmoid(z): return 1 / (1 + np.exp(-z)), then only phi = sigmoid(z) over a drawn grid: the function's
        body computes the curve, so its statements are no steps either (CONVENTIONS 8); called anywhere else in the
        cell, its body stays where it is written (CONVENTIONS 1)."""
        in_curves = {id(node) for value in self.curve_values for node in ast.walk(value)}
        steps = self.steps  # type: ignore[attr-defined]
        for definition in tree.body:
            if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                     and isinstance(node.func, ast.Name) and node.func.id == definition.name]
            if calls and all(id(call) in in_curves for call in calls):
                first, last = definition.lineno, definition.end_lineno or definition.lineno
                steps[:] = [step for step in steps if step.line is None or not first <= step.line <= last]


def accumulators_only_drawn(tree: ast.AST, draws: Callable[[ast.AST], bool], filled: frozenset[str]) -> frozenset[str]:
    """Accumulators filled cell by cell of a grid (`J[i, j] = cost(...)` in loops over two axes) that the cell reads
    otherwise only inside plot calls, turned on their side or not (`J = J.T`): a surface computed to be drawn
    (CONVENTIONS 8: "building grids"). A curve filled along one axis (`scores[i] = ...`, a validation curve) is not
    a grid and keeps its evaluations (CONVENTIONS 7)."""
    filled = frozenset(node.targets[0].value.id for node in ast.walk(tree)
                       if isinstance(node, ast.Assign) and len(node.targets) == 1
                       and isinstance(node.targets[0], ast.Subscript) and isinstance(node.targets[0].value, ast.Name)
                       and node.targets[0].value.id in filled and isinstance(node.targets[0].slice, ast.Tuple)
                       and len(node.targets[0].slice.elts) >= 2)
    if not filled:
        return frozenset()
    drawn: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and draws_in(node, draws):
            drawn.update(id(sub) for sub in ast.walk(node))
    plumbing: set[int] = set()  # the accumulator's own fills and turns: J[i, j] = ..., J = J.T
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript):
                plumbing.update(id(sub) for sub in ast.walk(target))
            elif isinstance(target, ast.Name) and target.id in filled:
                plumbing.update(id(sub) for sub in ast.walk(node.value)
                                if isinstance(sub, ast.Name) and sub.id == target.id)
    found: set[str] = set()
    for name in filled:
        reads = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == name
                 and isinstance(node.ctx, ast.Load) and id(node) not in plumbing]
        if reads and all(id(read) in drawn for read in reads):
            found.add(name)
    return frozenset(found)

