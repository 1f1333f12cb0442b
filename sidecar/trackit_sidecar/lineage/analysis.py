"""Everything static TrackIT knows about one cell source: def-use plus classified steps.

The store keeps one analysis per (source sha256, ANALYZER_VERSION); bump the version whenever the
output for an unchanged source would change, so stored analyses are recomputed.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from ..protocol import Step, source_sha256
from .defuse import analyze_defuse

ANALYZER_VERSION = 3  # 3: structured Step fields (method, outputs, derived_from, model, params, conditions, ...)
PYTHON_LANGUAGES = frozenset({"python", "python3", "ipython", "ipython3", "py"})
CACHE_SIZE = 2048

log = logging.getLogger(__name__)


@dataclass
class SourceAnalysis:
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    derivations: dict[str, list[str]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    analysis_error: str | None = None  # "not analysed: <reason>"


@dataclass(frozen=True)
class _Frozen:
    """What the cache holds; every caller gets fresh lists and Step copies (attach_runtime mutates steps)."""

    reads: tuple[str, ...]
    writes: tuple[str, ...]
    derivations: tuple[tuple[str, tuple[str, ...]], ...]
    steps: tuple[dict, ...]  # Step.model_dump(): rebuilding from dicts is ~10x cheaper than a deep copy
    analysis_error: str | None

    def thaw(self) -> SourceAnalysis:
        return SourceAnalysis(
            reads=list(self.reads),
            writes=list(self.writes),
            derivations={name: list(sources) for name, sources in self.derivations},
            steps=[Step.model_validate(step) for step in self.steps],
            analysis_error=self.analysis_error,
        )


_cache: OrderedDict[tuple[str, str], _Frozen] = OrderedDict()
_cache_lock = threading.Lock()




def analyze_source(source: str, language: str = "python") -> SourceAnalysis:
    """Reads, writes, derivations and steps of one cell; non-Python cells get `analysis_error` instead."""
    if not isinstance(source, str):
        return SourceAnalysis(analysis_error=f"not analysed: source is {type(source).__name__}, not text")
    lang = (language or "").strip().lower() if isinstance(language, str) else ""
    key = (source_sha256(source), lang)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = _analyze(source, lang, language)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return cached.thaw()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _analyze(source: str, lang: str, language: object) -> _Frozen:
    if lang not in PYTHON_LANGUAGES:
        shown = lang or repr(language)
        return _Frozen((), (), (), (), f"not analysed: {shown} cell")
    defuse = analyze_defuse(source)
    if defuse.error is not None:
        return _Frozen((), (), (), (), defuse.error)
    return _Frozen(
        tuple(defuse.reads),
        tuple(defuse.writes),
        tuple((name, tuple(sources)) for name, sources in defuse.derivations.items()),
        tuple(step.model_dump(exclude_unset=True) for step in _classify(source)),
        None,
    )


def _classify(source: str) -> list[Step]:
    try:
        from .steps import classify_steps
    except ImportError:  # lineage/steps.py is written in parallel; def-use stands on its own without it
        return []
    try:
        return list(classify_steps(source))
    except Exception:  # a classifier bug must not lose the cell's reads/writes
        log.exception("classify_steps failed; storing the cell without steps")
        return []
