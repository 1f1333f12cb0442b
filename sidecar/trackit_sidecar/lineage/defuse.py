"""Which names a cell reads from the notebook namespace and which it binds or changes there.

`analyze_defuse(source)` is static (no kernel) and never raises. Meaning of the result:

- reads: names the cell takes from the namespace, i.e. loaded before the cell itself bound them
  (source order). Builtins and IPython's injected names are never reads. Names used inside a
  function or lambda body are resolved when the cell ends: they are reads only if the cell never
  binds them at top level (a helper defined further down the cell is not a read).
- writes: names the cell binds at module scope (assignments, imports, def/class, for/with targets,
  walrus even inside comprehensions, match captures, `global` names a function assigns) and names
  whose object it changes: `df["x"] = ...`, `obj.a = 1`, `del df["c"]`, `lst.append(x)` and other
  mutating methods (MUTATING_METHODS), any method call with `inplace=True`. A changed object is also
  a read. `del x` counts as a write: the name's value changes (to nothing), and the next reader
  must not be linked to the earlier writer.
- Effects of a function body on module names (global assignments, mutating a global) are attributed
  to the `def` statement: we cannot know when the function is called.
- `except E as e`: Python deletes `e` when the handler ends, so it is neither a read nor a write.
- derivations: for each written name, the names its statement(s) read, in first-occurrence order,
  with names bound by imports (in this cell) or conventional module aliases (pd, np, ...) last.
  Statements are simple statements; for a compound statement only its header (`for t in it` derives
  t from it, `with e as v` derives v from e). Control dependencies (`if cond: y = 1`) are not
  derivations. A def/class derives from everything its definition reads.
- Names defined in the cell count in derivations (`df2 = df.dropna()` gives {"df2": ["df"]} even
  when df was bound earlier in the cell): derivations are the cell's internal data flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .defuse_walker import CellWalker
from .magics import preprocess
from .newer_syntax import parse_newer_fstrings


@dataclass
class DefUse:
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    derivations: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None  # "not analysed: <reason>"; reads/writes are empty then


def analyze_defuse(source: str) -> DefUse:
    """Reads, writes and derivations of one cell (see module docstring). Never raises."""
    try:
        if not isinstance(source, str):
            return DefUse(error=f"not analysed: source is {type(source).__name__}, not text")
        stripped = preprocess(source)
        if not stripped.is_python:
            return DefUse(error=f"not analysed: %%{stripped.cell_magic} cell")
        try:
            tree, _ = parse_newer_fstrings(stripped.code)
        except SyntaxError as exc:
            return DefUse(error=f"not analysed: SyntaxError: {exc.msg} (line {exc.lineno})")
        walker = CellWalker()
        walker.run(tree.body)
        return DefUse(*walker.result())
    except RecursionError:
        return DefUse(error="not analysed: code nested too deeply")
    except (ValueError, MemoryError) as exc:  # e.g. NUL bytes in the source
        return DefUse(error=f"not analysed: {type(exc).__name__}: {exc}")
