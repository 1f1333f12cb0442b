"""A step written in a function's body (`Step.in_function`), worded as defined, not done: the cell that holds
`def encode(df): return df.replace(...)` encodes nothing when it runs; it "defines `encode`, which encodes `df`
(replace) when called". what-is-a-step.md keeps the step where it is written (Granularity), so only the words change."""

from __future__ import annotations

import re

from typing import Mapping, Optional, Sequence

from ..lineage.kb import CONVENTIONAL_ALIASES
from .words import code, join_clauses, names

# every phrase of render/phrases.py starts with one of these verbs, said of what was done; the same verb of what a
# function does when called (tests/sidecar/render/test_defined.py checks that every phrase's verb is here)
PRESENT_TENSE: dict[str, str] = {
    "aggregated": "aggregates", "appended": "appends", "applied": "applies", "built": "builds",
    "cleaned": "cleans", "computed": "computes", "concatenated": "concatenates", "converted": "converts",
    "created": "creates", "derived": "derives", "dropped": "drops", "encoded": "encodes", "evaluated": "evaluates",
    "filled": "fills", "filtered": "filters", "fitted": "fits", "joined": "joins", "kept": "keeps",
    "loaded": "loads", "made": "makes", "named": "names", "one-hot encoded": "one-hot encodes", "parsed": "parses",
    "predicted": "predicts", "ran": "runs", "recomputed": "recomputes", "removed": "removes", "renamed": "renames",
    "reset": "resets", "reshaped": "reshapes", "sampled": "samples", "scaled": "scales", "selected": "selects",
    "set": "sets", "sorted": "sorts", "split": "splits",
}
_LEADING_VERB = re.compile("^(" + "|".join(sorted(map(re.escape, PRESENT_TENSE), key=len, reverse=True)) + r")\b")


def present_tense(clause: str) -> str:
    """"encoded `df` (replace)" -> "encodes `df` (replace)": the clause's leading verb said of what a call does. A verb
    the table lacks stays as it is (the test above keeps the table whole)."""
    return _LEADING_VERB.sub(lambda found: PRESENT_TENSE[found.group(1)], clause, count=1)


def as_defined(function: str, clauses: list[str], derivations: Mapping[str, Sequence[str]] = {}) -> str:
    """"defines `encode`, which encodes `df` (replace) when called": lower-case, as render/phrases.py's clauses.
    `derivations`: the execution's (written name -> names it was computed from); when the same cell computed a
    variable from the function (`df = clean(df)`), that is said too: a helper's call is no step (CONVENTIONS 1), so
    "defines" alone read as if the cell changed nothing."""
    said = f"defines {code(function)}, which {join_clauses([present_tense(c) for c in clauses])} when called"
    called = calls(function, derivations)
    return said + (f", and {called}" if called else "")


def calls(function: str, derivations: Mapping[str, Sequence[str]]) -> Optional[str]:
    """"calls it on `df`": what the cell computed from the function it defines (its execution's `derivations`), or
    None when it computed nothing from it (the summary's "In short" says it after "defines `clean`" too)."""
    # a module the statement also used is no argument: `models = pd.DataFrame([fit_model(x) for x in quantiles])`
    # read "calls it on `quantiles` and `pd`" (statsmodels quantile regression, cell 9)
    said = [_call(written, [n for n in sources if n != function and n not in CONVENTIONAL_ALIASES])
            for written, sources in derivations.items() if function in sources and written != function]
    return join_clauses(said) if said else None


def _call(written: str, arguments: list[str]) -> str:
    """"calls it on `df`" (the result back into its one argument), "calls it on `a` and `b` into `c`"."""
    if arguments == [written]:
        return f"calls it on {code(written)}"
    return f"calls it on {names(arguments)} into {code(written)}" if arguments else f"calls it into {code(written)}"
