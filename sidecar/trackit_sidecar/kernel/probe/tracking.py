"""Which objects of the user's namespace the probe tracks and when it measures them: what a cell names before it
runs, what changed after it, the object a new or rebound variable is measured against, and the cells that ran
before the probe was installed."""

from __future__ import annotations

import sys
import types

from . import objects
from .cell_source import assignment_sources, changed_names, named_in_order, python_magic_bodies
from .measurements import Entry, Measurement
from .objects import kind_of
from .notebook_code import notebook_defined
from .read_only import (CODE_RUNNERS, LIBRARY_ALIASES, READ_CODE_MIN_VALUES, cannot_reach_data, cell_mentions,
                        hands_out_memory, method_writes_no_frame, pandas_own)
from .records import build_fact

MAX_KEPT_EXECUTIONS = 512  # cells whose facts a probe keeps (and earlier cells it recovers at most)
MAX_TRACKED_OBJECTS = 2000
_UNREAD = object()  # the cell's code not read yet (NamespaceTracking._cell_writes)
# IPython's own names in user_ns that never hold user data worth tracking.
_SKIP_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython"})


class NamespaceTracking:
    """Probe's reading of the namespace (its state is the Probe's: last, named, sources)."""

    def _tracked(self):
        found = 0
        for name, obj in list(self.shell.user_ns.items()):
            if name[:1] == "_" or name in _SKIP_NAMES:
                continue
            kind = kind_of(obj)
            if kind is None:
                continue
            found += 1
            if found > MAX_TRACKED_OBJECTS:
                return
            yield name, obj, kind

    def _measure(self, entry: Entry, obj, known: tuple | None = None) -> None:
        """Null count and fingerprint of `obj` as it is now: from a snapshot, when asked, if that is safe. `known`: of
        columns no code wrote since they were measured (_known_columns)."""
        if objects.lazy_safe(entry.kind):
            entry.m = Measurement(objects.snapshot(obj, entry.kind), from_snapshot=True, known=known)
        else:
            entry.m = Measurement(obj).resolve(entry)
            if entry.m.error is not None:
                raise entry.m.error

    def _entry(self, obj, kind: str, previous: Entry | None = None) -> Entry | None:
        """Entry for one object; an object whose attributes raise is skipped, not fatal."""
        try:
            return Entry(obj, kind, previous)
        except Exception as error:
            self._note(error)
            return None

    def _still_describes(self, entry: Entry, obj, kind: str) -> bool:
        try:
            return entry.still_describes(obj, kind)
        except Exception:  # attributes that raise: a new Entry notes it (_entry)
            return False

    def _measured(self, entry: Entry, obj, known: tuple | None = None) -> bool:
        try:
            self._measure(entry, obj, known)
            return True
        except Exception as error:
            self._note(error)
            return False

    def _pre(self, source: str) -> None:
        self.sources = []
        self.named = self._add_sources(source)
        self._measure_named(self.named)

    def _add_sources(self, source: str) -> list[str]:
        """Add the code and the bodies of its Python-bodied cell magics (as IPython will run them) to the cell's
        sources; returns the names they mention."""
        added = [source]
        for code in added:  # a body may hold another cell magic (`%%capture` over `%%time`): read on
            if "run_cell_magic" in code:
                for body in python_magic_bodies(code):
                    try:
                        added.append(self.shell.transform_cell(body))
                    except Exception:  # IPython will fail the same body: its names still say what it touches
                        added.append(body)
        self.sources.extend(added)
        if len(added) == 1:
            return named_in_order(source)
        return list(dict.fromkeys(name for code in added for name in named_in_order(code)))

    def _measure_named(self, names: list[str]) -> None:
        if self.last is None:
            self.last = {}
            for name, obj, kind in self._tracked():
                entry = self._entry(obj, kind)
                if entry is not None:
                    self.last[name] = entry
        user_ns = self.shell.user_ns
        # Objects named in the cell may be changed in place without a shape change
        # (df["age"] = df["age"].fillna(...)): measure them now so "before" is real.
        for name in names:
            obj = user_ns.get(name)
            kind = kind_of(obj) if obj is not None else None
            if kind is None:
                continue
            entry = self.last.get(name)
            if entry is None or not self._still_describes(entry, obj, kind):
                fresh = self._entry(obj, kind, entry)
                if fresh is None:
                    self.last.pop(name, None)
                    continue
                if entry is None or not entry.is_same_object(obj) or not entry.same_metadata(fresh):
                    entry = fresh
                    self.last[name] = entry
            if entry.m is None:
                self._measured(entry, obj)
            elif entry.m.pending is not None and entry.m.key is None and not entry.m.private:
                # the sidecar has not asked for the last cell's facts yet and this cell may write the object
                # in place: measure now rather than make the user's write copy its data (copy-on-write). Not one left
                # for when idle (_defer): kept after measuring, its snapshot would make that write copy anyway
                entry.m.resolve(entry)
                self.measured_in_hooks += 1

    def _post(self) -> tuple[list[tuple], tuple]:
        """What changed, to build facts from when asked: (changes, baseline_inputs). A change is (name, before,
        after, unchanged shape, whether the variable is new or another object now). A named object is measured again
        unless it still reads its kept snapshot's memory or the cell's code only read it (read_only), with the same
        shape, columns and dtypes: then its measurement before the cell stands for after it. Which object a new or
        rebound variable is measured against is found when the facts are built (with_baselines), off the cell's time:
        it parses the cell's code, and reads only Entries made here (what they hold is fixed once made)."""
        before_all = self.last or {}
        named = set(self.named)
        after_all: dict[str, Entry] = {}
        changes = []
        self._cell_reads = _UNREAD  # what the cell's code only reads: read from it when first needed (_only_read)
        self._copy_on_write = objects.copy_on_write()  # once a cell: the cell itself may have imported pandas
        self.handed_out_memory = self.handed_out_memory or any(hands_out_memory(source) for source in self.sources)
        unnamed = []  # entries of pandas objects no name of the cell holds, measured before it (_mark_maybe_changed)
        for name, obj, kind in self._tracked():
            before = before_all.get(name)
            if before is not None and name not in named and self._still_describes(before, obj, kind) \
                    and self._no_view_written(kind):
                after_all[name] = before  # the same object, not touched: the same entry (and measurement)
                self.entries_kept += 1
                if kind in ("DataFrame", "Series"):
                    unnamed.append(before)
                continue
            after = self._entry(obj, kind, before)
            if after is None:
                continue
            after_all[name] = after
            same_object = before is not None and before.is_same_object(obj)
            unchanged_shape = same_object and before.same_metadata(after)
            if unchanged_shape and name not in named and self._no_view_written(kind):
                after.m = before.m  # the same object, not touched: the same measurement
                if kind in ("DataFrame", "Series") and after.m is not None:
                    unnamed.append(after)
                continue
            if unchanged_shape and before.m is not None and before.m.holds_same_data(obj, kind):
                # named, but still its kept snapshot's data: memory no code can write (keep_key)
                after.m = before.m
                self.reused += 1
            elif unchanged_shape and before.m is not None and not before.m.maybe_changed \
                    and kind in ("DataFrame", "Series") and self._worth_reading_code(after) \
                    and self._only_read_by_cell(name, obj):
                # named only to be read (read_only): the data measured before the cell
                after.m = before.m
                self.only_read += 1
            else:
                known = None
                # as for only_read (_worth_reading_code): a cell run on its own pays ~0.2-0.3 ms in its hooks for the
                # parse (the synthetic notebook's column stores), and its big frame's measuring after the reply ~1-2 ms
                # less; in a Run All whose cells leave idle gaps (pushes between cells) that measuring is in the gaps
                if same_object and kind == "DataFrame" and before.m is not None and not before.m.maybe_changed \
                        and before.m.column_digests is not None and self._worth_reading_code(after):
                    known = self._known_columns(name, obj, before, after)
                self._measured(after, obj, known)
            changes.append((name, before, after, unchanged_shape, not same_object))
        if unnamed and not self.handed_out_memory:
            self._mark_maybe_changed(unnamed)
        self.last = after_all
        sources = tuple(self.sources)
        return changes, (sources, baseline_candidates(after_all, sources))

    def _no_view_written(self, kind: str) -> bool:
        """Can an object of this kind the cell does not name have kept its data? Any but a frame or series, and those
        with copy-on-write: a write through another name copies first. Without it (pandas before 3.0, the option off)
        only when the cell's code wrote no pandas object (_only_read answers): `s2[5] = -9.0`, `s2` taken earlier as
        `df["a"]`, writes df's data."""
        return kind not in ("DataFrame", "Series") or self._copy_on_write or self._cell_writes() is not None

    def _worth_reading_code(self, after: Entry) -> bool:
        """Whether to read the cell's code (_only_read) rather than measure this object again: in a Run All, or when
        it holds READ_CODE_MIN_VALUES values or more (see there)."""
        return self._in_burst or (after.rows or 0) * (after.cols or 1) >= READ_CODE_MIN_VALUES

    def _cell_writes(self) -> tuple | None:
        if self._cell_reads is _UNREAD:
            self._cell_reads = self._only_read()
        return self._cell_reads

    def _only_read_by_cell(self, name: str, obj) -> bool:
        writes = self._cell_writes()
        return writes is not None and name in writes[0] and all(frame is not obj for frame in writes[2])

    def _mark_maybe_changed(self, unnamed: list[Entry]) -> None:
        """Mark the measurements of these entries (of pandas objects the cell's code holds under no name of its own)
        that the cell may have changed through another name (an alias, a container, the notebook's code): each
        object's data may no longer be its measurement's, so a later cell that only reads the object, or stores to
        some of its columns, does not take that measurement for the data after it (only_read, _known_columns), as a
        new measurement would not (kern22: `alias.loc[0, "a"] = -1` then `df.head()`). Without reading the code when
        no name of the cell holds anything that could reach those objects: scalars, library functions, classes and
        modules, objects that hold no frame (read_only.JUDGED_OR_FRAMELESS_CLASSES), pandas frames, series and indexes of
        their own (not a pandas object that holds a frame: `setter = df.loc`, a GroupBy's `.obj`)."""
        user_ns = self.shell.user_ns
        ids = {entry.obj_id for entry in unnamed}
        missing = object()
        for name in self.named:
            obj = user_ns.get(name, missing)
            if obj is missing:
                if name in CODE_RUNNERS:  # builtins: not in the namespace
                    break
                continue
            if pandas_own(obj):
                if id(obj) in ids:  # also held under a name the cell does not mention
                    break
                if kind_of(obj) not in ("DataFrame", "Series") and not isinstance(obj, sys.modules["pandas"].Index):
                    break  # an indexer (`df.loc`), a GroupBy, a window, a Styler, ... holds a frame it writes (rev26)
            elif kind_of(obj) == "ndarray" or notebook_defined(obj, user_ns) or not (
                    cannot_reach_data(obj) or isinstance(obj, types.ModuleType) or method_writes_no_frame(obj)):
                break  # an array could be memory a frame reads; the rest could hold a frame or run any code
        else:
            return
        writes = self._cell_writes()
        for entry in unnamed:
            if writes is None or any(frame is entry.ref() for frame in writes[2]):
                entry.m.maybe_changed = True

    def _known_columns(self, name: str, obj, before: Entry, after: Entry) -> tuple | None:
        """Of a frame the cell's code changed only by whole-column stores (`df["a"] = ...`, read_only.cell_mentions) and
        through no other name: (rows hashed, {label: digest}, {label: missing values} or None) of the columns it did
        not store to, as measured before the cell (before.m), which they still hold. Their labels are distinct strings
        (digests and counts are kept by label) with the dtypes they had. None when no column is known so."""
        writes = self._cell_writes()
        stored = writes[1].get(name) if writes is not None else None
        if stored is None or any(frame is obj for frame in stored[1]):
            return None
        labels = after.columns
        if not all(type(label) is str for label in labels) or len(set(labels)) != len(labels):
            return None
        rows_hashed, measured = before.m.column_digests
        dtypes_before = dict(zip(before.columns, before.dtypes))
        kept = [label for label, dtype in zip(labels, after.dtypes)
                if label not in stored[0] and label in dtypes_before and dtypes_before[label] == dtype]
        if not kept:
            return None
        counts = before.m.column_nulls
        nulls = {label: counts.get(label, 0) for label in kept} \
            if counts is not None and before.m.nulls is not None and before.m.error is None else None
        self.columns_known += len(kept)
        return rows_hashed, {label: measured[label] for label in kept if label in measured}, nulls

    def _only_read(self) -> tuple[frozenset, dict[str, tuple[frozenset, list]], list] | None:
        """What the cell's code (all its sources) does to the objects its names hold: (the names it only reads
        (read_only); the names it changes only by whole-column stores, each with the labels stored and the pandas
        objects it may have changed through other names (_known_columns); the pandas objects it may have changed
        through any name: one of those is not only read). None when it may have changed any object: it uses anything
        the notebook defined, or may have changed through another name what could hold a frame or its memory, or this
        kernel ran code that may have handed out a handle on a frame's memory (handed_out_memory)."""
        user_ns = self.shell.user_ns
        if self.handed_out_memory:
            return None
        # first what the code mentions anywhere (self.named: every identifier), which needs no parsing
        if any(notebook_defined(user_ns[name], user_ns) for name in self.named if name in user_ns):
            return None
        pandas = sys.modules.get("pandas")
        pandas_names = frozenset(name for name in LIBRARY_ALIASES if pandas is not None and user_ns.get(name) is pandas)
        only_read, stores, changed_through, called_through = None, None, set(), set()
        for source in self.sources:
            mentions = cell_mentions(source, pandas_names)
            if mentions is None:
                return None
            only_read = set(mentions[0]) if only_read is None else only_read & mentions[0]
            changed_through |= mentions[1]
            called_through |= mentions[3]
            # a name only read or only stored to by column in each source (a name not mentioned in one is neither)
            here = {**dict.fromkeys(mentions[0], frozenset()), **mentions[2]}
            stores = here if stores is None else {name: labels | here[name] for name, labels in stores.items()
                                                  if name in here}
        missing = object()
        changed_frames = []  # (name, frame) of each name that may have changed the frame it holds
        for name in changed_through:
            obj = user_ns.get(name, missing)
            if kind_of(obj) in ("DataFrame", "Series"):
                changed_frames.append((name, obj))
            elif obj is not missing and not cannot_reach_data(obj):
                return None
        # a method of a library's instance may write a frame it was given (a notebook module's code gave up above)
        for name in called_through - changed_through:
            obj = user_ns.get(name, missing)
            if not (obj is missing or method_writes_no_frame(obj) or isinstance(obj, types.ModuleType)
                    or cannot_reach_data(obj)):
                return None
        if (changed_frames or any(stores.values() if stores else ())) and not self._copy_on_write:
            return None  # without copy-on-write a frame or series written may be a view of any other's data
        return (frozenset(only_read or ()),
                {name: (labels, [frame for other, frame in changed_frames if other != name])
                 for name, labels in (stores or {}).items() if labels},
                [frame for _, frame in changed_frames])

    def recover_earlier_cells(self) -> None:
        """Facts for cells that ran before the probe existed, from the namespace as it is now.

        Each tracked variable's current state is credited to the last earlier cell that rebinds
        or visibly changes it (changed_names); only "after" values are known. Also becomes the
        "before" of the next cell, so the first hooked cell needs no fresh scan.
        """
        shell = self.shell
        first_hooked = int(getattr(shell, "execution_count", 1) or 1)
        self.installed_at = first_hooked
        if first_hooked <= 1:
            return
        history = getattr(getattr(shell, "history_manager", None), "input_hist_parsed", None) or []
        first_kept = max(1, first_hooked - MAX_KEPT_EXECUTIONS)  # bounded work for a long-lived kernel
        last_change: dict[str, int] = {}
        # cells before the probe may have handed out a handle on a frame's memory (read_only.hands_out_memory)
        self.handed_out_memory = self.handed_out_memory or any(hands_out_memory(source) for source in history)
        for count in range(first_kept, first_hooked):
            source = history[count] if count < len(history) else ""
            for name in changed_names(source):
                last_change[name] = count
        current: dict[str, Entry] = {}
        recovered: dict[int, list[dict]] = {count: [] for count in range(first_kept, first_hooked)}
        for name, obj, kind in self._tracked():
            entry = self._entry(obj, kind)
            if entry is None:
                continue
            current[name] = entry
            count = last_change.get(name)
            if count is not None and self._measured(entry, obj):
                recovered[count].append(build_fact(name, None, entry))
        for count, facts in recovered.items():
            if count not in self.facts:
                self.facts[count] = facts
                self.recovered.append(count)
        self.last = current


