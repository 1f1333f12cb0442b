"""The probe driven in this process, cell by cell, as IPython's hooks drive it in a kernel: for tests that look at the
probe's own state (what it read, kept or reused) next to the facts it gives each cell."""

from __future__ import annotations

import types

from trackit_sidecar.kernel.probe import hooks


class _Events:
    def register(self, *_args):
        pass


def run_cells(cells: list[str]) -> tuple[hooks.Probe, dict, list[dict]]:
    """(the probe, the cells' namespace, per cell: variable -> its facts), cells numbered from 1."""
    shell = types.SimpleNamespace(user_ns={}, events=_Events(), execution_count=1)
    p = hooks.Probe(shell)
    facts = []
    for count, source in enumerate(cells, 1):
        p.pre_run_cell(types.SimpleNamespace(raw_cell=source, transformed_cell=source))
        exec(source, shell.user_ns)
        p.post_run_cell(types.SimpleNamespace(execution_count=count, result=None))
        facts.append({f["variable"]: f for f in p.facts_for(count) if f.get("variable")})
    return p, shell.user_ns, facts
