"""Every seed the executed code sets, read from the sources with `ast` (nothing is run).

Recognised: seeding calls in kb.SEED_CALLS (`random.seed`, `np.random.seed`, `default_rng(seed)`,
`torch.manual_seed`, `tf.random.set_seed`, ...), resolved through the imports the run made
(`from numpy.random import default_rng` counts), and seed keyword arguments (`random_state=`,
`seed=`) with the call they are in. A seed given as a name bound to a literal earlier in the run
(`SEED = 7`) is recorded as that value. `default_rng()` with no argument is recorded with value None:
an unseeded generator is a reproducibility fact too.
"""

from __future__ import annotations

import ast
from typing import Any, Iterable, Optional, Sequence

from ..protocol import ExecutionRecord, SeedRecord
from . import kb
from .astutil import Scope, callee_name, parse


def seeds_in_source(source: str, scope: Optional[Scope] = None) -> list[SeedRecord]:
    """Seeds one cell sets, in source order. `scope` carries imports and constants of earlier cells
    (updated with this cell's)."""
    tree = parse(source)
    if tree is None:
        return []
    scope = scope if scope is not None else Scope()
    found: list[SeedRecord] = []
    walk = _may_seed(source, scope)
    # constants bound above a call in the same cell count: learn statement by statement
    for stmt in tree.body:
        if walk:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    found.extend(_seeds_of_call(node, scope))
        scope.learn(ast.Module(body=[stmt], type_ignores=[]))
    found.sort(key=lambda s: (s.line or 0))
    return found


# Words a seeding call or keyword spells in the source. A cell with none of them, and none of the names its run
# imported a seeding function as, sets no seed: its calls need not be walked (its bindings are still learned).
_SEED_WORDS = frozenset({name.rsplit(".", 1)[-1] for name in kb.SEED_CALLS} | kb.SEED_KEYWORDS)


def _may_seed(source: str, scope: Scope) -> bool:
    if any(word in source for word in _SEED_WORDS):
        return True
    return any(alias in source for alias, path in scope.imports.items() if path in kb.SEED_CALLS)


def _seeds_of_call(call: ast.Call, scope: Scope) -> list[SeedRecord]:
    out: list[SeedRecord] = []
    name = scope.qualified(call.func)
    kind = kb.SEED_CALLS.get(name or "")
    if kind is None and name and name.startswith("np."):  # numpy used without an import we saw
        kind = kb.SEED_CALLS.get("numpy." + name[3:])
    if kind is not None:
        arg = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg in ("seed", "x", "a")), None)
        out.append(SeedRecord(kind=kind, value=scope.value(arg) if arg is not None else None, line=call.lineno))
    for keyword in call.keywords:
        if keyword.arg in kb.SEED_KEYWORDS and kind is None:
            out.append(SeedRecord(kind=keyword.arg, value=scope.value(keyword.value), call=callee_name(call),
                                  line=keyword.value.lineno))
    return out


def seeds_in_executions(executions: Iterable[ExecutionRecord]) -> list[SeedRecord]:
    """Seeds set by these executions (in the order given, which should be execution order), each with
    the seq and cell that set it. Imports and constants carry from one execution to the next."""
    scope = Scope()
    found: list[SeedRecord] = []
    for execution in executions:
        if execution.language != "python":
            continue
        for seed in seeds_in_source(execution.source, scope):
            seed.seq, seed.cell_id = execution.seq, execution.cell_id
            found.append(seed)
    return found


_RUNS_KEPT = 32
_runs: dict[tuple, list[SeedRecord]] = {}


def seeds_of_run(executions: Sequence[Any]) -> list[SeedRecord]:
    """seeds_in_executions over a run's executions (or its first ones), kept for the last runs asked about: a run's
    stamp and every diff of its experiments read the same seeds. `executions`: records, or anything with their
    seq, cell_id, language, source and source_sha256. Copies: callers may change them."""
    key = tuple((e.seq, e.cell_id, e.language, e.source_sha256) for e in executions)
    found = _runs.get(key)
    if found is None:
        found = seeds_in_executions(executions)
        while len(_runs) >= _RUNS_KEPT:
            del _runs[next(iter(_runs))]  # the oldest first
        _runs[key] = found
    return [seed.model_copy() for seed in found]


def hash_seed_from_env(env: dict[str, str]) -> list[SeedRecord]:
    """PYTHONHASHSEED from the kernel's environment (set or not, it decides str hashing order)."""
    if "PYTHONHASHSEED" in env:
        return [SeedRecord(kind="PYTHONHASHSEED", value=env["PYTHONHASHSEED"])]
    return []
