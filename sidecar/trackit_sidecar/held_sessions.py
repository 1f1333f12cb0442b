"""The session views the lineage views hold: least recently used first, bounded by the executions they hold, so the
sidecar's memory for lineage stays bounded however many notebooks the editor reads. A session let go is read again
when next asked for (lineage_views.py)."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from .lineage_views import SessionView

# Executions held across all cached sessions (~8 KB each with steps and facts): the sidecar's memory for
# lineage stays bounded (~8 MB) however many notebooks the editor reads; the latest sessions of the open
# notebooks and the ones expanded fit several times over; a session let go is read again when next asked for.
# (2,500 held were ~20 MB of a sidecar at 212-254 MB after serving 25 notebooks of 2,000 runs, against a 200 MB
# target: bench_sidecar.py, memory part.)
MAX_HELD_EXECUTIONS = 1000

SessionKey = tuple[str, int]  # (notebook URI, session)


class HeldSessions:
    def __init__(self, max_executions: int = MAX_HELD_EXECUTIONS) -> None:
        self.max_executions = max_executions
        self._views: OrderedDict[SessionKey, "SessionView"] = OrderedDict()
        self.held = 0  # executions held across all views

    def get(self, key: SessionKey) -> Optional["SessionView"]:
        return self._views.get(key)

    def __contains__(self, key: SessionKey) -> bool:
        return key in self._views

    def views(self) -> list[tuple[SessionKey, "SessionView"]]:
        """Every view held, least recently used first (a copy: callers may read or let go of views meanwhile)."""
        return list(self._views.items())

    def used(self, key: SessionKey) -> None:
        """The view was read: the last to be let go."""
        self._views.move_to_end(key)

    def hold(self, view: "SessionView") -> "SessionView":
        self._views[(view.notebook_uri, view.session)] = view
        self.held += len(view.executions)
        return view

    def resized(self, change: int) -> None:
        """A view held gained (or lost) this many executions in place."""
        self.held += change

    def make_room(self, incoming: int, keep: set[SessionKey]) -> int:
        """Before reading sessions of at most `incoming` executions, let go of the least recently used others (not
        `keep`: the document being made) until their executions fit the bound: let go only after, a group of a whole
        document or of an experiments listing (~the bound each) was held on top of a full cache, twice the bound at the
        high-water mark. How many executions were let go."""
        let_go = 0
        for key in [k for k in self._views if k not in keep]:
            if self.held + incoming <= self.max_executions:
                break
            dropped = len(self._views.pop(key).executions)
            self.held -= dropped
            let_go += dropped
        return let_go

    def evict(self, keep: Optional[SessionKey] = None) -> int:
        """Let go of the least recently used sessions beyond the bound; how many executions were let go."""
        let_go = 0
        while self.held > self.max_executions and len(self._views) > 1:
            key = next(iter(self._views))
            if key == keep:
                self._views.move_to_end(key)
                key = next(iter(self._views))
            dropped = len(self._views.pop(key).executions)
            self.held -= dropped
            let_go += dropped
        return let_go

    def drop(self, notebook_uri: Optional[str]) -> None:
        """Let go of every view of a notebook (of all notebooks: None)."""
        for key in [k for k in self._views if notebook_uri is None or k[0] == notebook_uri]:
            self.held -= len(self._views.pop(key).executions)
