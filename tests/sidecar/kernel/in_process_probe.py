"""The probe driven in this process, cell by cell, as IPython's hooks drive it in a kernel: for tests that look at the
probe's own state (what it read, kept, reused, deferred or pushed) next to the facts it gives each cell."""

from __future__ import annotations

import types

from trackit_sidecar.kernel.probe import hooks


class _Events:
    def register(self, *_args):
        pass


def new_probe() -> hooks.Probe:
    """A probe over an empty namespace of its own (`p.shell.user_ns`), as install() makes one in a fresh kernel."""
    return hooks.Probe(types.SimpleNamespace(user_ns={}, events=_Events(), execution_count=1))


def run_cell(p: hooks.Probe, count: int, source: str) -> None:
    """One cell as IPython runs it: pre_run_cell, the code in the probe's namespace, post_run_cell."""
    p.pre_run_cell(types.SimpleNamespace(raw_cell=source, transformed_cell=source))
    exec(source, p.shell.user_ns)
    p.post_run_cell(types.SimpleNamespace(execution_count=count, result=None))


def run_cells(cells: list[str]) -> tuple[hooks.Probe, dict, list[dict]]:
    """(the probe, the cells' namespace, per cell: variable -> its facts), cells numbered from 1."""
    p = new_probe()
    facts = []
    for count, source in enumerate(cells, 1):
        run_cell(p, count, source)
        facts.append({f["variable"]: f for f in p.facts_for(count) if f.get("variable")})
    return p, p.shell.user_ns, facts
