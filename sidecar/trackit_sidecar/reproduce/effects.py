"""What a statement does beyond its def-use, given the imports and functions known when it ran. Pure.

Decides, from `lineage/kb/effects.py` (what shows, seeds, draws, writes files) and the library tables of the
lineage knowledge base, whether a statement
- only shows something (`df.head()`, `print(x)`, `plt.show()`, `sns.histplot(df)`): `display`, never gathered
  for its own sake;
- changes state no def-use sees (`np.random.seed(0)`, `nltk.download(...)`, `%cd data`): `keep`, gathered
  whenever it ran before the target;
- reads or advances a global random generator: pseudo-names `rng:<family>`, so a draw depends on the seed and on
  every earlier draw of the same generator (a displayed `df.sample(5)` after the seed shifts later draws);
- writes or reads a file by a literal path: `file:<path>`, so an exported file a later cell loads comes along;
- may change an object through a call we cannot see into (a bare `model.train()`, a bare call of a helper
  whose body changes its argument): that object is written.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Optional

from ..experiments import kb as seed_kb
from ..lineage import kb
from ..lineage.kb import effects as fx
from .statements import Call, Unit


def _seed_family(kind: str) -> str:
    head = kind.split(".")[0]
    return seed_kb.SEED_FAMILIES.get(head, head)


# qualified call -> the global generator it seeds; calls that build a generator object of their own
SEEDS = {name: _seed_family(kind) for name, kind in seed_kb.SEED_CALLS.items() if kind not in seed_kb.GENERATOR_KINDS}
GENERATORS = frozenset(name for name, kind in seed_kb.SEED_CALLS.items() if kind in seed_kb.GENERATOR_KINDS)

# Methods known to leave their receiver alone: the knowledge base's library tables plus the read-only extras.
_LIBRARY_METHODS = frozenset(
    name for library in kb.LIBRARIES.values() for name in getattr(library, "METHODS", {})
) | frozenset(
    name for library in kb.LIBRARIES.values() for table in getattr(library, "ACCESSORS", {}).values()
    for name in table
) | frozenset(getattr(kb.pandas, "GROUP_REDUCERS", ())) | frozenset(getattr(kb.pandas, "MASK_METHODS", ()))
READ_ONLY = (_LIBRARY_METHODS | fx.READ_ONLY_METHODS | kb.INSPECTION_METHODS | frozenset(fx.PLOTTING_METHODS)
             | {"str", "dt", "cat", "loc", "iloc", "at", "iat"}) - kb.MUTATING_METHODS - kb.python.FITTING_METHODS - fx.EXPORT_METHODS


def rng(family: str) -> str:
    return f"rng:{family}"


def is_pseudo(name: str) -> bool:
    """`rng:numpy`, `file:data.csv`: a pseudo-name, not a variable."""
    return ":" in name


def file_key(path: str) -> str:
    return "file:" + posixpath.normpath(path.replace("\\", "/"))


@dataclass
class Context:
    """What the namespace holds when a statement runs, as far as effects care."""

    aliases: dict[str, str] = field(default_factory=dict)  # imported name -> dotted path
    defs: dict[str, Unit] = field(default_factory=dict)  # name -> the def / class / lambda it is bound to
    generators: set[str] = field(default_factory=set)  # names holding a generator object (rng = default_rng(1))
    instances: dict[str, Unit] = field(default_factory=dict)  # name -> the class (defined here) it is an instance of

    def resolve(self, dotted: Optional[str]) -> Optional[str]:
        """`np.random.seed` -> `numpy.random.seed`; None when the first name is no module or import."""
        if not dotted:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.defs or head in self.generators or head in self.instances:
            return None
        base = self.aliases.get(head) or kb.CONVENTIONAL_ALIASES.get(head)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base



@dataclass
class Effect:
    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)
    display: bool = False
    keep: bool = False
    opaque: bool = False  # may bind names no analysis can see (%run, `from m import *`)
    environment: Optional[str] = None  # a package install line
    seeds: list[tuple[str, str]] = field(default_factory=list)  # (family, code)
    draws: list[tuple[str, str]] = field(default_factory=list)  # (family, code) from a global generator
    unseeded_generators: list[str] = field(default_factory=list)  # default_rng() without a seed
    unordered: list[str] = field(default_factory=list)  # calls whose result order varies run to run


def classify(unit: Unit, context: Context) -> Effect:
    """The effects of `unit` in `context` (see module docstring). Does not change `context`."""
    if unit.magic is not None and unit.python_text != unit.text:
        magic_effect = _magic(unit)
        if magic_effect is not None:
            return magic_effect
    effect = Effect()
    if unit.star_import is not None:
        effect.opaque = True
    verdicts = [_call(call, unit, context, effect) for call in unit.calls]
    _module_mutation(unit, context, effect)
    if unit.is_bare and not unit.writes:
        effect.display = all(v == "display" for v in verdicts) and not effect.writes and not effect.keep
    return effect


def _short(call: Call, qualified: Optional[str]) -> str:
    if call.methods:
        return call.methods[-1]
    return (qualified or call.callee or "").rsplit(".", 1)[-1]


def _call(call: Call, unit: Unit, context: Context, effect: Effect) -> str:
    """Record the call's effects; return "display" when it changes nothing, else "effect"."""
    qualified = context.resolve(call.callee)
    short = _short(call, qualified)
    code = call.callee or short
    verdict = "effect"
    # seeds, generators and draws
    if qualified in SEEDS:
        family = SEEDS[qualified]
        effect.writes.add(rng(family))
        effect.seeds.append((family, code))
        effect.keep = True
        return "effect"
    if qualified in GENERATORS:
        if not call.positional and not any(name in ("seed", "x") for name, _ in call.keywords):
            effect.unseeded_generators.append(code)
        return "display"
    family = _global_draw(qualified)
    if family is None and (short in fx.RANDOM_STATE_TAKERS or short in fx.RANDOM_ONLY_WITH) and (
            qualified is not None or call.receiver):
        family = _random_state_draw(call, short)
    if family is not None:
        effect.reads.add(rng(family))
        effect.writes.add(rng(family))
        effect.draws.append((family, code))
        verdict = "draw"
    order_keyword = fx.UNORDERED_METHODS.get(short) if call.methods else None
    if order_keyword and dict(call.keywords).get(order_keyword) != "True":
        effect.unordered.append(code)
    if call.receiver and call.receiver in context.generators and qualified is None:
        effect.reads.add(call.receiver)
        effect.writes.add(call.receiver)
        return "effect"
    if call.receiver in context.instances and call.methods and _changes_instance(context.instances[call.receiver],
                                                                                call.methods[0]):
        effect.reads.add(call.receiver)  # regressor.train(X, y) sets regressor.weights
        effect.writes.add(call.receiver)
        return "effect"
    # files
    path = call.path_keyword or call.first_literal
    # `df.to_csv(p)`, `joblib.dump(m, p)`, `plt.savefig(p)`
    exports = qualified in fx.EXPORT_FUNCTIONS or short in fx.EXPORT_METHODS and (
        qualified is None or _under(qualified, fx.DISPLAY_MODULES))
    if path and exports:
        effect.writes.add(file_key(path))
        return "display" if verdict != "draw" else verdict
    if verdict == "draw":
        if qualified and short in kb.MUTATING_FUNCTIONS and call.positional and call.positional[0]:
            effect.writes.add(call.positional[0])  # np.random.shuffle(a)
        return verdict
    if not unit.is_bare or unit.writes:
        return "display"  # an assigned call's effect is its assignment (def-use); only bare calls need a verdict
    return _bare_call(call, qualified, short, context, effect)


