"""KernelContexts: what the earlier cells of each notebook's kernel session bound (lineage.analysis's context:
`model = RandomForestClassifier()` makes a later `model.predict(X)` name that class), the context the service
classifies a new cell in.

A context belongs to one kernel session: an execution is placed as the writer will place it (store.place_execution,
from where the notebook's numbering stands), and one that starts a new session (a kernel restart: a new kernel id, or
the counter back to 1) starts with nothing bound. After a sidecar restart the session's context is read back from the
store: the bindings stored with its latest batch (one row), then the executions stored after them analysed on top
(a spool merge's; every execution of a session recorded before schema 13, at most the last READ_BACK_EXECUTIONS).
The service stores what each batch changed in its sessions' contexts with it (`changes`), so the read-back costs a
few queries, not seconds of analysis before the first new cell can be stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Optional

from . import protocol as p
from .lineage.analysis import analysed_in_order
from .store import NotebookState, Store, place_execution

log = logging.getLogger(__name__)

# Executions analysed on top of a session's stored bindings at most (all of a session recorded before schema 13):
# ~0.5 ms each of re-run cells, ~2 ms of all-new ones (2,000: 0.9 s and 4.1 s, measured by rev18); bindings made only
# before them are not known.
READ_BACK_EXECUTIONS = 2000

Bindings = dict[str, str]
Changes = dict[str, Optional[str]]  # name -> its binding now (None: no longer bound)


@dataclass
class _Held:
    state: NotebookState  # where the notebook's numbering stands: what places its next execution
    session: int = 0  # the kernel session `bindings` belong to (0: none read yet)
    bindings: Bindings = field(default_factory=dict)
    in_store: Bindings = field(default_factory=dict)  # the session's bindings as the store has them


class KernelContexts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._held: dict[str, _Held] = {}  # notebook URI -> its current session's context

    def context_for(self, ev: p.CellExecution, new: bool) -> Bindings:
        """The context to classify `ev` in; the caller carries the cell's bindings on in it (in place). `new`: the
        store has not got the execution yet (a re-sent one is classified in a copy: its bindings are in already)."""
        uri = ev.notebook_uri
        held = self._held.get(uri)
        if held is None:
            held = self._held[uri] = _Held(self.store.notebook_state(uri))
        if not new:
            return dict(held.bindings)
        before = held.state
        placed = place_execution(before, ev.kernel_id, ev.execution_order, ev.started_at, ev.status)
        held.state = placed.state
        if placed.session < held.session:  # delivered late from the kernel before: its own session's context
            return self._read_back(uri, placed.session)[1]
        if placed.session > held.session:  # a new kernel, or first sight of this one
            held.session = placed.session
            # a session after every one placed so far (a kernel restart) has nothing stored to read back: its two
            # queries kept DuckDB's heap of a join each until the database closed, 1,250 restarts ~18 MB of the sidecar
            held.in_store, held.bindings = ({}, {}) if placed.session > before.session \
                else self._read_back(uri, placed.session)
        return held.bindings

    def changes(self, uris: Iterable[str]) -> dict[str, tuple[int, Changes]]:
        """notebook URI -> (session, what changed in its context since the store last had it): what the writer stores
        with the batch of these notebooks' executions."""
        found: dict[str, tuple[int, Changes]] = {}
        for uri in uris:
            held = self._held.get(uri)
            if held is not None and held.session:
                now, before = held.bindings, held.in_store
                changed: Changes = {name: binding for name, binding in now.items() if before.get(name) != binding}
                changed.update({name: None for name in before if name not in now})
                found[uri] = (held.session, changed)
        return found

    def written(self, states: dict[str, NotebookState]) -> None:
        """The batch is stored: the store has each notebook's context as it is now, and its numbering where the writer
        left it. A notebook placed otherwise than `context_for` did (an execution dead-lettered) is read back again at
        its next execution."""
        for uri, state in states.items():
            held = self._held.get(uri)
            if held is None:
                continue
            if state.session == held.session:
                held.state, held.in_store = state, dict(held.bindings)
            else:
                del self._held[uri]

    def forget(self) -> None:
        """Executions were stored without going through `context_for` (a spool merge): read every context back."""
        self._held.clear()

    def _read_back(self, uri: str, session: int) -> tuple[Bindings, Bindings]:
        """The session's bindings as stored, and with the executions stored after them analysed on top (what the next
        batch stores as changed)."""
        stored = self.store.session_context(uri, session)
        in_store, upto = stored if stored is not None else ({}, 0)
        bindings = dict(in_store)
        runs = self.store.run_sources(uri, [session], upto)[-READ_BACK_EXECUTIONS:]
        for _ in analysed_in_order(((source, language, sha) for _, _, _, language, source, sha in runs), bindings):
            pass
        if runs:
            log.info("context of %s session %d: %s, then %d executions analysed", uri, session,
                     "stored bindings" if stored is not None else "nothing stored", len(runs))
        return in_store, bindings
