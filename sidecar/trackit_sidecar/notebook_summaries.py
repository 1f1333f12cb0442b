"""The summary a notebook gets: the stored one while it is still current, else a new one (saved unless the file
is read-only); and the prompt a provider would be sent. Over the store and the linked lineage; the summary itself is
made by summarize/ (built-in, or a provider)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable, Optional

from . import protocol as p
from .render.words import counted
from .summarize import service
from .summarize.builtin import builtin_summary

if TYPE_CHECKING:
    from .config import Settings
    from .store import Store


class NotebookSummaries:
    def __init__(self, store: "Store", settings: "Settings", linked: Callable[[str], p.LineageDocument]) -> None:
        """`linked(notebook)`: the notebook's complete lineage document (TrackitService._linked)."""
        self.store = store
        self.settings = settings
        self._linked = linked

    def summarize(self, notebook: str, provider: Optional[str] = None, regenerate: bool = False,
                  options: Optional[dict] = None, fall_back: bool = True) -> p.SummaryResult:
        """Stored summary when still current, else a new one (CLI path; the server splits the three hops).
        `fall_back=False`: a failing provider raises ProviderError instead of giving the built-in summary."""
        doc, provider, cached = self.plan(notebook, provider, regenerate)
        if cached is not None:
            return cached
        result = self.generate(doc, provider, options, fall_back)
        if not self.store.read_only:  # a read-only file still gets its summary, it is just not kept
            self.store.save_summary(result, doc.notebook_uri)
        return result

    def plan(self, notebook: str, provider: Optional[str], regenerate: bool
             ) -> tuple[p.LineageDocument, str, Optional[p.SummaryResult]]:
        """Store-thread part: the lineage to summarise, the provider to use, and a stored summary if current."""
        provider = provider or self.settings.effective_provider
        if not self.settings.trusted:
            provider = "builtin"
        doc = self._linked(notebook)
        if not doc.executions:
            raise LookupError(f"no executions recorded for {notebook}")
        if regenerate:
            return doc, provider, None
        last = self.store.latest_summary(doc.notebook_uri, provider)
        if last is None:
            return doc, provider, None
        newer = sum(1 for e in doc.executions if _after(e.ended_at, last.created_at))
        if provider == "builtin":
            # cheap and offline: the stored text is reused only while a fresh one would say the same (an
            # edit can make results stale with no new execution)
            if newer or builtin_summary(doc) != last.markdown:
                return doc, provider, None
        last.cached = True
        if newer:  # an LLM call costs money and time: show the stored one and say it is behind
            last.warnings.append(f"{counted(newer, 'execution')} ran after this summary; regenerate to include them")
        return doc, provider, last

    def generate(self, doc: p.LineageDocument, provider: str, options: Optional[dict] = None,
                 fall_back: bool = True) -> p.SummaryResult:
        """No store access: may run on any thread (LLM calls take seconds)."""
        opts = dict(self.settings.provider_options)
        opts.update(options or {})
        return service.summarize(doc, provider, opts, fall_back=fall_back)

    def preview_prompt(self, notebook: str, provider: Optional[str] = None, options: Optional[dict] = None) -> str:
        opts = dict(self.settings.provider_options)
        opts.update(options or {})
        return service.preview_prompt(self._linked(notebook), provider or self.settings.summary_provider, opts)


def _after(a: str, b: str) -> bool:
    """ISO timestamps compared as instants (strings with different offsets or precision do not sort)."""
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) > datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return a > b