def _bare_call(call: Call, qualified: Optional[str], short: str, context: Context, effect: Effect) -> str:
    if qualified is None and call.receiver and call.attributes and context.resolve(call.receiver):
        # a chain built from a module function (`pl.col("a").sum()`): judged by that function
        qualified = context.resolve(f"{call.receiver}.{call.attributes[0]}")
    if call.callee and "." not in call.callee:
        name = call.callee
        if name in context.defs:
            definition = context.defs[name]
            for position in definition.params_changed:
                if position < len(call.positional) and call.positional[position]:
                    effect.writes.add(call.positional[position])  # type: ignore[arg-type]
            return "display"
        if name in fx.NO_EFFECT_FUNCTIONS and name not in context.aliases:
            return "display"
    if qualified is not None:
        if _under(qualified, fx.DISPLAY_MODULES):
            return "display"
        if qualified in fx.DISPLAY_OPTION_FUNCTIONS or _under(qualified, fx.DISPLAY_OPTION_FUNCTIONS):
            if call.first_literal and call.first_literal.startswith(fx.DISPLAY_OPTION_PREFIXES):
                return "display"
            effect.keep = True  # pd.set_option("mode.copy_on_write", True) changes what later code computes
            return "effect"
        if short in kb.MUTATING_FUNCTIONS and call.positional and call.positional[0]:
            effect.writes.add(call.positional[0])
            return "effect"
        if qualified.split(".")[0] in kb.LIBRARIES:
            return "display"  # np.nansum(v), pd.concat([a, b]) bare: a value computed and shown
        effect.keep = True  # an unknown module function called for its effect (nltk.download, os.makedirs)
        return "effect"
    if call.receiver:
        if any(name in fx.PLOTTING_METHODS for name in call.attributes):
            return "display"
        if call.methods and call.methods[0] in READ_ONLY:
            # only the first call reaches the variable; later ones (`.sort()` after `.agg()`) act on new values
            return "display"
        effect.reads.add(call.receiver)
        effect.writes.add(call.receiver)  # an unknown method may change its receiver
        return "effect"
    if call.callee is None and call.methods:
        return "display"  # a method of a value computed in the statement (`(s > 2).sum()`): nothing named changes
    for root in call.arg_roots:
        effect.writes.add(root)
    effect.keep = True
    return "effect"


