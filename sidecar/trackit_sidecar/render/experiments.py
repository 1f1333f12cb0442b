"""Experiments in words for the terminal (pure): the `trackit experiments` table and `trackit show`."""

from __future__ import annotations

from typing import Any, Optional

from ..experiments.kb import KERNEL_LAST_LOOP_PASS, NOT_METRIC_FUNCTIONS, NOTEBOOK_MODULE
from ..lineage.kb.packaged_data import PACKAGED_DATA_SETS, packaged_loader
from ..protocol import Experiment, ExperimentSummary, Metric
from .diff_values import feature_line, number, spread
from .refits import fitted_before


# said of a metric whose source is KERNEL_LAST_LOOP_PASS: one pass's value, not the cell's result (banana's last of
# 50 fits). The Experiments panel says it too (webviews/experiments/model.LAST_PASS_NOTE; wordingContract.test.ts)
LAST_PASS_NOTE = "last pass of a loop"


def metric_text(metric: Optional[Metric]) -> str:
    if metric is None:
        return "-"
    text = f"{metric.name} {number(metric.value)}{metric.unit or ''}"
    if metric.std is not None and metric.n:
        text += f" ±{spread(metric.std)} (n={metric.n})"
    if metric.source == KERNEL_LAST_LOOP_PASS:
        text += f" ({LAST_PASS_NOTE})"
    return text


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:19]


# Past this width the table's "changed from parent" cell counts the changed decisions by section instead of listing
# them (one experiment's twelve paths made a 300-character column); `trackit show` lists every one.
CHANGED_CELL_WIDTH = 60


def changed_cell(changed: list[str]) -> str:
    """The changed decisions' paths, or, when they do not fit CHANGED_CELL_WIDTH, each section with how many of its
    decisions changed, in the order they first appear: "data (2), preprocessing (4), model (3), training (2)"."""
    listed = ", ".join(changed)
    if len(listed) <= CHANGED_CELL_WIDTH:
        return listed
    sections: dict[str, int] = {}
    for path in changed:
        section = path.split(".", 1)[0]
        sections[section] = sections.get(section, 0) + 1
    return ", ".join(f"{section} ({count})" for section, count in sections.items())


def table(experiments: list[ExperimentSummary]) -> str:
    header = ["id", "time (UTC)", "parent", "primary metric", "changed from parent", "data", "dirty"]
    rows = []
    for e in experiments:
        mark = " (failed)" if e.status == "failed" else ""
        name = f" {e.name}" if e.name else ""
        changed = changed_cell(e.changed) if e.changed else ("-" if e.parent else "(root)")
        data = ", ".join([*(d.split("/")[-1] for d in e.datasets), *e.packaged_data_sets]) or "-"
        if e.data_changed:
            data += " (new revision)"
        dirty = "-" if e.dirty_worktree is None else ("yes" if e.dirty_worktree else "no")
        rows.append([f"{e.id}{mark}{name}", _when(e.created_at), (e.parent or "-") + ("*" if e.parent_set_by_user else ""),
                     metric_text(e.primary_metric), changed, data, dirty])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    if any(e.parent_set_by_user for e in experiments):
        lines.append("* parent set by hand (trackit reparent)")
    return "\n".join(lines)


def _value(value: Any) -> str:
    text = "(unset)" if value is None else repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 100 else text[:97] + "..."


def _seeds(e: Experiment) -> list[str]:
    """The seeds the slice set, and what draws random numbers with none: `unseeded_draws` is None when unknown (the
    warning stays), [] when nothing the experiment ran draws any (a LinearRegression on a fixed split)."""
    if not e.seeds and e.unseeded_draws == []:
        return ["seeds: none needed (nothing it ran draws random numbers)"]
    lines = ["seeds:"]
    lines += [f"  {s.kind}={_value(s.value)}" + (f" in {s.call}" if s.call else "") + (f" (#{s.seq})" if s.seq else "")
              for s in e.seeds]
    drawing = ", ".join(f"`{code}`" for code in e.unseeded_draws or [])
    if not e.seeds:
        verb = "draws" if len(e.unseeded_draws or []) == 1 else "draw"
        lines.append("  (none set: results may vary between runs" + (f"; {drawing} {verb} random numbers)" if drawing else ")"))
    elif drawing:
        lines.append(f"  no seed for {drawing}: results may vary between runs")
    return lines


def _no_metric(e: Experiment) -> str:
    """An evaluation that gives a table, no score (`confusion_matrix(y_test, pred)` shown): its result is the table,
    in the cell's output; "(none recorded)" read as a result lost."""
    tables = [f for f in (e.features.get("evaluation") or {}).get("functions") or [] if f in NOT_METRIC_FUNCTIONS]
    if not tables:
        return "  (none recorded)"
    return f"  (no score: its result is the table {', '.join(tables)} gave, in cell {e.cell_index + 1}'s output)"


# what a packaged data set is, by its kind (lineage/kb/packaged_data.py)
PACKAGED_KIND_WORDS: dict[str, str] = {
    "packaged": "a data set packaged with {library}",
    "downloaded": "a data set {library} downloads once and caches",
    "generated": "data generated by {library}",
    "example": "an example data set of {library}",
}


