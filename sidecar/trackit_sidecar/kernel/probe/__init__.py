"""The runtime probe: code that runs INSIDE the user's kernel.

This package's files are sent to the kernel as text (see kernel/probe_expressions.install_expression) and executed as
a package of private modules, `_trackit_probe` and `_trackit_probe.<module>` for each of MODULES, in `sys.modules`, so
it never adds names to the user's namespace. Its modules must therefore import nothing from trackit_sidecar but each
other (relative imports; the one table of in-place methods, lineage/kb/python.py, probe_expressions runs in
TABLES_MODULE first) and only the standard library at top level; pandas/numpy/polars/pyarrow are looked up in
`sys.modules` (if the user never imported pandas there can be no DataFrame to look at, and we must not import it for
them). This file holds the entry points the sidecar calls in the kernel (install, push_to, facts_json, stats_json); the
hooks are hooks.Probe.

What it does: IPython pre_run_cell/post_run_cell hooks keep, per execution_count, a
RuntimeFacts-shaped dict for every pandas DataFrame/Series, numpy ndarray and polars
DataFrame in user_ns that is new, changed, or named in the cell. "Changed" is decided
cheaply (identity + shape + columns + dtypes); null counts and fingerprints are computed
only for changed or named objects and cached for the rest. One more record says what the cell
displayed (displayed_fact: kind, shape, scalar or not), so lineage can tell an answer from a new table.
Each fact says whether the variable changed in the cell (`changed`; for a named one of the same
shape, by fingerprint), which is how a failed cell's partial effects are told from what it never
got to do. "Before"
is the variable's state before the cell, except for a new variable or one the cell rebinds
from other names (`data = final.query(...)` run again): that is measured against the object
it was made from (`before_variable`), so a re-run reads like the first run.

The hooks also run after a cell that failed or was interrupted (IPython calls post_run_cell
in a finally), so such a cell's facts are what really happened before it stopped.

A cell whose code runs more code through IPython's `run_cell` (`%%capture`, `get_ipython().run_cell(...)`) fires
the hooks again, nested: those runs are part of the cell, which gets one set of facts from its start to its end,
with the nested code's names and assignments read as the cell's. A Python-bodied cell magic that runs its body
itself (`%%time`) is read the same way: IPython's transformed cell holds its body as a string.

The hooks never raise into the user's cell and never print: IPython prints a traceback for
a callback that raises, so every hook body is wrapped.

Installed late (cells already ran): install() records the namespace as it is then and gives
each earlier cell "after"-only facts for the variables it was the last to bind or visibly
change (see recover_earlier_cells). What such a cell did before is gone: no rows_before, no
nulls_before, no column/dtype changes; and a change made through an alias or by a method not
known to work in place is attributed to the earlier binding cell.
"""

from __future__ import annotations

import json
import socket

from .fingerprints import choose_hasher
from .gc_paused import _gc_paused
from .hooks import Probe
from .ipython_parse import reuse_ipython_parse, stop_reusing
from .notebook_code import installation_folders
from .records import facts_payload
from .shell_inbox import shell_inbox

MODULE_NAME = "_trackit_probe"
PROBE_VERSION = 22  # 3: the displayed result; 4: changed, before_variable; 5: measured when asked;
# 6: pushed after the reply; 7: measured when idle while cells come back to back;
# 8: fingerprints of per-column digests (FINGERPRINT_LAYOUT);
# 9: no facts for runs without history, only memory no user code can write kept or left for idle time, pushes retried;
# 10: object columns of strings not read again while they hold the same objects (ObjectStringColumns);
# 11: a small snapshot of writable numpy memory copied before the next cell, measured when idle (private_copy);
# 12: a frame measured before the next cell leaves its Arrow string columns for idle time (measure_writable);
# 13: a pandas object the cell's code only reads is not measured again (read_only), no snapshot copied (private_copy)
# 14: a frame's missing values by column (column_nulls_before/after: nulls.null_counts)
# 15: read_only for objects of any size in a Run All and for objects given to pandas' reading functions (`pd.merge`);
# an untouched object keeps its Entry (entries_kept); 16: a frame's columns a cell did not store to keep their digests
# and missing-value counts from before it (columns_known); 17: a cell that uses a notebook's own module (or its
# functions, classes), changes something through a module other than a settings library's, or calls a method of a
# library's instance reads nothing only (notebook_code; read_only.cannot_reach_data), and a frame such a cell may have
# changed under a name it does not mention is not taken as only read later (tracking._mark_maybe_changed); 18: without
# pandas' copy-on-write (before 3.0, the option off) a cell that writes any pandas object keeps no frame's or series'
# measurement (a series taken as `df["a"]` is a view of df's data: tracking._no_view_written); 19: the hasher decided
# (xxhash imported) at install, not in the first measuring (fingerprints.choose_hasher); 20: a frame measured before
# the next cell leaves its object columns' digests of immutable objects for idle time (ObjectStringColumns.leave), and
# IPython's own syntax tree of a cell is the probe's when it is ast.parse's (ipython_parse)
# 21: a push made while the kernel is idle stops for a client's message waiting (shell_inbox)
# 22: ... also within a cell's measuring, between snapshots and string columns' digests (idle_measuring)
# The package's modules in the order the kernel runs them, each after those it imports (this file last), and the one the
# lineage kb table is run into first (probe_expressions.probe_modules).
MODULES = ("objects", "arrow_hashing", "object_strings", "kept_memory", "nulls", "fingerprints", "measurements",
           "records", "cell_source", "ipython_parse", "read_only", "notebook_code", "gc_paused", "tracking", "deferral",
           "idle_measuring", "shell_inbox", "push_channel", "hooks")