def _changes_instance(cls: Unit, method: str) -> bool:
    return method in cls.changing_methods or (method not in cls.methods and cls.inherits)


def _global_draw(qualified: Optional[str]) -> Optional[str]:
    if not qualified:
        return None
    last = qualified.rsplit(".", 1)[-1]
    if last in fx.NOT_RANDOM:
        return None
    for prefix, family in fx.RANDOM_CALLS.items():
        if prefix.endswith(".") and qualified.startswith(prefix) or qualified == prefix:
            return family
    return None


def _random_state_draw(call: Call, short: str) -> Optional[str]:
    keywords = dict(call.keywords)
    if "random_state" in keywords and keywords["random_state"] != "None":
        return None
    if short in fx.SHUFFLE_ONLY and keywords.get("shuffle") != "True":
        return None
    settings = fx.RANDOM_ONLY_WITH.get(short)
    if settings is not None and not any(keywords.get(name) in {repr(v) for v in drawing}
                                        for name, drawing in settings.items()):
        return None  # LogisticRegression() with its default solver
    if short == "sample" and call.callee and "." not in (call.callee or ""):
        return None  # a function called sample(...) of the user's own
    return "numpy"


def _under(qualified: str, modules) -> bool:
    return any(qualified == module or qualified.startswith(module + ".") for module in modules)


def _module_mutation(unit: Unit, context: Context, effect: Effect) -> None:
    """`os.environ["X"] = "1"`, `pd.options.mode.copy_on_write = True`: a module's state changed."""
    for name in unit.writes - unit.binds:
        qualified = context.resolve(name)
        if qualified is None or name in unit.binds:
            continue
        if _under(qualified, fx.DISPLAY_MODULES) or "display" in unit.text:
            continue
        effect.keep = True


def _magic(unit: Unit) -> Optional[Effect]:
    """Effects of a statement that came from an IPython magic or shell line (None: treat as Python)."""
    line = unit.magic or ""
    if line.startswith("%%"):
        return Effect(display=True)
    if "=" in line and not line.startswith(("%", "!")):
        return Effect()  # `files = !ls`: an assignment, kept when its name is needed
    if line.startswith("!"):
        words = line[1:].split()
        first = words[0] if words else ""
        if first in fx.ENVIRONMENT_SHELL_COMMANDS or (first in ("python", "python3") and "pip" in words[1:3]):
            return Effect(display=True, environment=line)
        if first in fx.DISPLAY_SHELL_COMMANDS:
            return Effect(display=True)
        return Effect(keep=True)
    if line.startswith("%"):
        words = line[1:].split()
        name = words[0] if words else ""
        if name in fx.PYTHON_STATEMENT_MAGICS:
            return None
        if name in fx.ENVIRONMENT_MAGICS:
            return Effect(display=True, environment=line)
        if name in fx.DISPLAY_MAGICS or " ".join(words[:2]) in fx.DISPLAY_MAGICS or (name == "env" and len(words) < 2):
            return Effect(display=True)
        return Effect(keep=True, opaque=name in fx.OPAQUE_MAGICS)
    if line.endswith("?") or line.startswith("?"):
        return Effect(display=True)
    return None
