"""The probe's IPython hooks: what a cell names is measured before it runs (pre_run_cell), what it changed is noted
after it (post_run_cell), with runs nested in a cell read as that cell's; and a cell's facts are built from those notes
when pushed or asked for (facts_for).

The work is done by the parts Probe is made of: NamespaceTracking (which objects, measured when), Deferral (a next
cell that comes before the push), PushChannel (the facts sent to the sidecar's socket) and IdleMeasuring (a push's
measuring in steps a waiting message stops between)."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from .deferral import Deferral
from .gc_paused import _gc_paused
from .idle_measuring import IdleMeasuring
from .push_channel import PushChannel
from .records import build_fact, displayed_fact
from .tracking import MAX_KEPT_EXECUTIONS, NamespaceTracking, with_baselines

if TYPE_CHECKING:
    from .measurements import Entry

MAX_PENDING_EXECUTIONS = 16  # facts not asked for after this many cells are built (their snapshots let go)


class Probe(NamespaceTracking, Deferral, PushChannel, IdleMeasuring):
    """One kernel's probe: the hooks and the facts of the cells kept for the sidecar."""

    def __init__(self, shell):
        self.shell = shell
        self.last: dict[str, Entry] | None = None  # state after the previous cell = "before" of the next
        self.named: list[str] = []
        # the running cell's code, the bodies of its Python-bodied cell magics and the code of the run_cell calls
        # nested in it (`%%capture`, `get_ipython().run_cell(...)`): one cell, whose facts cover all of them
        self.sources: list[str] = []
        # ExecutionInfo of the running cell, then of each run_cell nested in it (innermost last)
        self.open_runs: list = []
        self.renumbered = False  # a run nested in the running cell stored history: the cell's reply has its number
        self.pre_seconds = 0.0
        self.pre_cpu_seconds = 0.0
        self.facts: dict[int, list[dict]] = {}
        # execution count the first hooked cell gets; earlier cells have recovered facts at most
        self.installed_at: int | None = None
        self.recovered: list[int] = []
        # wall time and this thread's CPU time per cell: on a shared machine the two differ
        # when the kernel is preempted, and only CPU time is cost we caused
        self.capture_ms: dict[int, float] = {}
        self.capture_cpu_ms: dict[int, float] = {}
        # facts not built yet (count -> what to build them from): a cell's null counts and fingerprints are
        # measured from snapshots after its reply (a push, _push_later) or when the sidecar asks (facts_json), off
        # the cell's time; lazy_ms is that cost
        # (changes, baseline inputs, what was displayed): _post, displayed_fact
        self.pending: dict[int, tuple[list[tuple], tuple, dict | None]] = {}
        self.lazy_ms: dict[int, float] = {}
        self.lazy_cpu_ms: dict[int, float] = {}
        self.measured_in_hooks = 0  # snapshots a cell needed before the sidecar asked (a Run All outrunning it)
        self.reused = 0  # named objects not measured again: still their kept snapshot's data
        self.only_read = 0  # named objects not measured again: the cell's code only read them (read_only)
        self.entries_kept = 0  # objects a cell did not name, found unchanged: their Entry kept, no new one (_post)
        # columns of frames a cell only stored other columns of: their digests and counts from before it (_known_columns)
        self.columns_known = 0
        # this kernel ran code that may have handed out a handle on a frame's memory: nothing counts as only read since
        self.handed_out_memory = False
        self.errors: list[str] = []
        self._start_push_channel()
        self._start_deferral()
        self._start_idle_measuring()

    # The hooks ------------------------------------------------------------
    def pre_run_cell(self, info=None) -> None:
        # A run_cell inside the running cell stores no history, as a rule, and is called from the cell's code; a cell
        # from the frontend stores history and runs under no cell's code, and so starts afresh even if a lost
        # post_run_cell had left a run open.
        if self.open_runs and (not getattr(info, "store_history", True) or self._called_from_cell_code()):
            self._pre_nested(info)
            return
        if not getattr(info, "store_history", True):
            return  # not a cell (_is_hidden_run)
        self.open_runs = [info]
        self.renumbered = False
        started, started_cpu = time.perf_counter(), time.thread_time()
        if self.unpushed:
            self._before_next_cell()
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                # transformed_cell has magics turned into Python, so it parses
                source = getattr(info, "transformed_cell", None) or getattr(info, "raw_cell", "") or ""
                self._pre(source)
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell
            self._note(error)
            self.last = None
        self.pre_seconds = time.perf_counter() - started
        self.pre_cpu_seconds = time.thread_time() - started_cpu

    def _called_from_cell_code(self) -> bool:
        """Whether a cell's code is running below this hook (`get_ipython().run_cell(code, store_history=True)`):
        IPython names each cell's compiled code in its compiler's map (a frame of it is the running cell's)."""
        cells = getattr(getattr(self.shell, "compile", None), "_filename_map", None)
        if not cells:
            return False
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename in cells:
                return True
            frame = frame.f_back
        return False

    def _pre_nested(self, info) -> None:
        """A run_cell nested in the running cell: the outer cell's facts cover it. What its code names is measured
        now, before that code runs, and its assignments count as the cell's."""
        self.open_runs.append(info)
        self.renumbered = self.renumbered or bool(getattr(info, "store_history", False))
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                source = getattr(info, "transformed_cell", None) or getattr(info, "raw_cell", "") or ""
                if source not in self.sources:  # else the body of a `%%capture` the cell's own code was read for
                    known = set(self.named)
                    new = [name for name in self._add_sources(source) if name not in known]
                    self.named.extend(new)
                    self._measure_named(new)
        except (Exception, KeyboardInterrupt) as error:  # never into the user's cell
            self._note(error)
            self.last = None
        self.pre_seconds += time.perf_counter() - started
        self.pre_cpu_seconds += time.thread_time() - started_cpu

    def _ends_nested_run(self, result) -> bool:
        """Close the run `result` ends; True if it was nested in a cell still running (nothing to record yet).

        IPython sends post_run_cell without pre_run_cell for empty code: inside a cell, that is a nested run too."""
        runs = self.open_runs
        if not runs:
            return False
        info = getattr(result, "info", None)
        for depth in range(len(runs) - 1, -1, -1):
            if runs[depth] is info:
                del runs[depth:]
                return bool(runs)
        if info is None:  # no result (the run failed before it had one), or one that does not say: the innermost
            runs.pop()
            return bool(runs)
        return True

    @staticmethod
    def _is_hidden_run(result) -> bool:
        """A run from the frontend that stores no history (VS Code's variables view, data viewer and start-up code:
        execute_request with store_history=False) is not a cell: IPython gives its result the count the NEXT cell
        will take (it bumps execution_count only with history), so its facts would be taken for that cell. It gets
        no record and no push; what it changes (nothing, as a rule: it reads) is in the next cell's facts."""
        return not getattr(getattr(result, "info", None), "store_history", True)

    def post_run_cell(self, result=None) -> None:
        if self._ends_nested_run(result) or self._is_hidden_run(result):
            return
        started, started_cpu = time.perf_counter(), time.thread_time()
        count = getattr(result, "execution_count", None)
        if self.renumbered and isinstance(getattr(self.shell, "execution_count", None), int):
            count = self.shell.execution_count - 1  # the number the nested run took, which the reply reports
        changes: list[tuple] = []
        baseline_inputs: tuple = ((), {})
        shown = None
        try:
            import warnings

            with warnings.catch_warnings(), _gc_paused():
                warnings.simplefilter("ignore")
                changes, baseline_inputs = self._post()
                shown = displayed_fact(getattr(result, "result", None))
        except (Exception, KeyboardInterrupt) as error:
            self._note(error)
            self.last = None
        if count is not None:
            self.facts.pop(count, None)
            self.pending[count] = (changes, baseline_inputs, shown)
            self.capture_ms[count] = (self.pre_seconds + time.perf_counter() - started) * 1000.0
            self.capture_cpu_ms[count] = (self.pre_cpu_seconds + time.thread_time() - started_cpu) * 1000.0
            # snapshots hold old data alive: facts nobody asked for within a few cells are built and let go (those
            # waiting for their push are bounded in _before_next_cell)
            unpushed = set(self.unpushed)  # a Run All's cells all wait for their push: not a list scan per pending cell
            waiting = sorted(c for c in self.pending if c not in unpushed)
            while len(waiting) > MAX_PENDING_EXECUTIONS:
                self.facts_for(waiting.pop(0))
            while len(self.facts) + len(self.pending) > MAX_KEPT_EXECUTIONS:
                oldest = min([*self.facts, *self.pending])
                for kept in (self.facts, self.pending, self.capture_ms, self.capture_cpu_ms, self.lazy_ms,
                             self.lazy_cpu_ms):
                    kept.pop(oldest, None)
            if self.push_path is not None:
                self._push_later(count)

    def facts_for(self, count: int) -> list[dict] | None:
        """The facts of one execution, built (and measured from its snapshots) on first request."""
        spec = self.pending.pop(count, None)
        if spec is not None:
            started, started_cpu = time.perf_counter(), time.thread_time()
            try:
                import warnings

                with warnings.catch_warnings(), _gc_paused():
                    warnings.simplefilter("ignore")
                    self.facts[count] = self._build(*spec)
            except (Exception, KeyboardInterrupt) as error:
                self._note(error)
                self.facts[count] = []
            # added to what an idle push measured in steps before (IdleMeasuring)
            self.lazy_ms[count] = self.lazy_ms.get(count, 0.0) + (time.perf_counter() - started) * 1000.0
            self.lazy_cpu_ms[count] = self.lazy_cpu_ms.get(count, 0.0) + (time.thread_time() - started_cpu) * 1000.0
        return self.facts.get(count)

    def _build(self, changes: list[tuple], baseline_inputs: tuple, shown: dict | None) -> list[dict]:
        records = []
        for name, before, after, unchanged_shape, against in with_baselines(changes, *baseline_inputs):
            if not unchanged_shape:
                changed = True
            elif before.fingerprint is not None and after.fingerprint is not None:
                changed = before.fingerprint != after.fingerprint  # same shape: did the values change?
            else:
                changed = None  # not measurable: unknown, not "unchanged"
            for entry in (before, after, against[1] if against else None):
                if entry is not None and entry.m is not None and entry.m.resolve(entry).error is not None:
                    self._note(entry.m.error)
                    entry.m.error = None
            record = build_fact(name, against[1] if against else before, after)
            if changed is not None:
                record["changed"] = changed
            if against is not None:
                record["before_variable"] = against[0]
            records.append(record)
        if shown is not None:
            records.append(shown)
        return records


    def _note(self, error: BaseException) -> None:
        self.errors.append(type(error).__name__ + ": " + str(error)[:300])
        del self.errors[:-20]