TABLES_MODULE = "cell_source"


# ------------------------------------------------------------------ entry points for the sidecar
_probe: Probe | None = None


def install(shell) -> str:
    """Register the hooks once per kernel. Returns 'installed' or 'already'."""
    global _probe
    if _probe is not None and _probe.shell is shell:
        return "already"
    if _probe is not None:
        uninstall()
    probe = Probe(shell)
    with _gc_paused():
        try:
            installation_folders()  # ~0.2 ms, once: here rather than in the first cell that reads its code
            choose_hasher()  # ~0.8 ms, once: here rather than in the first cell measured before the next one
        except Exception as error:  # found again when first needed (notebook_code), noted there by the hooks
            probe._note(error)
        try:
            probe.recover_earlier_cells()
        except Exception as error:  # recovery is a bonus: the hooks matter more
            probe._note(error)
            probe.last = None
    _probe = probe
    shell.events.register("pre_run_cell", _probe.pre_run_cell)
    shell.events.register("post_run_cell", _probe.post_run_cell)
    try:
        reuse_ipython_parse(shell)
    except Exception as error:  # the probe parses each cell itself, as before
        probe._note(error)
    return "installed"


def uninstall() -> None:
    global _probe
    if _probe is None:
        return
    for event, callback in (("pre_run_cell", _probe.pre_run_cell), ("post_run_cell", _probe.post_run_cell)):
        try:
            _probe.shell.events.unregister(event, callback)
        except ValueError:
            pass
    try:
        stop_reusing(_probe.shell)
    except Exception:
        pass
    if _probe._push_timer is not None:
        _probe._push_timer.cancel()
    if _probe.push_socket is not None:
        _probe.push_socket.close()
    _probe = None


def push_to(path: str) -> str:
    """Send each finished cell's facts to the sidecar's socket at `path` from now on (a later call replaces it).

    Non-blocking, never stalls the user's cell: a push a full socket has no room for is sent again a few ms later
    (PUSH_RETRY_SECONDS), one to a missing socket is dropped."""
    probe = _probe
    if probe is None:
        return "not installed"
    if probe.push_socket is None:
        probe.push_socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        probe.push_socket.setblocking(False)
    probe.push_path = path
    if probe.shell_inbox is None:
        try:
            probe.shell_inbox = shell_inbox(probe.shell)
        except Exception as error:  # another ipykernel layout: a push is never cut short for a waiting message
            probe._note(error)
    return "pushing"


def facts_json(execution_count: int) -> str:
    """JSON for one execution: {"execution_count", "known", "facts", "capture_ms"}."""
    if _probe is not None and execution_count in _probe.unpushed:  # asked before its push went out: not twice ...
        if execution_count > _probe._overtaken:
            _probe.unpushed.remove(execution_count)
        elif not _probe.unsent_notices:
            # ... unless the sidecar was told this push comes once the kernel is idle: it waits for that push (up to
            # a minute), and whoever asked here (another client of the kernel) is not the sidecar; the facts are
            # built once (facts_for keeps them), so the push and this answer are the same. While notices wait to be
            # sent it stays in turn behind them (a push before its cell's notice would be taken for another run's)
            _probe.unpushed.remove(execution_count)
            _probe._push(execution_count)
    return facts_payload(_probe, execution_count)



def stats_json() -> str:
    """Every per-cell capture time and the last errors (for the benchmark and debugging)."""
    probe = _probe
    return json.dumps(
        {
            "installed": probe is not None,
            "capture_ms": probe.capture_ms if probe else {},
            "capture_cpu_ms": probe.capture_cpu_ms if probe else {},
            "lazy_ms": probe.lazy_ms if probe else {},
            "lazy_cpu_ms": probe.lazy_cpu_ms if probe else {},
            "measured_in_hooks": probe.measured_in_hooks if probe else 0,
            "pushed_before_next_cell": probe.pushed_before_next_cell if probe else 0,
            "deferred": probe.deferred if probe else 0,
            "measured_before_next_cell": probe.measured_before_next_cell if probe else 0,
            "strings_left_for_idle": probe.strings_left_for_idle if probe else 0,
            "reused": probe.reused if probe else 0,
            "only_read": probe.only_read if probe else 0,
            "entries_kept": probe.entries_kept if probe else 0,
            "columns_known": probe.columns_known if probe else 0,
            "pushes_retried": probe.pushes_retried if probe else 0,
            "pushes_made_way": probe.pushes_made_way if probe else 0,
            "pushes_cut_mid_cell": probe.pushes_cut_mid_cell if probe else 0,
            "notices_retried": probe.notices_retried if probe else 0,
            "errors": probe.errors if probe else [],
            "installed_at": probe.installed_at if probe else None,
            "recovered": probe.recovered if probe else [],
            "version": PROBE_VERSION,
        },
        default=str,
    )
