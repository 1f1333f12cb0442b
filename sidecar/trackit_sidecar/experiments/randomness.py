"""What an experiment ran that draws random numbers no seed fixes (`Experiment.unseeded_draws`), so `trackit show`
warns "results may vary between runs" only where that is true.

Two sources, one knowledge base (`lineage/kb/effects.py`, through `reproduce/effects.py`, which `replay --verify`
reads too):
- the slice's statements, in order: a draw from a global generator no earlier statement seeded
  (`train_test_split(X, y)`, `df.sample(5)`, `RandomForestClassifier()`, `np.random.rand(3)`), and a generator made
  without a seed. A function or class body counts where it is defined: its draws happen when it is called.
- the model's recorded parameters (the kernel's `get_params`): `random_state=None` with a setting that draws
  (`solver="saga"`), including a search's grid that tries one.

The answer is a list only when every class the model is made of is known (kb DRAW_NOTHING, RANDOM_ONLY_WITH,
RANDOM_STATE_TAKERS): an empty list then says nothing the experiment ran draws random numbers. Otherwise None:
unknown (no model, a Keras model, a torch module), and the warning stays.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

from ..lineage.kb import effects as kb
from ..protocol import ExecutionRecord, ModelFingerprint
from ..reproduce import effects as fx
from ..reproduce.statements import Unit, split_cell

NUMPY = "numpy"  # the global generator an estimator without random_state draws from
_HELD_ESTIMATOR = re.compile(r"^([A-Za-z_]\w*)\(\)$")  # how the kernel probe records an estimator held in a parameter


@dataclass(frozen=True)
class SliceDraws:
    """What the slice's code draws with no seed, read from the sources only (build.py keeps it per slice)."""

    draws: tuple[str, ...]
    seeded: frozenset[str]  # the global generators the slice seeds


def unseeded_draws(read: SliceDraws, model: Optional[ModelFingerprint]) -> Optional[list[str]]:
    """The code of each call in the slice (and the model, by its parameters) that draws random numbers no seed fixes,
    in order and once each; None when the model is missing or made of a class the knowledge base does not know."""
    if model is None or not all(_known(name) for name in model_classes(model)):
        return None
    found = list(read.draws)
    if NUMPY not in read.seeded:
        named = {code.rsplit(".", 1)[-1] for code in found}  # `ensemble.RandomForestClassifier` names the class too
        found += [code for code in _drawing_settings(model) if code not in named]
    return list(dict.fromkeys(found))


def slice_draws(executions: Iterable[ExecutionRecord]) -> SliceDraws:
    found: list[str] = []
    seeded: set[str] = set()
    context = fx.Context()
    for execution in executions:
        if execution.language != "python":
            continue
        for unit in _units(execution.source):
            effect = fx.classify(unit, context)
            seeded.update(family for family, _ in effect.seeds)
            context.aliases.update(unit.imports)
            found += [code for family, code in effect.draws if family not in seeded]
            found += effect.unseeded_generators
    return SliceDraws(tuple(found), frozenset(seeded))


def model_classes(model: ModelFingerprint) -> list[str]:
    """The model's class and those of the estimators its parameters hold (a pipeline's steps, a search's estimator)."""
    return [model.class_name, *(m.group(1) for value in _leaves(model.params)
                                if isinstance(value, str) and (m := _HELD_ESTIMATOR.match(value)))]


def _known(name: str) -> bool:
    return name in kb.DRAW_NOTHING or name in kb.RANDOM_ONLY_WITH or name in kb.RANDOM_STATE_TAKERS


def _drawing_settings(model: ModelFingerprint) -> list[str]:
    """`LogisticRegression(solver='saga')` read off the fitted model's parameters (`**params`, a grid over solvers):
    the static reading sees only the literal keywords of a call."""
    if model.source != "kernel" or model.params.get("random_state") is not None:
        return []  # seeded; a composite has no random_state of its own, its grid is read below
    if model.class_name in kb.RANDOM_STATE_TAKERS and "random_state" in model.params:
        return [model.class_name]  # the same as the static reading's, when it saw the constructor
    settings: dict[str, frozenset] = {}
    for name in model_classes(model):
        settings.update(kb.RANDOM_ONLY_WITH.get(name, {}))
    for params in (model.params, model.best_params or {}):
        for key, value in _pairs(params):
            setting = key.rsplit("__", 1)[-1]  # a grid's "model__solver"
            values = value if isinstance(value, list) else [value]
            drawing = [v for v in values if setting in settings and _hashable(v) and v in settings[setting]]
            if drawing:
                return [f"{model.class_name}({setting}={drawing[0]!r})"]
    return []


def _units(source: str) -> Iterator[Unit]:
    """A cell's statements, and those of every function or class body it defines (flattened, in order)."""
    for unit in split_cell(source).units:
        yield unit
        if isinstance(unit.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _units("\n".join(ast.unparse(stmt) for stmt in unit.node.body))


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _pairs(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) in nested dicts and lists (a grid is a dict or a list of dicts)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key), item
            yield from _pairs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _pairs(item)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float)) or value is None