def _packaged_data(e: Experiment) -> list[str]:
    """Data a library's loader gave (`load_iris(as_frame=True)`, `sns.load_dataset("titanic")`): no file, but where it
    came from and the loader's options, which decide what the data is (`return_X_y=True`: arrays, not a table)."""
    sources = ((e.features.get("data") or {}).get("sources") or {}).items()
    lines = []
    for variable, entry in sources:
        loader = entry.get("packaged") if isinstance(entry, dict) else None
        key = packaged_loader(loader or "")
        if key is None:
            continue
        named = entry.get("source")
        arguments = [repr(named)] if named and named != entry.get("reader") else []
        arguments += [text if option == "**" else f"{option}={_option(text)}"
                      for option, text in (entry.get("options") or {}).items()]
        packaged = PACKAGED_DATA_SETS[key]
        what = PACKAGED_KIND_WORDS[packaged.kind].format(library=packaged.library)
        lines.append(f"  {variable}: {loader}({', '.join(arguments)}), {what} (no input file)")
    return lines


def _option(value: Any) -> str:
    """A loader's keyword as written: `as_frame=True`, `version=1`, `name='titanic'`."""
    return repr(value) if isinstance(value, str) else _value(value) if value is not None else "None"


def show(e: Experiment) -> str:
    lines = [f"{e.id}{' ' + e.name if e.name else ''}  ({e.status}, {e.origin})",
             f"  notebook   {e.notebook_uri}",
             f"  execution  #{e.seq} cell {e.cell_index + 1} (id {e.cell_id}), run {e.session}, {_when(e.created_at)} UTC",
             f"  parent     {e.parent or '(root)'}{' (set by hand)' if e.parent_set_by_user else ''}",
             f"  config     sha256:{e.config_sha256}"]
    if e.notes:
        lines.append(f"  notes      {e.notes}")
    lines.append("metrics:")
    lines += [f"  {metric_text(m):<40} [{m.source}]{'  higher is better' if m.direction == 'higher' else '  lower is better' if m.direction == 'lower' else ''}"
              for m in e.metrics] or [_no_metric(e)]
    if e.also_looked_at:  # tables a later cell showed of this result (no experiments of their own: detect.py)
        lines.append("also looked at: " + ", ".join(
            f"{', '.join(look.functions) or 'a table'} in cell {look.cell_index + 1}" for look in e.also_looked_at))
    lines.append(f"changed from {e.parent}:" if e.parent else "changes: (a root: nothing to compare with)")
    if e.parent:
        lines += [f"  {feature_line(c)}" for c in e.feature_changes] or [
            "  (no decision changed)"]
    lines.append("data:")
    for d in e.data:
        moved = f"  (was {d.previous_revision_id}: the file's bytes changed)" if d.previous_revision_id else ""
        lines.append(f"  {d.dataset_id}@{d.revision_id}  sha256 {d.sha256[:12]}  {d.size or '?'} bytes{moved}")
    if not e.data:
        lines += _packaged_data(e) or ["  (no input file recorded)"]
    for f in e.frames:
        shape = f"{f.rows} x {f.cols}" if f.cols is not None else f"{f.rows} rows"  # a Series or array has no columns
        lines.append(f"  {f.role:<6} {f.variable}: {shape}  {f.fingerprint or ''}".rstrip())
    if e.model:
        m = e.model
        state = f"fitted state sha256 {m.state_sha256[:12]}" if m.state_sha256 else "fitted state not read from the kernel"
        looped = ", the fit the last pass of a loop left" if m.last_pass_of_loop else ""  # heart-disease's 20 knn fits
        where = "defined in the notebook" if m.library == NOTEBOOK_MODULE else m.library or "?"
        lines.append(f"model: {m.class_name} ({where}), {state}{looped}")
        if m.fitted_before:
            lines.append(f"  {fitted_before(m.fitted_before)}")
        # a parameter's None is its value (the kernel read `class_weight=None` off the model, or the user wrote it),
        # not "(unset)": that read as a parameter the model lacks
        params = ", ".join(f"{k}={'None' if v is None else _value(v)}" for k, v in sorted(m.params.items()))
        lines.append(f"  params: {params or '(defaults)'}")
        if m.best_params:
            lines.append(f"  best_params: {m.best_params}")
    lines.append("slice (executions the result depends on, in order):")
    lines.append("  " + " ".join(f"#{s.seq}" for s in e.slice))
    lines += _seeds(e)
    stamp = e.stamp
    if stamp is None:
        lines.append("environment: (no stamp recorded for this run)")
    else:
        git = stamp.git
        lines.append(f"environment: Python {stamp.python_version or '?'} ({stamp.python_implementation or '?'}), "
                     f"{len(stamp.packages)} packages (sha256 {(stamp.packages_sha256 or '?')[:12]}), {stamp.os}")
        if git is None:
            lines.append("  git: not a repository")
        else:
            lines.append(f"  git: {git.commit[:12] if git.commit else '(no commit)'} on {git.branch or '(detached)'}, "
                         f"{'dirty' if git.dirty_worktree else 'clean'}")
            lines += [f"    {f}" for f in git.changed_files[:20]]
        for name, value in sorted(stamp.env.items()):
            lines.append(f"  {name}={value}")
        lines += [f"  unknown: {err}" for err in stamp.errors]
    return "\n".join(lines)