def baseline_candidates(after_all: dict[str, Entry], sources: tuple[str, ...]) -> dict[str, Entry]:
    """The entries a new or rebound variable of the cell can be measured against (with_baselines): those of the names
    its code reads. A name read in ASCII code is spelled there as is; non-ASCII code may name an object by another
    spelling (identifiers are NFKC-normalised), so then every entry is kept."""
    if not all(source.isascii() for source in sources):
        return after_all
    return {name: entry for name, entry in after_all.items() if any(name in source for source in sources)}


def with_baselines(changes: list[tuple], sources: tuple[str, ...], candidates: dict[str, Entry]) -> list[tuple]:
    """(name, before, after, unchanged shape, (name, entry) of the object a new or rebound variable was made from,
    or None) for each change _post found.

    A new name, or a name the cell rebinds from other names (`data = final.query(...)` run again), is measured
    against the object it was made from, not the name's previous value. Heuristic: the first name read by the
    right-hand side of the statement that assigned the variable (the cell's last such statement) and holding an
    object of the same kind: `train = df[df.age > 0]` -> df; `merged = left.merge(right)` -> left;
    `X_tr, X_te, y_tr, y_te = split(X, y)` -> X / y. Its state after the cell is used: a cell that changes df and
    then derives from it derives from the changed df. No assignment found (or a magic-laden cell) -> no baseline."""
    assigned_from: dict[str, list[str]] | None = None
    specs = []
    for name, before, after, unchanged_shape, other_object in changes:
        against = None
        if before is None or other_object:
            if assigned_from is None:  # parsed only for a cell with a new or rebound variable
                assigned_from = {}
                for source in sources:  # in the order they ran: a later assignment wins
                    assigned_from.update(assignment_sources(source))
            reads = assigned_from.get(name)
            if before is None or (reads is not None and name not in reads):
                for candidate in reads or ():
                    entry = candidates.get(candidate) if candidate != name else None
                    if entry is not None and entry.kind == after.kind:
                        against = (candidate, entry)
                        break
                if against is None:
                    before = None
        specs.append((name, before, after, unchanged_shape, against))
    return specs
